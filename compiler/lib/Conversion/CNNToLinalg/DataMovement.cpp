//===- DataMovement.cpp - reshape, transpose, concat, pad -----------------===//

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

struct PadLowering : OpConversionPattern<cnn::PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (op.getMode() != cnn::PadMode::Constant)
      return rewriter.notifyMatchFailure(
          op, "reflect and edge padding are not lowered yet");
    int64_t rank = op.getType().getRank();
    ArrayRef<int64_t> pads = op.getPads();
    rewriter.replaceOp(op, padWith(rewriter, op.getLoc(), adaptor.getInput(),
                                   pads.take_front(rank), pads.drop_front(rank),
                                   op.getValue().convertToDouble()));
    return success();
  }
};

} // namespace

void cnnc::lowering::populateDataMovementLowerings(
    RewritePatternSet &patterns) {
  patterns.add<ConcatLowering, PadLowering, ReshapeLowering, TransposeLowering>(
      patterns.getContext());
}
