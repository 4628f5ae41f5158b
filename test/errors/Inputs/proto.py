"""Writes a protobuf file for a bad-input case: a model (ModelProto) or a
tensor (TensorProto), optionally loaded from IN, edited by Python
statements, then serialized; or raw bytes.

  proto.py OUT [--from IN] [--tensor] [--raw BYTES_EXPR] [STATEMENT...]

The statements run with `p` (the proto), `T` (onnx.TensorProto), `h`
(onnx.helper), `nh` (onnx.numpy_helper) and `np` in scope, e.g.
"p.graph.initializer[0].dims[0] = -4". The ONNX checker is not run: the
cases are invalid on purpose.
"""
import argparse

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--from", dest="source")
parser.add_argument("--tensor", action="store_true")
parser.add_argument("--raw")
parser.add_argument("statements", nargs="*")
args = parser.parse_intermixed_args()

if args.raw is not None:
    data = eval(args.raw, {"np": np})
else:
    p = onnx.TensorProto() if args.tensor else onnx.ModelProto()
    if args.source:
        with open(args.source, "rb") as f:
            p.ParseFromString(f.read())
    scope = {"p": p, "T": T, "h": h, "nh": nh, "np": np}
    for statement in args.statements:
        exec(statement, scope)
    data = p.SerializeToString()
with open(args.out, "wb") as f:
    f.write(data)
