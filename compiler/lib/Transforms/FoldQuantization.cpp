//===- FoldQuantization.cpp - QDQ patterns to the integer kernels ---------===//
//
// ONNX Runtime's quantize_static and PyTorch's export write an int8 layer as
// float ops between DequantizeLinear and QuantizeLinear:
//
//   quantize(conv(dequantize(x), dequantize(w), dequantize(b)), ys, yz)
//
// which is, exactly up to the float rounding of the accumulation,
//
//   requantize(conv_integer(x, w, xz, wz, b'), xs * ws / ys, yz)
//
// with b' the bias in the accumulator's scale xs * ws (ONNX's QDQ convention
// makes b' = b; a float bias or another scale is requantized at compile
// time). Likewise for matmul (Gemm, MatMul): a transposed constant weight is
// transposed here; a reshape of a dequantized tensor (Flatten) moves before
// the dequantize. The activations stay int8 between two such layers: the
// next layer's dequantize reads the requantized tensor directly. A max pool
// or a concat between dequantizes and a quantize of the same parameters
// runs on the integers.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Transforms/Passes.h"

#include "ConstantTensors.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace cnnc {
#define GEN_PASS_DEF_FOLDQUANTIZATION
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;

namespace {

/// A dequantize per tensor (no axis), or per `axis` when that is allowed.
cnn::DequantizeOp dequantizeOf(Value value, std::optional<uint64_t> axis) {
  auto dq = value.getDefiningOp<cnn::DequantizeOp>();
  if (!dq || dq.getInput().getType().getElementType().isInteger(32))
    return {};
  if (dq.getAxis() && dq.getAxis() != axis)
    return {};
  return dq;
}

bool isTypeMinimum(Value zeroPoint) {
  std::optional<std::vector<int64_t>> values =
      transforms::constantInts(zeroPoint);
  if (!values || values->size() != 1)
    return false;
  bool isUnsigned = cast<RankedTensorType>(zeroPoint.getType())
                        .getElementType()
                        .isUnsignedInteger();
  return values->front() == (isUnsigned ? 0 : -128);
}

/// Whether the fused activation of a folded layer is exact in the integer
/// domain: none; relu when the output zero point is the type's minimum
/// (then the saturation is the relu); clip [0, beta] (relu6) when besides
/// the largest value the output can hold, 255 steps above zero, is at most
/// beta (then the saturation is the upper clip too: beta / scale rounds to
/// the type's maximum or beyond).
bool foldableActivation(std::optional<cnn::ActivationKind> kind,
                        FloatAttr alpha, FloatAttr beta,
                        cnn::QuantizeOp quantize) {
  if (!kind)
    return true;
  if (!isTypeMinimum(quantize.getZeroPoint()))
    return false;
  if (*kind == cnn::ActivationKind::Relu)
    return true;
  if (*kind != cnn::ActivationKind::Clip || !alpha || !beta ||
      alpha.getValueAsDouble() != 0.0)
    return false;
  std::optional<std::vector<float>> scale =
      transforms::constantFloats(quantize.getScale());
  return scale && scale->size() == 1 &&
         255.0 * scale->front() <= beta.getValueAsDouble();
}

/// The bias `bias` (float, or dequantized int32) as int32 in the scale
/// `inputScale * weightScale` (per output channel), or none when it is not
/// known at compile time.
FailureOr<Value> integerBias(PatternRewriter &rewriter, Location loc,
                             Value bias, Value inputScale, Value weightScale,
                             int64_t channels) {
  if (!bias)
    return Value();
  std::optional<std::vector<float>> xs = transforms::constantFloats(inputScale);
  std::optional<std::vector<float>> ws =
      transforms::constantFloats(weightScale);
  if (!xs || !ws || xs->size() != 1)
    return failure();
  std::vector<double> values;
  if (auto dq = bias.getDefiningOp<cnn::DequantizeOp>()) {
    std::optional<std::vector<int64_t>> b =
        transforms::constantInts(dq.getInput());
    std::optional<std::vector<float>> bs =
        transforms::constantFloats(dq.getScale());
    std::optional<std::vector<int64_t>> bz =
        transforms::constantInts(dq.getZeroPoint());
    if (!b || !bs || !bz || static_cast<int64_t>(b->size()) != channels)
      return failure();
    for (int64_t i = 0; i < channels; ++i) {
      float scale = (*bs)[bs->size() == 1 ? 0 : i];
      int64_t zero = (*bz)[bz->size() == 1 ? 0 : i];
      values.push_back(double((*b)[i] - zero) * scale);
    }
  } else if (std::optional<std::vector<float>> b =
                 transforms::constantFloats(bias)) {
    values.assign(b->begin(), b->end());
  } else {
    return failure();
  }
  if (static_cast<int64_t>(values.size()) != channels)
    return failure();
  std::vector<int64_t> quantized;
  for (int64_t i = 0; i < channels; ++i) {
    // The accumulator's scale as float32, as the runtime computes it.
    float scale = (*xs)[0] * (*ws)[ws->size() == 1 ? 0 : i];
    double q = std::nearbyint(values[i] / scale);
    if (!(std::fabs(q) < 2147483647.0))
      return failure();
    quantized.push_back(static_cast<int64_t>(q));
  }
  auto type = RankedTensorType::get({channels}, rewriter.getI32Type());
  return transforms::createIntConstant(rewriter, loc, type, quantized);
}

/// xs * ws / ys as cnn ops (folded later when constant).
Value multiplier(PatternRewriter &rewriter, Location loc, Value xs, Value ws,
                 Value ys) {
  auto mul =
      cnn::BinaryOp::create(rewriter, loc, cast<RankedTensorType>(ws.getType()),
                            cnn::BinaryKind::Mul, xs, ws);
  return cnn::BinaryOp::create(rewriter, loc, mul.getType(),
                               cnn::BinaryKind::Div, mul, ys);
}

struct FoldQuantizedConv : OpRewritePattern<cnn::QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(cnn::QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    if (quantize.getAxis())
      return failure();
    auto conv = quantize.getInput().getDefiningOp<cnn::ConvOp>();
    if (!conv || !conv->hasOneUse() || conv.getResidual() ||
        conv.getLayout() != cnn::Layout::NCHW ||
        conv.getInput().getType().getRank() != 4 ||
        !foldableActivation(conv.getActivation(), conv.getActivationAlphaAttr(),
                            conv.getActivationBetaAttr(), quantize))
      return failure();
    cnn::DequantizeOp x = dequantizeOf(conv.getInput(), std::nullopt);
    cnn::DequantizeOp w = dequantizeOf(conv.getWeight(), 0);
    if (!x || !w)
      return failure();
    Location loc = conv.getLoc();
    int64_t channels = conv.getType().getDimSize(1);
    FailureOr<Value> bias = integerBias(rewriter, loc, conv.getBias(),
                                        x.getScale(), w.getScale(), channels);
    if (failed(bias))
      return failure();
    // A per-tensor weight zero point for a per-channel scale is the same
    // value for every channel.
    Value weightZero = w.getZeroPoint();
    auto acc = cnn::ConvIntegerOp::create(
        rewriter, loc,
        RankedTensorType::get(conv.getType().getShape(), rewriter.getI32Type()),
        x.getInput(), w.getInput(), x.getZeroPoint(), weightZero, *bias,
        conv.getStridesAttr(), conv.getPadsAttr(), conv.getDilationsAttr(),
        conv.getGroupsAttr());
    Value m = multiplier(rewriter, loc, x.getScale(), w.getScale(),
                         quantize.getScale());
    rewriter.replaceOpWithNewOp<cnn::RequantizeOp>(
        quantize, quantize.getType(), acc, m, quantize.getZeroPoint(),
        w.getAxis() ? rewriter.getI64IntegerAttr(1) : IntegerAttr());
    return success();
  }
};

