#!/usr/bin/env python3
"""Imports every model.onnx of the float part of the ONNX conformance list
with `cnnc compile --emit=cnn -O0` and checks that the import succeeds and
that the result verifies (cnnc verifies the module before printing it).

Graph inputs that must be known at compile time (Pad's pads, Clip's bounds,
Resize's scales, ...) are bound the way `cnnc run` binds them: when cnnc asks
for `--const NAME=FILE.pb`, the test data's input file of that name is given.

Usage: import-models.py CNNC LIST DATA_DIR
"""
import os
import sys

import onnx_test_data


def import_model(cnnc, test_dir):
    files = onnx_test_data.input_files(test_dir)
    bound = []
    result = onnx_test_data.run_binding_constants(
        [cnnc, "compile", os.path.join(test_dir, "model.onnx"), "--emit=cnn",
         "-O0", "-o", os.devnull], files, bound)
    return (None if result.returncode == 0 else result.stderr.strip()), bound


def main():
    cnnc, list_path, data_dir = sys.argv[1:4]
    failures = 0
    tests = onnx_test_data.float_tests(list_path)
    for test in tests:
        error, bound = import_model(cnnc, os.path.join(data_dir, test))
        if error is None:
            print("imported %s%s" % (test, " (bound: %s)" % ", ".join(bound)
                                     if bound else ""))
        else:
            failures += 1
            print("FAILED %s:\n  %s" % (test, error.replace("\n", "\n  ")))
    print("%d of %d models imported" % (len(tests) - failures, len(tests)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
