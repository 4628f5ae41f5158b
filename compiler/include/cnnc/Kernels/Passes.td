//===- Passes.td - cnnc's kernel passes on linalg ----------*- tablegen -*-===//

#ifndef CNNC_KERNELS_PASSES_TD
#define CNNC_KERNELS_PASSES_TD

include "mlir/Pass/PassBase.td"

def CollapseSpatialDims : Pass<"cnnc-collapse-spatial-dims",
                               "mlir::func::FuncOp"> {
  let summary = "Elementwise loops over an image's pixels as one loop";
  let description = [{
    An elementwise linalg.generic (every iterator parallel) of rank 4 or
    more whose dimensions from the third on are contiguous in every
    operand (an NCHW tensor's H and W, read whole or broadcast away) has
    them collapsed into one: a 14x14 image becomes one loop of 196, which
    LLVM vectorizes where a loop of 14 was left scalar (the dequantize,
    add, relu and quantize of an int8 residual, fused). The two leading
    dimensions stay for the thread pool's chunks.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

def InterchangeReductions : Pass<"cnnc-interchange-reductions",
                                 "mlir::func::FuncOp"> {
  let summary = "Loop order for vectorization: the innermost parallel "
                "dimension inside the reductions";
  let description = [{
    Convolutions, poolings and contractions (matmul) are generalized and
    their loops reordered as: the parallel dimensions but the innermost,
    then the reduction dimensions, then the innermost parallel dimension
    (a convolution's output width, a matmul's columns). The innermost loop
    then walks the output, and for unit strides the input, contiguously
    with a loop-invariant weight: a loop that LLVM vectorizes, where the
    named ops' order ends in a scalar reduction. The outer parallel
    dimensions stay outermost for the thread pool.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def SelectKernels : Pass<"cnnc-select-kernels", "mlir::func::FuncOp"> {
  let summary = "The cost model's algorithm and register tile, recorded on "
                "each cnnk op";
  let description = [{
    On tensors, after the kernel stage's canonicalization: every
    `cnnk.conv2d` gets the `algorithm` the analytic cost model of
    `cnnc/Kernels/ConvolutionAlgorithm.h` picks (direct, im2col,
    winograd2, winograd4; depthwise ones direct) and the `tile` of the
    register-tiled op it will end in (ConvolutionTiles.h: the output row,
    all of an image's pixels for a 1x1 unit-stride convolution of an
    unpadded input and for im2col's rows, the batch's Winograd tiles);
    every `cnnk.matmul` its tile (a product is a 1x1 convolution of one row
    of M pixels). No tile is recorded where none fits (the op is lowered to
    linalg loops). cnnc-convolution-algorithms and
    cnnc-register-tile-convolutions apply what is recorded, and
    `cnnc compile --report` prints it. Below 128 vector bits nothing is
    recorded.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"512",
           "width of the target's SIMD registers in bits (512: AVX-512, "
           "256: AVX2)">,
    Option<"algorithm", "algorithm", "cnnc::AlgorithmChoice",
           /*default=*/"cnnc::AlgorithmChoice::Auto",
           "auto (the cost model), or direct, im2col, winograd2, "
           "winograd4 for every convolution it applies to",
           "CNNC_ALGORITHM_CHOICE_VALUES">
  ];
  let dependentDialects = ["cnnc::cnnk::KernelDialect"];
}

def ConvolutionAlgorithms : Pass<"cnnc-convolution-algorithms",
                                 "mlir::ModuleOp"> {
  let summary = "Each channels-last convolution as the direct tile, im2col "
                "+ 1x1, or Winograd F(2x2, 3x3) / F(4x4, 3x3), by an "
                "analytic cost model";
  let description = [{
    For every `cnnk.conv2d` (not depthwise) on memrefs, the algorithm
    recorded on it by cnnc-select-kernels, or where none is the cost model
    of `cnnc/Kernels/ConvolutionAlgorithm.h`, picks one of:

    - direct: left as it is, for cnnc-register-tile-convolutions;
    - im2col: each output pixel's window gathered into a row of KH*KW*C
      values (a new buffer), then a 1x1 `cnnk.conv2d` of the rows with the
      same weights, bias, residual and activation;
    - winograd2 / winograd4 (3x3, unit stride and dilation, constant
      weights): the input transform B^T d B into [a*a, tiles, C] (a = 4 or
      6), a batched `cnnk.matmul` with the weights G g G^T computed at
      compile time ([a*a, C, F], a new global), and the output transform
      A^T M A, which adds the bias, the residual and applies the activation
      before its stores.

    Runs before cnnc-plan-arena, which places the scratch buffers.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"512",
           "width of the target's SIMD registers in bits (512: AVX-512, "
           "256: AVX2); below 128 every convolution stays direct">,
    Option<"algorithm", "algorithm", "cnnc::AlgorithmChoice",
           /*default=*/"cnnc::AlgorithmChoice::Auto",
           "auto (the cost model), or direct, im2col, winograd2, "
           "winograd4 for every convolution it applies to",
           "CNNC_ALGORITHM_CHOICE_VALUES">
  ];
  let dependentDialects = ["cnnc::cnnk::KernelDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::math::MathDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::vector::VectorDialect"];
}

def RegisterTileConvolutions : Pass<"cnnc-register-tile-convolutions",
                                     "mlir::ModuleOp"> {
  let summary = "Channels-last convolutions as register-tiled direct "
                "convolution loops";
  let description = [{
    A `cnnk.conv2d` (depthwise too) or `cnnk.matmul` (a 2-D product as
    one row of M pixels, a batched one as P 1x1 convolutions of one row,
    each with its own weights: Winograd's products) on memrefs becomes a
    parallel loop over (batch, channel tile, output row, pixel tile) around
    a register tile: `rows` pixels times `vectors` vectors of `lanes`
    channels (up to 24 accumulators on AVX-512, 12 on AVX2), which take the
    whole window (kernel rows, kernel columns, input channels) before one
    store. The tile is the one recorded on the op by cnnc-select-kernels,
    or ConvolutionTiles.cpp's choice where none is; more lanes than
    channels mask the loads and stores. A convolution step loads the
    tile's weight vectors and broadcasts one input value per pixel; a
    depthwise one loads a vector of the input per pixel. Constant weights
    are packed at compile time per channel tile, [F / tile, KH, KW, C,
    tile] in a new global, so that a tile streams its weights in order.
    The sums start from the op's bias (or zero); its residual is added and
    its activation applied to the accumulators before the store: one pass
    over the output. A 1x1 unit-stride convolution of an unpadded input
    runs over all of an image's pixels as one row. Ops no tile fits are
    left to cnnc-lower-kernel-ops.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"512",
           "width of the target's SIMD registers in bits (512: AVX-512, "
           "256: AVX2); below 128 nothing is tiled">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::math::MathDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::vector::VectorDialect"];
}

def LowerKernelOps : Pass<"cnnc-lower-kernel-ops", "mlir::func::FuncOp"> {
  let summary = "The cnnk ops no kernel pass took, as linalg on memrefs";
  let description = [{
    A `cnnk.conv2d` or `cnnk.matmul` left after
    cnnc-register-tile-convolutions (-O0, no vector width, a shape no tile
    fits) becomes upstream linalg on its buffers: the bias broadcast into
    the output (or zeros filled), the named convolution or matmul, and one
    `linalg.generic` that adds the residual and applies the activation in
    place. The later passes (cnnc-interchange-reductions, the parallel
    loops) take those as they take any linalg op.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::math::MathDialect",
                           "mlir::memref::MemRefDialect"];
}

#endif // CNNC_KERNELS_PASSES_TD
