//===- Normalization.cpp - batch norm, instance norm, LRN -----------------===//

#include "StructuredBuilders.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::lowering;

namespace {

/// (x - mean) / sqrt(variance + epsilon) * scale + bias, the statistics of
/// each (n, c) over the spatial dimensions.
struct InstanceNormLowering : OpConversionPattern<cnn::InstanceNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::InstanceNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type element = type.getElementType();
    int64_t rank = type.getRank();
    SmallVector<int64_t> spatial;
    int64_t count = 1;
    for (int64_t d = 2; d < rank; ++d) {
      spatial.push_back(d);
      count *= type.getDimSize(d);
    }
    double inverse = 1.0 / static_cast<double>(count);
    auto add = [](OpBuilder &b, Location l, Value x, Value acc) -> Value {
      return arith::AddFOp::create(b, l, x, acc);
    };
    Value x = adaptor.getInput();
    Value sum = reduceKeepingDims(rewriter, loc, x, spatial, 0.0, add);
    auto statsType = cast<RankedTensorType>(sum.getType());
    auto scaleBy = [&](Value v) {
      return elementwise(rewriter, loc, statsType, v,
                         [&](OpBuilder &b, Location l, ValueRange args) {
                           return arith::MulFOp::create(
                                      b, l, args[0],
                                      floatConstant(b, l, element, inverse))
                               .getResult();
                         });
    };
    Value mean = scaleBy(sum);
    Value centered = elementwise(
        rewriter, loc, type, {x, mean},
        [](OpBuilder &b, Location l, ValueRange args) {
          return arith::SubFOp::create(b, l, args[0], args[1]).getResult();
        });
    Value squares = reduceKeepingDims(
        rewriter, loc, centered, spatial, 0.0,
        [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
          return arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, v, v),
                                       acc);
        });
    Value variance = scaleBy(squares);
    // The [C] parameters, reshaped to [C, 1...] to broadcast.
    SmallVector<int64_t> channelShape(rank - 1, 1);
    channelShape[0] = type.getDimSize(1);
    auto channel = [&](Value v) -> Value {
      return cnn::ReshapeOp::create(rewriter, loc, type.clone(channelShape), v);
    };
    double epsilon = op.getEpsilon().convertToDouble();
    rewriter.replaceOp(
        op,
        elementwise(
            rewriter, loc, type,
            {centered, variance, channel(adaptor.getScale()),
             channel(adaptor.getBias())},
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value stddev = math::SqrtOp::create(
                  b, l,
                  arith::AddFOp::create(b, l, args[1],
                                        floatConstant(b, l, element, epsilon)));
              Value normalized = arith::DivFOp::create(b, l, args[0], stddev);
              return arith::AddFOp::create(
                         b, l, arith::MulFOp::create(b, l, normalized, args[2]),
                         args[3])
                  .getResult();
            }));
    return success();
  }
};

