//===- CNNToLinalg.cpp - cnn ops to linalg on tensors ---------------------===//
//
// One pattern per cnn op family. Elementwise ops become linalg.generic with
// numpy broadcasting in the indexing maps; convolutions and pooling the
// named linalg ops over a tensor.pad-ded input; the bias of a convolution
// is the initial value of its accumulator.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Conversion/Passes.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

namespace cnnc {
#define GEN_PASS_DEF_CONVERTCNNTOLINALG
#include "cnnc/Conversion/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

Value floatConstant(OpBuilder &b, Location loc, Type type, double value) {
  return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, value));
}

/// The identity-or-broadcast map reading an operand of `shape` for a result
/// of rank `rank` (numpy rules: trailing alignment, size-1 dimensions
/// repeat).
AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> shape,
                       ArrayRef<int64_t> resultShape) {
  int64_t rank = resultShape.size();
  int64_t lead = rank - static_cast<int64_t>(shape.size());
  SmallVector<AffineExpr> exprs;
  for (auto [i, dim] : llvm::enumerate(shape)) {
    if (dim == 1 && resultShape[lead + i] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(lead + i, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// A linalg.generic computing `fn` elementwise over the broadcast inputs.
Value elementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                  ValueRange inputs,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> fn) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(
        broadcastMap(ctx, cast<RankedTensorType>(input.getType()).getShape(),
                     resultType.getShape()));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType());
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, init, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, fn(nb, nloc, args.drop_back()));
      });
  return generic.getResult(0);
}

/// `input` padded with `value`: `low` and `high` per dimension.
Value padWith(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
              ArrayRef<int64_t> high, double value) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape;
  for (auto [d, dim] : llvm::enumerate(type.getShape()))
    shape.push_back(dim + low[d] + high[d]);
  Value padding = floatConstant(b, loc, type.getElementType(), value);
  SmallVector<OpFoldResult> lowPads, highPads;
  for (auto [l, h] : llvm::zip(low, high)) {
    lowPads.push_back(b.getIndexAttr(l));
    highPads.push_back(b.getIndexAttr(h));
  }
  return tensor::PadOp::create(b, loc, type.clone(shape), input, lowPads,
                               highPads, padding);
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

