//===- Gradients.cpp - the backward ops of the train step -----------------===//
//
// cnn.activation_grad, cnn.conv_weight_grad, cnn.pool_grad,
// cnn.softmax_cross_entropy_grad and cnn.dropout_mask. The window gradients
// are gathers: every input position sums what the output positions whose
// windows hold it send back, so the loops stay parallel and no two
// iterations write one element.
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

/// A 2-D pooling window over an [N, C, H, W] input.
struct PoolWindow {
  ArrayRef<int64_t> kernel, strides, dilations, pads;
  int64_t sizes[2];
  bool includePad;
  Type element;
};

/// `g` when the window of output position `out` has its first maximum (in
/// row-major order) at tap (kh, kw), else 0.
Value firstMaxShare(OpBuilder &b, Location l, const PoolWindow &w, Value x,
                    Value n, Value ch, Value *out, Value kh, Value kw,
                    Value g) {
  ArrayRef<int64_t> kernel = w.kernel, strides = w.strides,
                    dilations = w.dilations, pads = w.pads;
  const int64_t *sizes = w.sizes;
  Type element = w.element;
  // The first maximum of window `out`, in row-major order.
  Value lowest =
      floatConstant(b, l, element, -std::numeric_limits<double>::infinity());
  Value none = arith::ConstantIndexOp::create(b, l, -1);
  Value best = lowest, bestAt = none;
  for (int64_t i = 0; i < kernel[0]; ++i) {
    for (int64_t j = 0; j < kernel[1]; ++j) {
      Value at[2];
      Value valid = arith::ConstantIntOp::create(b, l, 1, 1);
      int64_t tap[2] = {i, j};
      for (int d = 0; d < 2; ++d) {
        at[d] = arith::AddIOp::create(
            b, l,
            arith::MulIOp::create(
                b, l, out[d], arith::ConstantIndexOp::create(b, l, strides[d])),
            arith::ConstantIndexOp::create(b, l,
                                           tap[d] * dilations[d] - pads[d]));
        Value lo =
            arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, at[d],
                                  arith::ConstantIndexOp::create(b, l, 0));
        Value hi = arith::CmpIOp::create(
            b, l, arith::CmpIPredicate::slt, at[d],
            arith::ConstantIndexOp::create(b, l, sizes[d]));
        valid = arith::AndIOp::create(b, l, valid,
                                      arith::AndIOp::create(b, l, lo, hi));
      }
      // Clamped so that the load stays inside; `valid` decides.
      Value safe[2];
      for (int d = 0; d < 2; ++d)
        safe[d] = arith::MinSIOp::create(
            b, l,
            arith::MaxSIOp::create(b, l, at[d],
                                   arith::ConstantIndexOp::create(b, l, 0)),
            arith::ConstantIndexOp::create(b, l, sizes[d] - 1));
      Value v = tensor::ExtractOp::create(b, l, x,
                                          ValueRange{n, ch, safe[0], safe[1]});
      Value better = arith::AndIOp::create(
          b, l, valid,
          arith::OrIOp::create(
              b, l,
              arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, v, best),
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, bestAt,
                                    none)));
      best = arith::SelectOp::create(b, l, better, v, best);
      bestAt = arith::SelectOp::create(
          b, l, better, arith::ConstantIndexOp::create(b, l, i * kernel[1] + j),
          bestAt);
    }
  }
  Value here = arith::AddIOp::create(
      b, l,
      arith::MulIOp::create(b, l, kh,
                            arith::ConstantIndexOp::create(b, l, kernel[1])),
      kw);
  Value wins =
      arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, bestAt, here);
  return arith::SelectOp::create(b, l, wins, g,
                                 floatConstant(b, l, element, 0.0));
}

