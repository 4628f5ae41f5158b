"""Random, valid, shape-correct CNN graphs for differential testing.

generate(seed) returns (model, input array): an ONNX model (opset 14) of one
float input [N, C, H, W] (N 1 to 5) and one output, built from a chain of
layers drawn from cnnc's op set (convolutions with random strides, pads,
dilations and groups, depthwise ones, pools with ceil mode, global pools,
batch norm, every activation, residual adds and channel concats across two
branches, per-channel Mul/Add/Sub, Transpose, Slice, Pad, Reshape, Softmax,
Flatten + Gemm/MatMul heads), sizes odd and even, channel counts that are and
are not multiples of the vector width. Weights are scaled by 1/sqrt(fan-in)
so that values stay near 1 whatever the depth. The same seed gives the same
graph on every machine (numpy's PCG64 and Python's own arithmetic only).
"""
import math

import numpy as np
from onnx import TensorProto, helper, numpy_helper

OPSET = 14
ACTIVATIONS = ["Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip", "Elu",
               "Selu", "HardSigmoid", "HardSwish", "Softplus"]


class Builder:
    def __init__(self, rng):
        self.rng = rng
        self.nodes, self.inits = [], []
        self.count = 0

    def name(self, kind):
        self.count += 1
        return f"{kind.lower()}{self.count}"

    def const(self, array, kind="c"):
        name = self.name(kind)
        self.inits.append(numpy_helper.from_array(array, name))
        return name

    def node(self, op, inputs, **attrs):
        out = self.name(op)
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def weights(self, shape, fan_in):
        w = self.rng.standard_normal(shape) / math.sqrt(max(fan_in, 1))
        return w.astype(np.float32)

    def integer(self, lo, hi):
        return int(self.rng.integers(lo, hi + 1))

    def choice(self, options):
        return options[int(self.rng.integers(0, len(options)))]


def conv_out(size, k, stride, pad0, pad1, dilation):
    return (size + pad0 + pad1 - dilation * (k - 1) - 1) // stride + 1


