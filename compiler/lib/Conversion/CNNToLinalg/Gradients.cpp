//===- Gradients.cpp - the backward ops of the train step -----------------===//
//
// cnn.activation_grad, cnn.conv_weight_grad, cnn.softmax_cross_entropy_grad
// and cnn.dropout_mask (cnn.pool_grad: PoolGradients.cpp).
//
//===----------------------------------------------------------------------===//

#include "StructuredBuilders.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::lowering;

namespace {

/// dy * f'(x) for the activation (kind, alpha, beta), as PyTorch's backward
/// functions compute it (the same one-sided choices at the kinks).
Value activationDerivativeTimes(OpBuilder &b, Location loc,
                                cnn::ActivationKind kind, FloatAttr alphaAttr,
                                FloatAttr betaAttr, Value x, Value dy) {
  Type t = x.getType();
  auto c = [&](double v) { return floatConstant(b, loc, t, v); };
  double alpha = alphaAttr ? alphaAttr.getValueAsDouble() : 0.0;
  double beta = betaAttr ? betaAttr.getValueAsDouble() : 0.0;
  auto mul = [&](Value l, Value r) {
    return arith::MulFOp::create(b, loc, l, r).getResult();
  };
  auto add = [&](Value l, Value r) {
    return arith::AddFOp::create(b, loc, l, r).getResult();
  };
  auto sub = [&](Value l, Value r) {
    return arith::SubFOp::create(b, loc, l, r).getResult();
  };
  auto cmp = [&](arith::CmpFPredicate p, Value l, Value r) {
    return arith::CmpFOp::create(b, loc, p, l, r).getResult();
  };
  auto select = [&](Value cond, Value l, Value r) {
    return arith::SelectOp::create(b, loc, cond, l, r).getResult();
  };
  auto sigmoid = [&](Value v) {
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, v));
    return arith::DivFOp::create(b, loc, c(1), add(c(1), e)).getResult();
  };
  Value zero = c(0);
  using P = arith::CmpFPredicate;
  switch (kind) {
  case cnn::ActivationKind::Relu:
    return select(cmp(P::OGT, x, zero), dy, zero);
  case cnn::ActivationKind::LeakyRelu:
    return select(cmp(P::OGT, x, zero), dy, mul(c(alpha), dy));
  case cnn::ActivationKind::Clip: {
    Value inside = arith::AndIOp::create(b, loc, cmp(P::OGT, x, c(alpha)),
                                         cmp(P::OLT, x, c(beta)));
    return select(inside, dy, zero);
  }
  case cnn::ActivationKind::Sigmoid: {
    Value s = sigmoid(x);
    return mul(dy, mul(s, sub(c(1), s)));
  }
  case cnn::ActivationKind::HardSigmoid: {
    Value v = add(mul(c(alpha), x), c(beta));
    Value inside = arith::AndIOp::create(b, loc, cmp(P::OGT, v, zero),
                                         cmp(P::OLT, v, c(1)));
    return select(inside, mul(c(alpha), dy), zero);
  }
  case cnn::ActivationKind::HardSwish: {
    Value middle = mul(dy, add(mul(x, c(1.0 / 3.0)), c(0.5)));
    return select(cmp(P::OLT, x, c(-3)), zero,
                  select(cmp(P::OLE, x, c(3)), middle, dy));
  }
  case cnn::ActivationKind::Tanh: {
    Value y = math::TanhOp::create(b, loc, x);
    return mul(dy, sub(c(1), mul(y, y)));
  }
  case cnn::ActivationKind::Elu:
  case cnn::ActivationKind::Selu: {
    Value negative = mul(dy, mul(c(alpha), math::ExpOp::create(b, loc, x)));
    Value g = select(cmp(P::OGT, x, zero), dy, negative);
    return kind == cnn::ActivationKind::Selu ? mul(c(beta), g) : g;
  }
  case cnn::ActivationKind::Softplus:
    return mul(dy, sigmoid(x));
  case cnn::ActivationKind::Gelu: {
    Value cdf = mul(
        c(0.5), add(c(1), math::ErfOp::create(b, loc, mul(x, c(M_SQRT1_2)))));
    Value pdf = mul(c(1.0 / std::sqrt(2.0 * M_PI)),
                    math::ExpOp::create(b, loc, mul(c(-0.5), mul(x, x))));
    return mul(dy, add(cdf, mul(x, pdf)));
  }
  case cnn::ActivationKind::GeluTanh: {
    double k = std::sqrt(2.0 / M_PI);
    Value x2 = mul(x, x);
    Value inner = mul(c(k), add(x, mul(c(0.044715), mul(x2, x))));
    Value t = math::TanhOp::create(b, loc, inner);
    Value dInner = mul(c(k), add(c(1), mul(c(3 * 0.044715), x2)));
    Value left = mul(c(0.5), add(c(1), t));
    Value right = mul(mul(c(0.5), x), mul(sub(c(1), mul(t, t)), dInner));
    return mul(dy, add(left, right));
  }
  case cnn::ActivationKind::Silu: {
    Value s = sigmoid(x);
    return mul(dy, mul(s, add(c(1), mul(x, sub(c(1), s)))));
  }
  }
  llvm_unreachable("every activation kind has a derivative");
}

