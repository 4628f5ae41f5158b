#!/usr/bin/env python3
"""Runs small ONNX models of ops the conformance list does not cover in
every form (reversed slices, reflect and edge padding, reductions with and
without kept dimensions, 3-D pooling, grouped 3-D convolution, the
channels-last forms of 2-D convolution and pooling) through
`cnnc run --check` against numpy and PyTorch; the register-tiled
convolution kernels and every convolution algorithm (direct, im2col,
Winograd F(2x2, 3x3) and F(4x4, 3x3)) for AVX-512 and AVX2.

Usage: op-numerics.py CNNC OUTDIR
"""
import os
import subprocess
import sys

import numpy
import onnx
from onnx import helper, numpy_helper, TensorProto


def model(name, node, x, y, initializers=()):
    nodes = node if isinstance(node, list) else [node]
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, y.shape)],
        [numpy_helper.from_array(a, n) for n, a in initializers])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def cases_3d():
    import torch
    rng = numpy.random.default_rng(1)
    x = rng.standard_normal((1, 4, 5, 5, 5)).astype(numpy.float32)
    t = torch.from_numpy(x)
    yield ("avgpool_3d", helper.make_node(
        "AveragePool", ["x"], ["y"], kernel_shape=[3, 3, 3],
        pads=[1, 1, 1, 1, 1, 1], strides=[2, 2, 2]), x,
        torch.nn.functional.avg_pool3d(t, 3, 2, 1, count_include_pad=False)
        .numpy(), [])
    yield ("maxpool_3d", helper.make_node(
        "MaxPool", ["x"], ["y"], kernel_shape=[2, 2, 2], strides=[2, 2, 2]),
        x, torch.nn.functional.max_pool3d(t, 2, 2).numpy(), [])
    # Explicit padding before pooling, which cnnc-fuse-padding folds in.
    x2 = rng.standard_normal((1, 3, 6, 6)).astype(numpy.float32)
    t2 = torch.from_numpy(x2)
    pads = numpy.array([0, 0, 1, 2, 0, 0, 2, 1], dtype=numpy.int64)
    yield ("pad_avgpool", [
        helper.make_node("Pad", ["x", "pads"], ["p"]),
        helper.make_node("AveragePool", ["p"], ["y"], kernel_shape=[3, 3])],
        x2, torch.nn.functional.avg_pool2d(
            torch.nn.functional.pad(t2, (2, 1, 1, 2)), 3, 1).numpy(),
        [("pads", pads)])
    minus_inf = numpy.array(-numpy.inf, dtype=numpy.float32)
    yield ("pad_maxpool", [
        helper.make_node("Pad", ["x", "pads", "v"], ["p"]),
        helper.make_node("MaxPool", ["p"], ["y"], kernel_shape=[3, 3])],
        x2, torch.nn.functional.max_pool2d(
            torch.nn.functional.pad(t2, (2, 1, 1, 2), value=-numpy.inf), 3,
            1).numpy(),
        [("pads", pads), ("v", minus_inf)])
    w = rng.standard_normal((6, 2, 3, 3, 3)).astype(numpy.float32)
    b = rng.standard_normal(6).astype(numpy.float32)
    yield ("conv_3d_grouped", helper.make_node(
        "Conv", ["x", "w", "b"], ["y"], group=2, pads=[1, 1, 1, 1, 1, 1]),
        x, torch.nn.functional.conv3d(t, torch.from_numpy(w),
                                      torch.from_numpy(b), padding=1,
                                      groups=2).numpy(),
        [("w", w), ("b", b)])


