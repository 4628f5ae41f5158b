//===- Passes.td - cnnc's graph passes on the cnn dialect --*- tablegen -*-===//

#ifndef CNNC_TRANSFORMS_PASSES_TD
#define CNNC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FoldConstants : Pass<"cnnc-fold-constants", "mlir::func::FuncOp"> {
  let summary = "Evaluate weight-only subgraphs at compile time";
  let description = [{
    A cnn.binary, cnn.unary, cnn.transpose or cnn.reshape whose operands are
    all float32 constants becomes the constant it computes (numpy
    broadcasting for binary ops), so that weight preprocessing an exporter
    left in the graph (transposed or rescaled weights) costs nothing at run
    time. A `cnn.matmul` that transposes a constant operand (a Gemm with
    transB) takes the transposed constant instead. Results above 2^26
    elements are left alone.
  }];
  let dependentDialects = ["cnnc::cnn::CNNDialect"];
}

def RemoveInferenceIdentities : Pass<"cnnc-remove-inference-identities",
                                     "mlir::func::FuncOp"> {
  let summary = "Drop what is the identity in inference: dropout";
  let description = [{
    In inference `cnn.dropout` passes its input through: its uses take the
    input instead. (Identity reshapes, transposes, slices and pads already
    fold away in canonicalization.)
  }];
}

def FoldBatchNorm : Pass<"cnnc-fold-batch-norm", "mlir::func::FuncOp"> {
  let summary = "Fold inference batch norm into the conv or gemm before it";
  let description = [{
    `batch_norm(conv(x, W, b))` with constant W, b and batch-norm parameters,
    where the convolution has no other user and no fused epilogue, becomes
    `conv(x, W * s, b * s + t)` with `s = scale / sqrt(variance + epsilon)`
    and `t = bias - mean * s`, per output channel; likewise into a 2-D
    matmul (a linear layer then BatchNorm1d): the weight's output columns
    scaled, the bias `beta * b * s + t`. A batch norm that cannot
    be folded (its input is not such a convolution) with constant parameters
    becomes `x * s + t`, two broadcasting `cnn.binary` ops that lower to one
    elementwise kernel.
  }];
  let dependentDialects = ["cnnc::cnn::CNNDialect"];
}

def FuseEpilogues : Pass<"cnnc-fuse-epilogues", "mlir::func::FuncOp"> {
  let summary = "Fuse a residual add and an activation into conv and matmul";
  let description = [{
    `activation(conv(...))` and `activation(matmul(...))` become the
    convolution or matmul with the activation fused; `conv(...) + r` (r of
    the result's type, no broadcasting) becomes the convolution with `r` as
    its residual, which then takes a following activation too:
    `relu(conv(x) + r)` is one op. A producer with another user, or that
    already has the part, is left alone. The fused op's location fuses the
    locations (the ONNX node names) of what it replaced.
  }];
}

def FoldQuantization : Pass<"cnnc-fold-quantization", "mlir::func::FuncOp"> {
  let summary = "Fold QDQ convolutions and matmuls into the integer kernels";
  let description = [{
    `quantize(conv(dequantize(x), dequantize(w), bias))` (the QDQ form ONNX
    Runtime's quantize_static and PyTorch's export write) becomes
    `requantize(conv_integer(x, w, x_zero, w_zero, b), xs * ws / ys, y_zero)`
    with the bias as int32 in the accumulator's scale; likewise for a 2-D
    weight matmul (Gemm, MatMul; a transposed constant weight is transposed
    here; a reshape of a per-tensor dequantize, such as the Flatten before a
    Gemm, moves before it). The input is per tensor, the weight per tensor or per output
    channel, the output per tensor. A fused relu folds when the output's
    zero point is its type's minimum (the saturation is the relu then).
    What does not match stays in float, correct but not int8.
  }];
  let dependentDialects = ["cnnc::cnn::CNNDialect"];
}

def FusePadding : Pass<"cnnc-fuse-padding", "mlir::func::FuncOp"> {
  let summary = "Fold padding of the spatial dimensions into conv and pool";
  let description = [{
    A constant-mode `cnn.pad` that pads only the spatial dimensions, and
    whose only user is the input of a convolution (value 0), a max pooling
    (value -inf) or an average pooling (value 0, which then counts the pads:
    `count_include_pad`, so only when the pooling has no pads of its own or
    counts them already), becomes that op's own padding.
  }];
}

def SplitBatch : Pass<"cnnc-split-batch", "mlir::func::FuncOp"> {
  let summary = "A batch of images as one image at a time, where that "
                "keeps the activations in the caches";
  let description = [{
    A model function whose inputs and results all carry a batch of N > 1
    in dimension 0, whose every op treats the images independently (conv,
    pooling, inference normalizations, elementwise, concat, reshape,
    transpose, pad, slice, resize, reduce; softmax along another axis; a
    matmul whose rows are the images), is compiled for one image when an
    image's activations (the bytes of every op result computed from the
    inputs, divided by N) outweigh the constant weights and the batch's
    activations reach `min-batch-bytes`: the function's types get
    dimension 0 = 1, and it carries `cnnc.batch_split = N`, for which the
    entry point runs it on each image, the images concurrently on the
    runtime's threads (each with its own workspace slice; the graph's own
    parallel loops then run serially within an image). At batch N every layer
    streams N images' activations through memory before the next layer
    starts; one image at a time they stay in the caches, and the weights
    are read N times instead. The rewrite is made on a copy and kept only
    if the copy verifies.
  }];
  let options = [
    Option<"minBatchBytes", "min-batch-bytes", "int64_t",
           /*default=*/"16 << 20",
           "activation bytes of the whole batch below which it stays whole "
           "(they fit in the caches)">
  ];
}

def SelectLayout : Pass<"cnnc-select-layout", "mlir::func::FuncOp"> {
  let summary = "Channels-last (NHWC) 2-D convolutions and pooling, "
                "transposes pushed to the edges";
  let description = [{
    The CPU kernels vectorize along the channels, which are contiguous in
    NHWC. Every 2-D `cnn.conv`, `cnn.pool` and `cnn.global_pool` in NCHW
    becomes its `layout nhwc` form (the weight [KH, KW, C/G, F]) between a
    `cnn.transpose` of its operands into NHWC and one of its result back.
    Those transposes then sink through activations, elementwise math,
    binary ops (a constant operand is transposed instead, and folds) and
    concatenations, and two in a row compose (and vanish when they undo
    each other), so that a network keeps NHWC from its first convolution to
    its classifier: what remains is one transpose at the input and the
    weights', which cnnc-fold-constants folds. A transpose back to NCHW before
    a flatten into a linear layer with a constant weight moves into that
    weight: its rows are reordered (reshape, transpose, reshape of the
    constant, which fold) and the flatten reads the NHWC data.
  }];
  let dependentDialects = ["cnnc::cnn::CNNDialect"];
}

#endif // CNNC_TRANSFORMS_PASSES_TD