def conv(b, x, shape, out_channels=None, same=False):
    n, c, h, w = shape
    kind = b.choice(["plain", "plain", "depthwise", "grouped"])
    groups = 1
    if kind == "depthwise":
        groups = c
        out_channels = out_channels or c * b.choice([1, 1, 2])
    elif kind == "grouped":
        divisors = [g for g in range(2, c + 1) if c % g == 0]
        groups = b.choice(divisors) if divisors else 1
    if out_channels is None:
        out_channels = b.choice([1, 3, 4, 8, 16, 17, 24, 32])
    if out_channels % groups:
        out_channels = groups * max(1, out_channels // groups)
    if same:
        k = b.choice([1, 3])
        stride, dilation, pads = 1, 1, [k // 2] * 4
    else:
        k = b.choice([1, 1, 2, 3, 3, 5])
        stride = b.choice([1, 1, 2, 3])
        dilation = b.choice([1, 1, 1, 2])
        pads = [b.integer(0, 2) for _ in range(4)]
    span = dilation * (k - 1) + 1
    if h + pads[0] + pads[2] < span or w + pads[1] + pads[3] < span:
        k, dilation, span = 1, 1, 1
    weight = b.weights((out_channels, c // groups, k, k), c // groups * k * k)
    inputs = [x, b.const(weight, "w")]
    if b.rng.random() < 0.7:
        inputs.append(b.const(b.weights((out_channels,), 4), "b"))
    attrs = dict(kernel_shape=[k, k], strides=[stride, stride], pads=pads,
                 dilations=[dilation, dilation])
    if groups > 1:
        attrs["group"] = groups
    y = b.node("Conv", inputs, **attrs)
    oh = conv_out(h, k, stride, pads[0], pads[2], dilation)
    ow = conv_out(w, k, stride, pads[1], pads[3], dilation)
    return y, [n, out_channels, oh, ow]


def pool(b, x, shape):
    n, c, h, w = shape
    op = b.choice(["MaxPool", "AveragePool"])
    k = b.choice([1, 2, 3])
    k = min(k, h, w)
    stride = b.choice([1, 2])
    pads = [b.integer(0, k - 1) for _ in range(4)]
    ceil = b.choice([0, 1])

    def out(size, p0, p1, mode):
        total = size + p0 + p1 - k
        return (-(-total // stride) if mode else total // stride) + 1

    def starts_inside(size, p0, p1):
        # ONNX (before opset 19) and PyTorch disagree on a ceil-mode window
        # that starts in the end padding: keep to the shapes all agree on.
        return (out(size, p0, p1, 1) - 1) * stride < size + p0
    if ceil and not (starts_inside(h, pads[0], pads[2]) and
                     starts_inside(w, pads[1], pads[3])):
        ceil = 0
    attrs = dict(kernel_shape=[k, k], strides=[stride, stride], pads=pads,
                 ceil_mode=ceil)
    if op == "AveragePool":
        attrs["count_include_pad"] = b.choice([0, 1])
    oh, ow = out(h, pads[0], pads[2], ceil), out(w, pads[1], pads[3], ceil)
    return b.node(op, [x], **attrs), [n, c, oh, ow]


def activation(b, x):
    op = b.choice(ACTIVATIONS)
    if op == "Clip":
        lo = b.const(np.array(b.choice([0.0, -1.0]), np.float32), "min")
        hi = b.const(np.array(b.choice([1.0, 6.0]), np.float32), "max")
        return b.node("Clip", [x, lo, hi])
    if op == "LeakyRelu":
        return b.node(op, [x], alpha=b.choice([0.01, 0.2]))
    return b.node(op, [x])


def batch_norm(b, x, shape):
    c = shape[1]
    scale = (1 + 0.2 * b.rng.standard_normal(c)).astype(np.float32)
    bias = (0.2 * b.rng.standard_normal(c)).astype(np.float32)
    mean = (0.2 * b.rng.standard_normal(c)).astype(np.float32)
    var = (0.5 + b.rng.random(c)).astype(np.float32)
    names = [b.const(a, k) for a, k in
             [(scale, "scale"), (bias, "bias"), (mean, "mean"), (var, "var")]]
    return b.node("BatchNormalization", [x] + names, epsilon=1e-5)


def per_channel(b, x, shape):
    op = b.choice(["Add", "Mul", "Sub"])
    c = shape[1]
    value = b.rng.standard_normal((1, c, 1, 1)) * 0.5
    if op == "Mul":
        value = 1 + value
    return b.node(op, [x, b.const(value.astype(np.float32), "k")])


def layer(b, x, shape):
    """One layer of a 4-D [N, C, H, W] tensor."""
    n, c, h, w = shape
    kind = b.choice(["conv"] * 5 + ["pool"] * 2 + ["bn", "act", "act",
                     "residual", "concat", "channel", "transpose", "slice",
                     "pad", "reshape"])
    if kind == "conv":
        return conv(b, x, shape)
    if kind == "pool":
        return pool(b, x, shape)
    if kind == "bn":
        return batch_norm(b, x, shape), shape
    if kind == "act":
        return activation(b, x), shape
    if kind == "channel":
        return per_channel(b, x, shape), shape
    if kind == "residual":
        y, s = conv(b, x, shape, out_channels=c, same=True)
        if s != shape:
            return y, s
        y = activation(b, y) if b.rng.random() < 0.7 else y
        z = b.node("Add", [y, x] if b.rng.random() < 0.5 else [x, y])
        return z, shape
    if kind == "concat":
        y1, s1 = conv(b, x, shape, same=True)
        y2 = activation(b, x) if b.rng.random() < 0.5 else x
        s2 = shape
        if s1[2:] != s2[2:]:
            return y1, s1
        z = b.node("Concat", [y1, y2], axis=1)
        return z, [n, s1[1] + s2[1], h, w]
    if kind == "transpose":
        return b.node("Transpose", [x], perm=[0, 1, 3, 2]), [n, c, w, h]
    if kind == "slice" and h > 1:
        start = b.integer(0, h // 2)
        step = b.choice([1, 1, 2])
        end = b.integer(start + 1, h)
        axis = b.choice([2, 3]) if w > 1 and h == w else 2
        size = h if axis == 2 else w
        end = min(end, size)
        names = [b.const(np.array([v], np.int64), k) for v, k in
                 [(start, "starts"), (end, "ends"), (axis, "axes"),
                  (step, "steps")]]
        y = b.node("Slice", [x] + names)
        length = len(range(start, end, step))
        return y, ([n, c, length, w] if axis == 2 else [n, c, h, length])
    if kind == "pad":
        mode = b.choice(["constant", "reflect", "edge"])
        pads = [0, 0, b.integer(0, 2), b.integer(0, 2),
                0, 0, b.integer(0, 2), b.integer(0, 2)]
        if mode == "reflect":
            pads = [min(p, (h if i % 4 == 2 else w) - 1) if i % 4 >= 2 else 0
                    for i, p in enumerate(pads)]
        y = b.node("Pad", [x, b.const(np.array(pads, np.int64), "pads")],
                   mode=mode)
        return y, [n, c, h + pads[2] + pads[6], w + pads[3] + pads[7]]
    if kind == "reshape" and c % 2 == 0:
        y = b.node("Reshape", [x, b.const(np.array([n, 2, -1, w], np.int64),
                                           "shape")])
        z = b.node("Reshape", [y, b.const(np.array([0, c, h, w], np.int64),
                                           "shape")])
        return z, shape
    return activation(b, x), shape


def head(b, x, shape):
    """A classifier head: global pool or flatten, Gemm or MatMul, Softmax."""
    n = shape[0]
    if b.rng.random() < 0.5:
        x = b.node(b.choice(["GlobalAveragePool", "GlobalMaxPool"]), [x])
        shape = [n, shape[1], 1, 1]
    x = b.node("Flatten", [x], axis=1)
    features = shape[1] * shape[2] * shape[3]
    classes = b.choice([1, 5, 10, 16])
    if b.rng.random() < 0.5:
        trans = b.choice([0, 1])
        wshape = (classes, features) if trans else (features, classes)
        inputs = [x, b.const(b.weights(wshape, features), "fc")]
        if b.rng.random() < 0.7:
            inputs.append(b.const(b.weights((classes,), 4), "fcb"))
        y = b.node("Gemm", inputs, transB=trans)
    else:
        y = b.node("MatMul", [x, b.const(b.weights((features, classes),
                                                   features), "fc")])
    if b.rng.random() < 0.5:
        y = b.node("Softmax", [y], axis=1)
    return y, [n, classes]


def generate(seed):
    rng = np.random.default_rng(seed)
    b = Builder(rng)
    n = b.integer(1, 5)
    c = b.choice([1, 2, 3, 4, 8, 16])
    h = b.choice([1, 5, 7, 8, 13, 16, 28])
    w = h if rng.random() < 0.7 else b.choice([3, 7, 9, 16])
    shape = [n, c, h, w]
    x = "input"
    for _ in range(b.integer(1, 8)):
        if shape[1] * shape[2] * shape[3] > 1 << 16 or shape[1] > 256:
            break
        x, shape = layer(b, x, shape)
    if rng.random() < 0.4:
        x, shape = head(b, x, shape)
    graph = helper.make_graph(
        b.nodes, f"netgen_{seed}",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [n, c, h, w])],
        [helper.make_tensor_value_info(x, TensorProto.FLOAT, shape)],
        b.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              ir_version=8, producer_name="cnnc-netgen")
    data = rng.standard_normal((n, c, h, w)).astype(np.float32)
    return model, data
