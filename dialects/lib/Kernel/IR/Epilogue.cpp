//===- Epilogue.cpp - The fused end of a kernel, on scalars or vectors ----===//

#include "cnnc/Dialect/Kernel/IR/Epilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;

namespace cnnc::cnnk {

Value floatConstant(OpBuilder &b, Location loc, Type type, double value) {
  if (auto vector = dyn_cast<VectorType>(type))
    return arith::ConstantOp::create(
        b, loc, vector,
        DenseElementsAttr::get(
            vector, b.getFloatAttr(vector.getElementType(), value)));
  return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, value));
}

Value applyActivation(OpBuilder &b, Location loc, cnn::ActivationKind kind,
                      FloatAttr alphaAttr, FloatAttr betaAttr, Value x) {
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

Value applyEpilogue(OpBuilder &b, Location loc, Value x, Value residual,
                    std::optional<cnn::ActivationKind> kind, FloatAttr alpha,
                    FloatAttr beta) {
  if (residual)
    x = arith::AddFOp::create(b, loc, x, residual);
  if (kind)
    x = applyActivation(b, loc, *kind, alpha, beta, x);
  return x;
}

} // namespace cnnc::cnnk
