//===- Losses.cpp - softmax cross-entropy and mean squared error ----------===//

#include "StructuredBuilders.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

#include <limits>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::lowering;

namespace {

Value addF(OpBuilder &b, Location l, Value x, Value acc) {
  return arith::AddFOp::create(b, l, x, acc);
}

/// `perElement` reduced as `reduction` asks: kept (none), summed or
/// averaged over every element into a 0-d tensor.
Value applyReduction(OpBuilder &b, Location loc, Value perElement,
                     cnn::LossReduction reduction) {
  if (reduction == cnn::LossReduction::None)
    return perElement;
  auto type = cast<RankedTensorType>(perElement.getType());
  SmallVector<int64_t> all;
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.push_back(d);
  Value sum = reduceKeepingDims(b, loc, perElement, all, 0.0, addF);
  auto scalarType = RankedTensorType::get({}, type.getElementType());
  Value scalar = tensor::CollapseShapeOp::create(
      b, loc, scalarType, sum, SmallVector<ReassociationIndices>{});
  if (reduction == cnn::LossReduction::Sum)
    return scalar;
  double scale = 1.0 / static_cast<double>(type.getNumElements());
  return elementwise(b, loc, scalarType, scalar,
                     [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                       return arith::MulFOp::create(
                           nb, l, a[0],
                           floatConstant(nb, l, type.getElementType(), scale));
                     });
}

struct MseLossLowering : OpConversionPattern<cnn::MseLossOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::MseLossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getPrediction().getType());
    Value squares = elementwise(
        rewriter, loc, type,
        ValueRange{adaptor.getPrediction(), adaptor.getTarget()},
        [](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value d = arith::SubFOp::create(b, l, a[0], a[1]);
          return arith::MulFOp::create(b, l, d, d);
        });
    rewriter.replaceOp(op, applyReduction(rewriter, loc, squares,
                                          op.getReduction()));
    return success();
  }
};

/// loss[n] = logsumexp(x[n]) - (1 - s) x[n, label[n]] - (s / C) sum_c x[n, c]
/// (the cross-entropy against the smoothed one-hot target). Labels outside
/// [0, C) are clamped into it, so that no read leaves the logits.
struct SoftmaxCrossEntropyLowering
    : OpConversionPattern<cnn::SoftmaxCrossEntropyOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::SoftmaxCrossEntropyOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value logits = adaptor.getLogits();
    auto type = cast<RankedTensorType>(logits.getType());
    Type element = type.getElementType();
    int64_t batch = type.getDimSize(0), classes = type.getDimSize(1);
    auto rowType = RankedTensorType::get({batch, 1}, element);
    auto [rowMax, shiftedExp, expSum] = softmaxRows(rewriter, loc, logits);
    Value rowSum = reduceKeepingDims(rewriter, loc, logits, {1}, 0.0, addF);
    Value lossRows = tensor::EmptyOp::create(rewriter, loc,
                                             rowType.getShape(), element);
    double smoothing = op.getLabelSmoothing().convertToDouble();
    MLIRContext *ctx = rewriter.getContext();
    AffineMap rows = AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx);
    AffineMap identity = rewriter.getMultiDimIdentityMap(2);
    Value labels = adaptor.getLabels();
    Value perRow =
        linalg::GenericOp::create(
            rewriter, loc, rowType,
            ValueRange{rowMax, expSum, rowSum, labels}, lossRows,
            SmallVector<AffineMap>{identity, identity, identity, rows,
                                   identity},
            SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value lse = arith::AddFOp::create(
                  b, l, a[0], math::LogOp::create(b, l, a[1]));
              Value label = arith::IndexCastOp::create(b, l, b.getIndexType(),
                                                       a[3]);
              Value zero = arith::ConstantIndexOp::create(b, l, 0);
              Value last = arith::ConstantIndexOp::create(b, l, classes - 1);
              label = arith::MinSIOp::create(
                  b, l, arith::MaxSIOp::create(b, l, label, zero), last);
              Value row = linalg::IndexOp::create(b, l, 0);
              Value picked =
                  tensor::ExtractOp::create(b, l, logits, ValueRange{row, label});
              Value loss = arith::SubFOp::create(
                  b, l, lse,
                  arith::MulFOp::create(
                      b, l, picked,
                      floatConstant(b, l, element, 1.0 - smoothing)));
              loss = arith::SubFOp::create(
                  b, l, loss,
                  arith::MulFOp::create(
                      b, l, a[2],
                      floatConstant(b, l, element,
                                    smoothing / static_cast<double>(classes))));
              linalg::YieldOp::create(b, l, loss);
            })
            .getResult(0);
    auto batchType = RankedTensorType::get({batch}, element);
    Value perSample = tensor::CollapseShapeOp::create(
        rewriter, loc, batchType, perRow,
        SmallVector<ReassociationIndices>{{0, 1}});
    rewriter.replaceOp(op, applyReduction(rewriter, loc, perSample,
                                          op.getReduction()));
    return success();
  }
};

} // namespace

SoftmaxRows cnnc::lowering::softmaxRows(OpBuilder &b, Location loc,
                                        Value logits) {
  auto type = cast<RankedTensorType>(logits.getType());
  double lowest = -std::numeric_limits<double>::infinity();
  Value rowMax = reduceKeepingDims(
      b, loc, logits, {1}, lowest,
      [](OpBuilder &nb, Location l, Value x, Value acc) -> Value {
        return arith::MaximumFOp::create(nb, l, x, acc);
      });
  Value shiftedExp = elementwise(
      b, loc, type, ValueRange{logits, rowMax},
      [](OpBuilder &nb, Location l, ValueRange a) -> Value {
        return math::ExpOp::create(nb, l,
                                   arith::SubFOp::create(nb, l, a[0], a[1]));
      });
  Value expSum = reduceKeepingDims(b, loc, shiftedExp, {1}, 0.0, addF);
  return {rowMax, shiftedExp, expSum};
}

void cnnc::lowering::populateLossLowerings(RewritePatternSet &patterns) {
  patterns.add<MseLossLowering, SoftmaxCrossEntropyLowering>(
      patterns.getContext());
}
