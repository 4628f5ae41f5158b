"""Prints an ONNX TensorProto file: its name, shape and values."""
import sys

import onnx
from onnx import numpy_helper

tensor = onnx.load_tensor(sys.argv[1])
array = numpy_helper.to_array(tensor)
print("%s %s %s" % (tensor.name, "x".join(map(str, array.shape)),
                    " ".join("%g" % v for v in array.flatten())))