def cases_channels_last():
    """2-D convolutions and pooling in every form the channels-last kernels
    take (at the default -O2, cnnc-select-layout makes them NHWC): grouped,
    depthwise with and without a channel multiplier, strided and dilated,
    a residual branch through a concat and a broadcast scale, average
    pooling with ceil_mode and counted pads, global max pooling."""
    import torch
    f = torch.nn.functional
    rng = numpy.random.default_rng(4)
    f32 = numpy.float32
    x = rng.standard_normal((2, 4, 9, 8)).astype(f32)
    t = torch.from_numpy(x)

    def conv(name, shape, groups, strides=(1, 1), dilations=(1, 1),
             pads=(1, 1)):
        w = rng.standard_normal(shape).astype(f32)
        b = rng.standard_normal(shape[0]).astype(f32)
        y = f.conv2d(t, torch.from_numpy(w), torch.from_numpy(b),
                     stride=strides, padding=pads, dilation=dilations,
                     groups=groups)
        return (name, helper.make_node(
            "Conv", ["x", "w", "b"], ["y"], group=groups,
            strides=list(strides), dilations=list(dilations),
            pads=list(pads) * 2), x, y.numpy(), [("w", w), ("b", b)])

    yield conv("conv_2d_grouped", (6, 2, 3, 3), 2, strides=(2, 1))
    yield conv("conv_2d_depthwise", (4, 1, 3, 3), 4, strides=(2, 2),
               dilations=(2, 1), pads=(2, 1))
    yield conv("conv_2d_depthwise_multiplier", (8, 1, 3, 3), 4)
    yield conv("conv_2d_1x1_strided", (5, 4, 1, 1), 1, strides=(2, 2),
               pads=(0, 0))
    # conv -> relu -> (concat with x) * per-channel scale -> conv, and the
    # first conv's output added back: the transposes sink through all of it.
    w1 = rng.standard_normal((4, 4, 3, 3)).astype(f32)
    w2 = rng.standard_normal((4, 8, 3, 3)).astype(f32)
    scale = rng.uniform(0.5, 1.5, (8, 1, 1)).astype(f32)
    c1 = f.conv2d(t, torch.from_numpy(w1), padding=1)
    r1 = f.relu(c1)
    cat = torch.cat([r1, t], 1) * torch.from_numpy(scale)
    y = f.relu(f.conv2d(cat, torch.from_numpy(w2), padding=1) + c1)
    yield ("conv_2d_concat_residual", [
        helper.make_node("Conv", ["x", "w1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Concat", ["r1", "x"], ["cat"], axis=1),
        helper.make_node("Mul", ["cat", "scale"], ["s"]),
        helper.make_node("Conv", ["s", "w2"], ["c2"], pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["c2", "c1"], ["sum"]),
        helper.make_node("Relu", ["sum"], ["y"])],
        x, y.numpy(), [("w1", w1), ("w2", w2), ("scale", scale)])
    # A flatten into a linear layer: its weight takes the NHWC order.
    wc = rng.standard_normal((5, 4, 3, 3)).astype(f32)
    wl = rng.standard_normal((7, 5 * 9 * 8)).astype(f32)
    y = f.linear(torch.flatten(f.conv2d(t, torch.from_numpy(wc), padding=1),
                               1), torch.from_numpy(wl))
    yield ("conv_2d_flatten_linear", [
        helper.make_node("Conv", ["x", "wc"], ["c"], pads=[1, 1, 1, 1]),
        helper.make_node("Flatten", ["c"], ["fl"]),
        helper.make_node("Gemm", ["fl", "wl"], ["y"], transB=1)],
        x, y.numpy(), [("wc", wc), ("wl", wl)])
    yield ("avgpool_2d_ceil_counted", helper.make_node(
        "AveragePool", ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2],
        pads=[1, 1, 1, 1], ceil_mode=1, count_include_pad=1), x,
        f.avg_pool2d(t, 3, 2, 1, ceil_mode=True,
                     count_include_pad=True).numpy(), [])
    yield ("globalmaxpool_2d", helper.make_node(
        "GlobalMaxPool", ["x"], ["y"]), x,
        f.adaptive_max_pool2d(t, 1).numpy(), [])


