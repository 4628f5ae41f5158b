//===- CNNFolds.cpp - Folders of cnn ops ----------------------------------===//
//
// The obvious folds: ops that are identities for their attributes, ops of
// splat constants, chains of reshapes or transposes; and the canonical form
// of a transpose that moves only unit dimensions. Folding whole weight
// subgraphs is a graph pass.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>
#include <optional>

using namespace mlir;
using namespace cnnc::cnn;

/// The value of a splat floating-point constant, as a double.
static std::optional<double> splatValue(Attribute attr) {
  auto splat = dyn_cast_if_present<SplatElementsAttr>(attr);
  if (!splat || !isa<FloatType>(splat.getElementType()))
    return std::nullopt;
  return splat.getSplatValue<APFloat>().convertToDouble();
}

/// A splat of `value` in `type`, rounded to its element type.
static Attribute splatOf(ShapedType type, double value) {
  auto element = cast<FloatType>(type.getElementType());
  APFloat converted(value);
  bool losesInfo = false;
  converted.convert(element.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                    &losesInfo);
  return SplatElementsAttr::get(type, converted);
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

double cnnc::cnn::evaluateUnary(UnaryKind kind, double x) {
  switch (kind) {
  case UnaryKind::Exp:
    return std::exp(x);
  case UnaryKind::Log:
    return std::log(x);
  case UnaryKind::Sqrt:
    return std::sqrt(x);
  case UnaryKind::Neg:
    return -x;
  case UnaryKind::Abs:
    return std::fabs(x);
  case UnaryKind::Reciprocal:
    return 1.0 / x;
  case UnaryKind::Round:
    return std::nearbyint(x); // the default rounding: halves to even
  }
  llvm_unreachable("unknown unary kind");
}

OpFoldResult UnaryOp::fold(FoldAdaptor adaptor) {
  std::optional<double> x = splatValue(adaptor.getInput());
  if (!x)
    return {};
  return splatOf(getType(), evaluateUnary(getKind(), *x));
}

double cnnc::cnn::evaluateBinary(BinaryKind kind, double x, double y) {
  switch (kind) {
  case BinaryKind::Add:
    return x + y;
  case BinaryKind::Sub:
    return x - y;
  case BinaryKind::Mul:
    return x * y;
  case BinaryKind::Div:
    return x / y;
  case BinaryKind::Max: // NaN propagates, as in numpy and PyTorch.
    return std::isnan(x) || std::isnan(y) ? std::nan("") : std::fmax(x, y);
  case BinaryKind::Min:
    return std::isnan(x) || std::isnan(y) ? std::nan("") : std::fmin(x, y);
  case BinaryKind::Pow:
    return std::pow(x, y);
  }
  llvm_unreachable("unknown binary kind");
}

/// Whether `rhs` is the right identity of `kind` for every x, signed zeros
/// included: x + (-0), x - (+0), x * 1, x / 1, x ^ 1. (x + (+0) is not: it
/// turns -0 into +0.)
static bool isRightIdentity(BinaryKind kind, double rhs) {
  switch (kind) {
  case BinaryKind::Add:
    return rhs == 0.0 && std::signbit(rhs);
  case BinaryKind::Sub:
    return rhs == 0.0 && !std::signbit(rhs);
  case BinaryKind::Mul:
  case BinaryKind::Div:
  case BinaryKind::Pow:
    return rhs == 1.0;
  default:
    return false;
  }
}

OpFoldResult BinaryOp::fold(FoldAdaptor adaptor) {
  std::optional<double> lhs = splatValue(adaptor.getLhs());
  std::optional<double> rhs = splatValue(adaptor.getRhs());
  if (lhs && rhs)
    return splatOf(getType(), evaluateBinary(getKind(), *lhs, *rhs));
  // The identity must not change the shape through broadcasting.
  if (rhs && isRightIdentity(getKind(), *rhs) &&
      getLhs().getType() == getType())
    return getLhs();
  return {};
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1)
    return getInputs().front();
  return {};
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto producer = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(producer.getInput());
    return getResult();
  }
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput()))
    return dense.reshape(getType());
  return {};
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  if (llvm::equal(getPermutation(), llvm::seq<int64_t>(0, getType().getRank())))
    return getInput();
  if (auto producer = getInput().getDefiningOp<TransposeOp>()) {
    // Result dimension i is the producer's dimension permutation[i], which
    // is its input's dimension producer.permutation[permutation[i]].
    SmallVector<int64_t> composed;
    for (int64_t d : getPermutation())
      composed.push_back(producer.getPermutation()[d]);
    getInputMutable().assign(producer.getInput());
    setPermutation(composed);
    return getResult();
  }
  if (auto splat = dyn_cast_if_present<SplatElementsAttr>(adaptor.getInput()))
    return splat.resizeSplat(getType());
  return {};
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  bool whole = getInput().getType() == getType() &&
               llvm::all_of(getOffsets(), [](int64_t o) { return o == 0; }) &&
               llvm::all_of(getStrides(), [](int64_t s) { return s == 1; });
  if (whole)
    return getInput();
  if (auto splat = dyn_cast_if_present<SplatElementsAttr>(adaptor.getInput()))
    return splat.resizeSplat(getType());
  return {};
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (llvm::all_of(getPads(), [](int64_t pad) { return pad == 0; }))
    return getInput();
  return {};
}

namespace {

/// A transpose that keeps the dimensions of size above 1 in their order
/// moves no data: it is a reshape.
struct TransposeOfUnitDimensions : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    int64_t last = -1;
    for (int64_t d : op.getPermutation()) {
      if (inputType.getDimSize(d) == 1)
        continue;
      if (d < last)
        return failure();
      last = d;
    }
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), op.getInput());
    return success();
  }
};

} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<TransposeOfUnitDimensions>(context);
}