/// `value` (a 2-D integer constant) transposed, or none.
Value transposedConstant(PatternRewriter &rewriter, Location loc, Value value) {
  std::optional<std::vector<int64_t>> data = transforms::constantInts(value);
  auto type = cast<RankedTensorType>(value.getType());
  if (!data || type.getRank() != 2)
    return {};
  int64_t rows = type.getDimSize(0), columns = type.getDimSize(1);
  std::vector<int64_t> transposed(data->size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < columns; ++c)
      transposed[c * rows + r] = (*data)[r * columns + c];
  return transforms::createIntConstant(rewriter, loc,
                                       type.clone({columns, rows}), transposed);
}

struct FoldQuantizedMatmul : OpRewritePattern<cnn::QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(cnn::QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    if (quantize.getAxis())
      return failure();
    auto matmul = quantize.getInput().getDefiningOp<cnn::MatmulOp>();
    if (!matmul || !matmul->hasOneUse() || matmul.getTransposeLhs() ||
        matmul.getAlpha().convertToDouble() != 1.0 ||
        matmul.getBeta().convertToDouble() != 1.0 ||
        !foldableActivation(matmul.getActivation(),
                            matmul.getActivationAlphaAttr(),
                            matmul.getActivationBetaAttr(), quantize))
      return failure();
    auto rhsType = matmul.getRhs().getType();
    if (rhsType.getRank() != 2)
      return failure();
    bool transposed = matmul.getTransposeRhs();
    // The weight's output features: axis 0 of a transposed [N, K] weight,
    // axis 1 of a [K, N] one.
    cnn::DequantizeOp x = dequantizeOf(matmul.getLhs(), std::nullopt);
    cnn::DequantizeOp w = dequantizeOf(matmul.getRhs(), transposed ? 0 : 1);
    if (!x || !w)
      return failure();
    Location loc = matmul.getLoc();
    int64_t columns = matmul.getType().getShape().back();
    Value bias = matmul.getBias();
    if (bias && cast<RankedTensorType>(bias.getType()).getRank() != 1)
      return failure();
    FailureOr<Value> integer =
        integerBias(rewriter, loc, bias, x.getScale(), w.getScale(), columns);
    if (failed(integer))
      return failure();
    Value weight = w.getInput();
    if (transposed) {
      weight = transposedConstant(rewriter, loc, weight);
      if (!weight)
        return failure();
    }
    auto acc = cnn::MatmulIntegerOp::create(
        rewriter, loc,
        RankedTensorType::get(matmul.getType().getShape(),
                              rewriter.getI32Type()),
        x.getInput(), weight, x.getZeroPoint(), w.getZeroPoint(), *integer);
    Value m = multiplier(rewriter, loc, x.getScale(), w.getScale(),
                         quantize.getScale());
    int64_t rank = matmul.getType().getRank();
    rewriter.replaceOpWithNewOp<cnn::RequantizeOp>(
        quantize, quantize.getType(), acc, m, quantize.getZeroPoint(),
        w.getAxis() ? rewriter.getI64IntegerAttr(rank - 1) : IntegerAttr());
    return success();
  }
};

