//===- Pooling.cpp - windowed and global pooling --------------------------===//

#include "IntegerBuilders.h"
#include "StructuredBuilders.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::lowering;

namespace {

/// linalg's max pooling `MaxOp` or sum pooling `SumOp` of `source` over
/// `window` into `init`.
template <typename MaxOp, typename SumOp>
Value poolInto(OpBuilder &b, Location loc, bool isMax, Value source,
               Value window, Value init, DenseIntElementsAttr strides,
               DenseIntElementsAttr dilations) {
  Type type = init.getType();
  SmallVector<Value, 2> inputs{source, window};
  if (isMax)
    return MaxOp::create(b, loc, type, inputs, init, strides, dilations)
        .getResult(0);
  return SumOp::create(b, loc, type, inputs, init, strides, dilations)
      .getResult(0);
}

/// 3-D pooling: linalg has it channels-last only, so NCDHW goes to NDHWC
/// and back around linalg.pooling_ndhwc_{max,sum}.
Value pool3d(OpBuilder &b, Location loc, Value source, Value window,
             Value init, DenseIntElementsAttr strides,
             DenseIntElementsAttr dilations, bool isMax) {
  const int64_t toLast[] = {0, 2, 3, 4, 1}, toFirst[] = {0, 4, 1, 2, 3};
  Value pooled =
      poolInto<linalg::PoolingNdhwcMaxOp, linalg::PoolingNdhwcSumOp>(
          b, loc, isMax, permute(b, loc, source, toLast), window,
          permute(b, loc, init, toLast), strides, dilations);
  return permute(b, loc, pooled, toFirst);
}

struct PoolLowering : OpConversionPattern<cnn::PoolOp> {
  // 1-D ops are rewritten into 2-D ones of the same kind, once.
  explicit PoolLowering(MLIRContext *ctx) : OpConversionPattern(ctx) {
    setHasBoundedRewriteRecursion();
  }
  LogicalResult
  matchAndRewrite(cnn::PoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    RankedTensorType resultType = op.getType();
    int64_t rank = inputType.getRank();
    // A 1-D pool is a 2-D one of height 1, lowered in turn.
    if (rank == 3)
      return lowerAsUnitHeight(op, adaptor.getOperands(), rewriter);
    if (rank != 4 && rank != 5)
      return rewriter.notifyMatchFailure(op, "pooling of rank above 3-D");
    int64_t spatial = rank - 2;
    cnn::Layout layout = op.getLayout();
    int64_t firstSpatial = firstSpatialDim(layout);

    Type element = inputType.getElementType();
    bool isMax = op.getKind() == cnn::PoolKind::Max;
    bool integer = isa<IntegerType>(element);
    if (integer && rank != 4)
      return rewriter.notifyMatchFailure(op, "a 3-D max pool of integers");
    SmallVector<int64_t> low, high;
    splitPads(op.getPads(), rank, firstSpatial, low, high);
    // With ceil_mode the last window may reach past the padding: extend
    // the end so that every window is inside the padded tensor.
    SmallVector<int64_t> extra(rank, 0);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t d = i + firstSpatial;
      int64_t reach = (resultType.getDimSize(d) - 1) * op.getStrides()[i] +
                      op.getDilations()[i] * (op.getKernel()[i] - 1) + 1;
      extra[d] = std::max<int64_t>(
          0, reach - (inputType.getDimSize(d) + low[d] + high[d]));
    }
    SmallVector<int64_t> highAll(high);
    for (int64_t d = 0; d < rank; ++d)
      highAll[d] += extra[d];

