//===- FoldConstants.cpp - Evaluate weight-only subgraphs -----------------===//

#include "cnnc/Transforms/Passes.h"

#include "ConstantTensors.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"


namespace cnnc {
#define GEN_PASS_DEF_FOLDCONSTANTS
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;
using namespace cnnc::transforms;

namespace {

constexpr int64_t kMaxElements = int64_t(1) << 26;

/// Row-major strides of `shape`.
SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/// The flat index into an operand of `shape` (numpy-broadcast to `result`)
/// of the result element at flat index `i`.
int64_t broadcastIndex(int64_t i, ArrayRef<int64_t> result,
                       ArrayRef<int64_t> shape) {
  int64_t index = 0, stride = 1;
  int64_t offset = static_cast<int64_t>(result.size() - shape.size());
  for (int64_t d = static_cast<int64_t>(result.size()) - 1; d >= 0; --d) {
    int64_t coordinate = i % result[d];
    i /= result[d];
    int64_t od = d - offset;
    if (od < 0)
      break;
    if (shape[od] != 1)
      index += coordinate * stride;
    stride *= shape[od];
  }
  return index;
}

/// Replaces `op` by the constant `data` of its result type.
LogicalResult replaceByConstant(Operation *op, PatternRewriter &rewriter,
                                ArrayRef<float> data) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  rewriter.replaceOp(op, createFloatConstant(rewriter, op->getLoc(), type,
                                             data));
  return success();
}

bool tooLarge(Operation *op) {
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  return !type || !type.hasStaticShape() ||
         type.getNumElements() > kMaxElements;
}

struct FoldBinary : OpRewritePattern<cnn::BinaryOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(cnn::BinaryOp op,
                                PatternRewriter &rewriter) const override {
    if (tooLarge(op))
      return failure();
    std::optional<std::vector<float>> lhs = constantFloats(op.getLhs());
    std::optional<std::vector<float>> rhs = constantFloats(op.getRhs());
    if (!lhs || !rhs)
      return failure();
    ArrayRef<int64_t> shape = op.getType().getShape();
    ArrayRef<int64_t> lhsShape = op.getLhs().getType().getShape();
    ArrayRef<int64_t> rhsShape = op.getRhs().getType().getShape();
    std::vector<float> data(op.getType().getNumElements());
    for (int64_t i = 0, e = data.size(); i < e; ++i)
      data[i] = static_cast<float>(cnn::evaluateBinary(
          op.getKind(), (*lhs)[broadcastIndex(i, shape, lhsShape)],
          (*rhs)[broadcastIndex(i, shape, rhsShape)]));
    return replaceByConstant(op, rewriter, data);
  }
};

struct FoldUnary : OpRewritePattern<cnn::UnaryOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(cnn::UnaryOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<std::vector<float>> input = constantFloats(op.getInput());
    if (tooLarge(op) || !input)
      return failure();
    for (float &x : *input)
      x = static_cast<float>(cnn::evaluateUnary(op.getKind(), x));
    return replaceByConstant(op, rewriter, *input);
  }
};

struct FoldTranspose : OpRewritePattern<cnn::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(cnn::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<std::vector<float>> input = constantFloats(op.getInput());
    if (tooLarge(op) || !input)
      return failure();
    ArrayRef<int64_t> shape = op.getType().getShape();
    SmallVector<int64_t> inputStrides =
        stridesOf(op.getInput().getType().getShape());
    ArrayRef<int64_t> permutation = op.getPermutation();
    std::vector<float> data(op.getType().getNumElements());
    for (int64_t i = 0, e = data.size(); i < e; ++i) {
      int64_t rest = i, source = 0;
      for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
        source += (rest % shape[d]) * inputStrides[permutation[d]];
        rest /= shape[d];
      }
      data[i] = (*input)[source];
    }
    return replaceByConstant(op, rewriter, data);
  }
};

struct FoldReshape : OpRewritePattern<cnn::ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(cnn::ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<std::vector<float>> input = constantFloats(op.getInput());
    if (tooLarge(op) || !input)
      return failure();
    return replaceByConstant(op, rewriter, *input);
  }
};

/// matmul(x, W, transpose_rhs) with a constant W: the transpose is done
/// once, on the constant (likewise for the lhs), instead of in every run.
struct FoldMatmulTransposes : OpRewritePattern<cnn::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(cnn::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    auto transposed = [&](Value operand) -> Value {
      if (!constantFloats(operand))
        return {};
      int64_t rank = cast<RankedTensorType>(operand.getType()).getRank();
      auto permutation = llvm::to_vector(llvm::seq<int64_t>(0, rank));
      std::swap(permutation[rank - 2], permutation[rank - 1]);
      return cnn::TransposeOp::create(rewriter, op.getLoc(), operand,
                                      permutation);
    };
    Value lhs = op.getTransposeLhs() ? transposed(op.getLhs()) : Value();
    Value rhs = op.getTransposeRhs() ? transposed(op.getRhs()) : Value();
    if (!lhs && !rhs)
      return failure();
    rewriter.modifyOpInPlace(op, [&] {
      if (lhs) {
        op.getLhsMutable().assign(lhs);
        op.setTransposeLhs(false);
      }
      if (rhs) {
        op.getRhsMutable().assign(rhs);
        op.setTransposeRhs(false);
      }
    });
    return success();
  }
};

struct FoldConstantsPass
    : cnnc::impl::FoldConstantsBase<FoldConstantsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBinary, FoldMatmulTransposes, FoldReshape, FoldTranspose,
                 FoldUnary>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