def cases_register_tiles():
    """Convolutions the register-tiled kernels take (output channels a
    multiple of the vector width), in the shapes that pick each variant of
    the tile: one or two vectors of channels, a row that fits in one tile
    or needs a remainder tile, strides and dilations, depthwise, a batch of
    two. main() runs them for AVX-512 and for AVX2 (x86-64-v3)."""
    import torch
    f = torch.nn.functional
    rng = numpy.random.default_rng(5)
    f32 = numpy.float32

    def conv(name, x_shape, w_shape, groups=1, strides=(1, 1),
             dilations=(1, 1), pads=(1, 1)):
        x = rng.standard_normal(x_shape).astype(f32)
        w = rng.standard_normal(w_shape).astype(f32)
        b = rng.standard_normal(w_shape[0]).astype(f32)
        y = f.relu(f.conv2d(torch.from_numpy(x), torch.from_numpy(w),
                            torch.from_numpy(b), stride=strides, padding=pads,
                            dilation=dilations, groups=groups))
        return (name, [
            helper.make_node("Conv", ["x", "w", "b"], ["c"], group=groups,
                             strides=list(strides),
                             dilations=list(dilations), pads=list(pads) * 2),
            helper.make_node("Relu", ["c"], ["y"])], x, y.numpy(),
            [("w", w), ("b", b)])

    yield conv("tile_3x3_two_vectors", (1, 8, 9, 11), (32, 8, 3, 3))
    yield conv("tile_1x1_remainder", (2, 16, 3, 29), (48, 16, 1, 1),
               pads=(0, 0))
    yield conv("tile_strided_dilated", (1, 4, 13, 15), (16, 4, 3, 3),
               strides=(2, 2), dilations=(2, 2), pads=(2, 2))
    yield conv("tile_depthwise_strided", (1, 32, 14, 14), (32, 1, 3, 3),
               groups=32, strides=(2, 2))
    yield conv("tile_depthwise_dilated", (2, 16, 9, 30), (16, 1, 3, 3),
               groups=16, dilations=(2, 3), pads=(2, 3))
    # A large input widened to many channels by a small weight: the pixels
    # are the outer loops (each input row read once by every channel tile).
    yield conv("tile_pixels_outer", (2, 48, 46, 61), (192, 48, 1, 1),
               pads=(0, 0))
    # Fewer channels than a vector's lanes: one masked vector (LeNet's first
    # convolution, 6 channels; a depthwise one, whose input loads are masked
    # too).
    yield conv("tile_masked_lenet", (2, 1, 28, 28), (6, 1, 5, 5),
               pads=(2, 2))
    yield conv("tile_masked_depthwise", (1, 6, 9, 10), (6, 1, 3, 3),
               groups=6)

    # A residual add and a clip (ReLU6) applied in the tile before its store;
    # with 3 channels, through masked loads and stores.
    def residual_clip(name, channels, kernel):
        x = rng.standard_normal((1, channels, 8, 8)).astype(f32)
        w = rng.standard_normal(
            (channels, channels, kernel, kernel)).astype(f32) * 0.3
        b = rng.standard_normal(channels).astype(f32)
        t = torch.from_numpy(x)
        pad = kernel // 2
        y = torch.clamp(f.conv2d(t, torch.from_numpy(w), torch.from_numpy(b),
                                 padding=pad) + t, 0, 6)
        return (name, [
            helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[pad] * 4),
            helper.make_node("Add", ["c", "x"], ["s"]),
            helper.make_node("Clip", ["s", "lo", "hi"], ["y"])], x,
            y.numpy(), [("w", w), ("b", b), ("lo", numpy.array(0, f32)),
                        ("hi", numpy.array(6, f32))])

    yield residual_clip("tile_residual_clip", 16, 3)
    yield residual_clip("tile_masked_residual_clip", 3, 1)
    # A classifier's matrix product as the 1x1 tile over its rows: 120
    # columns in whole vectors, 10 in a masked one (AVX-512; with AVX2, 10
    # columns keep the loops).
    for name, k, n in (("tile_gemm", 400, 120), ("tile_masked_gemm", 84, 10)):
        x = rng.standard_normal((8, k)).astype(f32)
        w = rng.standard_normal((n, k)).astype(f32)
        b = rng.standard_normal(n).astype(f32)
        y = f.relu(f.linear(torch.from_numpy(x), torch.from_numpy(w),
                            torch.from_numpy(b)))
        yield (name, [
            helper.make_node("Gemm", ["x", "w", "b"], ["g"], transB=1),
            helper.make_node("Relu", ["g"], ["y"])], x, y.numpy(),
            [("w", w), ("b", b)])


