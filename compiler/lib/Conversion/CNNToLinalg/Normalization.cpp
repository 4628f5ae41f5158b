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

} // namespace

void cnnc::lowering::populateNormalizationLowerings(
    RewritePatternSet &patterns) {
  patterns.add<BatchNormLowering, InstanceNormLowering, LrnLowering>(
      patterns.getContext());
}
