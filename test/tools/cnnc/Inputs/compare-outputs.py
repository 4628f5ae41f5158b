"""Compares the output_N.pb files of two `cnnc run --output-dir` runs:
compare-outputs.py DIR_A DIR_B [ATOL]. Prints one line per output and
exits 1 when a shape differs or an element differs by more than ATOL
(default 1e-5)."""
import glob
import os
import sys

import numpy
import onnx
from onnx import numpy_helper

first, second = sys.argv[1:3]
atol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-5
names = sorted(os.path.basename(p) for p in glob.glob(os.path.join(first, "output_*.pb")))
others = sorted(os.path.basename(p) for p in glob.glob(os.path.join(second, "output_*.pb")))
if not names or names != others:
    print("different outputs: %s vs %s" % (names, others))
    sys.exit(1)
ok = True
for name in sorted(names, key=lambda n: int(n[len("output_"):-len(".pb")])):
    a = numpy_helper.to_array(onnx.load_tensor(os.path.join(first, name)))
    b = numpy_helper.to_array(onnx.load_tensor(os.path.join(second, name)))
    if a.shape != b.shape:
        print("%s: shape %s vs %s: MISMATCH" % (name, a.shape, b.shape))
        ok = False
        continue
    error = float(numpy.max(numpy.abs(a.astype(numpy.float64) - b))) if a.size else 0.0
    match = error <= atol
    ok = ok and match
    print("%s: %s max abs error %s: %s" % (
        name, "x".join(map(str, a.shape)), "0" if error == 0 else "%.3g" % error,
        "ok" if match else "MISMATCH"))
sys.exit(0 if ok else 1)