def cases_algorithms():
    """The other convolution algorithms (cnnc-convolution-algorithms), each
    forced with --conv-algorithm: Winograd F(2x2, 3x3) and F(4x4, 3x3) on
    outputs whose tiles overhang (9x11, 5x5), a batch of two, with and
    without a bias, a residual add and clip applied in the output
    transform; im2col for ResNet's 7x7 stride-2 stem on 3 channels and a
    dilated 3x3. main() runs them for AVX-512 and AVX2. F(4x4)'s
    transforms lose more precision (entries up to 8 in A^T): its sums are
    checked at the same tolerance."""
    import torch
    f = torch.nn.functional
    rng = numpy.random.default_rng(6)
    f32 = numpy.float32

    def conv(name, algorithm, x_shape, w_shape, strides=(1, 1),
             dilations=(1, 1), pads=(1, 1), bias=True):
        x = rng.standard_normal(x_shape).astype(f32)
        w = (rng.standard_normal(w_shape) * 0.3).astype(f32)
        b = rng.standard_normal(w_shape[0]).astype(f32)
        y = f.relu(f.conv2d(torch.from_numpy(x), torch.from_numpy(w),
                            torch.from_numpy(b) if bias else None,
                            stride=strides, padding=pads,
                            dilation=dilations))
        inputs = ["x", "w"] + (["b"] if bias else [])
        initializers = [("w", w)] + ([("b", b)] if bias else [])
        return (name, [
            helper.make_node("Conv", inputs, ["c"], strides=list(strides),
                             dilations=list(dilations), pads=list(pads) * 2),
            helper.make_node("Relu", ["c"], ["y"])], x, y.numpy(),
            initializers, ["--conv-algorithm=" + algorithm])

    for algorithm in ("winograd2", "winograd4"):
        yield conv(algorithm + "_overhang", algorithm, (2, 8, 9, 11),
                   (32, 8, 3, 3))
        yield conv(algorithm + "_no_bias", algorithm, (1, 16, 5, 5),
                   (16, 16, 3, 3), bias=False)
        yield conv(algorithm + "_unpadded", algorithm, (1, 8, 12, 12),
                   (24, 8, 3, 3), pads=(0, 0))
        x = rng.standard_normal((1, 16, 10, 10)).astype(f32)
        w = (rng.standard_normal((16, 16, 3, 3)) * 0.3).astype(f32)
        b = rng.standard_normal(16).astype(f32)
        t = torch.from_numpy(x)
        y = torch.clamp(f.conv2d(t, torch.from_numpy(w), torch.from_numpy(b),
                                 padding=1) + t, 0, 6)
        yield (algorithm + "_residual_clip", [
            helper.make_node("Conv", ["x", "w", "b"], ["c"],
                             pads=[1, 1, 1, 1]),
            helper.make_node("Add", ["c", "x"], ["s"]),
            helper.make_node("Clip", ["s", "lo", "hi"], ["y"])], x,
            y.numpy(),
            [("w", w), ("b", b), ("lo", numpy.array(0, f32)),
             ("hi", numpy.array(6, f32))],
            ["--conv-algorithm=" + algorithm])
    yield conv("im2col_stem", "im2col", (1, 3, 29, 27), (16, 3, 7, 7),
               strides=(2, 2), pads=(3, 3))
    yield conv("im2col_dilated", "im2col", (2, 4, 13, 15), (16, 4, 3, 3),
               dilations=(2, 2), pads=(2, 2))