Value activation(OpBuilder &b, Location loc, cnn::ActivationOp op, Value x) {
  Type t = x.getType();
  auto c = [&](double v) { return floatConstant(b, loc, t, v); };
  double alpha = op.getAlpha() ? op.getAlpha()->convertToDouble() : 0.0;
  double beta = op.getBeta() ? op.getBeta()->convertToDouble() : 0.0;
  auto sigmoid = [&](Value v) {
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, v));
    return arith::DivFOp::create(b, loc, c(1),
                                 arith::AddFOp::create(b, loc, c(1), e))
        .getResult();
  };
  auto isNegative = [&](Value v) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, v, c(0));
  };
  auto clamp01 = [&](Value v) {
    return arith::MinimumFOp::create(
               b, loc, arith::MaximumFOp::create(b, loc, v, c(0)), c(1))
        .getResult();
  };
  auto elu = [&](Value v, double a) {
    Value negative =
        arith::MulFOp::create(b, loc, c(a), math::ExpM1Op::create(b, loc, v));
    return arith::SelectOp::create(b, loc, isNegative(v), negative, v)
        .getResult();
  };
  switch (op.getKind()) {
  case cnn::ActivationKind::Relu:
    return arith::MaximumFOp::create(b, loc, x, c(0));
  case cnn::ActivationKind::LeakyRelu:
    return arith::SelectOp::create(
        b, loc, isNegative(x), arith::MulFOp::create(b, loc, c(alpha), x), x);
  case cnn::ActivationKind::Clip:
    return arith::MinimumFOp::create(
        b, loc, arith::MaximumFOp::create(b, loc, x, c(alpha)), c(beta));
  case cnn::ActivationKind::Sigmoid:
    return sigmoid(x);
  case cnn::ActivationKind::HardSigmoid:
    return clamp01(arith::AddFOp::create(
        b, loc, arith::MulFOp::create(b, loc, c(alpha), x), c(beta)));
  case cnn::ActivationKind::HardSwish:
    return arith::MulFOp::create(
        b, loc, x,
        clamp01(arith::AddFOp::create(
            b, loc, arith::MulFOp::create(b, loc, c(1.0 / 6.0), x), c(0.5))));
  case cnn::ActivationKind::Tanh:
    return math::TanhOp::create(b, loc, x);
  case cnn::ActivationKind::Elu:
    return elu(x, alpha);
  case cnn::ActivationKind::Selu:
    return arith::MulFOp::create(b, loc, c(beta), elu(x, alpha));
  case cnn::ActivationKind::Softplus: {
    // max(x, 0) + log1p(exp(-|x|)): no overflow for large x.
    Value tail = math::Log1pOp::create(
        b, loc,
        math::ExpOp::create(
            b, loc,
            arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, x))));
    return arith::AddFOp::create(
        b, loc, arith::MaximumFOp::create(b, loc, x, c(0)), tail);
  }
  case cnn::ActivationKind::Gelu: {
    Value erf = math::ErfOp::create(
        b, loc, arith::MulFOp::create(b, loc, x, c(M_SQRT1_2)));
    return arith::MulFOp::create(b, loc,
                                 arith::MulFOp::create(b, loc, c(0.5), x),
                                 arith::AddFOp::create(b, loc, c(1), erf));
  }
  case cnn::ActivationKind::GeluTanh: {
    Value cube =
        arith::MulFOp::create(b, loc, x, arith::MulFOp::create(b, loc, x, x));
    Value inner = arith::MulFOp::create(
        b, loc, c(std::sqrt(2.0 / M_PI)),
        arith::AddFOp::create(
            b, loc, x, arith::MulFOp::create(b, loc, c(0.044715), cube)));
    return arith::MulFOp::create(
        b, loc, arith::MulFOp::create(b, loc, c(0.5), x),
        arith::AddFOp::create(b, loc, c(1),
                              math::TanhOp::create(b, loc, inner)));
  }
  case cnn::ActivationKind::Silu:
    return arith::MulFOp::create(b, loc, x, sigmoid(x));
  }
  llvm_unreachable("every activation kind is lowered");
}

struct ActivationLowering : OpConversionPattern<cnn::ActivationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::ActivationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), op.getType(), adaptor.getInput(),
                        [&](OpBuilder &b, Location loc, ValueRange args) {
                          return activation(b, loc, op, args[0]);
                        }));
    return success();
  }
};

struct UnaryLowering : OpConversionPattern<cnn::UnaryOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::UnaryOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    cnn::UnaryKind kind = op.getKind();
    rewriter.replaceOp(
        op,
        elementwise(rewriter, op.getLoc(), op.getType(), adaptor.getInput(),
                    [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
                      Value x = args[0];
                      switch (kind) {
                      case cnn::UnaryKind::Exp:
                        return math::ExpOp::create(b, loc, x);
                      case cnn::UnaryKind::Log:
                        return math::LogOp::create(b, loc, x);
                      case cnn::UnaryKind::Sqrt:
                        return math::SqrtOp::create(b, loc, x);
                      case cnn::UnaryKind::Neg:
                        return arith::NegFOp::create(b, loc, x);
                      case cnn::UnaryKind::Abs:
                        return math::AbsFOp::create(b, loc, x);
                      case cnn::UnaryKind::Reciprocal:
                        return arith::DivFOp::create(
                            b, loc, floatConstant(b, loc, x.getType(), 1.0), x);
                      }
                      llvm_unreachable("every unary kind is lowered");
                    }));
    return success();
  }
};

