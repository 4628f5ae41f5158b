#!/usr/bin/env python3
"""A small CNN in the QDQ format ONNX Runtime's quantize_static writes
(uint8 activations per tensor, int8 weights per output channel, int32
biases through DequantizeLinear, relu before the output's quantization),
with a numpy reference that runs the same graph as written: every
DequantizeLinear, float op and QuantizeLinear in float32.

cnnc folds each QDQ convolution and Gemm into an integer kernel, so its
outputs may differ from the float simulation by the accumulation's
rounding: at most one quantization step of the output (its scale).

Writes OUTDIR/model.onnx and OUTDIR/data/{input_0,output_0}.pb; prints the
output scale (the tolerance for `cnnc run --check --atol`).

Usage: qdq-model.py OUTDIR
"""
import os
import sys

import numpy
import onnx
from onnx import helper, numpy_helper, TensorProto

F32 = numpy.float32


def quantize(x, scale, zero, dtype, axis=None):
    info = numpy.iinfo(dtype)
    if axis is not None:
        shape = [1] * x.ndim
        shape[axis] = -1
        scale = scale.reshape(shape)
        zero = zero.reshape(shape)
    q = numpy.rint(x / scale) + zero.astype(F32)
    return numpy.clip(q, info.min, info.max).astype(dtype)


def dequantize(q, scale, zero, axis=None):
    if axis is not None:
        shape = [1] * q.ndim
        shape[axis] = -1
        scale = scale.reshape(shape)
        zero = zero.reshape(shape)
    return ((q.astype(numpy.int32) - zero.astype(numpy.int32)).astype(F32)
            * scale).astype(F32)


def conv(x, w, b, pad):
    n, c, h, width = x.shape
    f, _, k, _ = w.shape
    xp = numpy.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = h + 2 * pad - k + 1, width + 2 * pad - k + 1
    out = numpy.zeros((n, f, oh, ow), dtype=F32)
    for i in range(k):
        for j in range(k):
            out += numpy.einsum("nchw,fc->nfhw", xp[:, :, i:i + oh, j:j + ow],
                                w[:, :, i, j]).astype(F32)
    return out + b.reshape(1, f, 1, 1)


class Builder:
    def __init__(self):
        self.nodes, self.inits = [], []

    def init(self, name, array):
        self.inits.append(numpy_helper.from_array(numpy.asarray(array), name))
        return name

    def node(self, op, inputs, output, **attrs):
        self.nodes.append(helper.make_node(op, inputs, [output], name=output,
                                           **attrs))
        return output

    def qdq(self, x, name, scale, zero):
        s = self.init(name + "_s", F32(scale))
        z = self.init(name + "_z", numpy.uint8(zero))
        q = self.node("QuantizeLinear", [x, s, z], name + "_q")
        return self.node("DequantizeLinear", [q, s, z], name + "_dq")

    def weight(self, name, w, axis=0):
        """int8 symmetric per output channel, as quantize_static does."""
        scale = (numpy.abs(w).reshape(w.shape[0], -1).max(axis=1) / 127.0
                 ).astype(F32) if axis == 0 else \
            (numpy.abs(w).max(axis=0) / 127.0).astype(F32)
        zero = numpy.zeros(scale.shape, dtype=numpy.int8)
        q = quantize(w, scale, zero, numpy.int8, axis)
        names = [self.init(name + "_q", q), self.init(name + "_s", scale),
                 self.init(name + "_z", zero)]
        return self.node("DequantizeLinear", names, name + "_dq",
                         axis=axis), q, scale

    def bias(self, name, b, scale):
        q = numpy.rint(b / scale).astype(numpy.int32)
        names = [self.init(name + "_q", q),
                 self.init(name + "_s", scale.astype(F32)),
                 self.init(name + "_z", numpy.zeros(scale.shape, numpy.int32))]
        return self.node("DequantizeLinear", names, name + "_dq",
                         axis=0), q