def split_batch():
    """A batch of 4 256x256 images through two small convolutions, global
    pooling and a linear layer: 4.3 MB of activations an image against 12
    KB of weights, so cnnc-split-batch compiles it for one image and the
    entry point runs it 4 times (op-numerics.test checks the report)."""
    import torch
    f = torch.nn.functional
    rng = numpy.random.default_rng(7)
    f32 = numpy.float32
    x = rng.standard_normal((4, 3, 256, 256)).astype(f32)
    w1 = (rng.standard_normal((16, 3, 3, 3)) * 0.3).astype(f32)
    b1 = rng.standard_normal(16).astype(f32)
    w2 = (rng.standard_normal((16, 16, 3, 3)) * 0.2).astype(f32)
    fc = (rng.standard_normal((10, 16)) * 0.5).astype(f32)
    t = f.relu(f.conv2d(torch.from_numpy(x), torch.from_numpy(w1),
                        torch.from_numpy(b1), padding=1))
    t = f.relu(f.conv2d(t, torch.from_numpy(w2), stride=2, padding=1))
    y = torch.flatten(f.adaptive_avg_pool2d(t, 1), 1) @ torch.from_numpy(fc).T
    return ("split_batch", [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Conv", ["r1", "w2"], ["c2"], pads=[1, 1, 1, 1],
                         strides=[2, 2]),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("GlobalAveragePool", ["r2"], ["g"]),
        helper.make_node("Flatten", ["g"], ["v"]),
        helper.make_node("Gemm", ["v", "fc"], ["y"], transB=1)], x,
        y.numpy(), [("w1", w1), ("b1", b1), ("w2", w2), ("fc", fc)])


TRAINING_MODEL = """
func.func @training(%x: tensor<4x3x5x5xf32> {cnn.name = "x"},
                    %gamma: tensor<3xf32> {cnn.name = "gamma"},
                    %beta: tensor<3xf32> {cnn.name = "beta"},
                    %rm: tensor<3xf32> {cnn.name = "rm"},
                    %rv: tensor<3xf32> {cnn.name = "rv"},
                    %logits: tensor<6x10xf32> {cnn.name = "logits"},
                    %labels: tensor<6xi64> {cnn.name = "labels"},
                    %target: tensor<6x10xf32> {cnn.name = "target"})
    -> (tensor<4x3x5x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>,
        tensor<3xf32>, tensor<f32>, tensor<6xf32>, tensor<f32>,
        tensor<6x10xf32>) {
  %y, %nrm, %nrv, %bm, %bis = cnn.batch_norm_train %x, %gamma, %beta, %rm, %rv
      {epsilon = 1.0e-05 : f32, momentum = 0.9 : f32}
      : tensor<4x3x5x5xf32>, tensor<3xf32>
  %ce = cnn.softmax_cross_entropy %logits, %labels reduction mean
      {label_smoothing = 1.0e-01 : f32}
      : (tensor<6x10xf32>, tensor<6xi64>) -> tensor<f32>
  %ces = cnn.softmax_cross_entropy %logits, %labels reduction none
      : (tensor<6x10xf32>, tensor<6xi64>) -> tensor<6xf32>
  %mse = cnn.mse_loss %logits, %target reduction sum
      : (tensor<6x10xf32>, tensor<6x10xf32>) -> tensor<f32>
  %msen = cnn.mse_loss %logits, %target reduction none
      : (tensor<6x10xf32>, tensor<6x10xf32>) -> tensor<6x10xf32>
  return %y, %nrm, %nrv, %bm, %bis, %ce, %ces, %mse, %msen
      : tensor<4x3x5x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>,
        tensor<3xf32>, tensor<f32>, tensor<6xf32>, tensor<f32>,
        tensor<6x10xf32>
}
"""