struct BinaryLowering : OpConversionPattern<cnn::BinaryOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::BinaryOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    cnn::BinaryKind kind = op.getKind();
    rewriter.replaceOp(
        op,
        elementwise(rewriter, op.getLoc(), op.getType(),
                    {adaptor.getLhs(), adaptor.getRhs()},
                    [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
                      Value x = args[0], y = args[1];
                      switch (kind) {
                      case cnn::BinaryKind::Add:
                        return arith::AddFOp::create(b, loc, x, y);
                      case cnn::BinaryKind::Sub:
                        return arith::SubFOp::create(b, loc, x, y);
                      case cnn::BinaryKind::Mul:
                        return arith::MulFOp::create(b, loc, x, y);
                      case cnn::BinaryKind::Div:
                        return arith::DivFOp::create(b, loc, x, y);
                      case cnn::BinaryKind::Max:
                        return arith::MaximumFOp::create(b, loc, x, y);
                      case cnn::BinaryKind::Min:
                        return arith::MinimumFOp::create(b, loc, x, y);
                      case cnn::BinaryKind::Pow:
                        return math::PowFOp::create(b, loc, x, y);
                      }
                      llvm_unreachable("every binary kind is lowered");
                    }));
    return success();
  }
};

struct PReluLowering : OpConversionPattern<cnn::PReluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::PReluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, elementwise(
                rewriter, op.getLoc(), op.getType(),
                {adaptor.getInput(), adaptor.getSlope()},
                [](OpBuilder &b, Location loc, ValueRange args) {
                  Value zero = floatConstant(b, loc, args[0].getType(), 0.0);
                  Value negative = arith::CmpFOp::create(
                      b, loc, arith::CmpFPredicate::OLT, args[0], zero);
                  return arith::SelectOp::create(
                             b, loc, negative,
                             arith::MulFOp::create(b, loc, args[0], args[1]),
                             args[0])
                      .getResult();
                }));
    return success();
  }
};

