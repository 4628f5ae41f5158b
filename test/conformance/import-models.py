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
import re
import subprocess
import sys

import onnx


def float_tests(list_path):
    tests = []
    with open(list_path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("# int8"):
                break
            if line and not line.startswith("#"):
                tests.append(line)
    return tests


def input_files(test_dir):
    """Graph input name -> the .pb file of test_data_set_0 holding it."""
    model = onnx.load(os.path.join(test_dir, "model.onnx"))
    initializers = {i.name for i in model.graph.initializer}
    names = [i.name for i in model.graph.input if i.name not in initializers]
    data = os.path.join(test_dir, "test_data_set_0")
    return {name: os.path.join(data, "input_%d.pb" % i)
            for i, name in enumerate(names)}


def import_model(cnnc, test_dir):
    files = input_files(test_dir)
    bound = []
    while True:
        command = [cnnc, "compile", os.path.join(test_dir, "model.onnx"),
                   "--emit=cnn", "-O0", "-o", os.devnull]
        for name in bound:
            command.append("--const=%s=%s" % (name, files[name]))
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode == 0:
            return None, bound
        wanted = [n for n in re.findall(r"--const (\S+)=FILE\.pb",
                                        result.stderr)
                  if n in files and n not in bound]
        if not wanted:
            return result.stderr.strip(), bound
        bound.extend(wanted)


def main():
    cnnc, list_path, data_dir = sys.argv[1:4]
    failures = 0
    tests = float_tests(list_path)
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
