//===- StructuredBuilders.h - Builders of the lowering ------*- C++ -*-===//
//
// What the lowering patterns share: broadcasting elementwise generics,
// padding, reductions that keep their dimensions, convolution accumulators
// and the 1-D-as-2-D rewriting of window ops. Private to CNNToLinalg.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_CONVERSION_CNNTOLINALG_STRUCTUREDBUILDERS_H
#define CNNC_CONVERSION_CNNTOLINALG_STRUCTUREDBUILDERS_H

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace cnnc::lowering {

/// A scalar constant of the float type `type`.
mlir::Value floatConstant(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Type type, double value);

/// The map reading an operand of `shape` for a result of `resultShape` with
/// numpy broadcasting (trailing alignment, size-1 dimensions repeat).
mlir::AffineMap broadcastMap(mlir::MLIRContext *ctx,
                             llvm::ArrayRef<int64_t> shape,
                             llvm::ArrayRef<int64_t> resultShape);

/// A linalg.generic computing `fn` elementwise over the broadcast inputs.
mlir::Value
elementwise(mlir::OpBuilder &b, mlir::Location loc,
            mlir::RankedTensorType resultType, mlir::ValueRange inputs,
            llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                           mlir::ValueRange)>
                fn);

/// `result` + `residual` (when given), then the activation (when given):
/// the fused epilogue of a convolution or matmul, one linalg.generic.
mlir::Value epilogue(mlir::OpBuilder &b, mlir::Location loc, mlir::Value result,
                     mlir::Value residual,
                     std::optional<cnn::ActivationKind> kind,
                     mlir::FloatAttr alpha, mlir::FloatAttr beta);

/// `value` with its dimensions permuted (a linalg.transpose): result
/// dimension i is `value`'s dimension permutation[i].
mlir::Value permute(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                    llvm::ArrayRef<int64_t> permutation);

/// `input` padded with `value`: `low` and `high` per dimension.
mlir::Value padWith(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
                    llvm::ArrayRef<int64_t> low, llvm::ArrayRef<int64_t> high,
                    double value);
/// The same with the scalar `padding` (of the element type), which may be
/// computed at run time (an input's zero point).
mlir::Value padWithScalar(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value input, llvm::ArrayRef<int64_t> low,
                          llvm::ArrayRef<int64_t> high, mlir::Value padding);

/// The accumulator of a convolution: zeros, or the bias broadcast along
/// `channelDim`.
mlir::Value accumulator(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType type, mlir::Value bias,
                        int64_t channelDim);

/// The dimension of the channels of a rank-`rank` activation in `layout`,
/// and the first of its spatial dimensions.
inline int64_t channelDim(cnn::Layout layout, int64_t rank) {
  return layout == cnn::Layout::NHWC ? rank - 1 : 1;
}
inline int64_t firstSpatialDim(cnn::Layout layout) {
  return layout == cnn::Layout::NHWC ? 1 : 2;
}

/// A window's [begin..., end...] pads as full-rank low/high pads of the
/// spatial dimensions from `firstSpatial` on.
void splitPads(llvm::ArrayRef<int64_t> pads, int64_t rank, int64_t firstSpatial,
               llvm::SmallVectorImpl<int64_t> &low,
               llvm::SmallVectorImpl<int64_t> &high);

/// [N, C, W...] -> [N, C, 1, W...]: a 1-D window op as a 2-D one of height 1.
llvm::SmallVector<int64_t> withUnitHeight(llvm::ArrayRef<int64_t> shape);
/// The 2-D strides, dilations or kernel of a 1-D window: 1 along the height.
llvm::SmallVector<int64_t> prependOne(llvm::ArrayRef<int64_t> values);
/// The [begin, end] pads of a 1-D window as the 2-D [0, begin, 0, end].
llvm::SmallVector<int64_t> unitHeightPads(llvm::ArrayRef<int64_t> pads);
/// `value` reshaped by withUnitHeight (a cnn.reshape, lowered in turn).
mlir::Value unitHeight(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value value);

/// Replaces the 1-D window op `op` (a convolution, transposed convolution
/// or pool of rank-3 activations) with the same op in 2-D, of height 1, on
/// `operands` reshaped by withUnitHeight (its window attributes gaining
/// their height entry), then a reshape back; the pattern that lowers `op`
/// lowers the new op in turn (it must allow bounded recursion).
mlir::LogicalResult lowerAsUnitHeight(mlir::Operation *op,
                                      mlir::ValueRange operands,
                                      mlir::ConversionPatternRewriter &rewriter);

/// A reduction of `input` over the `reduced` dimensions into a tensor that
/// keeps them with size 1: `combine(element, accumulator)` from `initial`.
mlir::Value reduceKeepingDims(
    mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
    llvm::ArrayRef<int64_t> reduced, double initial,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                   mlir::Value, mlir::Value)>
        combine);

/// The stable pieces of a softmax along dimension 1 of [N, C] logits:
/// the row maxima, exp(x - max) and its row sums ([N, 1] each but the
/// exponentials).
struct SoftmaxRows {
  mlir::Value rowMax, shiftedExp, expSum;
};
SoftmaxRows softmaxRows(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value logits);

//===----------------------------------------------------------------------===//
// The patterns, by family (one file each).
//===----------------------------------------------------------------------===//

void populateElementwiseLowerings(mlir::RewritePatternSet &patterns);
void populateConvolutionLowerings(mlir::RewritePatternSet &patterns);
void populatePoolingLowerings(mlir::RewritePatternSet &patterns);
void populateLossLowerings(mlir::RewritePatternSet &patterns);
void populateMatmulLowerings(mlir::RewritePatternSet &patterns);
void populateNormalizationLowerings(mlir::RewritePatternSet &patterns);
void populateSoftmaxLowerings(mlir::RewritePatternSet &patterns);
void populateDataMovementLowerings(mlir::RewritePatternSet &patterns);
void populateReductionLowerings(mlir::RewritePatternSet &patterns);
void populateResizeLowerings(mlir::RewritePatternSet &patterns);
void populateGradientLowerings(mlir::RewritePatternSet &patterns);
void populatePoolGradientLowerings(mlir::RewritePatternSet &patterns);
void populateQuantizationLowerings(mlir::RewritePatternSet &patterns);
/// The target's u8 x s8 instructions the integer kernels use: the width of
/// its vpdpbusd and of its vpmaddubsw + vpmaddwd pair, 0 for none.
struct Int8Instructions {
  unsigned dotProductBits = 0;
  unsigned multiplyAddBits = 0;
};
void populateIntegerKernelLowerings(mlir::RewritePatternSet &patterns,
                                    Int8Instructions instructions);

/// Rewrites every unsigned integer type under `root` (ui8 of quantized
/// tensors) to the signless one, once no cnn op is left to read it.
void eraseSignedness(mlir::Operation *root);

} // namespace cnnc::lowering

#endif // CNNC_CONVERSION_CNNTOLINALG_STRUCTUREDBUILDERS_H