/// Whether two per-tensor quantizations are the same: the same values, or
/// constants that are equal.
bool sameParameters(Value scale, Value zero, Value otherScale,
                    Value otherZero) {
  if (scale == otherScale && zero == otherZero)
    return true;
  std::optional<std::vector<float>> a = transforms::constantFloats(scale),
                                    b = transforms::constantFloats(otherScale);
  std::optional<std::vector<int64_t>> c = transforms::constantInts(zero),
                                      d = transforms::constantInts(otherZero);
  return a && b && c && d && a->size() == 1 && *a == *b && *c == *d &&
         zero.getType() == otherZero.getType();
}

/// quantize(max_pool(dequantize(x))) with the same parameters both sides is
/// max_pool(x) on the integers, exactly: the max commutes with the
/// dequantize (its scale is positive), and the quantize of a dequantized
/// integer is that integer ((q - z) * s / s rounds back to q - z). Padding
/// never wins either way.
struct FoldQuantizedMaxPool : OpRewritePattern<cnn::QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(cnn::QuantizeOp q,
                                PatternRewriter &rewriter) const override {
    auto pool = q.getInput().getDefiningOp<cnn::PoolOp>();
    if (q.getAxis() || !pool || pool.getKind() != cnn::PoolKind::Max ||
        pool.getInput().getType().getRank() != 4)
      return failure();
    cnn::DequantizeOp dq = dequantizeOf(pool.getInput(), std::nullopt);
    if (!dq || dq.getInput().getType().getElementType() !=
                   q.getType().getElementType() ||
        !sameParameters(dq.getScale(), dq.getZeroPoint(), q.getScale(),
                        q.getZeroPoint()))
      return failure();
    rewriter.replaceOpWithNewOp<cnn::PoolOp>(
        q, q.getType(), pool.getKind(), dq.getInput(), pool.getKernel(),
        pool.getStrides(), pool.getPads(), pool.getDilations(),
        pool.getCeilMode(), pool.getCountIncludePad(), pool.getLayout());
    return success();
  }
};

