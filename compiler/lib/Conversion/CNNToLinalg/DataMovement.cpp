//===- DataMovement.cpp - reshape, transpose, concat, pad, slice ----------===//

#include "StructuredBuilders.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::lowering;

namespace {

struct ReshapeLowering : OpConversionPattern<cnn::ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    auto shapeType =
        RankedTensorType::get({resultType.getRank()}, rewriter.getIndexType());
    SmallVector<Attribute> dims;
    for (int64_t d : resultType.getShape())
      dims.push_back(rewriter.getIndexAttr(d));
    Value shape = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(shapeType, dims));
    rewriter.replaceOpWithNewOp<tensor::ReshapeOp>(op, resultType,
                                                   adaptor.getInput(), shape);
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<cnn::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value empty =
        tensor::EmptyOp::create(rewriter, op.getLoc(), op.getType().getShape(),
                                op.getType().getElementType());
    rewriter.replaceOp(op, linalg::TransposeOp::create(
                               rewriter, op.getLoc(), adaptor.getInput(), empty,
                               op.getPermutation())
                               .getResult()[0]);
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<cnn::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(
        op, op.getType(), static_cast<int64_t>(op.getAxis()),
        adaptor.getInputs());
    return success();
  }
};

/// The input index that output index `i` of a padded dimension reads:
/// `i - low` mirrored (reflect) or clamped (edge) into [0, size).
Value sourceIndex(OpBuilder &b, Location loc, Value i, int64_t low,
                  int64_t size, cnn::PadMode mode) {
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value j = arith::SubIOp::create(b, loc, i, constant(low));
  Value zero = constant(0), last = constant(size - 1);
  if (mode == cnn::PadMode::Edge)
    return arith::MinSIOp::create(b, loc,
                                  arith::MaxSIOp::create(b, loc, j, zero), last);
  // Reflect: -j below the start, 2 (size - 1) - j past the end.
  Value below = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, j, zero);
  Value mirrored = arith::SelectOp::create(
      b, loc, below, arith::SubIOp::create(b, loc, zero, j), j);
  Value above = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt,
                                      mirrored, last);
  Value back = arith::SubIOp::create(b, loc, constant(2 * (size - 1)),
                                     mirrored);
  return arith::SelectOp::create(b, loc, above, back, mirrored);
}

struct PadLowering : OpConversionPattern<cnn::PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    int64_t rank = op.getType().getRank();
    ArrayRef<int64_t> pads = op.getPads();
    Location loc = op.getLoc();
    if (op.getMode() == cnn::PadMode::Constant) {
      rewriter.replaceOp(op, padWith(rewriter, loc, adaptor.getInput(),
                                     pads.take_front(rank),
                                     pads.drop_front(rank),
                                     op.getValue().convertToDouble()));
      return success();
    }
    // Reflect and edge: every output element reads one input element.
    Value input = adaptor.getInput();
    ArrayRef<int64_t> inputShape = op.getInput().getType().getShape();
    RankedTensorType type = op.getType();
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                          type.getElementType());
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange(), empty,
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank)},
        iterators, [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d) {
            Value i = linalg::IndexOp::create(b, l, d);
            indices.push_back(pads[d] == 0 && pads[d + rank] == 0
                                  ? i
                                  : sourceIndex(b, l, i, pads[d],
                                                inputShape[d], op.getMode()));
          }
          linalg::YieldOp::create(
              b, l, tensor::ExtractOp::create(b, l, input, indices).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// Positive strides: a strided view (tensor.extract_slice). A negative
/// stride (a reversed slice): a copy reading offset + j * stride, which an
/// affine map can say and a slice cannot.
struct SliceLowering : OpConversionPattern<cnn::SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ArrayRef<int64_t> offsets = op.getOffsets(), sizes = op.getSizes(),
                      strides = op.getStrides();
    RankedTensorType type = op.getType();
    Location loc = op.getLoc();
    if (llvm::all_of(strides, [](int64_t s) { return s > 0; })) {
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
          op, type, adaptor.getInput(), ValueRange(), ValueRange(),
          ValueRange(), offsets, sizes, strides);
      return success();
    }
    int64_t rank = type.getRank();
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d)
      exprs.push_back(getAffineConstantExpr(offsets[d], ctx) +
                      getAffineDimExpr(d, ctx) * strides[d]);
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                          type.getElementType());
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, adaptor.getInput(), empty,
        SmallVector<AffineMap>{AffineMap::get(rank, 0, exprs, ctx),
                               rewriter.getMultiDimIdentityMap(rank)},
        iterators, [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, args[0]);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void cnnc::lowering::populateDataMovementLowerings(
    RewritePatternSet &patterns) {
  patterns.add<ConcatLowering, PadLowering, ReshapeLowering, SliceLowering,
               TransposeLowering>(patterns.getContext());
}
