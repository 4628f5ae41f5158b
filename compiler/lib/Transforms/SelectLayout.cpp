//===- SelectLayout.cpp - Channels-last 2-D convolutions and pooling ------===//
//
// The CPU kernels vectorize along the channels, so 2-D convolutions (float
// and integer) and pooling take their channels-last form: each is put
// between a transpose
// into NHWC and one back, and those transposes then sink through the ops
// that do not care where the channels are, until two meet and cancel. What
// remains stands at the graph's edges; a transposed weight is a constant
// that cnnc-fold-constants folds.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Transforms/Passes.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"

namespace cnnc {
#define GEN_PASS_DEF_SELECTLAYOUT
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;

namespace {

RankedTensorType permuted(RankedTensorType type,
                          ArrayRef<int64_t> permutation) {
  SmallVector<int64_t> shape;
  for (int64_t d : permutation)
    shape.push_back(type.getDimSize(d));
  return type.clone(shape);
}

/// Puts a channels-first 2-D conv, integer conv, pool or global pool into
/// its channels-last form, between transposes of its operands and its
/// result (an integer conv keeps its [F, C, KH, KW] weight).
template <typename OpTy>
void toChannelsLast(OpTy op, RewriterBase &rewriter) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  auto transpose = [&](Value value, ArrayRef<int64_t> permutation) {
    return cnn::TransposeOp::create(rewriter, loc, value, permutation)
        .getResult();
  };
  rewriter.modifyOpInPlace(op, [&] {
    op.getInputMutable().assign(transpose(op.getInput(), cnn::kToChannelsLast));
    if constexpr (std::is_same_v<OpTy, cnn::ConvOp>) {
      op.getWeightMutable().assign(
          transpose(op.getWeight(), cnn::kWeightToChannelsLast));
      if (Value residual = op.getResidual())
        op.getResidualMutable().assign(
            transpose(residual, cnn::kToChannelsLast));
    }
    op.setLayout(cnn::Layout::NHWC);
    op.getResult().setType(permuted(op.getType(), cnn::kToChannelsLast));
  });
  rewriter.setInsertionPointAfter(op);
  Value back = transpose(op.getResult(), cnn::kToChannelsFirst);
  rewriter.replaceAllUsesExcept(op.getResult(), back, back.getDefiningOp());
}

/// The permutation that undoes `permutation`.
SmallVector<int64_t> inverse(ArrayRef<int64_t> permutation) {
  SmallVector<int64_t> result(permutation.size());
  for (auto [i, d] : llvm::enumerate(permutation))
    result[d] = i;
  return result;
}

/// A graph input or a constant: an operand that may take the inverse of a
/// transpose that sinks past its user (which folds, for a constant). The
/// transposes that sink are those of computed values, never of these, so
/// that no transpose sinks back the way another came.
bool isEdge(Value value) {
  return isa<BlockArgument>(value) || matchPattern(value, m_Constant());
}

/// `value`'s producer if it is a transpose of a computed value (one that
/// may sink) by `permutation`, or by any permutation when that is empty.
cnn::TransposeOp sinkableTranspose(Value value,
                                   ArrayRef<int64_t> permutation = {}) {
  auto transpose = value.getDefiningOp<cnn::TransposeOp>();
  if (!transpose || isEdge(transpose.getInput()) ||
      (!permutation.empty() && transpose.getPermutation() != permutation))
    return nullptr;
  return transpose;
}

/// `value` (of rank `rank` or, broadcasting, less) transposed by the
/// inverse of `permutation`, after numpy's leading unit dimensions.
Value transposedBack(PatternRewriter &rewriter, Location loc, Value value,
                     int64_t rank, ArrayRef<int64_t> permutation) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() < rank) {
    SmallVector<int64_t> shape(rank - type.getRank(), 1);
    llvm::append_range(shape, type.getShape());
    value = cnn::ReshapeOp::create(rewriter, loc, type.clone(shape), value);
  }
  return cnn::TransposeOp::create(rewriter, loc, value, inverse(permutation));
}

