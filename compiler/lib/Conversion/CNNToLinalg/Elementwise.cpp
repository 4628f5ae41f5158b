//===- Elementwise.cpp - activations, unary, binary, PReLU, constants -----===//

#include "StructuredBuilders.h"
#include "cnnc/Dialect/Kernel/IR/Epilogue.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::lowering;


namespace {

struct ActivationLowering : OpConversionPattern<cnn::ActivationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::ActivationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), op.getType(), adaptor.getInput(),
                        [&](OpBuilder &b, Location loc, ValueRange args) {
                          return cnnk::applyActivation(b, loc, op.getKind(),
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
                      case cnn::UnaryKind::Round:
                        return math::RoundEvenOp::create(b, loc, x);
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
