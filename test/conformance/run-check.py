#!/usr/bin/env python3
"""`cnnc run --check` over one part of the conformance list (float, or int8:
the quantization path): every test
is compiled in-process by cnnc, run on test_data_set_0's inputs and compared
with its expected outputs (cnnc's defaults: rtol 1e-3, atol 1e-5). Prints one
line per test, the failures with cnnc's message, and the pass count.

Failures named in the known-failures file (one test a line, '# reason'
after it) are reported as expected; the script exits non-zero when any
other test fails, or when a known failure passes (remove it from the file).

Usage: run-check.py CNNC LIST DATA_DIR KNOWN_FAILURES [float|int8]
"""
import concurrent.futures
import os
import subprocess
import sys

import onnx_test_data


def known_failures(path):
    known = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                name, _, reason = line.partition("#")
                known[name.strip()] = reason.strip()
    return known


def run(cnnc, test_dir):
    result = subprocess.run(
        [cnnc, "run", os.path.join(test_dir, "model.onnx"),
         "--check", os.path.join(test_dir, "test_data_set_0")],
        capture_output=True, text=True, timeout=300)
    return result.returncode, (result.stdout + result.stderr).strip()


def main():
    cnnc, list_path, data_dir, known_path = sys.argv[1:5]
    part = sys.argv[5] if len(sys.argv) > 5 else "float"
    tests = onnx_test_data.tests_of_part(list_path, part)
    known = known_failures(known_path)
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        results = list(pool.map(
            lambda t: run(cnnc, os.path.join(data_dir, t)), tests))
    passed, unexpected = 0, 0
    for test, (code, output) in zip(tests, results):
        if code == 0:
            passed += 1
            if test in known:
                unexpected += 1
                print("UNEXPECTED PASS %s (remove it from the known "
                      "failures)" % test)
            else:
                print("passed %s" % test)
        elif test in known:
            print("known failure %s: %s" % (test, known[test]))
        else:
            unexpected += 1
            print("FAILED %s (exit %d):\n  %s" % (
                test, code, output.replace("\n", "\n  ")))
    print("%d of %d %s conformance tests pass (%.1f%%)"
          % (passed, len(tests), part, 100.0 * passed / max(len(tests), 1)))
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