/// x / (bias + alpha / size * sum of x^2 over the `size` channels around
/// c) ^ beta: the squares padded along C, summed over a window dimension.
struct LrnLowering : OpConversionPattern<cnn::LrnOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::LrnOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type element = type.getElementType();
    int64_t rank = type.getRank(), size = op.getSize();
    Value x = adaptor.getInput();
    Value squares = elementwise(
        rewriter, loc, type, x, [](OpBuilder &b, Location l, ValueRange args) {
          return arith::MulFOp::create(b, l, args[0], args[0]).getResult();
        });
    SmallVector<int64_t> low(rank, 0), high(rank, 0);
    low[1] = (size - 1) / 2;
    high[1] = size - 1 - low[1];
    Value padded = padWith(rewriter, loc, squares, low, high, 0.0);
    // Loops (d0..d_{rank-1}, k): read padded[.., c + k, ..].
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> read, write;
    for (int64_t d = 0; d < rank; ++d) {
      AffineExpr e = getAffineDimExpr(d, ctx);
      read.push_back(d == 1 ? e + getAffineDimExpr(rank, ctx) : e);
      write.push_back(e);
    }
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    Value empty =
        tensor::EmptyOp::create(rewriter, loc, type.getShape(), element);
    Value zero = floatConstant(rewriter, loc, element, 0.0);
    Value init =
        linalg::FillOp::create(rewriter, loc, zero, empty).getResult(0);
    Value window = tensor::EmptyOp::create(rewriter, loc, {size}, element);
    Value sums =
        linalg::GenericOp::create(
            rewriter, loc, type, ValueRange{padded, window}, init,
            ArrayRef<AffineMap>{
                AffineMap::get(rank + 1, 0, read, ctx),
                AffineMap::get(rank + 1, 0, getAffineDimExpr(rank, ctx), ctx),
                AffineMap::get(rank + 1, 0, write, ctx)},
            iterators,
            [](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l,
                  arith::AddFOp::create(b, l, args[0], args[2]).getResult());
            })
            .getResult(0);
    double alpha = op.getAlpha().convertToDouble() / static_cast<double>(size);
    double beta = op.getBeta().convertToDouble();
    double bias = op.getBias().convertToDouble();
    rewriter.replaceOp(
        op, elementwise(
                rewriter, loc, type, {x, sums},
                [&](OpBuilder &b, Location l, ValueRange args) {
                  Value base = arith::AddFOp::create(
                      b, l, floatConstant(b, l, element, bias),
                      arith::MulFOp::create(
                          b, l, floatConstant(b, l, element, alpha), args[1]));
                  Value denominator = math::PowFOp::create(
                      b, l, base, floatConstant(b, l, element, beta));
                  return arith::DivFOp::create(b, l, args[0], denominator)
                      .getResult();
                }));
    return success();
  }
};