/// quantize(concat(dequantize(x_i))) with one scale and zero point for all
/// is concat(x_i) of the integers, exactly (the quantize of a dequantized
/// integer is that integer): DenseNet's and Inception's concats stay int8.
struct FoldQuantizedConcat : OpRewritePattern<cnn::QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(cnn::QuantizeOp q,
                                PatternRewriter &rewriter) const override {
    auto concat = q.getInput().getDefiningOp<cnn::ConcatOp>();
    if (q.getAxis() || !concat)
      return failure();
    SmallVector<Value> integers;
    for (Value input : concat.getInputs()) {
      cnn::DequantizeOp dq = dequantizeOf(input, std::nullopt);
      if (!dq || dq.getAxis() ||
          dq.getInput().getType().getElementType() !=
              q.getType().getElementType() ||
          !sameParameters(dq.getScale(), dq.getZeroPoint(), q.getScale(),
                          q.getZeroPoint()))
        return failure();
      integers.push_back(dq.getInput());
    }
    rewriter.replaceOpWithNewOp<cnn::ConcatOp>(q, q.getType(), integers,
                                               concat.getAxisAttr());
    return success();
  }
};

/// reshape(dequantize(q)) per tensor is dequantize(reshape(q)): the reshape
/// (a Flatten before a Gemm) moves to the int8 side, where the next layer's
/// pattern sees the dequantize.
struct ReshapeBeforeDequantize : OpRewritePattern<cnn::ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(cnn::ReshapeOp reshape,
                                PatternRewriter &rewriter) const override {
    cnn::DequantizeOp dq = dequantizeOf(reshape.getInput(), std::nullopt);
    if (!dq || dq.getAxis())
      return failure();
    auto quantized = cast<RankedTensorType>(dq.getInput().getType());
    auto moved = cnn::ReshapeOp::create(
        rewriter, reshape.getLoc(),
        quantized.clone(reshape.getType().getShape()), dq.getInput());
    rewriter.replaceOpWithNewOp<cnn::DequantizeOp>(
        reshape, reshape.getType(), moved, dq.getScale(), dq.getZeroPoint(),
        IntegerAttr());
    return success();
  }
};

struct FoldQuantizationPass
    : cnnc::impl::FoldQuantizationBase<FoldQuantizationPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns
        .add<FoldQuantizedConv, FoldQuantizedMatmul, FoldQuantizedMaxPool,
             FoldQuantizedConcat, ReshapeBeforeDequantize>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
