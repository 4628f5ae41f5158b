//===- Softmax.cpp - softmax and log-softmax ------------------------------===//

#include "StructuredBuilders.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::lowering;

namespace {

/// linalg.softmax, decomposed at once into its reductions and elementwise
/// steps (max, exp(x - max), sum, divide), which the rest of the pipeline
/// tiles and vectorizes like any linalg.generic.
struct SoftmaxLowering : OpConversionPattern<cnn::SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value empty =
        tensor::EmptyOp::create(rewriter, op.getLoc(), op.getType().getShape(),
                                op.getType().getElementType());
    auto softmax = linalg::SoftmaxOp::create(
        rewriter, op.getLoc(), op.getType(), adaptor.getInput(), empty,
        static_cast<int64_t>(op.getAxis()));
    FailureOr<SmallVector<Value>> steps =
        cast<linalg::AggregatedOpInterface>(softmax.getOperation())
            .decomposeOperation(rewriter);
    if (failed(steps))
      return rewriter.notifyMatchFailure(op, "softmax does not decompose");
    rewriter.eraseOp(softmax);
    rewriter.replaceOp(op, steps->front());
    return success();
  }
};

/// log_softmax(x) along the axis, computed stably as
/// (x - max) - log(sum(exp(x - max))).
struct LogSoftmaxLowering : OpConversionPattern<cnn::LogSoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::LogSoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type element = type.getElementType();
    int64_t rank = type.getRank(), axis = op.getAxis();
    MLIRContext *ctx = rewriter.getContext();
    // The reductions keep the axis with size 1.
    SmallVector<int64_t> reducedShape(type.getShape());
    reducedShape[axis] = 1;
    auto reducedType = type.clone(reducedShape);
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d)
      exprs.push_back(d == axis ? getAffineConstantExpr(0, ctx)
                                : getAffineDimExpr(d, ctx));
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reduced = AffineMap::get(rank, 0, exprs, ctx);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators[axis] = utils::IteratorType::reduction;
    // max(x), or with `max` given, sum(exp(x - max)).
    auto reduce = [&](Value input, Value max) -> Value {
      double initial = max ? 0.0 : -std::numeric_limits<double>::infinity();
      Value empty =
          tensor::EmptyOp::create(rewriter, loc, reducedShape, element);
      Value init = linalg::FillOp::create(
                       rewriter, loc,
                       floatConstant(rewriter, loc, element, initial), empty)
                       .getResult(0);
      SmallVector<Value> inputs{input};
      SmallVector<AffineMap> maps{identity};
      if (max) {
        inputs.push_back(max);
        maps.push_back(reduced);
      }
      maps.push_back(reduced);
      return linalg::GenericOp::create(
                 rewriter, loc, reducedType, inputs, init, maps, iterators,
                 [&](OpBuilder &b, Location l, ValueRange args) {
                   Value combined;
                   if (max) {
                     Value shifted =
                         arith::SubFOp::create(b, l, args[0], args[1]);
                     combined = arith::AddFOp::create(
                         b, l, math::ExpOp::create(b, l, shifted), args[2]);
                   } else {
                     combined =
                         arith::MaximumFOp::create(b, l, args[0], args[1]);
                   }
                   linalg::YieldOp::create(b, l, combined);
                 })
          .getResult(0);
    };
    Value input = adaptor.getInput();
    Value max = reduce(input, Value());
    Value sum = reduce(input, max);
    rewriter.replaceOp(
        op, elementwise(rewriter, loc, type, {input, max, sum},
                        [](OpBuilder &b, Location l, ValueRange args) {
                          Value shifted =
                              arith::SubFOp::create(b, l, args[0], args[1]);
                          return arith::SubFOp::create(
                                     b, l, shifted,
                                     math::LogOp::create(b, l, args[2]))
                              .getResult();
                        }));
    return success();
  }
};

} // namespace

void cnnc::lowering::populateSoftmaxLowerings(RewritePatternSet &patterns) {
  patterns.add<LogSoftmaxLowering, SoftmaxLowering>(patterns.getContext());
}