    if (integer)
      return lowerIntegerMax(op, adaptor.getInput(), low, highAll, rewriter);
    double lowest = -std::numeric_limits<double>::infinity();
    Value padded = padWith(rewriter, loc, adaptor.getInput(), low, highAll,
                           isMax ? lowest : 0.0);
    Value window =
        tensor::EmptyOp::create(rewriter, loc, op.getKernel(), element);
    Value empty =
        tensor::EmptyOp::create(rewriter, loc, resultType.getShape(), element);
    auto strides = rewriter.getI64TensorAttr(op.getStrides());
    auto dilations = rewriter.getI64TensorAttr(op.getDilations());
    auto pool = [&](Value source, double initial) -> Value {
      Value init = linalg::FillOp::create(
                       rewriter, loc,
                       floatConstant(rewriter, loc, element, initial), empty)
                       .getResult(0);
      if (rank == 5)
        return pool3d(rewriter, loc, source, window, init, strides, dilations,
                      isMax);
      if (layout == cnn::Layout::NHWC)
        return poolInto<linalg::PoolingNhwcMaxOp, linalg::PoolingNhwcSumOp>(
            rewriter, loc, isMax, source, window, init, strides, dilations);
      return poolInto<linalg::PoolingNchwMaxOp, linalg::PoolingNchwSumOp>(
          rewriter, loc, isMax, source, window, init, strides, dilations);
    };
    Value result = pool(padded, isMax ? lowest : 0.0);
    if (!isMax) {
      // The divisor of each window: the input positions it covers (and the
      // explicit pads with count_include_pad), never the ceil-mode extra.
      auto onesType = RankedTensorType::get(inputType.getShape(), element);
      Value ones = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(onesType, rewriter.getFloatAttr(element, 1)));
      Value counted = padWith(rewriter, loc, ones, low, high,
                              op.getCountIncludePad() ? 1.0 : 0.0);
      SmallVector<int64_t> none(rank, 0);
      counted = padWith(rewriter, loc, counted, none, extra, 0.0);
      Value count = pool(counted, 0.0);
      result = elementwise(
          rewriter, loc, resultType, {result, count},
          [](OpBuilder &b, Location l, ValueRange args) {
            return arith::DivFOp::create(b, l, args[0], args[1]).getResult();
          });
    }
    rewriter.replaceOp(op, result);
    return success();
  }

  /// A 2-D max pool of int8 or uint8 (a quantized tensor): padded with the
  /// type's least value, which never wins (a window holds an input), on
  /// linalg's signed or unsigned max pooling, channels last (NCHW is
  /// transposed around it).
  LogicalResult lowerIntegerMax(cnn::PoolOp op, Value input,
                                ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                                ConversionPatternRewriter &rewriter) const {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    bool unsignedInput = isUnsigned(resultType);
    bool channelsLast = op.getLayout() == cnn::Layout::NHWC;
    Type i8 = rewriter.getI8Type();
    Value lowest = arith::ConstantOp::create(
        rewriter, loc, rewriter.getIntegerAttr(i8, unsignedInput ? 0 : -128));
    Value padded =
        padWithScalar(rewriter, loc, signless(rewriter, loc, input), low, high,
                      lowest);
    if (!channelsLast)
      padded = permute(rewriter, loc, padded, cnn::kToChannelsLast);
    SmallVector<int64_t> shape(resultType.getShape());
    if (!channelsLast)
      shape = {shape[0], shape[2], shape[3], shape[1]};
    Value init = linalg::FillOp::create(
                     rewriter, loc, lowest,
                     tensor::EmptyOp::create(rewriter, loc, shape, i8)
                         .getResult())
                     .getResult(0);
    Value window = tensor::EmptyOp::create(rewriter, loc, op.getKernel(), i8);
    auto strides = rewriter.getI64TensorAttr(op.getStrides());
    auto dilations = rewriter.getI64TensorAttr(op.getDilations());
    SmallVector<Value, 2> inputs{padded, window};
    Value pooled =
        unsignedInput
            ? linalg::PoolingNhwcMaxUnsignedOp::create(
                  rewriter, loc, init.getType(), inputs, init, strides,
                  dilations)
                  .getResult(0)
            : linalg::PoolingNhwcMaxOp::create(rewriter, loc, init.getType(),
                                               inputs, init, strides,
                                               dilations)
                  .getResult(0);
    if (!channelsLast)
      pooled = permute(rewriter, loc, pooled, cnn::kToChannelsFirst);
    rewriter.replaceOp(op, retyped(rewriter, loc, pooled, resultType));
    return success();
  }
};

struct GlobalPoolLowering : OpConversionPattern<cnn::GlobalPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::GlobalPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    Type element = inputType.getElementType();
    int64_t rank = inputType.getRank();
    bool isMax = op.getKind() == cnn::PoolKind::Max;
    // A reduction over the spatial dimensions into the [N, C, 1...] (or
    // [N, 1, 1, C]) result.
    MLIRContext *ctx = rewriter.getContext();
    int64_t channels = channelDim(op.getLayout(), rank);
    SmallVector<AffineExpr> outExprs;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < rank; ++d) {
      bool kept = d == 0 || d == channels;
      outExprs.push_back(kept ? getAffineDimExpr(d, ctx)
                              : getAffineConstantExpr(0, ctx));
      iterators.push_back(kept ? utils::IteratorType::parallel
                               : utils::IteratorType::reduction);
    }
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank),
                                AffineMap::get(rank, 0, outExprs, ctx)};
    Value empty = tensor::EmptyOp::create(rewriter, loc,
                                          op.getType().getShape(), element);
    double initial = isMax ? -std::numeric_limits<double>::infinity() : 0.0;
    Value init = linalg::FillOp::create(
                     rewriter, loc,
                     floatConstant(rewriter, loc, element, initial), empty)
                     .getResult(0);
    Value reduced =
        linalg::GenericOp::create(
            rewriter, loc, op.getType(), adaptor.getInput(), init, maps,
            iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value combined =
                  isMax ? arith::MaximumFOp::create(b, l, args[0], args[1])
                              .getResult()
                        : arith::AddFOp::create(b, l, args[0], args[1])
                              .getResult();
              linalg::YieldOp::create(b, l, combined);
            })
            .getResult(0);
    if (!isMax) {
      int64_t count = inputType.getNumElements() /
                      (inputType.getDimSize(0) * inputType.getDimSize(channels));
      double scale = 1.0 / static_cast<double>(count);
      reduced = elementwise(rewriter, loc, op.getType(), reduced,
                            [&](OpBuilder &b, Location l, ValueRange args) {
                              return arith::MulFOp::create(
                                         b, l, args[0],
                                         floatConstant(b, l, element, scale))
                                  .getResult();
                            });
    }
    rewriter.replaceOp(op, reduced);
    return success();
  }
};

} // namespace

void cnnc::lowering::populatePoolingLowerings(RewritePatternSet &patterns) {
  patterns.add<GlobalPoolLowering, PoolLowering>(patterns.getContext());
}