def training_case(outdir):
    """The training ops' forward (batch norm with batch statistics, the
    losses) as a model in the cnn dialect, against PyTorch."""
    import torch
    f = torch.nn.functional
    rng = numpy.random.default_rng(2)
    arrays = {
        "x": rng.standard_normal((4, 3, 5, 5)),
        "gamma": rng.uniform(0.5, 1.5, 3), "beta": rng.uniform(-0.5, 0.5, 3),
        "rm": rng.uniform(-0.5, 0.5, 3), "rv": rng.uniform(0.5, 2.0, 3),
        "logits": rng.standard_normal((6, 10)) * 3,
        "target": rng.standard_normal((6, 10))}
    arrays = {k: torch.tensor(v, dtype=torch.float32) for k, v in arrays.items()}
    labels = torch.tensor([0, 3, 9, 2, 2, 7], dtype=torch.int64)
    rm, rv = arrays["rm"].clone(), arrays["rv"].clone()
    x = arrays["x"]
    y = f.batch_norm(x, rm, rv, arrays["gamma"], arrays["beta"],
                     training=True, momentum=0.1, eps=1e-5)
    mean = x.mean(dim=(0, 2, 3))
    inv_std = 1 / torch.sqrt(x.var(dim=(0, 2, 3), unbiased=False) + 1e-5)
    logits, target = arrays["logits"], arrays["target"]
    outputs = [y, rm, rv, mean, inv_std,
               f.cross_entropy(logits, labels, label_smoothing=0.1),
               f.cross_entropy(logits, labels, reduction="none"),
               f.mse_loss(logits, target, reduction="sum"),
               f.mse_loss(logits, target, reduction="none")]
    directory = os.path.join(outdir, "training_ops")
    data = os.path.join(directory, "data")
    os.makedirs(data, exist_ok=True)
    with open(os.path.join(directory, "model.mlir"), "w") as out:
        out.write(TRAINING_MODEL)
    inputs = [("x", x), ("gamma", arrays["gamma"]), ("beta", arrays["beta"]),
              ("rm", arrays["rm"]), ("rv", arrays["rv"]), ("logits", logits),
              ("labels", labels), ("target", target)]
    for i, (name, value) in enumerate(inputs):
        with open(os.path.join(data, "input_%d.pb" % i), "wb") as out:
            out.write(numpy_helper.from_array(value.numpy(), name)
                      .SerializeToString())
    for i, value in enumerate(outputs):
        with open(os.path.join(data, "output_%d.pb" % i), "wb") as out:
            out.write(numpy_helper.from_array(
                value.detach().numpy().astype(numpy.float32))
                .SerializeToString())
    return directory


def gemm_batch_norm():
    """A linear layer then BatchNorm1d, which cnnc-fold-batch-norm folds
    into the gemm."""
    rng = numpy.random.default_rng(3)
    f32 = numpy.float32
    x = rng.standard_normal((4, 6)).astype(f32)
    w = rng.standard_normal((5, 6)).astype(f32)
    b = rng.standard_normal(5).astype(f32)
    gamma, beta = rng.uniform(0.5, 1.5, 5).astype(f32), rng.standard_normal(5).astype(f32)
    mean, var = rng.standard_normal(5).astype(f32), rng.uniform(0.5, 2, 5).astype(f32)
    z = x @ w.T + 2 * b
    y = gamma * (z - mean) / numpy.sqrt(var + 1e-5) + beta
    return ("gemm_batch_norm", [
        helper.make_node("Gemm", ["x", "w", "b"], ["z"], transB=1, beta=2.0),
        helper.make_node("BatchNormalization",
                         ["z", "gamma", "beta", "mean", "var"], ["y"])],
        x, y.astype(f32),
        [("w", w), ("b", b), ("gamma", gamma), ("beta", beta),
         ("mean", mean), ("var", var)])


