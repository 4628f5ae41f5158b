//===- Elementwise.cpp - activations, unary, binary, PReLU, constants -----===//

#include "StructuredBuilders.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::lowering;

namespace {

} // namespace

Value cnnc::lowering::applyActivation(OpBuilder &b, Location loc,
                                      cnn::ActivationKind kind,
                                      FloatAttr alphaAttr, FloatAttr betaAttr,
                                      Value x) {
  Type t = x.getType();
  auto c = [&](double v) { return floatConstant(b, loc, t, v); };
  double alpha = alphaAttr ? alphaAttr.getValueAsDouble() : 0.0;
  double beta = betaAttr ? betaAttr.getValueAsDouble() : 0.0;
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
  switch (kind) {
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

namespace {

struct ActivationLowering : OpConversionPattern<cnn::ActivationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::ActivationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), op.getType(), adaptor.getInput(),
                        [&](OpBuilder &b, Location loc, ValueRange args) {
                          return applyActivation(b, loc, op.getKind(),
                                                 op.getAlphaAttr(),
                                                 op.getBetaAttr(), args[0]);
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

/// Inference: dropout passes its input through. Training graphs need a
/// random mask instead, which this lowering does not produce yet.
struct DropoutLowering : OpConversionPattern<cnn::DropoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::DropoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

} // namespace

void cnnc::lowering::populateElementwiseLowerings(RewritePatternSet &patterns) {
  patterns.add<ActivationLowering, BinaryLowering, ConstantLowering,
               DropoutLowering, PReluLowering, UnaryLowering>(
      patterns.getContext());
}
