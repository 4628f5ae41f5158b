//===- Convolution.h - A bufferized convolution, as the kernels see it ----===//
//
// What the kernel passes (cnnc-convolution-algorithms,
// cnnc-register-tile-convolutions) read off a bufferized cnnk.conv2d or
// cnnk.matmul: its shape, its operands (the bias its sums start from, the
// residual its epilogue adds) and its activation, which they apply to the
// accumulators before their stores.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_KERNELS_CONVOLUTION_H
#define CNNC_LIB_KERNELS_CONVOLUTION_H

#include "ConstantWeights.h"
#include "cnnc/Dialect/Kernel/IR/KernelOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

#include <optional>

namespace cnnc::kernels {

/// Builds index arithmetic with constants folded as it goes.
struct IndexBuilder {
  mlir::OpBuilder &b;
  mlir::Location loc;
  mlir::Value c(int64_t v) {
    return mlir::arith::ConstantIndexOp::create(b, loc, v);
  }
  mlir::Value add(mlir::Value x, int64_t v) {
    return v == 0 ? x
                  : mlir::arith::AddIOp::create(b, loc, x, c(v)).getResult();
  }
  mlir::Value add(mlir::Value x, mlir::Value y) {
    return mlir::arith::AddIOp::create(b, loc, x, y);
  }
  mlir::Value mul(mlir::Value x, int64_t v) {
    return v == 1 ? x
                  : mlir::arith::MulIOp::create(b, loc, x, c(v)).getResult();
  }
};

/// A channels-last 2-D convolution (cnnk.conv2d): input [N, IH, IW, C],
/// `filter` [KH, KW, C, F] ([KH, KW, C] depthwise), output [N, OH, OW, F].
/// A batch of matrix products (a 3-D cnnk.matmul, [P, T, C] x [P, C, F] ->
/// [P, T, F]) is the 1x1 convolution of P images of one row of T pixels, each
/// with its own weights: `batchedFilter`, and its memrefs keep their 3-D
/// shapes (`index` drops the row). With `packed` the filter is laid out
/// per channel tile, [F / tile, KH, KW, C, tile] ([P, F / tile, C, tile]
/// batched): the weights one tile reads, in the order it reads them.
struct Convolution {
  /// The op described.
  mlir::Operation *kernel = nullptr;
  mlir::Value input, filter, output;
  /// The bias ([F]) the sums start from, the residual (the output's shape)
  /// added to them; null when absent.
  mlir::Value bias, residual;
  /// The activation applied last, when there is one.
  std::optional<cnn::ActivationKind> activation;
  mlir::FloatAttr activationAlpha, activationBeta;
  int64_t batch, height, width, channels; // of the output
  int64_t inputHeight, inputWidth;
  int64_t kernelH, kernelW;
  int64_t strideH, strideW, dilationH, dilationW;
  bool depthwise;
  bool batchedFilter = false;
  /// A matrix product (a 2-D cnnk.matmul, [M, K] x [K, N] -> [M, N]): the
  /// 1x1 convolution of one image of one row of M pixels. flattenPixels
  /// views its operands as [1, M, K], [1, 1, K, N] (`filter`) and [1, M, N].
  bool matmul = false;
  /// A 1x1 unit-stride convolution of an unpadded input is a matrix
  /// product over the pixels: with `flatPixels` its activations are seen
  /// as [N, H*W, C] (`views`), one row of H*W pixels (see flattenPixels).
  bool flatPixels = false;
  /// The same over memrefs that do not collapse (a strided interior): the
  /// pixels are numbered through the image, each split into (row, column)
  /// with rows of this many pixels. 0 otherwise.
  int64_t flatPixelRowLength = 0;
  /// Collapsed views of the activations the kernel reads and writes.
  llvm::SmallDenseMap<mlir::Value, mlir::Value, 4> views;
  int64_t reduced; // input channels per output channel (1 for depthwise)
  bool packed = false;
  /// Output channels fewer than a vector's lanes (a masked tile): vectors
  /// along the channels load and store only this many lanes. 0: all.
  int64_t validLanes = 0;
  /// Indices of an activation element (input or output): (n, row, column,
  /// channel), without the row for a batch of matrix products or flat
  /// pixels.
  llvm::SmallVector<mlir::Value> index(mlir::Value n, mlir::Value row,
                                       mlir::Value column,
                                       mlir::Value channel) const {
    if (batchedFilter || flatPixels)
      return {n, column, channel};
    return {n, row, column, channel};
  }
  /// The memref to index for `value`: its collapsed view, if it has one.
  mlir::Value viewOf(mlir::Value value) const {
    auto it = views.find(value);
    return it == views.end() ? value : it->second;
  }
  /// The vector of `type` at `indices` of `memref` (along its channels),
  /// its lanes beyond `validLanes` zero and not read.
  mlir::Value loadVector(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::VectorType type, mlir::Value memref,
                         mlir::ValueRange indices) const;
  /// Stores `value` at `indices` of `memref`, but the lanes beyond
  /// `validLanes`.
  void storeVector(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                   mlir::Value memref, mlir::ValueRange indices) const;
  /// The vector the sums of `channel`'s lanes start from: the bias, or
  /// zeros.
  mlir::Value initialValue(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::VectorType type, mlir::Value channel) const;
  /// `value` (the sums at `indices`) through the epilogue (the residual at
  /// `indices` added, then the activation), stored into the output.
  void store(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
             mlir::ValueRange indices) const;
};

/// The convolution `op` is, when it is one the kernels take: a
/// cnnk.conv2d or cnnk.matmul on memrefs.
std::optional<Convolution> describeConvolution(mlir::Operation *op);

/// Sees a 1x1 unit-stride convolution of an unpadded input (and its
/// epilogue's operands) as one row of all the H*W pixels, so that a 7x7
/// image gives the register tile 49 pixels, not 7: through [N, H*W, C]
/// views built at `b` (flatPixels), or where a memref does not collapse,
/// by splitting each pixel's index (flatPixelRowLength); a matrix product's
/// operands as [1, M, K], [1, 1, K, N], [1, M, N]. False for any other
/// convolution.
bool flattenPixels(mlir::OpBuilder &b, mlir::Location loc, Convolution &conv);

} // namespace cnnc::kernels

#endif // CNNC_LIB_KERNELS_CONVOLUTION_H
