//===- Passes.td - cnnc's kernel passes on linalg ----------*- tablegen -*-===//

#ifndef CNNC_KERNELS_PASSES_TD
#define CNNC_KERNELS_PASSES_TD

include "mlir/Pass/PassBase.td"

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

def ConvolutionAlgorithms : Pass<"cnnc-convolution-algorithms",
                                 "mlir::ModuleOp"> {
  let summary = "Each channels-last convolution as the direct tile, im2col "
                "+ 1x1, or Winograd F(2x2, 3x3) / F(4x4, 3x3), by an "
                "analytic cost model";
  let description = [{
    For every `linalg.conv_2d_nhwc_hwcf` on f32 memrefs of static shape,
    the cost model of `cnnc/Kernels/ConvolutionAlgorithm.h` (shared with
    `cnnc compile --report`) picks one of:

    - direct: left as it is, for cnnc-register-tile-convolutions;
    - im2col: each output pixel's window gathered into a row of KH*KW*C
      values (a new buffer), then a 1x1 `linalg.conv_2d_nhwc_hwcf` of the
      rows with the same weights, between the same bias and epilogue;
    - winograd2 / winograd4 (3x3, unit stride and dilation, constant
      weights): the input transform B^T d B into [a*a, tiles, C] (a = 4 or
      6), a `linalg.batch_matmul` with the weights G g G^T computed at
      compile time ([a*a, C, F], a new global), and the output transform
      A^T M A, which adds the bias and applies the epilogue (the ops
      cnnc-register-tile-convolutions would fuse) before its stores.

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
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::vector::VectorDialect"];
}

def RegisterTileConvolutions : Pass<"cnnc-register-tile-convolutions",
                                     "mlir::ModuleOp"> {
  let summary = "Channels-last convolutions as register-tiled direct "
                "convolution loops";
  let description = [{
    A `linalg.conv_2d_nhwc_hwcf`, `linalg.depthwise_conv_2d_nhwc_hwc` or
    `linalg.batch_matmul` (as P 1x1 convolutions of one row, each with its
    own weights: Winograd's products) on f32 memrefs of static shape whose output channels are a multiple of the
    vector width becomes a parallel loop over (batch, channel tile, output
    row, pixel tile) around a register tile: up to 24 (AVX-512) or 12
    (AVX2) vector accumulators, `rows` pixels times one or two vectors of
    channels, that take the whole window (kernel rows, kernel columns,
    input channels) before one store. A convolution step loads the tile's
    weight vectors and broadcasts one input value per pixel; a depthwise
    one loads a vector of the input per pixel. The pixels per tile divide
    the output row where a size from the largest down to half of it does;
    else a remainder tile ends the row. Constant weights are packed at
    compile time per channel tile, [F / tile, KH, KW, C, tile] in a new
    global, so that a tile streams its weights in order. The bias broadcast
    (or constant fill) into the output right before the convolution becomes
    the accumulators' start, and the elementwise op right after it that reads its output
    (identity maps, scalar arith and math: the fused activation, a residual
    add) runs on the accumulators before the store, when what it writes
    cannot be what the convolution still reads: one pass over the output
    instead of three. Other convolutions are left alone.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"512",
           "width of the target's SIMD registers in bits (512: AVX-512, "
           "256: AVX2); below 128 nothing is tiled">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::vector::VectorDialect"];
}

#endif // CNNC_KERNELS_PASSES_TD
