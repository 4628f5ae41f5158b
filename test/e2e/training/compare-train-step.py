#!/usr/bin/env python3
"""Compares cnnc's train steps with PyTorch's: the losses (from the
harness's output on stdin) and every parameter and statistic after the last
step, elementwise within rtol/atol. Prints one line per tensor and exits 1
on a mismatch.

Usage: train-step ... | compare-train-step.py EXPECTED_DIR ACTUAL_DIR RTOL ATOL
"""
import os
import sys

import numpy


def main():
    expected_dir, actual_dir = sys.argv[1], sys.argv[2]
    rtol, atol = float(sys.argv[3]), float(sys.argv[4])
    ok = True
    losses = [float(line.split()[2]) for line in sys.stdin if line.startswith("loss")]
    with open(os.path.join(expected_dir, "loss.txt")) as f:
        expected_losses = [float(v) for v in f.read().split()]
    if len(losses) != len(expected_losses):
        print("FAIL: %d losses, expected %d" % (len(losses), len(expected_losses)))
        return 1
    for step, (a, e) in enumerate(zip(losses, expected_losses), 1):
        good = abs(a - e) <= atol + rtol * abs(e)
        ok &= good
        print("%s loss step %d: cnnc %.7f pytorch %.7f" %
              ("ok" if good else "FAIL", step, a, e))
    names = sorted(n[:-4] for n in os.listdir(expected_dir) if n.endswith(".raw"))
    for name in names:
        e = numpy.fromfile(os.path.join(expected_dir, name + ".raw"), "<f4")
        path = os.path.join(actual_dir, name + ".raw")
        if not os.path.exists(path):
            print("FAIL %s: cnnc has no such state tensor" % name)
            ok = False
            continue
        a = numpy.fromfile(path, "<f4")
        if a.shape != e.shape:
            print("FAIL %s: %d elements, expected %d" % (name, a.size, e.size))
            ok = False
            continue
        err = numpy.abs(a.astype("f8") - e.astype("f8"))
        bad = err > atol + rtol * numpy.abs(e.astype("f8"))
        ok &= not bad.any()
        print("%s %s: max abs error %.3g (%d of %d outside)" %
              ("FAIL" if bad.any() else "ok", name, err.max(), bad.sum(), e.size))
    print("all match" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
