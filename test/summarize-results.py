#!/usr/bin/env python3
"""Totals JUnit XML reports of several test suites into one line.

Usage: summarize-results.py NAME=REPORT.xml ...

Prints one line per suite and, last, "N passed, N failed". A skipped test
is not a pass: it counts as failed. A suite whose report is missing or
holds no test is an error (its runner crashed or found nothing), also
counted as a failure. Exits 0 only when every test of every suite passed.
"""

import sys
import xml.etree.ElementTree as ElementTree


def count(path):
    """Returns (passed, failed, skipped, failed names) of a JUnit report."""
    passed = failed = skipped = 0
    names = []
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        name = case.get("classname", "") + "." + case.get("name", "")
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
            names.append(name)
        elif case.find("skipped") is not None or case.get("status") == "notrun":
            skipped += 1
            names.append(name + " (skipped)")
        else:
            passed += 1
    return passed, failed, skipped, names


def main(arguments):
    total_passed = total_failed = 0
    for argument in arguments:
        suite, _, path = argument.partition("=")
        try:
            passed, failed, skipped, names = count(path)
        except (OSError, ElementTree.ParseError) as error:
            print(f"{suite}: error: no report ({error})")
            total_failed += 1
            continue
        if passed + failed + skipped == 0:
            print(f"{suite}: error: the suite ran no test")
            total_failed += 1
            continue
        print(f"{suite}: {passed} passed, {failed} failed, {skipped} skipped")
        for name in names:
            print(f"  FAILED {name}")
        total_passed += passed
        total_failed += failed + skipped
    print(f"{total_passed} passed, {total_failed} failed")
    return 0 if total_failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
