#!/usr/bin/env python3
"""The int8 ops compiled by cnnc against an integer reference in numpy,
exactly (`cnnc run --check --rtol 0 --atol 0`): QLinearConv (uint8 and int8
activations, per-tensor and per-channel weights, grouped, depthwise,
strided, dilated, padded, with and without an int32 bias), ConvInteger,
QLinearMatMul (2-D and batched), MatMulInteger with per-column zero points,
QuantizeLinear/DequantizeLinear per axis with halves and saturation, for
every ISA variant the machine runs (--mcpu=native where the host has VNNI:
the vpdpbusd kernel; x86-64-v4 where it has AVX-512, x86-64-v3 everywhere:
the vpmaddubsw + vpmaddwd kernel where no pair of weights can saturate its
int16 sums (the 7-bit cases, the pair-bound case), else the generic loops).

The reference follows ONNX Runtime: the accumulator in int32, the
multiplier x_scale * w_scale / y_scale in float32, the product rounded half
to even, the zero point added, saturated.

Usage: int8-numerics.py CNNC OUTDIR
"""
import os
import subprocess
import sys

import numpy
import onnx
from onnx import helper, numpy_helper, TensorProto

F32 = numpy.float32
ONNX_TYPE = {numpy.dtype(numpy.uint8): TensorProto.UINT8,
             numpy.dtype(numpy.int8): TensorProto.INT8,
             numpy.dtype(numpy.int32): TensorProto.INT32,
             numpy.dtype(numpy.float32): TensorProto.FLOAT}


def saturate(values, dtype):
    info = numpy.iinfo(dtype)
    return numpy.clip(values, info.min, info.max).astype(dtype)


def requantize(acc, multiplier, zero_point, dtype):
    scaled = acc.astype(F32) * multiplier.astype(F32)
    return saturate(numpy.rint(scaled) + F32(zero_point), dtype)


def conv_integer(x, w, x_zero, w_zero, pads, strides, dilations, groups):
    """The int32 convolution of (x - x_zero) and (w - w_zero), NCHW."""
    x = x.astype(numpy.int32) - numpy.int32(x_zero)
    w_zero = numpy.asarray(w_zero, dtype=numpy.int32).reshape(-1, 1, 1, 1)
    w = w.astype(numpy.int32) - w_zero
    n, c, h, width = x.shape
    f, cg, kh, kw = w.shape
    padded = numpy.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]),
                           (pads[1], pads[3])))
    oh = (h + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (width + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1) \
        // strides[1] + 1
    out = numpy.zeros((n, f, oh, ow), dtype=numpy.int64)
    fg = f // groups
    for o in range(f):
        g = o // fg
        for i in range(kh):
            for j in range(kw):
                window = padded[:, g * cg:(g + 1) * cg,
                                i * dilations[0]:i * dilations[0] +
                                strides[0] * (oh - 1) + 1:strides[0],
                                j * dilations[1]:j * dilations[1] +
                                strides[1] * (ow - 1) + 1:strides[1]]
                out[:, o] += numpy.einsum("nchw,c->nhw", window,
                                          w[o, :, i, j])
    return out.astype(numpy.int32)


def tensor(name, array):
    return numpy_helper.from_array(numpy.asarray(array), name)


def model(name, nodes, inputs, outputs, initializers, opset=13):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(n, ONNX_TYPE[a.dtype], a.shape)
         for n, a in inputs],
        [helper.make_tensor_value_info(n, ONNX_TYPE[a.dtype], a.shape)
         for n, a in outputs],
        [tensor(n, a) for n, a in initializers])
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", opset)])


