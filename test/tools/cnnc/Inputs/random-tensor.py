"""Writes an ONNX TensorProto file of seeded random float32 values (uniform
in [-2, 2)): random-tensor.py FILE NAME SHAPE SEED (SHAPE like 2x3x8x8)."""
import sys

import numpy
from onnx import numpy_helper

path, name, shape, seed = sys.argv[1:5]
rng = numpy.random.default_rng(int(seed))
array = rng.uniform(-2.0, 2.0, [int(d) for d in shape.split("x")])
with open(path, "wb") as f:
    f.write(numpy_helper.from_array(array.astype(numpy.float32),
                                    name).SerializeToString())
