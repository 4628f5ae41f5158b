#!/usr/bin/env python3
"""Checks the ONNX conformance list against the installed backend test data.

Usage: check-list.py LIST NODE_DIR [COPY]

Every test the list names must exist under NODE_DIR with a model.onnx and
at least one test_data_set_N holding inputs and outputs; the list must have
the '# int8' separator. With COPY, the repository's copy of the list must be
identical to LIST (the shared one), so that a fresh clone tests the same.
Prints the counts; exits 1 on any problem.
"""

import os
import sys


def main(list_path, node_dir, copy_path=None):
    with open(list_path) as stream:
        lines = [line.strip() for line in stream]
    problems = []
    if "# int8" not in lines:
        problems.append("no '# int8' separator")
    tests = [line for line in lines if line and not line.startswith("#")]
    split = lines.index("# int8") if "# int8" in lines else len(lines)
    float_tests = [line for line in lines[:split] if line and not line.startswith("#")]
    for test in tests:
        directory = os.path.join(node_dir, test)
        if not os.path.isfile(os.path.join(directory, "model.onnx")):
            problems.append(f"{test}: no model.onnx in {directory}")
            continue
        data = os.path.join(directory, "test_data_set_0")
        names = os.listdir(data) if os.path.isdir(data) else []
        if not any(n.startswith("input_") for n in names) or not any(
            n.startswith("output_") for n in names
        ):
            problems.append(f"{test}: test_data_set_0 lacks inputs or outputs")
    if copy_path and os.path.realpath(copy_path) != os.path.realpath(list_path):
        with open(copy_path) as stream:
            if [line.strip() for line in stream] != lines:
                problems.append(f"{copy_path} differs from {list_path}")
    for problem in problems:
        print("error:", problem)
    print(f"tests: {len(tests)} (float: {len(float_tests)}, int8: {len(tests) - len(float_tests)})")
    print(f"problems: {len(problems)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