/// `g` over the divisor of output position `out`'s window.
Value averageShare(OpBuilder &b, Location l, const PoolWindow &w, Value *out,
                   Value g) {
  ArrayRef<int64_t> kernel = w.kernel, strides = w.strides,
                    dilations = w.dilations, pads = w.pads;
  const int64_t *sizes = w.sizes;
  Type element = w.element;
  bool includePad = w.includePad;
  // The divisor: taps inside the input (or inside the padded input with
  // count_include_pad), per dimension, multiplied.
  Value count = arith::ConstantIndexOp::create(b, l, 1);
  for (int d = 0; d < 2; ++d) {
    Value taps = arith::ConstantIndexOp::create(b, l, 0);
    int64_t lo = includePad ? -pads[d] : 0;
    int64_t hi = includePad ? sizes[d] + pads[d + 2] : sizes[d];
    for (int64_t i = 0; i < kernel[d]; ++i) {
      Value at = arith::AddIOp::create(
          b, l,
          arith::MulIOp::create(
              b, l, out[d], arith::ConstantIndexOp::create(b, l, strides[d])),
          arith::ConstantIndexOp::create(b, l, i * dilations[d] - pads[d]));
      Value inside = arith::AndIOp::create(
          b, l,
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, at,
                                arith::ConstantIndexOp::create(b, l, lo)),
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, at,
                                arith::ConstantIndexOp::create(b, l, hi)));
      taps = arith::AddIOp::create(
          b, l, taps,
          arith::SelectOp::create(b, l, inside,
                                  arith::ConstantIndexOp::create(b, l, 1),
                                  arith::ConstantIndexOp::create(b, l, 0)));
    }
    count = arith::MulIOp::create(b, l, count, taps);
  }
  Value divisor = arith::SIToFPOp::create(
      b, l, element, arith::IndexCastOp::create(b, l, b.getI64Type(), count));
  return arith::DivFOp::create(b, l, g, divisor);
}

/// For every input position (n, c, h, w): the sum over the window offsets
/// (kh, kw) of what the output position whose window holds (h, w) at that
/// offset sends back, when there is one: its whole gradient if (h, w) is the
/// first maximum of its window (max), its gradient over its divisor (avg).
/// The pool gradient when the windows tile the input exactly (kernel =
/// stride, no padding, no remainder): every input position has one window.
/// A max pool's winners are found once per window (the first maximum in
/// row-major order, as the loops visit the window in order), then each
/// position takes its window's gradient if it won; an average pool's
/// positions take a k*k-th of it.
Value tiledPoolGrad(OpBuilder &b, Location loc, cnn::PoolGradOp op, Value input,
                    Value grad) {
  MLIRContext *ctx = b.getContext();
  auto inputType = cast<RankedTensorType>(input.getType());
  auto gradType = cast<RankedTensorType>(grad.getType());
  Type element = inputType.getElementType();
  ArrayRef<int64_t> k = op.getKernel();
  AffineExpr n = getAffineDimExpr(0, ctx), c = getAffineDimExpr(1, ctx),
             h = getAffineDimExpr(2, ctx), w = getAffineDimExpr(3, ctx);
  // What each input position reads of its window's values.
  auto ofWindow =
      AffineMap::get(4, 0, {n, c, h.floorDiv(k[0]), w.floorDiv(k[1])}, ctx);
  auto identity = b.getMultiDimIdentityMap(4);
  SmallVector<utils::IteratorType> parallel(4, utils::IteratorType::parallel);
  Value init = tensor::EmptyOp::create(b, loc, inputType.getShape(), element);
  if (op.getKind() == cnn::PoolKind::Avg) {
    double scale = 1.0 / static_cast<double>(k[0] * k[1]);
    return linalg::GenericOp::create(
               b, loc, inputType, ValueRange{grad}, init,
               SmallVector<AffineMap>{ofWindow, identity}, parallel,
               [&](OpBuilder &nb, Location l, ValueRange a) {
                 linalg::YieldOp::create(
                     nb, l,
                     arith::MulFOp::create(nb, l, a[0],
                                           floatConstant(nb, l, element, scale))
                         .getResult());
               })
        .getResult(0);
  }
  // The winner of each window: its row-major position, from a reduction
  // over (kh, kw) that keeps the first strict maximum.
  AffineExpr kh = getAffineDimExpr(4, ctx), kw = getAffineDimExpr(5, ctx);
  auto windowRead =
      AffineMap::get(6, 0, {n, c, h * k[0] + kh, w * k[1] + kw}, ctx);
  auto perWindow = AffineMap::get(6, 0, {n, c, h, w}, ctx);
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);
  Type i32 = b.getI32Type();
  Value best = linalg::FillOp::create(
                   b, loc,
                   floatConstant(b, loc, element,
                                 -std::numeric_limits<double>::infinity()),
                   ValueRange{tensor::EmptyOp::create(
                       b, loc, gradType.getShape(), element)})
                   .getResult(0);
  Value none =
      linalg::FillOp::create(
          b, loc, arith::ConstantIntOp::create(b, loc, i32, -1).getResult(),
          ValueRange{tensor::EmptyOp::create(b, loc, gradType.getShape(), i32)})
          .getResult(0);
  // The window's extent, as linalg's pooling ops give it: an operand the
  // body never reads, whose shape bounds (kh, kw).
  Value windowShape = tensor::EmptyOp::create(b, loc, k, element);
  auto window = AffineMap::get(6, 0, {kh, kw}, ctx);
  auto winners = linalg::GenericOp::create(
      b, loc, TypeRange{gradType, gradType.clone(i32)},
      ValueRange{input, windowShape}, ValueRange{best, none},
      SmallVector<AffineMap>{windowRead, window, perWindow, perWindow},
      iterators, [&](OpBuilder &nb, Location l, ValueRange a) {
        // a: the input value, (the window), the best so far, its position.
        Value here = arith::IndexCastOp::create(
            nb, l, i32,
            arith::AddIOp::create(
                nb, l,
                arith::MulIOp::create(
                    nb, l, linalg::IndexOp::create(nb, l, 4),
                    arith::ConstantIndexOp::create(nb, l, k[1])),
                linalg::IndexOp::create(nb, l, 5)));
        Value first =
            arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, a[3],
                                  arith::ConstantIntOp::create(nb, l, i32, 0));
        Value better = arith::OrIOp::create(
            nb, l, first,
            arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT, a[0],
                                  a[2]));
        linalg::YieldOp::create(
            nb, l,
            ValueRange{arith::SelectOp::create(nb, l, better, a[0], a[2]),
                       arith::SelectOp::create(nb, l, better, here, a[3])});
      });
  // Each position takes its window's gradient if it is the winner.
  return linalg::GenericOp::create(
             b, loc, inputType, ValueRange{winners.getResult(1), grad}, init,
             SmallVector<AffineMap>{ofWindow, ofWindow, identity}, parallel,
             [&](OpBuilder &nb, Location l, ValueRange a) {
               Value hIn = arith::RemSIOp::create(
                   nb, l, linalg::IndexOp::create(nb, l, 2),
                   arith::ConstantIndexOp::create(nb, l, k[0]));
               Value wIn = arith::RemSIOp::create(
                   nb, l, linalg::IndexOp::create(nb, l, 3),
                   arith::ConstantIndexOp::create(nb, l, k[1]));
               Value position = arith::IndexCastOp::create(
                   nb, l, i32,
                   arith::AddIOp::create(
                       nb, l,
                       arith::MulIOp::create(
                           nb, l, hIn,
                           arith::ConstantIndexOp::create(nb, l, k[1])),
                       wIn));
               Value won = arith::CmpIOp::create(
                   nb, l, arith::CmpIPredicate::eq, a[0], position);
               linalg::YieldOp::create(
                   nb, l,
                   arith::SelectOp::create(nb, l, won, a[1],
                                           floatConstant(nb, l, element, 0.0))
                       .getResult());
             })
      .getResult(0);
}