/// op(transpose(x, P)) -> transpose(op(x), P) for an op that applies a
/// function to each element: cnn.activation, cnn.unary, and quantize,
/// dequantize and requantize, whose per-axis axis moves with its dimension
/// (dimension a of the transposed value is P[a] of x).
template <typename OpTy>
struct SinkThroughElementwise : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto transpose = op.getInput().template getDefiningOp<cnn::TransposeOp>();
    if (!transpose)
      return failure();
    auto moved = cast<OpTy>(rewriter.clone(*op));
    moved.getInputMutable().assign(transpose.getInput());
    moved.getResult().setType(cast<RankedTensorType>(op.getType()).clone(
        transpose.getInput().getType().getShape()));
    if constexpr (llvm::is_one_of<OpTy, cnn::QuantizeOp, cnn::DequantizeOp,
                                  cnn::RequantizeOp>::value)
      if (std::optional<uint64_t> axis = op.getAxis())
        moved.setAxis(transpose.getPermutation()[*axis]);
    rewriter.replaceOpWithNewOp<cnn::TransposeOp>(
        op, op.getType(), moved.getResult(), transpose.getPermutation());
    return success();
  }
};

/// The permutation of a sinkable transpose of rank `rank` among
/// `operands`, when each of them is a transpose by it or a graph input or
/// constant; empty otherwise.
ArrayRef<int64_t> commonPermutation(ValueRange operands, int64_t rank) {
  ArrayRef<int64_t> permutation;
  for (Value operand : operands)
    if (auto transpose = sinkableTranspose(operand);
        transpose && transpose.getType().getRank() == rank) {
      permutation = transpose.getPermutation();
      break;
    }
  if (permutation.empty())
    return {};
  for (Value operand : operands)
    if (!sinkableTranspose(operand, permutation) && !isEdge(operand))
      return {};
  return permutation;
}

/// `operands` as they were before the transposes by `permutation`: the
/// transposes' inputs, graph inputs and constants transposed back.
SmallVector<Value> untransposed(PatternRewriter &rewriter, Location loc,
                                ValueRange operands, int64_t rank,
                                ArrayRef<int64_t> permutation) {
  SmallVector<Value> result;
  for (Value operand : operands) {
    auto transpose = sinkableTranspose(operand, permutation);
    result.push_back(transpose ? transpose.getInput()
                               : transposedBack(rewriter, loc, operand, rank,
                                                permutation));
  }
  return result;
}

/// binary(transpose(a, P), transpose(b, P)) -> transpose(binary(a, b), P);
/// a graph input or constant instead of a transposed operand is transposed
/// the other way.
struct SinkThroughBinary : OpRewritePattern<cnn::BinaryOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(cnn::BinaryOp op,
                                PatternRewriter &rewriter) const override {
    int64_t rank = op.getType().getRank();
    ArrayRef<int64_t> permutation = commonPermutation(op->getOperands(), rank);
    if (permutation.empty())
      return failure();
    SmallVector<Value> operands = untransposed(
        rewriter, op.getLoc(), op->getOperands(), rank, permutation);
    Value moved = cnn::BinaryOp::create(rewriter, op.getLoc(),
                                        op.getKindAttr(), operands[0],
                                        operands[1]);
    rewriter.replaceOpWithNewOp<cnn::TransposeOp>(op, op.getType(), moved,
                                                  permutation);
    return success();
  }
};

/// concat(transpose(x_i, P), axis) -> transpose(concat(x_i, P[axis]), P),
/// likewise with graph inputs and constants among the x_i.
struct SinkThroughConcat : OpRewritePattern<cnn::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(cnn::ConcatOp op,
                                PatternRewriter &rewriter) const override {
    int64_t rank = op.getType().getRank();
    ArrayRef<int64_t> permutation = commonPermutation(op.getInputs(), rank);
    if (permutation.empty())
      return failure();
    Value moved = cnn::ConcatOp::create(
        rewriter, op.getLoc(),
        untransposed(rewriter, op.getLoc(), op.getInputs(), rank, permutation),
        rewriter.getI64IntegerAttr(permutation[op.getAxis()]));
    rewriter.replaceOpWithNewOp<cnn::TransposeOp>(op, op.getType(), moved,
                                                  permutation);
    return success();
  }
};

