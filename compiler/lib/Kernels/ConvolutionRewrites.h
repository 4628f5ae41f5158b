//===- ConvolutionRewrites.h - Im2col and Winograd convolutions -*- C++ -*-===//
//
// The two rewrites of cnnc-convolution-algorithms, on memrefs before the
// workspace is planned (their scratch buffers are allocations it places).
// Both end in an op the register tile takes: a 1x1 convolution over im2col
// rows, a batch of matrix products over Winograd tiles.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_KERNELS_CONVOLUTIONREWRITES_H
#define CNNC_LIB_KERNELS_CONVOLUTIONREWRITES_H

#include "Convolution.h"

namespace cnnc::kernels {

/// Replaces `op` (described by `conv`) with a gather of each output
/// pixel's window into a row of KH*KW*C values, then a 1x1 cnnk.conv2d of
/// those rows with the same weights, bias, residual and activation.
void rewriteAsIm2col(mlir::RewriterBase &rewriter, cnnk::Conv2DOp op,
                     const Convolution &conv);

/// Replaces the 3x3 unit-stride convolution `op` (described by `conv`,
/// weights constant: `filter` [3, 3, C, F]) with Winograd F(m x m, 3 x 3):
/// the input transform into [alpha^2, tiles, C], a batch of alpha^2
/// matrix products (a batched cnnk.matmul) with the weights transformed at
/// compile time, and the output transform, which adds the bias and applies
/// the epilogue. Vectors
/// of up to `vectorBits`.
void rewriteAsWinograd(mlir::RewriterBase &rewriter, cnnk::Conv2DOp op,
                       const Convolution &conv,
                       const std::vector<float> &filter, int64_t m,
                       unsigned vectorBits, mlir::SymbolTable &symbols);

} // namespace cnnc::kernels

#endif // CNNC_LIB_KERNELS_CONVOLUTIONREWRITES_H