def cases():
    yield gemm_batch_norm()
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal((2, 3, 5, 6)).astype(numpy.float32)
    i64 = lambda v: numpy.array(v, dtype=numpy.int64)  # noqa: E731
    yield ("slice_reversed", helper.make_node(
        "Slice", ["x", "starts", "ends", "axes", "steps"], ["y"]),
        x, x[:, :, 4:0:-2, ::-1],
        [("starts", i64([4, -1])), ("ends", i64([0, -100])),
         ("axes", i64([2, 3])), ("steps", i64([-2, -1]))])
    yield ("slice_strided", helper.make_node(
        "Slice", ["x", "starts", "ends", "axes", "steps"], ["y"]),
        x, x[:, 1:3, 0:5:2, 1:],
        [("starts", i64([1, 0, 1])), ("ends", i64([3, 5, 6])),
         ("axes", i64([1, 2, 3])), ("steps", i64([1, 2, 1]))])
    pads = [0, 0, 2, 1, 0, 0, 1, 3]
    widths = [(0, 0), (0, 0), (2, 1), (1, 3)]
    for mode in ("reflect", "edge"):
        yield ("pad_" + mode, helper.make_node(
            "Pad", ["x", "pads"], ["y"], mode=mode), x,
            numpy.pad(x, widths, mode=mode), [("pads", i64(pads))])
    yield ("reduce_mean_keep", helper.make_node(
        "ReduceMean", ["x"], ["y"], axes=[2, 3], keepdims=1), x,
        x.mean(axis=(2, 3), keepdims=True), [])
    yield ("reduce_max_drop", helper.make_node(
        "ReduceMax", ["x"], ["y"], axes=[1], keepdims=0), x,
        x.max(axis=1), [])
    yield ("reduce_sum_all", helper.make_node(
        "ReduceSum", ["x", "axes"], ["y"], keepdims=0), x,
        numpy.array(x.sum(), dtype=numpy.float32),
        [("axes", i64([0, 1, 2, 3]))])


def main():
    cnnc, outdir = sys.argv[1:3]
    failures = 0
    runs = [(case, []) for case in (list(cases()) + list(cases_3d()) +
                                     list(cases_channels_last()) +
                                     [split_batch()])]
    # The register tiles forced direct (the cost model would pick Winograd
    # for some); the other algorithms with their flag; each for AVX-512 and
    # AVX2.
    # The AVX-512 variants run where the host has AVX-512 (x86-64-v4: F,
    # BW, DQ, VL), the AVX2 ones everywhere; the output says which ran.
    with open("/proc/cpuinfo") as f:
        flags = set(f.read().split())
    avx512 = {"avx512f", "avx512bw", "avx512dq", "avx512vl"} <= flags
    print("ISA: %s" % ("AVX-512 and AVX2 variants" if avx512 else
                       "AVX2 variants only (this host has no AVX-512)"))
    tiles = [case + (["--conv-algorithm=direct"],)
             for case in cases_register_tiles()]
    for case in tiles + list(cases_algorithms()):
        if avx512:
            runs.append(((case[0] + "_avx512",) + case[1:5],
                         case[5] + ["--mcpu=x86-64-v4"]))
        runs.append(((case[0] + "_avx2",) + case[1:5],
                     case[5] + ["--mcpu=x86-64-v3"]))
    for (name, node, x, y, initializers), flags in runs:
        directory = os.path.join(outdir, name)
        data = os.path.join(directory, "data")
        os.makedirs(data, exist_ok=True)
        onnx.save(model(name, node, x, y.astype(numpy.float32), initializers),
                  os.path.join(directory, "model.onnx"))
        for file, array in (("input_0.pb", x), ("output_0.pb", y)):
            with open(os.path.join(data, file), "wb") as f:
                f.write(numpy_helper.from_array(
                    numpy.asarray(array, dtype=numpy.float32)).SerializeToString())
        result = subprocess.run(
            [cnnc, "run", os.path.join(directory, "model.onnx"), "--check", data]
            + flags,
            capture_output=True, text=True)
        output = (result.stdout + result.stderr).strip()
        if result.returncode != 0:
            failures += 1
            print("FAILED %s: %s" % (name, output))
        else:
            print("matched %s: %s" % (name, output))
    directory = training_case(outdir)
    result = subprocess.run(
        [cnnc, "run", os.path.join(directory, "model.mlir"), "--check",
         os.path.join(directory, "data")], capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        failures += 1
        print("FAILED training_ops: %s" % output)
    else:
        print("matched training_ops:\n%s" % output)
    print("%d failed" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
