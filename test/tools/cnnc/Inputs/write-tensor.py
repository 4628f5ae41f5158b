"""Writes an ONNX TensorProto file: write-tensor.py FILE NAME SHAPE VALUES
(SHAPE like 1x4, VALUES comma-separated floats; float32)."""
import sys

import numpy
from onnx import numpy_helper

path, name, shape, values = sys.argv[1:5]
array = numpy.array([float(v) for v in values.split(",")], dtype=numpy.float32)
array = array.reshape([int(d) for d in shape.split("x")])
with open(path, "wb") as f:
    f.write(numpy_helper.from_array(array, name).SerializeToString())
