//===- FuseEpilogues.cpp - Residual add and activation into conv/matmul ---===//

#include "cnnc/Transforms/Passes.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace cnnc {
#define GEN_PASS_DEF_FUSEEPILOGUES
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;

namespace {

Location fusedLoc(Operation *producer, Operation *consumer) {
  return FusedLoc::get(producer->getContext(),
                       {producer->getLoc(), consumer->getLoc()});
}

/// activation(conv) / activation(matmul): the producer takes it.
template <typename OpTy>
struct FuseActivation : OpRewritePattern<cnn::ActivationOp> {
  using OpRewritePattern<cnn::ActivationOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(cnn::ActivationOp act,
                                PatternRewriter &rewriter) const override {
    auto producer = act.getInput().template getDefiningOp<OpTy>();
    if (!producer || !producer->hasOneUse() || producer.getActivation())
      return failure();
    rewriter.modifyOpInPlace(producer, [&] {
      producer.setActivation(act.getKind());
      if (FloatAttr alpha = act.getAlphaAttr())
        producer.setActivationAlphaAttr(alpha);
      if (FloatAttr beta = act.getBetaAttr())
        producer.setActivationBetaAttr(beta);
      producer->setLoc(fusedLoc(producer, act));
    });
    rewriter.replaceOp(act, producer.getResult());
    return success();
  }
};

/// conv + r (either order, r of the result's type): the conv's residual.
/// The new conv sits where the add was, where r is defined too.
struct FuseResidual : OpRewritePattern<cnn::BinaryOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(cnn::BinaryOp add,
                                PatternRewriter &rewriter) const override {
    if (add.getKind() != cnn::BinaryKind::Add)
      return failure();
    for (int side = 0; side < 2; ++side) {
      Value convValue = side == 0 ? add.getLhs() : add.getRhs();
      Value residual = side == 0 ? add.getRhs() : add.getLhs();
      auto conv = convValue.getDefiningOp<cnn::ConvOp>();
      if (!conv || !conv->hasOneUse() || conv.getResidual() ||
          conv.getActivation() || residual.getType() != add.getType() ||
          conv.getType() != add.getType())
        continue;
      auto fused = cnn::ConvOp::create(
          rewriter, fusedLoc(conv, add), conv.getType(), conv.getInput(),
          conv.getWeight(), conv.getBias(), residual, conv.getStrides(),
          conv.getPads(), conv.getDilations(), conv.getGroups(),
          /*activation=*/nullptr, /*activation_alpha=*/nullptr,
          /*activation_beta=*/nullptr, conv.getLayout());
      rewriter.replaceOp(add, fused.getResult());
      rewriter.eraseOp(conv);
      return success();
    }
    return failure();
  }
};

struct FuseEpiloguesPass : cnnc::impl::FuseEpiloguesBase<FuseEpiloguesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseActivation<cnn::ConvOp>, FuseActivation<cnn::MatmulOp>,
                 FuseResidual>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
