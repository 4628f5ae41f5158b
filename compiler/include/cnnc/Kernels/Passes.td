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

def RegisterTileConvolutions : Pass<"cnnc-register-tile-convolutions",
                                     "mlir::ModuleOp"> {
  let summary = "Channels-last convolutions as register-tiled direct "
                "convolution loops";
  let description = [{
    A `linalg.conv_2d_nhwc_hwcf` or `linalg.depthwise_conv_2d_nhwc_hwc` on
    f32 memrefs of static shape whose output channels are a multiple of the
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
    into the output right before the convolution becomes the accumulators'
    start, and the elementwise op right after it that reads its output
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