struct ConstantLowering : OpConversionPattern<cnn::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, cast<TypedAttr>(op.getValue()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

/// The accumulator of a convolution: zeros, or the bias broadcast along the
/// channel dimension.
Value accumulator(OpBuilder &b, Location loc, RankedTensorType type,
                  Value bias) {
  if (!bias) {
    Value empty =
        tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
    Value zero = floatConstant(b, loc, type.getElementType(), 0.0);
    return linalg::FillOp::create(b, loc, zero, empty).getResult(0);
  }
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (d != 1)
      dims.push_back(d);
  Value empty =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  return linalg::BroadcastOp::create(b, loc, bias, empty, dims).getResult()[0];
}

/// The [begin..., end...] pads of a 2-D window, as full-rank low/high pads.
void splitPads(ArrayRef<int64_t> pads, int64_t rank, SmallVector<int64_t> &low,
               SmallVector<int64_t> &high) {
  int64_t spatial = pads.size() / 2;
  low.assign(rank, 0);
  high.assign(rank, 0);
  for (int64_t i = 0; i < spatial; ++i) {
    low[rank - spatial + i] = pads[i];
    high[rank - spatial + i] = pads[spatial + i];
  }
}

/// [N, C, W...] -> [N, C, 1, W...]: a 1-D window op as a 2-D one of height 1.
SmallVector<int64_t> withUnitHeight(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> result(shape.take_front(2));
  result.push_back(1);
  llvm::append_range(result, shape.drop_front(2));
  return result;
}

/// The 2-D strides, dilations or kernel of a 1-D window: 1 along the height.
SmallVector<int64_t> prependOne(ArrayRef<int64_t> values) {
  SmallVector<int64_t> result{1};
  llvm::append_range(result, values);
  return result;
}

Value unitHeight(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  return cnn::ReshapeOp::create(
      b, loc, type.clone(withUnitHeight(type.getShape())), value);
}

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
    if (rank == 3) {
      // A 1-D convolution is a 2-D one of height 1, lowered in turn.
      ArrayRef<int64_t> pads = op.getPads();
      Value conv = cnn::ConvOp::create(
          rewriter, loc,
          op.getType().clone(withUnitHeight(op.getType().getShape())),
          unitHeight(rewriter, loc, adaptor.getInput()),
          unitHeight(rewriter, loc, adaptor.getWeight()), adaptor.getBias(),
          prependOne(op.getStrides()),
          ArrayRef<int64_t>{0, pads[0], 0, pads[1]},
          prependOne(op.getDilations()), op.getGroups());
      rewriter.replaceOpWithNewOp<cnn::ReshapeOp>(op, op.getType(), conv);
      return success();
    }
    if (rank != 4)
      return rewriter.notifyMatchFailure(
          op, "3-D convolutions are not lowered yet");
    SmallVector<int64_t> low, high;
    splitPads(op.getPads(), rank, low, high);
    Value input = padWith(rewriter, loc, adaptor.getInput(), low, high, 0.0);
    Value init = accumulator(rewriter, loc, op.getType(), adaptor.getBias());
    auto strides = rewriter.getI64TensorAttr(op.getStrides());
    auto dilations = rewriter.getI64TensorAttr(op.getDilations());
    int64_t groups = op.getGroups();
    if (groups == 1) {
      rewriter.replaceOp(op, linalg::Conv2DNchwFchwOp::create(
                                 rewriter, loc, op.getType(),
                                 ValueRange{input, adaptor.getWeight()}, init,
                                 strides, dilations)
                                 .getResult(0));
      return success();
    }
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
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
        op, op.getType(), conv.getResult(0), collapse);
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
    if (rank == 3) {
      ArrayRef<int64_t> pads = op.getPads();
      Value conv = cnn::ConvTransposeOp::create(
          rewriter, loc,
          resultType.clone(withUnitHeight(resultType.getShape())),
          unitHeight(rewriter, loc, adaptor.getInput()),
          unitHeight(rewriter, loc, adaptor.getWeight()), adaptor.getBias(),
          prependOne(op.getStrides()),
          ArrayRef<int64_t>{0, pads[0], 0, pads[1]},
          prependOne(op.getDilations()), prependOne(op.getOutputPadding()),
          op.getGroups());
      rewriter.replaceOpWithNewOp<cnn::ReshapeOp>(op, resultType, conv);
      return success();
    }
    if (rank != 4 || op.getGroups() != 1)
      return rewriter.notifyMatchFailure(
          op, "only 1-D and 2-D transposed convolutions without groups are "
              "lowered yet");
    Type element = inputType.getElementType();
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
    ArrayRef<int64_t> pads = op.getPads(),
                      outputPadding = op.getOutputPadding();

    // The input spread out by the strides.
    SmallVector<int64_t> spread(inputType.getShape());
    for (int64_t i = 0; i < 2; ++i)
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
    for (int64_t i = 0; i < 2; ++i) {
      int64_t reach = dilations[i] * (weightType.getDimSize(i + 2) - 1);
      int64_t before = reach - pads[i];
      int64_t after = reach - pads[i + 2] + outputPadding[i];
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

    // The kernel [Ci, Co, kh, kw] -> [Co, Ci, kh, kw], flipped in space.
    MLIRContext *ctx = rewriter.getContext();
    int64_t kh = weightType.getDimSize(2), kw = weightType.getDimSize(3);
    AffineExpr o = getAffineDimExpr(0, ctx), i = getAffineDimExpr(1, ctx),
               y = getAffineDimExpr(2, ctx), x = getAffineDimExpr(3, ctx);
    AffineMap read = AffineMap::get(4, 0, {i, o, kh - 1 - y, kw - 1 - x}, ctx);
    auto flippedType = RankedTensorType::get(
        {weightType.getDimSize(1), weightType.getDimSize(0), kh, kw}, element);
    Value flipped =
        linalg::GenericOp::create(
            rewriter, loc, flippedType, adaptor.getWeight(),
            ValueRange{tensor::EmptyOp::create(
                rewriter, loc, flippedType.getShape(), element)},
            ArrayRef<AffineMap>{read, rewriter.getMultiDimIdentityMap(4)},
            SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
            [](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(b, l, args[0]);
            })
            .getResult(0);
    Value init = accumulator(rewriter, loc, resultType, adaptor.getBias());
    rewriter.replaceOp(op, linalg::Conv2DNchwFchwOp::create(
                               rewriter, loc, resultType,
                               ValueRange{input, flipped}, init,
                               rewriter.getI64TensorAttr({1, 1}),
                               rewriter.getI64TensorAttr(dilations))
                               .getResult(0));
    return success();
  }
};

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
    if (rank == 3) {
      // A 1-D pool is a 2-D one of height 1, lowered in turn.
      ArrayRef<int64_t> pads = op.getPads();
      Value pool = cnn::PoolOp::create(
          rewriter, loc,
          resultType.clone(withUnitHeight(resultType.getShape())), op.getKind(),
          unitHeight(rewriter, loc, adaptor.getInput()),
          prependOne(op.getKernel()), prependOne(op.getStrides()),
          ArrayRef<int64_t>{0, pads[0], 0, pads[1]},
          prependOne(op.getDilations()), op.getCeilMode(),
          op.getCountIncludePad());
      rewriter.replaceOpWithNewOp<cnn::ReshapeOp>(op, resultType, pool);
      return success();
    }
    if (rank != 4)
      return rewriter.notifyMatchFailure(op, "3-D pooling is not lowered yet");

    Type element = inputType.getElementType();
    bool isMax = op.getKind() == cnn::PoolKind::Max;
    SmallVector<int64_t> low, high;
    splitPads(op.getPads(), rank, low, high);
    // With ceil_mode the last window may reach past the padding: extend
    // the end so that every window is inside the padded tensor.
    SmallVector<int64_t> extra(rank, 0);
    for (int64_t i = 0; i < 2; ++i) {
      int64_t d = i + 2;
      int64_t reach = (resultType.getDimSize(d) - 1) * op.getStrides()[i] +
                      op.getDilations()[i] * (op.getKernel()[i] - 1) + 1;
      extra[d] = std::max<int64_t>(
          0, reach - (inputType.getDimSize(d) + low[d] + high[d]));
    }
    SmallVector<int64_t> highAll(high);
    for (int64_t d = 0; d < rank; ++d)
      highAll[d] += extra[d];

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
      if (isMax)
        return linalg::PoolingNchwMaxOp::create(rewriter, loc, resultType,
                                                ValueRange{source, window},
                                                init, strides, dilations)
            .getResult(0);
      return linalg::PoolingNchwSumOp::create(rewriter, loc, resultType,
                                              ValueRange{source, window}, init,
                                              strides, dilations)
          .getResult(0);
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
    // A reduction over the spatial dimensions into the [N, C, 1...] result.
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> outExprs{getAffineDimExpr(0, ctx),
                                     getAffineDimExpr(1, ctx)};
    for (int64_t d = 2; d < rank; ++d)
      outExprs.push_back(getAffineConstantExpr(0, ctx));
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank),
                                AffineMap::get(rank, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::reduction);
    iterators[0] = iterators[1] = utils::IteratorType::parallel;
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
      int64_t count = 1;
      for (int64_t d = 2; d < rank; ++d)
        count *= inputType.getDimSize(d);
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