/// A flatten of NHWC data transposed back to NCHW, into a linear layer with
/// a constant weight: matmul(reshape(transpose(x, P)), W) becomes
/// matmul(reshape(x), W') with W's rows in x's order, so the reorder folds
/// into the weight: [C*H*W, K] as [C, H, W, K], transposed to [H, W, C, K].
struct FoldTransposeIntoLinear : OpRewritePattern<cnn::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(cnn::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    auto flatten = op.getLhs().getDefiningOp<cnn::ReshapeOp>();
    auto lhsType = cast<RankedTensorType>(op.getLhs().getType());
    auto rhsType = cast<RankedTensorType>(op.getRhs().getType());
    if (!flatten || !flatten->hasOneUse() || op.getTransposeLhs() ||
        op.getTransposeRhs() || lhsType.getRank() != 2 ||
        rhsType.getRank() != 2 || !matchPattern(op.getRhs(), m_Constant()))
      return failure();
    cnn::TransposeOp transpose =
        sinkableTranspose(flatten.getInput(), cnn::kToChannelsFirst);
    if (!transpose)
      return failure();
    // [N, C, H, W] flattened to [N, C*H*W].
    ArrayRef<int64_t> nchw = transpose.getType().getShape();
    if (lhsType.getDimSize(0) != nchw[0])
      return failure();
    Location loc = op.getLoc();
    Type element = rhsType.getElementType();
    int64_t k = rhsType.getDimSize(1);
    auto shaped = [&](ArrayRef<int64_t> shape) {
      return RankedTensorType::get(shape, element);
    };
    Value weight = cnn::ReshapeOp::create(
        rewriter, loc, shaped({nchw[1], nchw[2], nchw[3], k}), op.getRhs());
    weight = cnn::TransposeOp::create(rewriter, loc, weight,
                                      ArrayRef<int64_t>{1, 2, 0, 3});
    weight = cnn::ReshapeOp::create(rewriter, loc, rhsType, weight);
    Value input = cnn::ReshapeOp::create(rewriter, loc, lhsType,
                                         transpose.getInput());
    rewriter.modifyOpInPlace(op, [&] {
      op.getLhsMutable().assign(input);
      op.getRhsMutable().assign(weight);
    });
    return success();
  }
};

struct SelectLayoutPass : cnnc::impl::SelectLayoutBase<SelectLayoutPass> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      bool channelsFirst2d =
          TypeSwitch<Operation *, bool>(op)
              .Case<cnn::ConvOp, cnn::ConvIntegerOp, cnn::PoolOp,
                    cnn::GlobalPoolOp>([](auto typed) {
                return typed.getLayout() == cnn::Layout::NCHW &&
                       typed.getInput().getType().getRank() == 4;
              })
              .Default(false);
      if (channelsFirst2d)
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : ops)
      TypeSwitch<Operation *>(op)
          .Case<cnn::ConvOp, cnn::ConvIntegerOp, cnn::PoolOp,
                cnn::GlobalPoolOp>(
              [&](auto typed) { toChannelsLast(typed, rewriter); });

    RewritePatternSet patterns(&getContext());
    patterns.add<FoldTransposeIntoLinear, SinkThroughBinary, SinkThroughConcat,
                 SinkThroughElementwise<cnn::ActivationOp>,
                 SinkThroughElementwise<cnn::UnaryOp>,
                 SinkThroughElementwise<cnn::QuantizeOp>,
                 SinkThroughElementwise<cnn::DequantizeOp>,
                 SinkThroughElementwise<cnn::RequantizeOp>>(&getContext());
    cnn::TransposeOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