struct PoolGradLowering : OpConversionPattern<cnn::PoolGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::PoolGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType inputType = op.getType();
    auto gradType = cast<RankedTensorType>(op.getGradOutput().getType());
    Type element = inputType.getElementType();
    Value input = adaptor.getInput(), grad = adaptor.getGradOutput();
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      dilations = op.getDilations(), pads = op.getPads();
    int64_t sizes[2] = {inputType.getDimSize(2), inputType.getDimSize(3)};
    int64_t outSizes[2] = {gradType.getDimSize(2), gradType.getDimSize(3)};
    bool isMax = op.getKind() == cnn::PoolKind::Max;
    bool tiling = !op.getCeilMode() && kernel == strides &&
                  llvm::all_of(dilations, [](int64_t d) { return d == 1; }) &&
                  llvm::all_of(pads, [](int64_t p) { return p == 0; });
    if (tiling && sizes[0] == outSizes[0] * strides[0] &&
        sizes[1] == outSizes[1] * strides[1]) {
      rewriter.replaceOp(op, tiledPoolGrad(rewriter, loc, op, input, grad));
      return success();
    }
    PoolWindow window{kernel,
                      strides,
                      dilations,
                      pads,
                      {sizes[0], sizes[1]},
                      op.getCountIncludePad(),
                      element};

    auto body = [&](OpBuilder &b, Location l, ValueRange) {
      auto index = [&](int64_t v) {
        return arith::ConstantIndexOp::create(b, l, v).getResult();
      };
      Value n = linalg::IndexOp::create(b, l, 0);
      Value ch = linalg::IndexOp::create(b, l, 1);
      Value pos[2] = {linalg::IndexOp::create(b, l, 2),
                      linalg::IndexOp::create(b, l, 3)};
      Value zero = floatConstant(b, l, element, 0.0);
      auto inRange = [&](OpBuilder &nb, Value v, int64_t lo, int64_t hi) {
        Value a =
            arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, v,
                                  arith::ConstantIndexOp::create(nb, l, lo));
        Value c =
            arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, v,
                                  arith::ConstantIndexOp::create(nb, l, hi));
        return arith::AndIOp::create(nb, l, a, c).getResult();
      };
      // What the output position whose window holds this position at
      // offset (kh, kw) sends back (0 when there is none).
      auto shareAt = [&](OpBuilder &b2, Location l2, Value kh,
                         Value kw) -> Value {
        Value offsets[2] = {kh, kw};
        // The output position: (pos + pad - k * dilation) / stride,
        // when exact and in range.
        Value valid = arith::ConstantIntOp::create(b2, l2, 1, 1);
        Value out[2];
        for (int d = 0; d < 2; ++d) {
          Value reach = arith::MulIOp::create(
              b2, l2, offsets[d],
              arith::ConstantIndexOp::create(b2, l2, dilations[d]));
          Value shifted = arith::SubIOp::create(
              b2, l2,
              arith::AddIOp::create(
                  b2, l2, pos[d],
                  arith::ConstantIndexOp::create(b2, l2, pads[d])),
              reach);
          Value stride = arith::ConstantIndexOp::create(b2, l2, strides[d]);
          Value exact = arith::CmpIOp::create(
              b2, l2, arith::CmpIPredicate::eq,
              arith::RemSIOp::create(b2, l2, shifted, stride),
              arith::ConstantIndexOp::create(b2, l2, 0));
          out[d] = arith::DivSIOp::create(b2, l2, shifted, stride);
          valid = arith::AndIOp::create(
              b2, l2, valid,
              arith::AndIOp::create(
                  b2, l2, exact,
                  arith::AndIOp::create(
                      b2, l2,
                      arith::CmpIOp::create(
                          b2, l2, arith::CmpIPredicate::sge, shifted,
                          arith::ConstantIndexOp::create(b2, l2, 0)),
                      inRange(b2, out[d], 0, outSizes[d]))));
        }
        auto contribution = scf::IfOp::create(
            b2, l2, valid,
            [&](OpBuilder &b3, Location l3) {
              Value g = tensor::ExtractOp::create(
                  b3, l3, grad, ValueRange{n, ch, out[0], out[1]});
              Value share = isMax ? firstMaxShare(b3, l3, window, input, n, ch,
                                                  out, kh, kw, g)
                                  : averageShare(b3, l3, window, out, g);
              scf::YieldOp::create(b3, l3, share);
            },
            [&](OpBuilder &b3, Location l3) {
              scf::YieldOp::create(b3, l3, floatConstant(b3, l3, element, 0.0));
            });
        return contribution.getResult(0);
      };
      if (tiling) {
        // Windows that tile the input: one window per position.
        Value kh = arith::RemSIOp::create(b, l, pos[0], index(strides[0]));
        Value kw = arith::RemSIOp::create(b, l, pos[1], index(strides[1]));
        linalg::YieldOp::create(b, l, shareAt(b, l, kh, kw));
        return;
      }
      // Overlapping windows: the offsets' contributions add up.
      auto outer = scf::ForOp::create(
          b, l, index(0), index(kernel[0]), index(1), ValueRange{zero},
          [&](OpBuilder &b1, Location l1, Value kh, ValueRange acc1) {
            auto inner = scf::ForOp::create(
                b1, l1, index(0), index(kernel[1]), index(1), acc1,
                [&](OpBuilder &b2, Location l2, Value kw, ValueRange acc2) {
                  scf::YieldOp::create(
                      b2, l2,
                      ValueRange{arith::AddFOp::create(
                          b2, l2, acc2[0], shareAt(b2, l2, kh, kw))});
                });
            scf::YieldOp::create(b1, l1, inner.getResults());
          });
      linalg::YieldOp::create(b, l, outer.getResult(0));
    };

    Value init =
        tensor::EmptyOp::create(rewriter, loc, inputType.getShape(), element);
    rewriter.replaceOp(
        op,
        linalg::GenericOp::create(
            rewriter, loc, inputType, ValueRange{}, init,
            SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(4)},
            SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
            body)
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
  patterns.add<ActivationGradLowering, ConvWeightGradLowering, PoolGradLowering,
               SoftmaxCrossEntropyGradLowering, DropoutMaskLowering>(
      patterns.getContext());
}