def qlinearconv_case(name, rng, x_dtype, w_dtype, c, f, size, kernel,
                     pads, strides, dilations, groups, per_channel, bias,
                     w_range=None, y_dtype=None):
    y_dtype = y_dtype or x_dtype
    info = numpy.iinfo(x_dtype)
    x = rng.integers(info.min, info.max + 1, (1, c) + size).astype(x_dtype)
    winfo = numpy.iinfo(w_dtype)
    low, high = w_range or (winfo.min, winfo.max)
    w = rng.integers(low, high + 1, (f, c // groups) + kernel).astype(w_dtype)
    x_scale = F32(0.02)
    x_zero = x_dtype(rng.integers(info.min, info.max + 1))
    shape = (f,) if per_channel else ()
    w_scale = rng.uniform(0.001, 0.01, shape).astype(F32)
    w_zero = numpy.zeros(shape, dtype=w_dtype)
    if w_dtype == numpy.uint8:
        w_zero = rng.integers(100, 156, shape).astype(w_dtype)
    y_scale = F32(0.5)
    yinfo = numpy.iinfo(y_dtype)
    y_zero = y_dtype(rng.integers(yinfo.min // 2, yinfo.max // 2 + 1))
    b = rng.integers(-5000, 5000, (f,)).astype(numpy.int32)
    acc = conv_integer(x, w, x_zero, w_zero, pads, strides, dilations, groups)
    if bias:
        acc = acc + b.reshape(1, f, 1, 1)
    multiplier = (x_scale * w_scale).astype(F32) / y_scale
    multiplier = multiplier.reshape(-1, 1, 1) if per_channel else multiplier
    y = requantize(acc, multiplier, y_zero, y_dtype)
    inputs = ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz"] + (
        ["b"] if bias else [])
    node = helper.make_node("QLinearConv", inputs, ["y"], pads=list(pads),
                            strides=list(strides), dilations=list(dilations),
                            group=groups)
    initializers = [("xs", x_scale), ("xz", x_zero), ("w", w),
                    ("ws", w_scale), ("wz", w_zero), ("ys", y_scale),
                    ("yz", y_zero)] + ([("b", b)] if bias else [])
    return name, [node], [("x", x)], [("y", y)], initializers


def cases():
    rng = numpy.random.default_rng(18)
    u8, s8 = numpy.uint8, numpy.int8
    yield qlinearconv_case("qlinearconv_u8s8_per_channel", rng, u8, s8, 8, 16,
                           (9, 9), (3, 3), (1, 1, 1, 1), (1, 1), (1, 1), 1,
                           True, True)
    yield qlinearconv_case("qlinearconv_s8s8_strided", rng, s8, s8, 6, 10,
                           (11, 10), (3, 3), (1, 0, 1, 1), (2, 2), (1, 1), 1,
                           True, False)
    yield qlinearconv_case("qlinearconv_u8u8_grouped", rng, u8, u8, 8, 12,
                           (7, 7), (3, 3), (2, 2, 2, 2), (1, 1), (2, 2), 4,
                           False, True)
    yield qlinearconv_case("qlinearconv_depthwise", rng, u8, s8, 16, 16,
                           (8, 8), (3, 3), (1, 1, 1, 1), (2, 2), (1, 1), 16,
                           True, True)
    yield qlinearconv_case("qlinearconv_1x1", rng, u8, s8, 32, 24, (5, 5),
                           (1, 1), (0, 0, 0, 0), (1, 1), (1, 1), 1, True,
                           True)
    # A stem: 3 input channels (padded to 4 for vpdpbusd), 7x7 stride 2,
    # 20 output channels (a partial vector), 11 output columns (a partial
    # tile of pixels).
    yield qlinearconv_case("qlinearconv_stem", rng, u8, s8, 3, 20, (21, 22),
                           (7, 7), (3, 3, 3, 3), (2, 2), (1, 1), 1, True,
                           True)

    # uint8 in, int8 out: the kernel's requantizing store saturating to
    # [-128, 127] (per-tensor multiplier, 40 channels: two vectors and a
    # partial one at 512 bits).
    yield qlinearconv_case("qlinearconv_u8s8_to_s8", rng, u8, s8, 12, 40,
                           (10, 13), (3, 3), (1, 1, 1, 1), (1, 1), (1, 1), 1,
                           False, True, y_dtype=s8)

    # 7-bit weights (what --quantize writes for a target without VNNI):
    # no pair of them saturates vpmaddubsw's int16 sums, so x86-64-v3 and
    # -v4 run the vpmaddubsw + vpmaddwd kernel.
    seven = (-64, 63)
    yield qlinearconv_case("qlinearconv_u8s8_7bit", rng, u8, s8, 8, 16,
                           (9, 9), (3, 3), (1, 1, 1, 1), (1, 1), (1, 1), 1,
                           True, True, seven)
    yield qlinearconv_case("qlinearconv_stem_7bit", rng, u8, s8, 3, 20,
                           (21, 22), (7, 7), (3, 3, 3, 3), (2, 2), (1, 1), 1,
                           True, True, seven)
    yield qlinearconv_case("qlinearconv_1x1_7bit", rng, u8, s8, 32, 24,
                           (5, 5), (1, 1), (0, 0, 0, 0), (1, 1), (1, 1), 1,
                           False, True, seven)
    # At the bound: inputs all 255, each pair of weights (channels 2k, 2k+1)
    # one whose sum of 255 * weight reaches 32640 or -32640 (or 32385 for
    # (127, 0)), the int32 sums compared unrounded.
    pairs = numpy.array([[64, 64], [-64, -64], [127, 0], [-128, 0],
                         [127, -128], [1, 127]], dtype=s8)
    w = pairs[rng.integers(0, len(pairs), (12, 4, 3, 3))]  # [F, C/2, KH, KW, 2]
    w = numpy.ascontiguousarray(w.transpose(0, 1, 4, 2, 3)).reshape(12, 8, 3, 3)
    x = numpy.full((1, 8, 6, 6), 255, dtype=u8)
    y = conv_integer(x, w, 0, 0, (0, 0, 0, 0), (1, 1), (1, 1), 1)
    yield ("convinteger_pair_bound",
           [helper.make_node("ConvInteger", ["x", "w", "xz", "wz"], ["y"])],
           [("x", x)], [("y", y)], [("w", w), ("xz", u8(0)), ("wz", s8(0))])

    # ConvInteger with a per-channel uint8 weight zero point.
    x = rng.integers(0, 256, (2, 3, 6, 6)).astype(u8)
    w = rng.integers(0, 256, (4, 3, 2, 2)).astype(u8)
    wz = rng.integers(0, 256, (4,)).astype(u8)
    y = conv_integer(x, w, 7, wz, (1, 1, 0, 0), (1, 1), (1, 1), 1)
    yield ("convinteger_per_channel_zero_point",
           [helper.make_node("ConvInteger", ["x", "w", "xz", "wz"], ["y"],
                             pads=[1, 1, 0, 0])],
           [("x", x)], [("y", y)],
           [("w", w), ("xz", u8(7)), ("wz", wz)])

    # QLinearMatMul, batched with a broadcast 2-D weight; int8.
    a = rng.integers(-128, 128, (3, 5, 17)).astype(s8)
    b = rng.integers(-128, 128, (17, 9)).astype(s8)
    acc = numpy.matmul(a.astype(numpy.int32) - 2, b.astype(numpy.int32) + 1)
    m = (F32(0.05) * F32(0.01)) / F32(0.1)
    yield ("qlinearmatmul_batched",
           [helper.make_node("QLinearMatMul", ["a", "as", "az", "b", "bs",
                                               "bz", "ys", "yz"], ["y"])],
           [("a", a)], [("y", requantize(acc, m, -3, s8))],
           [("as", F32(0.05)), ("az", s8(2)), ("b", b), ("bs", F32(0.01)),
            ("bz", s8(-1)), ("ys", F32(0.1)), ("yz", s8(-3))])

    # MatMulInteger with a per-column zero point.
    a = rng.integers(0, 256, (4, 33)).astype(u8)
    b = rng.integers(-128, 128, (33, 6)).astype(s8)
    bz = rng.integers(-10, 10, (6,)).astype(s8)
    acc = numpy.matmul(a.astype(numpy.int32) - 128,
                       b.astype(numpy.int32) - bz.astype(numpy.int32))
    yield ("matmulinteger_per_column",
           [helper.make_node("MatMulInteger", ["a", "b", "az", "bz"], ["y"])],
           [("a", a)], [("y", acc.astype(numpy.int32))],
           [("b", b), ("az", u8(128)), ("bz", bz)])

    # MatMulInteger with 7-bit weights (the vpmaddubsw kernel on -v3).
    a = rng.integers(0, 256, (5, 40)).astype(u8)
    b = rng.integers(-64, 64, (40, 18)).astype(s8)
    acc = numpy.matmul(a.astype(numpy.int32) - 3, b.astype(numpy.int32))
    yield ("matmulinteger_7bit",
           [helper.make_node("MatMulInteger", ["a", "b", "az", "bz"], ["y"])],
           [("a", a)], [("y", acc.astype(numpy.int32))],
           [("b", b), ("az", u8(3)), ("bz", s8(0))])

    # Quantize per axis: exact halves round to even, out-of-range values
    # saturate; then dequantize.
    scale = numpy.array([0.5, 1.0, 2.0], dtype=F32)
    zero = numpy.array([0, -1, 3], dtype=s8)
    x = numpy.array([[0.25, 1.5, 5.0], [0.75, 2.5, -3.0], [-100.0, 300.0,
                                                          1000.0],
                     [-0.25, -0.5, 255.0]], dtype=F32)
    q = saturate(numpy.rint(x / scale) + zero.astype(F32), s8)
    yield ("quantize_per_axis_halves",
           [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["y"],
                             axis=1)],
           [("x", x)], [("y", q)], [("s", scale), ("z", zero)])
    d = (q.astype(numpy.int32) - zero.astype(numpy.int32)).astype(F32) * scale
    yield ("dequantize_per_axis",
           [helper.make_node("DequantizeLinear", ["x", "s", "z"], ["y"],
                             axis=1)],
           [("x", q)], [("y", d.astype(F32))], [("s", scale), ("z", zero)])

    # A QDQ max pool (the same scale and zero point both sides) runs on the
    # integers: the max of the 8-bit values, padding never winning; uint8
    # with pads, int8 with ceil_mode (a last window past the input).
    for dtype, pads, ceil in ((u8, 1, 0), (s8, 0, 1)):
        info = numpy.iinfo(dtype)
        x = rng.integers(info.min, info.max + 1, (1, 5, 9, 10)).astype(dtype)
        y = max_pool(x, 3, 2, pads, ceil)
        yield ("qdq_max_pool_%s" % numpy.dtype(dtype).name,
               [helper.make_node("DequantizeLinear", ["x", "s", "z"], ["d"]),
                helper.make_node("MaxPool", ["d"], ["p"], kernel_shape=[3, 3],
                                 strides=[2, 2], pads=[pads] * 4,
                                 ceil_mode=ceil),
                helper.make_node("QuantizeLinear", ["p", "s", "z"], ["y"])],
               [("x", x)], [("y", y)],
               [("s", F32(0.0625)), ("z", dtype(info.min // 2 + 3))])

    # A residual block after a QLinearConv: DequantizeLinear, + the
    # dequantized skip tensor (another QLinearConv's output, as in ResNet),
    # Relu, QuantizeLinear, all in float32 as ONNX defines them (the
    # kernel's store computes it fused); the dequantize's zero point the
    # conv's output one, then another.
    for name, dq_zero in (("residual_block", 7), ("residual_block_zeros", 11)):
        _, nodes, inputs, _, inits = qlinearconv_case(
            name, rng, u8, s8, 16, 32, (6, 7), (1, 1), (0, 0, 0, 0), (1, 1),
            (1, 1), 1, True, True)
        _, skip_nodes, _, _, skip_inits = qlinearconv_case(
            name, rng, u8, s8, 16, 32, (6, 7), (1, 1), (0, 0, 0, 0), (1, 1),
            (1, 1), 1, True, True)
        x = inputs[0][1]

        def conv_output(inits, zero):
            acc = conv_integer(x, inits["w"], inits["xz"], inits["wz"],
                               (0, 0, 0, 0), (1, 1), (1, 1), 1)
            acc = acc + inits["b"].reshape(1, -1, 1, 1)
            m = (inits["xs"] * inits["ws"]).astype(F32) / inits["ys"]
            return requantize(acc, m.reshape(-1, 1, 1), zero, u8)

        inits = dict(inits)
        inits["yz"] = u8(7)
        skip_inits = dict(skip_inits)
        skip_inits["xz"] = inits["xz"]
        skip_inits["yz"] = u8(9)
        y, skip = conv_output(inits, 7), conv_output(skip_inits, 9)
        s1, s2, s3 = F32(0.5), F32(0.25), F32(0.75)
        d1 = (y.astype(numpy.int32) - dq_zero).astype(F32) * s1
        d2 = (skip.astype(numpy.int32) - 9).astype(F32) * s2
        r = numpy.maximum(d1 + d2, F32(0))
        out = saturate(numpy.rint(r / s3) + F32(2), u8)
        skip_node = skip_nodes[0]
        renamed = [n if n == "x" else "k_" + n for n in skip_node.input]
        nodes = nodes + [
            helper.make_node("QLinearConv", renamed, ["skip"]),
            helper.make_node("DequantizeLinear", ["y", "s1", "z1"], ["d1"]),
            helper.make_node("DequantizeLinear", ["skip", "s2", "z2"],
                             ["d2"]),
            helper.make_node("Add", ["d1", "d2"], ["sum"]),
            helper.make_node("Relu", ["sum"], ["r"]),
            helper.make_node("QuantizeLinear", ["r", "s3", "z3"], ["out"])]
        inits.update({"k_" + k: v for k, v in skip_inits.items()})
        inits.update({"s1": s1, "z1": u8(dq_zero), "s2": s2, "z2": u8(9),
                      "s3": s3, "z3": u8(2)})
        yield (name, nodes, [("x", x)], [("out", out)], list(inits.items()))

    # A QDQ concat of one scale and zero point: the concat of the integers.
    a = rng.integers(0, 256, (1, 3, 5, 6)).astype(u8)
    b = rng.integers(0, 256, (1, 20, 5, 6)).astype(u8)
    yield ("qdq_concat",
           [helper.make_node("DequantizeLinear", ["a", "s", "z"], ["da"]),
            helper.make_node("DequantizeLinear", ["b", "s", "z"], ["db"]),
            helper.make_node("Concat", ["da", "db"], ["c"], axis=1),
            helper.make_node("QuantizeLinear", ["c", "s", "z"], ["y"])],
           [("a", a), ("b", b)], [("y", numpy.concatenate([a, b], axis=1))],
           [("s", F32(0.1)), ("z", u8(128))])


def max_pool(x, kernel, stride, pads, ceil):
    """Max pool of an [N, C, H, W] integer array (padding at the type's
    least value, which never wins); ceil_mode rounds the output up."""
    low = numpy.iinfo(x.dtype).min
    n, c, h, w = x.shape
    size = [(d + 2 * pads - kernel + (stride - 1 if ceil else 0)) // stride
            + 1 for d in (h, w)]
    extra = [max(0, (o - 1) * stride + kernel - (d + 2 * pads))
             for o, d in zip(size, (h, w))]
    padded = numpy.pad(x, ((0, 0), (0, 0), (pads, pads + extra[0]),
                           (pads, pads + extra[1])), constant_values=low)
    y = numpy.full((n, c) + tuple(size), low, dtype=x.dtype)
    for i in range(kernel):
        for j in range(kernel):
            y = numpy.maximum(y, padded[:, :, i:i + stride * size[0]:stride,
                                        j:j + stride * size[1]:stride])
    return y


def main():
    cnnc, outdir = sys.argv[1:3]
    with open("/proc/cpuinfo") as f:
        flags = set(f.read().split())
    avx512 = {"avx512f", "avx512bw", "avx512dq", "avx512vl"} <= flags
    # VNNI (the vpdpbusd kernel) only with the host's own CPU: x86-64-v4
    # does not have it.
    vnni = "avx512_vnni" in flags or "avx_vnni" in flags
    isas = (["native"] if vnni else []) + \
        (["x86-64-v4"] if avx512 else []) + ["x86-64-v3"]
    print("ISA: %s" % ", ".join(isas))
    failures = 0
    for name, nodes, inputs, outputs, initializers in cases():
        directory = os.path.join(outdir, name)
        data = os.path.join(directory, "data")
        os.makedirs(data, exist_ok=True)
        onnx.save(model(name, nodes, inputs, outputs, initializers),
                  os.path.join(directory, "model.onnx"))
        for prefix, values in (("input", inputs), ("output", outputs)):
            for i, (n, array) in enumerate(values):
                with open(os.path.join(data, "%s_%d.pb" % (prefix, i)),
                          "wb") as f:
                    f.write(tensor(n, array).SerializeToString())
        for isa in isas:
            result = subprocess.run(
                [cnnc, "run", os.path.join(directory, "model.onnx"),
                 "--check", data, "--rtol", "0", "--atol", "0",
                 "--mcpu=" + isa], capture_output=True, text=True)
            output = (result.stdout + result.stderr).strip()
            if result.returncode != 0:
                failures += 1
                print("FAILED %s (%s): %s" % (name, isa, output))
            else:
                print("matched %s (%s) exactly" % (name, isa))
    print("%d failed" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