struct ActivationGradLowering : OpConversionPattern<cnn::ActivationGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::ActivationGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), op.getType(),
                        ValueRange{adaptor.getInput(), adaptor.getGrad()},
                        [&](OpBuilder &b, Location l, ValueRange a) {
                          return activationDerivativeTimes(
                              b, l, op.getKind(), op.getAlphaAttr(),
                              op.getBetaAttr(), a[0], a[1]);
                        }));
    return success();
  }
};

/// dW[f, c, kh, kw] = sum over n, oh, ow of
///   dY[n, f, oh, ow] * X[n, g(f) * C/G + c, oh * sh + kh * dh, ow * sw + kw *
///   dw]
/// on the zero-padded input: loops (f, c, kh, kw) parallel, (n, oh, ow)
/// reduced.
struct ConvWeightGradLowering : OpConversionPattern<cnn::ConvWeightGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::ConvWeightGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    Type element = resultType.getElementType();
    SmallVector<int64_t> low, high;
    splitPads(op.getPads(), 4, /*firstSpatial=*/2, low, high);
    Value input = padWith(rewriter, loc, adaptor.getInput(), low, high, 0.0);
    MLIRContext *ctx = rewriter.getContext();
    AffineExpr f = getAffineDimExpr(0, ctx), c = getAffineDimExpr(1, ctx),
               kh = getAffineDimExpr(2, ctx), kw = getAffineDimExpr(3, ctx),
               n = getAffineDimExpr(4, ctx), oh = getAffineDimExpr(5, ctx),
               ow = getAffineDimExpr(6, ctx);
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
    int64_t groups = op.getGroups();
    int64_t filtersPerGroup = resultType.getDimSize(0) / groups;
    int64_t channelsPerGroup = resultType.getDimSize(1);
    AffineExpr channel =
        groups == 1 ? c : f.floorDiv(filtersPerGroup) * channelsPerGroup + c;
    auto inputMap =
        AffineMap::get(7, 0,
                       {n, channel, oh * strides[0] + kh * dilations[0],
                        ow * strides[1] + kw * dilations[1]},
                       ctx);
    auto gradMap = AffineMap::get(7, 0, {n, f, oh, ow}, ctx);
    auto resultMap = AffineMap::get(7, 0, {f, c, kh, kw}, ctx);
    Value init = linalg::FillOp::create(
                     rewriter, loc, floatConstant(rewriter, loc, element, 0.0),
                     ValueRange{tensor::EmptyOp::create(
                         rewriter, loc, resultType.getShape(), element)})
                     .getResult(0);
    using utils::IteratorType;
    SmallVector<IteratorType> iterators(4, IteratorType::parallel);
    iterators.append(3, IteratorType::reduction);
    rewriter.replaceOp(
        op, linalg::GenericOp::create(
                rewriter, loc, resultType,
                ValueRange{input, adaptor.getGradOutput()}, init,
                SmallVector<AffineMap>{inputMap, gradMap, resultMap}, iterators,
                [](OpBuilder &b, Location l, ValueRange a) {
                  Value product = arith::MulFOp::create(b, l, a[0], a[1]);
                  linalg::YieldOp::create(
                      b, l,
                      arith::AddFOp::create(b, l, product, a[2]).getResult());
                })
                .getResult(0));
    return success();
  }
};