//===----------------------------------------------------------------------===//
// Matmul, data movement, normalization
//===----------------------------------------------------------------------===//

struct MatmulLowering : OpConversionPattern<cnn::MatmulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    int64_t rank = resultType.getRank();
    Type element = resultType.getElementType();
    // Leading (batch) dimensions: collapsed into one for linalg.batch_matmul.
    // Operands whose batch dimensions broadcast are not lowered yet.
    ArrayRef<int64_t> batch = resultType.getShape().drop_back(2);
    for (Value operand : {op.getLhs(), op.getRhs()})
      if (cast<RankedTensorType>(operand.getType()).getShape().drop_back(2) !=
          batch)
        return rewriter.notifyMatchFailure(
            op, "matmuls with broadcast batch dimensions are not lowered yet");
    int64_t batchSize = 1;
    for (int64_t d : batch)
      batchSize *= d;
    SmallVector<ReassociationIndices> toRank3;
    if (rank > 2) {
      ReassociationIndices leading;
      for (int64_t d = 0; d < rank - 2; ++d)
        leading.push_back(d);
      toRank3 = {leading, {rank - 2}, {rank - 1}};
    }
    auto prepare = [&](Value v, bool transpose) -> Value {
      auto type = cast<RankedTensorType>(v.getType());
      int64_t rows = type.getDimSize(rank - 2),
              columns = type.getDimSize(rank - 1);
      if (rank > 2)
        v = tensor::CollapseShapeOp::create(
            rewriter, loc,
            RankedTensorType::get({batchSize, rows, columns}, element), v,
            toRank3);
      if (!transpose)
        return v;
      SmallVector<int64_t> shape{columns, rows};
      SmallVector<int64_t> permutation{1, 0};
      if (rank > 2) {
        shape.insert(shape.begin(), batchSize);
        permutation = {0, 2, 1};
      }
      Value empty = tensor::EmptyOp::create(rewriter, loc, shape, element);
      return linalg::TransposeOp::create(rewriter, loc, v, empty, permutation)
          .getResult()[0];
    };
    Value lhs = prepare(adaptor.getLhs(), op.getTransposeLhs());
    Value rhs = prepare(adaptor.getRhs(), op.getTransposeRhs());
    SmallVector<int64_t> productShape(resultType.getShape().take_back(2));
    if (rank > 2)
      productShape.insert(productShape.begin(), batchSize);
    auto productType = RankedTensorType::get(productShape, element);
    Value empty = tensor::EmptyOp::create(rewriter, loc, productShape, element);
    Value zero = floatConstant(rewriter, loc, element, 0.0);
    Value init =
        linalg::FillOp::create(rewriter, loc, zero, empty).getResult(0);
    Value product =
        rank > 2 ? linalg::BatchMatmulOp::create(rewriter, loc, productType,
                                                 ValueRange{lhs, rhs}, init)
                       .getResult(0)
                 : linalg::MatmulOp::create(rewriter, loc, productType,
                                            ValueRange{lhs, rhs}, init)
                       .getResult(0);
    if (rank > 2)
      product = tensor::ExpandShapeOp::create(rewriter, loc, resultType,
                                              product, toRank3);
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    Value bias = adaptor.getBias();
    if (alpha != 1.0 || bias) {
      SmallVector<Value> inputs{product};
      if (bias)
        inputs.push_back(bias);
      product =
          elementwise(rewriter, loc, resultType, inputs,
                      [&](OpBuilder &b, Location l, ValueRange args) {
                        Value v = args[0];
                        if (alpha != 1.0)
                          v = arith::MulFOp::create(
                              b, l, v, floatConstant(b, l, element, alpha));
                        if (args.size() > 1) {
                          Value c = args[1];
                          if (beta != 1.0)
                            c = arith::MulFOp::create(
                                b, l, c, floatConstant(b, l, element, beta));
                          v = arith::AddFOp::create(b, l, v, c);
                        }
                        return v;
                      });
    }
    rewriter.replaceOp(op, product);
    return success();
  }
};

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

