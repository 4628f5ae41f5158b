"""Prints an ONNX model for FileCheck, one line per item: the header, the
graph inputs and outputs with their shapes (symbolic dimensions by name),
the initializers' shapes (and the values of small integer ones), and each
node with its inputs, outputs and attributes."""
import sys

import onnx
from onnx import helper, numpy_helper


def shape(value_info):
    dims = value_info.type.tensor_type.shape.dim
    return "[" + ", ".join(d.dim_param or str(d.dim_value) for d in dims) + "]"


def element_type(code):
    return onnx.TensorProto.DataType.Name(code).lower()


def attribute(a):
    value = helper.get_attribute_value(a)
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, float):
        return "%g" % value
    if isinstance(value, list):
        return "[" + ", ".join("%g" % v if isinstance(v, float) else str(v)
                               for v in value) + "]"
    return str(value)


model = onnx.load(sys.argv[1])
print("ir_version %d, opset %s, producer %s" % (
    model.ir_version,
    ", ".join("%s:%d" % (o.domain or "ai.onnx", o.version) for o in model.opset_import),
    model.producer_name))
graph = model.graph
for value in graph.input:
    print("input %s: %s %s" % (value.name, element_type(value.type.tensor_type.elem_type),
                                shape(value)))
for value in graph.output:
    print("output %s: %s %s" % (value.name, element_type(value.type.tensor_type.elem_type),
                                 shape(value)))
for tensor in graph.initializer:
    array = numpy_helper.to_array(tensor)
    text = "initializer %s: %s [%s]" % (tensor.name, element_type(tensor.data_type),
                                         ", ".join(map(str, tensor.dims)))
    if array.size <= 8:
        text += " = " + " ".join(str(v) if array.dtype.kind in "iu" else "%g" % v
                                 for v in array.flatten())
    print(text)
for node in graph.node:
    attributes = ", ".join("%s=%s" % (a.name, attribute(a)) for a in node.attribute)
    print("node %s: %s(%s) -> %s%s" % (node.name, node.op_type, ", ".join(node.input),
                                       ", ".join(node.output),
                                       " {" + attributes + "}" if attributes else ""))