/// (softmax(x) - target) * scale, with the smoothed one-hot target.
struct SoftmaxCrossEntropyGradLowering
    : OpConversionPattern<cnn::SoftmaxCrossEntropyGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::SoftmaxCrossEntropyGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value logits = adaptor.getLogits();
    RankedTensorType type = op.getType();
    Type element = type.getElementType();
    int64_t batch = type.getDimSize(0), classes = type.getDimSize(1);
    SoftmaxRows parts = softmaxRows(rewriter, loc, logits);
    Value shiftedExp = parts.shiftedExp, expSum = parts.expSum;
    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = rewriter.getMultiDimIdentityMap(2);
    AffineMap rows = AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx);
    AffineMap rowKept = AffineMap::get(
        2, 0, {getAffineDimExpr(0, ctx), getAffineConstantExpr(0, ctx)}, ctx);
    bool perSample = op.getReduction() == cnn::LossReduction::None;
    AffineMap gradMap = perSample ? rows : AffineMap::get(2, 0, {}, ctx);
    double smoothing = op.getLabelSmoothing().convertToDouble();
    double scale = op.getReduction() == cnn::LossReduction::Mean
                       ? 1.0 / static_cast<double>(batch)
                       : 1.0;
    Value init =
        tensor::EmptyOp::create(rewriter, loc, type.getShape(), element);
    rewriter.replaceOp(
        op,
        linalg::GenericOp::create(
            rewriter, loc, type,
            ValueRange{shiftedExp, expSum, adaptor.getLabels(),
                       adaptor.getGrad()},
            init,
            SmallVector<AffineMap>{identity, rowKept, rows, gradMap, identity},
            SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value p = arith::DivFOp::create(b, l, a[0], a[1]);
              Value label =
                  arith::IndexCastOp::create(b, l, b.getIndexType(), a[2]);
              Value column = linalg::IndexOp::create(b, l, 1);
              Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                                label, column);
              double off = smoothing / static_cast<double>(classes);
              Value target = arith::SelectOp::create(
                  b, l, hit,
                  floatConstant(b, l, element, 1.0 - smoothing + off),
                  floatConstant(b, l, element, off));
              Value g = arith::MulFOp::create(
                  b, l, arith::SubFOp::create(b, l, p, target),
                  arith::MulFOp::create(b, l, a[3],
                                        floatConstant(b, l, element, scale)));
              linalg::YieldOp::create(b, l, g);
            })
            .getResult(0));
    return success();
  }
};

/// A counter-based draw per element: splitmix64 of (seed, key, position).
struct DropoutMaskLowering : OpConversionPattern<cnn::DropoutMaskOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::DropoutMaskOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type element = type.getElementType();
    int64_t rank = type.getRank();
    double ratio = op.getRatio().convertToDouble();
    uint64_t seed = static_cast<uint64_t>(op.getSeed());
    Value key = tensor::ExtractOp::create(rewriter, loc, adaptor.getKey(),
                                          ValueRange{});
    Value init =
        tensor::EmptyOp::create(rewriter, loc, type.getShape(), element);
    rewriter.replaceOp(
        op, linalg::GenericOp::create(
                rewriter, loc, type, ValueRange{}, init,
                SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank)},
                SmallVector<utils::IteratorType>(rank,
                                                 utils::IteratorType::parallel),
                [&](OpBuilder &b, Location l, ValueRange) {
                  Type i64 = b.getI64Type();
                  auto k = [&](uint64_t v) {
                    return arith::ConstantIntOp::create(b, l, i64,
                                                        static_cast<int64_t>(v))
                        .getResult();
                  };
                  // The element's row-major position.
                  Value position = k(0);
                  for (int64_t d = 0; d < rank; ++d) {
                    Value i = arith::IndexCastOp::create(
                        b, l, i64, linalg::IndexOp::create(b, l, d));
                    position = arith::AddIOp::create(
                        b, l,
                        arith::MulIOp::create(b, l, position,
                                              k(type.getDimSize(d))),
                        i);
                  }
                  Value z = arith::AddIOp::create(
                      b, l,
                      arith::AddIOp::create(
                          b, l,
                          arith::MulIOp::create(b, l, key,
                                                k(0x9E3779B97F4A7C15ull)),
                          position),
                      k(seed * 0xD1B54A32D192ED03ull));
                  auto mix = [&](Value v, int shift, uint64_t factor) {
                    Value s = arith::ShRUIOp::create(b, l, v, k(shift));
                    Value x = arith::XOrIOp::create(b, l, v, s);
                    return factor ? arith::MulIOp::create(b, l, x, k(factor))
                                        .getResult()
                                  : x;
                  };
                  z = mix(z, 30, 0xBF58476D1CE4E5B9ull);
                  z = mix(z, 27, 0x94D049BB133111EBull);
                  z = mix(z, 31, 0);
                  // 24 random bits as a uniform float in [0, 1).
                  Value bits = arith::ShRUIOp::create(b, l, z, k(40));
                  Value uniform = arith::MulFOp::create(
                      b, l, arith::UIToFPOp::create(b, l, element, bits),
                      floatConstant(b, l, element, 1.0 / 16777216.0));
                  Value keep = arith::CmpFOp::create(
                      b, l, arith::CmpFPredicate::OGE, uniform,
                      floatConstant(b, l, element, ratio));
                  Value result = arith::SelectOp::create(
                      b, l, keep,
                      floatConstant(b, l, element, 1.0 / (1.0 - ratio)),
                      floatConstant(b, l, element, 0.0));
                  linalg::YieldOp::create(b, l, result);
                })
                .getResult(0));
    return success();
  }
};

} // namespace

void cnnc::lowering::populateGradientLowerings(RewritePatternSet &patterns) {
  patterns.add<ActivationGradLowering, ConvWeightGradLowering,
               SoftmaxCrossEntropyGradLowering, DropoutMaskLowering>(
      patterns.getContext());
}