/// A reduction of `input` over `reduced` dimensions into a tensor that keeps
/// them with size 1: `combine(element, accumulator)` from `initial`.
Value reduceKeepingDims(
    OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> reduced,
    double initial,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<int64_t> shape(type.getShape());
  SmallVector<AffineExpr> exprs;
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  for (int64_t d = 0; d < rank; ++d) {
    bool isReduced = llvm::is_contained(reduced, d);
    if (isReduced) {
      shape[d] = 1;
      iterators[d] = utils::IteratorType::reduction;
    }
    exprs.push_back(isReduced ? getAffineConstantExpr(0, ctx)
                              : getAffineDimExpr(d, ctx));
  }
  Type element = type.getElementType();
  Value empty = tensor::EmptyOp::create(b, loc, shape, element);
  Value init = linalg::FillOp::create(
                   b, loc, floatConstant(b, loc, element, initial), empty)
                   .getResult(0);
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank),
                              AffineMap::get(rank, 0, exprs, ctx)};
  return linalg::GenericOp::create(
             b, loc, type.clone(shape), input, init, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, combine(nb, l, args[0], args[1]));
             })
      .getResult(0);
}

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

/// Resize of the last two dimensions (the others keep their size): each
/// output element maps its coordinates to the input by the coordinate mode,
/// then reads the nearest element or interpolates the four neighbours.
struct ResizeLowering : OpConversionPattern<cnn::ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    for (int64_t d = 0; d + 2 < rank; ++d)
      if (inputType.getDimSize(d) != type.getDimSize(d))
        return rewriter.notifyMatchFailure(
            op, "only the last two dimensions are resized yet");
    Type element = type.getElementType();
    ArrayRef<float> scales = op.getScales();
    cnn::CoordinateMode coordinates = op.getCoordinateMode();
    cnn::NearestMode nearest = op.getNearestMode();
    bool linear = op.getMode() == cnn::ResizeMode::Linear;
    Value input = adaptor.getInput();
    Value empty =
        tensor::EmptyOp::create(rewriter, loc, type.getShape(), element);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{}, empty,
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank)}, iterators,
        [&](OpBuilder &b, Location l, ValueRange) {
          auto f64 = [&](double v) {
            return floatConstant(b, l, b.getF64Type(), v);
          };
          auto toIndex = [&](Value v) -> Value {
            return arith::IndexCastOp::create(
                b, l, b.getIndexType(),
                arith::FPToSIOp::create(b, l, b.getI64Type(), v));
          };
          // The input coordinate (f64) of output index `d`.
          auto source = [&](int64_t d) -> Value {
            Value index = linalg::IndexOp::create(b, l, d);
            Value out = arith::SIToFPOp::create(
                b, l, b.getF64Type(),
                arith::IndexCastOp::create(b, l, b.getI64Type(), index));
            double scale = scales[d];
            double inSize = inputType.getDimSize(d);
            double outSize = type.getDimSize(d);
            switch (coordinates) {
            case cnn::CoordinateMode::Asymmetric:
              return arith::DivFOp::create(b, l, out, f64(scale));
            case cnn::CoordinateMode::AlignCorners:
              return arith::MulFOp::create(
                  b, l, out,
                  f64(outSize > 1 ? (inSize - 1) / (outSize - 1) : 0.0));
            case cnn::CoordinateMode::PytorchHalfPixel:
              if (outSize <= 1)
                return f64(0.0);
              [[fallthrough]];
            case cnn::CoordinateMode::HalfPixel:
              return arith::SubFOp::create(
                  b, l,
                  arith::DivFOp::create(
                      b, l, arith::AddFOp::create(b, l, out, f64(0.5)),
                      f64(scale)),
                  f64(0.5));
            }
            llvm_unreachable("every coordinate mode is lowered");
          };
          auto clamp = [&](Value v, double high) -> Value {
            return arith::MinimumFOp::create(
                b, l, arith::MaximumFOp::create(b, l, v, f64(0.0)), f64(high));
          };
          SmallVector<Value> leading;
          for (int64_t d = 0; d + 2 < rank; ++d)
            leading.push_back(linalg::IndexOp::create(b, l, d));
          auto read = [&](Value y, Value x) -> Value {
            SmallVector<Value> indices(leading);
            indices.push_back(y);
            indices.push_back(x);
            return tensor::ExtractOp::create(b, l, input, indices);
          };
          SmallVector<Value, 2> coords;
          for (int64_t d = rank - 2; d < rank; ++d)
            coords.push_back(source(d));
          Value result;
          if (!linear) {
            SmallVector<Value, 2> picked;
            for (int64_t i = 0; i < 2; ++i) {
              Value c = coords[i];
              Value rounded;
              switch (nearest) {
              case cnn::NearestMode::Floor:
                rounded = math::FloorOp::create(b, l, c);
                break;
              case cnn::NearestMode::Ceil:
                rounded = math::CeilOp::create(b, l, c);
                break;
              case cnn::NearestMode::RoundPreferFloor:
                rounded = math::CeilOp::create(
                    b, l, arith::SubFOp::create(b, l, c, f64(0.5)));
                break;
              case cnn::NearestMode::RoundPreferCeil:
                rounded = math::FloorOp::create(
                    b, l, arith::AddFOp::create(b, l, c, f64(0.5)));
                break;
              }
              double high = inputType.getDimSize(rank - 2 + i) - 1;
              picked.push_back(toIndex(clamp(rounded, high)));
            }
            result = read(picked[0], picked[1]);
          } else {
            SmallVector<Value, 2> low, highIdx, weight;
            for (int64_t i = 0; i < 2; ++i) {
              double high = inputType.getDimSize(rank - 2 + i) - 1;
              Value c = clamp(coords[i], high);
              Value floor = math::FloorOp::create(b, l, c);
              weight.push_back(arith::TruncFOp::create(
                  b, l, element, arith::SubFOp::create(b, l, c, floor)));
              low.push_back(toIndex(floor));
              highIdx.push_back(toIndex(arith::MinimumFOp::create(
                  b, l, arith::AddFOp::create(b, l, floor, f64(1.0)),
                  f64(high))));
            }
            auto lerp = [&](Value a, Value c, Value w) -> Value {
              return arith::AddFOp::create(
                  b, l, a,
                  arith::MulFOp::create(b, l, w,
                                        arith::SubFOp::create(b, l, c, a)));
            };
            Value top =
                lerp(read(low[0], low[1]), read(low[0], highIdx[1]), weight[1]);
            Value bottom = lerp(read(highIdx[0], low[1]),
                                read(highIdx[0], highIdx[1]), weight[1]);
            result = lerp(top, bottom, weight[0]);
          }
          linalg::YieldOp::create(b, l, result);
        });
    rewriter.replaceOp(op, generic.getResult(0));
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

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct ConvertCNNToLinalgPass
    : cnnc::impl::ConvertCNNToLinalgBase<ConvertCNNToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect>();
    target.addIllegalDialect<cnn::CNNDialect>();
    RewritePatternSet patterns(ctx);
    patterns
        .add<ActivationLowering, BatchNormLowering, BinaryLowering,
             ConcatLowering, ConstantLowering, ConvLowering,
             ConvTransposeLowering, GlobalPoolLowering, InstanceNormLowering,
             LogSoftmaxLowering, LrnLowering, MatmulLowering, PadLowering,
             PoolLowering, PReluLowering, ReshapeLowering, ResizeLowering,
             SoftmaxLowering, TransposeLowering, UnaryLowering>(ctx);
    // Name every op that no pattern lowers, rather than the first.
    llvm::SmallPtrSet<const void *, 32> lowered;
    for (const std::unique_ptr<RewritePattern> &pattern :
         patterns.getNativePatterns())
      if (std::optional<OperationName> root = pattern->getRootKind())
        lowered.insert(root->getAsOpaquePointer());
    bool missing = false;
    getOperation().walk([&](Operation *op) {
      if (isa<cnn::CNNDialect>(op->getDialect()) &&
          !lowered.contains(op->getName().getAsOpaquePointer())) {
        op->emitError() << "'" << op->getName()
                        << "' has no lowering to linalg yet";
        missing = true;
      }
    });
    if (missing || failed(applyPartialConversion(getOperation(), target,
                                                 std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
