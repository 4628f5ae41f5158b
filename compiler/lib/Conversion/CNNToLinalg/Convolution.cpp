//===- Convolution.cpp - convolution and transposed convolution -----------===//

#include "StructuredBuilders.h"
#include "cnnc/Dialect/Kernel/IR/KernelOps.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::lowering;

namespace {

struct ConvLowering : OpConversionPattern<cnn::ConvOp> {
  // 1-D ops are rewritten into 2-D ones of the same kind, once.
  explicit ConvLowering(MLIRContext *ctx) : OpConversionPattern(ctx) {
    setHasBoundedRewriteRecursion();
  }
  LogicalResult
  matchAndRewrite(cnn::ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    int64_t rank = inputType.getRank();
    // A 1-D convolution is a 2-D one of height 1, lowered in turn.
    if (rank == 3)
      return lowerAsUnitHeight(op, adaptor.getOperands(), rewriter);
    cnn::Layout layout = op.getLayout();
    SmallVector<int64_t> low, high;
    splitPads(op.getPads(), rank, firstSpatialDim(layout), low, high);
    Value input = padWith(rewriter, loc, adaptor.getInput(), low, high, 0.0);
    int64_t groups = op.getGroups();
    // Channels-last, one group or depthwise: one kernel op with its bias,
    // residual and activation (the kernel passes build its code).
    if (layout == cnn::Layout::NHWC && rank == 4 && op.getType().getElementType().isF32()) {
      if (Value filter = kernelFilter(rewriter, loc, adaptor.getWeight(),
                                      groups)) {
        Value init = tensor::EmptyOp::create(rewriter, loc,
                                             op.getType().getShape(),
                                             op.getType().getElementType());
        rewriter.replaceOpWithNewOp<cnnk::Conv2DOp>(
            op, op.getType(), input, filter, adaptor.getBias(),
            adaptor.getResidual(), init, op.getStrides(), op.getDilations(),
            op.getActivationAttr(), op.getActivationAlphaAttr(),
            op.getActivationBetaAttr(), /*algorithm=*/nullptr,
            /*tile=*/nullptr);
        return success();
      }
    }
    Value init = accumulator(rewriter, loc, op.getType(), adaptor.getBias(),
                             channelDim(layout, rank));
    auto strides = rewriter.getI64TensorAttr(op.getStrides());
    auto dilations = rewriter.getI64TensorAttr(op.getDilations());
    if (layout == cnn::Layout::NHWC)
      return replaceWithEpilogue(
          op, adaptor, rewriter,
          groupedChannelsLast(rewriter, loc, input, adaptor.getWeight(), init,
                              op.getStrides(), op.getDilations(), groups));
    if (rank == 5) {
      // linalg has no grouped 3-D convolution: one per group, each on its
      // slice of the channels, inserted into the result.
      auto slice = [&](Value value, int64_t dim, int64_t offset,
                       int64_t size) -> std::pair<Value, SmallVector<OpFoldResult>> {
        auto type = cast<RankedTensorType>(value.getType());
        SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
        SmallVector<OpFoldResult> sizes, ones(rank, rewriter.getIndexAttr(1));
        for (int64_t d = 0; d < rank; ++d)
          sizes.push_back(rewriter.getIndexAttr(d == dim ? size
                                                         : type.getDimSize(d)));
        offsets[dim] = rewriter.getIndexAttr(offset);
        Value part = groups == 1 ? value
                                 : tensor::ExtractSliceOp::create(
                                       rewriter, loc, value, offsets, sizes,
                                       ones)
                                       .getResult();
        return {part, offsets};
      };
      auto weightType = cast<RankedTensorType>(adaptor.getWeight().getType());
      int64_t channels = inputType.getDimSize(1) / groups;
      int64_t filters = weightType.getDimSize(0) / groups;
      Value result = init;
      for (int64_t g = 0; g < groups; ++g) {
        Value in = slice(input, 1, g * channels, channels).first;
        Value weight = slice(adaptor.getWeight(), 0, g * filters, filters).first;
        auto [acc, offsets] = slice(result, 1, g * filters, filters);
        Value conv = linalg::Conv3DNcdhwFcdhwOp::create(
                         rewriter, loc, acc.getType(), ValueRange{in, weight},
                         acc, strides, dilations)
                         .getResult(0);
        if (groups == 1) {
          result = conv;
          continue;
        }
        auto accType = cast<RankedTensorType>(acc.getType());
        SmallVector<OpFoldResult> sizes, ones(rank, rewriter.getIndexAttr(1));
        for (int64_t d = 0; d < rank; ++d)
          sizes.push_back(rewriter.getIndexAttr(accType.getDimSize(d)));
        result = tensor::InsertSliceOp::create(rewriter, loc, conv, result,
                                               offsets, sizes, ones);
      }
      return replaceWithEpilogue(op, adaptor, rewriter, result);
    }
    if (groups == 1)
      return replaceWithEpilogue(
          op, adaptor, rewriter,
          linalg::Conv2DNchwFchwOp::create(
              rewriter, loc, op.getType(),
              ValueRange{input, adaptor.getWeight()}, init, strides, dilations)
              .getResult(0));
    // Grouped: the channels split into [G, C/G], the weight's output
    // channels into [G, F/G].
    auto expand = [&](Value value, int64_t dim) -> Value {
      auto type = cast<RankedTensorType>(value.getType());
      SmallVector<int64_t> shape(type.getShape());
      shape[dim] /= groups;
      shape.insert(shape.begin() + dim, groups);
      SmallVector<ReassociationIndices> reassociation;
      for (int64_t d = 0, e = type.getRank(); d < e; ++d) {
        if (d < dim)
          reassociation.push_back({d});
        else if (d == dim)
          reassociation.push_back({d, d + 1});
        else
          reassociation.push_back({d + 1});
      }
      return tensor::ExpandShapeOp::create(rewriter, loc, type.clone(shape),
                                           value, reassociation);
    };
    Value groupedInit = expand(init, 1);
    auto conv = linalg::Conv2DNgchwGfchwOp::create(
        rewriter, loc, groupedInit.getType(),
        ValueRange{expand(input, 1), expand(adaptor.getWeight(), 0)},
        groupedInit, strides, dilations);
    SmallVector<ReassociationIndices> collapse{{0}, {1, 2}, {3}, {4}};
    return replaceWithEpilogue(
        op, adaptor, rewriter,
        tensor::CollapseShapeOp::create(rewriter, loc, op.getType(),
                                        conv.getResult(0), collapse));
  }

private:
  /// The filter of the kernel op for a [KH, KW, C / G, F] weight: itself
  /// for one group, [KH, KW, C] for a depthwise convolution; null for
  /// other groupings, which the kernel op does not take.
  static Value kernelFilter(OpBuilder &b, Location loc, Value weight,
                            int64_t groups) {
    if (groups == 1)
      return weight;
    auto weightType = cast<RankedTensorType>(weight.getType());
    if (weightType.getDimSize(2) != 1 || weightType.getDimSize(3) != groups)
      return nullptr;
    // Depthwise: [KH, KW, 1, C] is [KH, KW, C].
    return tensor::CollapseShapeOp::create(
        b, loc, weight, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
  }

  /// A grouped [N, H, W, C] convolution with a [KH, KW, C / G, F] weight
  /// into the [N, H', W', F] accumulator `init`, as a generic over the
  /// groups.
  static Value groupedChannelsLast(OpBuilder &b, Location loc, Value input,
                                   Value weight, Value init,
                                   ArrayRef<int64_t> strides,
                                   ArrayRef<int64_t> dilations,
                                   int64_t groups) {
    auto initType = cast<RankedTensorType>(init.getType());
    auto weightType = cast<RankedTensorType>(weight.getType());
    int64_t filtersPerGroup = weightType.getDimSize(3) / groups;
    // The channels split into [G, C / G] and the filters into [G, F / G]:
    // out[n, h, w, g, f] += in[n, h*s + kh*d, w*s + kw*d, g, c]
    //                       * weight[kh, kw, c, g, f].
    auto split = [&](Value value, int64_t perGroup) -> Value {
      auto type = cast<RankedTensorType>(value.getType());
      SmallVector<int64_t> shape(type.getShape().drop_back());
      shape.append({groups, perGroup});
      return tensor::ExpandShapeOp::create(
          b, loc, type.clone(shape), value,
          SmallVector<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
    };
    auto inputType = cast<RankedTensorType>(input.getType());
    Value groupedInput =
        split(input, inputType.getDimSize(3) / groups);
    Value groupedWeight = split(weight, filtersPerGroup);
    Value groupedInit = split(init, filtersPerGroup);
    MLIRContext *ctx = b.getContext();
    // Loops: n, h, w, g, f (parallel), kh, kw, c (reduction).
    AffineExpr n, h, w, g, f, kh, kw, c;
    bindDims(ctx, n, h, w, g, f, kh, kw, c);
    auto map = [&](ArrayRef<AffineExpr> exprs) {
      return AffineMap::get(8, 0, exprs, ctx);
    };
    SmallVector<AffineMap> maps{
        map({n, h * strides[0] + kh * dilations[0],
             w * strides[1] + kw * dilations[1], g, c}),
        map({kh, kw, c, g, f}), map({n, h, w, g, f})};
    SmallVector<utils::IteratorType> iterators(5,
                                               utils::IteratorType::parallel);
    iterators.append(3, utils::IteratorType::reduction);
    Value grouped =
        linalg::GenericOp::create(
            b, loc, groupedInit.getType(), ValueRange{groupedInput,
                                                      groupedWeight},
            groupedInit, maps, iterators,
            [](OpBuilder &nb, Location l, ValueRange args) {
              Value product = arith::MulFOp::create(nb, l, args[0], args[1]);
              linalg::YieldOp::create(
                  nb, l, ValueRange{arith::AddFOp::create(nb, l, args[2],
                                                          product)});
            })
            .getResult(0);
    return tensor::CollapseShapeOp::create(
        b, loc, initType, grouped,
        SmallVector<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
  }

  /// The fused residual add and activation, after the convolution.
  static LogicalResult replaceWithEpilogue(cnn::ConvOp op, OpAdaptor adaptor,
                                           ConversionPatternRewriter &rewriter,
                                           Value conv) {
    rewriter.replaceOp(op, epilogue(rewriter, op.getLoc(), conv,
                                    adaptor.getResidual(), op.getActivation(),
                                    op.getActivationAlphaAttr(),
                                    op.getActivationBetaAttr()));
    return success();
  }
};

/// A transposed convolution as a direct one: the input spread out by the
/// stride (zeros in between), padded by the kernel's reach minus the pads
/// (cropped where that is negative), convolved with the kernel flipped in
/// space and with its channel dimensions swapped.
struct ConvTransposeLowering : OpConversionPattern<cnn::ConvTransposeOp> {
  explicit ConvTransposeLowering(MLIRContext *ctx) : OpConversionPattern(ctx) {
    setHasBoundedRewriteRecursion();
  }
  LogicalResult
  matchAndRewrite(cnn::ConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    RankedTensorType resultType = op.getType();
    int64_t rank = inputType.getRank();
    if (rank == 3)
      return lowerAsUnitHeight(op, adaptor.getOperands(), rewriter);
    int64_t groups = op.getGroups();
    int64_t spatial = rank - 2;
    Type element = inputType.getElementType();
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
    ArrayRef<int64_t> pads = op.getPads(),
                      outputPadding = op.getOutputPadding();

    // The input spread out by the strides.
    SmallVector<int64_t> spread(inputType.getShape());
    for (int64_t i = 0; i < spatial; ++i)
      spread[i + 2] = (spread[i + 2] - 1) * strides[i] + 1;
    Value zeros =
        linalg::FillOp::create(
            rewriter, loc, floatConstant(rewriter, loc, element, 0.0),
            ValueRange{tensor::EmptyOp::create(rewriter, loc, spread, element)})
            .getResult(0);
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes, steps;
    for (int64_t d = 0; d < rank; ++d) {
      sizes.push_back(rewriter.getIndexAttr(inputType.getDimSize(d)));
      steps.push_back(rewriter.getIndexAttr(d < 2 ? 1 : strides[d - 2]));
    }
    Value input = tensor::InsertSliceOp::create(
        rewriter, loc, adaptor.getInput(), zeros, offsets, sizes, steps);

    // Pad by the kernel's reach less the pads; crop where that is negative.
    SmallVector<int64_t> low(rank, 0), high(rank, 0), cropLow(rank, 0),
        cropHigh(rank, 0);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t reach = dilations[i] * (weightType.getDimSize(i + 2) - 1);
      int64_t before = reach - pads[i];
      int64_t after = reach - pads[i + spatial] + outputPadding[i];
      (before >= 0 ? low[i + 2] : cropLow[i + 2]) = std::abs(before);
      (after >= 0 ? high[i + 2] : cropHigh[i + 2]) = std::abs(after);
    }
    input = padWith(rewriter, loc, input, low, high, 0.0);
    if (llvm::any_of(cropLow, [](int64_t v) { return v != 0; }) ||
        llvm::any_of(cropHigh, [](int64_t v) { return v != 0; })) {
      auto type = cast<RankedTensorType>(input.getType());
      SmallVector<OpFoldResult> cropOffsets, cropSizes;
      for (int64_t d = 0; d < rank; ++d) {
        cropOffsets.push_back(rewriter.getIndexAttr(cropLow[d]));
        cropSizes.push_back(rewriter.getIndexAttr(type.getDimSize(d) -
                                                  cropLow[d] - cropHigh[d]));
      }
      SmallVector<OpFoldResult> ones(rank, rewriter.getIndexAttr(1));
      input = tensor::ExtractSliceOp::create(rewriter, loc, input, cropOffsets,
                                             cropSizes, ones);
    }

    // The kernel [Ci, Co/G, K...] -> [Co, Ci/G, K...], flipped in space:
    // output channel o of group g = o / (Co/G) reads the group's input
    // channels g * Ci/G + i.
    MLIRContext *ctx = rewriter.getContext();
    int64_t outPerGroup = weightType.getDimSize(1);
    int64_t inPerGroup = weightType.getDimSize(0) / groups;
    AffineExpr o = getAffineDimExpr(0, ctx), i = getAffineDimExpr(1, ctx);
    SmallVector<AffineExpr> read{
        groups == 1 ? i : o.floorDiv(outPerGroup) * inPerGroup + i,
        groups == 1 ? o : o % outPerGroup};
    SmallVector<int64_t> flippedShape{outPerGroup * groups, inPerGroup};
    for (int64_t d = 2; d < rank; ++d) {
      read.push_back(weightType.getDimSize(d) - 1 - getAffineDimExpr(d, ctx));
      flippedShape.push_back(weightType.getDimSize(d));
    }
    auto flippedType = RankedTensorType::get(flippedShape, element);
    Value flipped =
        linalg::GenericOp::create(
            rewriter, loc, flippedType, adaptor.getWeight(),
            ValueRange{
                tensor::EmptyOp::create(rewriter, loc, flippedShape, element)},
            ArrayRef<AffineMap>{AffineMap::get(rank, 0, read, ctx),
                                rewriter.getMultiDimIdentityMap(rank)},
            SmallVector<utils::IteratorType>(rank,
                                             utils::IteratorType::parallel),
            [](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(b, l, args[0]);
            })
            .getResult(0);
    // A unit-stride convolution, lowered in turn.
    rewriter.replaceOpWithNewOp<cnn::ConvOp>(
        op, resultType, input, flipped, adaptor.getBias(), /*residual=*/Value(),
        SmallVector<int64_t>(spatial, 1), SmallVector<int64_t>(2 * spatial, 0),
        dilations, groups, /*activation=*/nullptr, /*activation_alpha=*/nullptr,
        /*activation_beta=*/nullptr);
    return success();
  }
};

} // namespace

void cnnc::lowering::populateConvolutionLowerings(RewritePatternSet &patterns) {
  patterns.add<ConvLowering, ConvTransposeLowering>(patterns.getContext());
}