struct BatchNormLowering : OpConversionPattern<cnn::BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type element = type.getElementType();
    // The [C] parameters broadcast along dimension 1.
    MLIRContext *ctx = rewriter.getContext();
    AffineMap channel =
        AffineMap::get(type.getRank(), 0, getAffineDimExpr(1, ctx));
    AffineMap identity = rewriter.getMultiDimIdentityMap(type.getRank());
    SmallVector<AffineMap> maps{identity, channel, channel,
                                channel,  channel, identity};
    SmallVector<utils::IteratorType> iterators(type.getRank(),
                                               utils::IteratorType::parallel);
    Value empty =
        tensor::EmptyOp::create(rewriter, loc, type.getShape(), element);
    double epsilon = op.getEpsilon().convertToDouble();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type,
        ValueRange{adaptor.getInput(), adaptor.getScale(), adaptor.getBias(),
                   adaptor.getMean(), adaptor.getVariance()},
        empty, maps, iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value centered = arith::SubFOp::create(b, l, args[0], args[3]);
          Value stddev = math::SqrtOp::create(
              b, l,
              arith::AddFOp::create(b, l, args[4],
                                    floatConstant(b, l, element, epsilon)));
          Value normalized = arith::DivFOp::create(b, l, centered, stddev);
          Value scaled = arith::MulFOp::create(b, l, normalized, args[1]);
          linalg::YieldOp::create(
              b, l, arith::AddFOp::create(b, l, scaled, args[2]).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// Training form: batch statistics per channel (over N and the spatial
/// dimensions), the normalized result, and the updated running statistics.
struct BatchNormTrainLowering : OpConversionPattern<cnn::BatchNormTrainOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::BatchNormTrainOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getResult().getType());
    auto channelType = cast<RankedTensorType>(op.getScale().getType());
    Type element = type.getElementType();
    int64_t rank = type.getRank();
    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx));
    int64_t count = type.getNumElements() / type.getDimSize(1);
    auto constant = [&](OpBuilder &b, Location l, double v) {
      return floatConstant(b, l, element, v);
    };
    // Sum over every dimension but the channel of fn(x, mean...).
    auto channelSum = [&](ValueRange inputs,
                          function_ref<Value(OpBuilder &, Location, ValueRange)>
                              term) -> Value {
      Value empty = tensor::EmptyOp::create(rewriter, loc,
                                            channelType.getShape(), element);
      Value init = linalg::FillOp::create(rewriter, loc,
                                          constant(rewriter, loc, 0.0), empty)
                       .getResult(0);
      SmallVector<AffineMap> maps{identity};
      for (size_t i = 1; i < inputs.size(); ++i)
        maps.push_back(channel);
      maps.push_back(channel);
      SmallVector<utils::IteratorType> iterators(
          rank, utils::IteratorType::reduction);
      iterators[1] = utils::IteratorType::parallel;
      return linalg::GenericOp::create(
                 rewriter, loc, channelType, inputs, init, maps, iterators,
                 [&](OpBuilder &b, Location l, ValueRange args) {
                   Value value = term(b, l, args.drop_back());
                   linalg::YieldOp::create(
                       b, l,
                       arith::AddFOp::create(b, l, value, args.back())
                           .getResult());
                 })
          .getResult(0);
    };
    Value x = adaptor.getInput();
    double inverseCount = 1.0 / static_cast<double>(count);
    Value mean = elementwise(
        rewriter, loc, channelType,
        channelSum(x, [](OpBuilder &, Location, ValueRange a) { return a[0]; }),
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          return arith::MulFOp::create(b, l, a[0], constant(b, l, inverseCount));
        });
    Value squares = channelSum(
        ValueRange{x, mean}, [](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value d = arith::SubFOp::create(b, l, a[0], a[1]);
          return arith::MulFOp::create(b, l, d, d);
        });
    Value variance = elementwise(
        rewriter, loc, channelType, squares,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          return arith::MulFOp::create(b, l, a[0], constant(b, l, inverseCount));
        });
    double epsilon = op.getEpsilon().convertToDouble();
    Value invStd = elementwise(
        rewriter, loc, channelType, variance,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          return math::RsqrtOp::create(
              b, l, arith::AddFOp::create(b, l, a[0], constant(b, l, epsilon)));
        });
    Value empty =
        tensor::EmptyOp::create(rewriter, loc, type.getShape(), element);
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, type,
            ValueRange{x, mean, invStd, adaptor.getScale(), adaptor.getBias()},
            empty,
            SmallVector<AffineMap>{identity, channel, channel, channel, channel,
                                   identity},
            parallel,
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value centered = arith::SubFOp::create(b, l, a[0], a[1]);
              Value normalized = arith::MulFOp::create(b, l, centered, a[2]);
              Value scaled = arith::MulFOp::create(b, l, normalized, a[3]);
              linalg::YieldOp::create(
                  b, l, arith::AddFOp::create(b, l, scaled, a[4]).getResult());
            })
            .getResult(0);
    double momentum = op.getMomentum().convertToDouble();
    auto blend = [&](Value running, Value batch, double correction) -> Value {
      return elementwise(
          rewriter, loc, channelType, ValueRange{running, batch},
          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            Value kept =
                arith::MulFOp::create(b, l, a[0], constant(b, l, momentum));
            Value added = arith::MulFOp::create(
                b, l, a[1], constant(b, l, (1.0 - momentum) * correction));
            return arith::AddFOp::create(b, l, kept, added);
          });
    };
    // PyTorch's running variance is the unbiased batch variance.
    double unbiased = op.getPopulationRunningVariance() || count < 2
                          ? 1.0
                          : static_cast<double>(count) / (count - 1);
    rewriter.replaceOp(op, {result, blend(adaptor.getRunningMean(), mean, 1.0),
                            blend(adaptor.getRunningVariance(), variance,
                                  unbiased),
                            mean, invStd});
    return success();
  }
};

} // namespace

void cnnc::lowering::populateNormalizationLowerings(
    RewritePatternSet &patterns) {
  patterns.add<BatchNormTrainLowering, BatchNormLowering, InstanceNormLowering, LrnLowering>(
      patterns.getContext());
}
