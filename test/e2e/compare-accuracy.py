#!/usr/bin/env python3
"""Reads classify.c's output and checks its accuracy against a reference:
prints 'int8 accuracy A% within T points of R%' or why not (exit 1).

Usage: compare-accuracy.py OUTPUT REFERENCE_PERCENT TOLERANCE_POINTS
"""
import re
import sys


def main():
    path, reference, tolerance = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    with open(path) as f:
        match = re.search(r"accuracy: ([0-9.]+)%", f.read())
    if not match:
        print("no accuracy line in %s" % path)
        return 1
    accuracy = float(match.group(1))
    if abs(accuracy - reference) > tolerance:
        print("int8 accuracy %.2f%% is more than %g points from %.2f%%"
              % (accuracy, tolerance, reference))
        return 1
    print("int8 accuracy %.2f%% within %g points of %.2f%%"
          % (accuracy, tolerance, reference))
    return 0


if __name__ == "__main__":
    sys.exit(main())