def main():
    outdir = sys.argv[1]
    rng = numpy.random.default_rng(7)
    x = rng.uniform(0, 1, (2, 3, 12, 12)).astype(F32)
    w1 = rng.normal(0, 0.3, (8, 3, 3, 3)).astype(F32)
    b1 = rng.normal(0, 0.1, (8,)).astype(F32)
    w2 = rng.normal(0, 0.2, (16, 8, 3, 3)).astype(F32)
    b2 = rng.normal(0, 0.1, (16,)).astype(F32)
    w3 = rng.normal(0, 0.05, (10, 16 * 6 * 6)).astype(F32)
    b3 = rng.normal(0, 0.1, (10,)).astype(F32)
    xs, s1, s2, s3 = 1 / 255.0, 0.02, 0.05, 0.08

    g = Builder()
    d = g.qdq("x", "in", xs, 0)
    wd, wq1, ws1 = g.weight("w1", w1)
    bd, bq1 = g.bias("b1", b1, F32(xs) * ws1)
    c1 = g.node("Conv", [d, wd, bd], "conv1", pads=[1, 1, 1, 1])
    r1 = g.node("Relu", [c1], "relu1")
    d1 = g.qdq(r1, "act1", s1, 0)
    p1 = g.node("MaxPool", [d1], "pool1", kernel_shape=[2, 2], strides=[2, 2])
    d1p = g.qdq(p1, "pool1q", s1, 0)
    wd2, wq2, ws2 = g.weight("w2", w2)
    bd2, bq2 = g.bias("b2", b2, F32(s1) * ws2)
    c2 = g.node("Conv", [d1p, wd2, bd2], "conv2", pads=[1, 1, 1, 1])
    r2 = g.node("Relu", [c2], "relu2")
    d2 = g.qdq(r2, "act2", s2, 0)
    fl = g.node("Flatten", [d2], "flatten")
    wd3, wq3, ws3 = g.weight("w3", w3)
    bd3, bq3 = g.bias("b3", b3, F32(s2) * ws3)
    fc = g.node("Gemm", [fl, wd3, bd3], "fc", transB=1)
    g.qdq(fc, "out", s3, 128)
    g.nodes[-1].output[0] = "y"
    g.nodes[-1].name = "y"

    graph = helper.make_graph(
        g.nodes, "qdq_cnn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, (2, 10))],
        g.inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)

    # The graph as written, in float32.
    u8 = numpy.uint8
    z = numpy.zeros((), u8)
    t = dequantize(quantize(x, F32(xs), z, u8), F32(xs), z)
    t = conv(t, dequantize(wq1, ws1, numpy.zeros(8, numpy.int8), 0),
             dequantize(bq1, F32(xs) * ws1, numpy.zeros(8, numpy.int32), 0),
             1)
    t = dequantize(quantize(numpy.maximum(t, 0), F32(s1), z, u8), F32(s1), z)
    t = t.reshape(2, 8, 6, 2, 6, 2).max(axis=(3, 5))
    t = dequantize(quantize(t, F32(s1), z, u8), F32(s1), z)
    t = conv(t, dequantize(wq2, ws2, numpy.zeros(16, numpy.int8), 0),
             dequantize(bq2, F32(s1) * ws2, numpy.zeros(16, numpy.int32), 0),
             1)
    t = dequantize(quantize(numpy.maximum(t, 0), F32(s2), z, u8), F32(s2), z)
    t = t.reshape(2, -1)
    t = t @ dequantize(wq3, ws3, numpy.zeros(10, numpy.int8), 0).T + \
        dequantize(bq3, F32(s2) * ws3, numpy.zeros(10, numpy.int32), 0)
    zo = numpy.array(128, u8)
    y = dequantize(quantize(t.astype(F32), F32(s3), zo, u8), F32(s3), zo)

    os.makedirs(os.path.join(outdir, "data"), exist_ok=True)
    onnx.save(model, os.path.join(outdir, "model.onnx"))
    for name, array in (("input_0.pb", x), ("output_0.pb", y)):
        with open(os.path.join(outdir, "data", name), "wb") as f:
            f.write(numpy_helper.from_array(array).SerializeToString())
    print("output scale %g" % s3)


if __name__ == "__main__":
    main()
