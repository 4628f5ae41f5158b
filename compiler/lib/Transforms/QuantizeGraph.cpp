//===- QuantizeGraph.cpp - The QDQ form of a float graph ------------------===//

#include "cnnc/Transforms/QuantizeGraph.h"

#include "ConstantTensors.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "llvm/ADT/SetVector.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace cnnc {
namespace {

/// Whether `loc` names an ONNX node in `names` (a NameLoc, possibly fused).
bool namedIn(Location loc, const llvm::StringSet<> &names) {
  if (names.empty())
    return false;
  if (auto fused = dyn_cast<FusedLoc>(loc))
    return llvm::any_of(fused.getLocations(),
                        [&](Location part) { return namedIn(part, names); });
  if (auto name = dyn_cast<NameLoc>(loc))
    return names.contains(name.getName().getValue()) ||
           namedIn(name.getChildLoc(), names);
  return false;
}

/// The weight a layer quantizes per output channel, and that channel's
/// axis in it; null for an op that is not a quantizable layer.
std::pair<OpOperand *, int64_t>
quantizableWeight(Operation *op, const llvm::StringSet<> &keep) {
  if (namedIn(op->getLoc(), keep))
    return {nullptr, 0};
  if (auto conv = dyn_cast<cnn::ConvOp>(op)) {
    if (conv.getLayout() != cnn::Layout::NCHW ||
        conv.getInput().getType().getRank() != 4 || conv.getResidual() ||
        conv.getActivation() || !transforms::constantFloats(conv.getWeight()))
      return {nullptr, 0};
    return {&conv.getWeightMutable(), 0};
  }
  if (auto matmul = dyn_cast<cnn::MatmulOp>(op)) {
    if (matmul.getTransposeLhs() || matmul.getActivation() ||
        matmul.getAlpha().convertToDouble() != 1.0 ||
        matmul.getBeta().convertToDouble() != 1.0 ||
        matmul.getRhs().getType().getRank() != 2 ||
        !transforms::constantFloats(matmul.getRhs()))
      return {nullptr, 0};
    if (Value bias = matmul.getBias();
        bias && cast<RankedTensorType>(bias.getType()).getRank() != 1)
      return {nullptr, 0};
    return {&matmul.getRhsMutable(), matmul.getTransposeRhs() ? 0 : 1};
  }
  return {nullptr, 0};
}

/// A layer's output as it is quantized: after a relu or a clip from 0
/// (relu6) that alone uses it, which the integer kernel's saturation then
/// computes (cnnc-fold-quantization).
Value quantizedOutput(Operation *layer) {
  Value result = layer->getResult(0);
  if (result.hasOneUse())
    if (auto relu = dyn_cast<cnn::ActivationOp>(*result.getUsers().begin())) {
      FloatAttr alpha = relu.getAlphaAttr();
      if (relu.getKind() == cnn::ActivationKind::Relu ||
          (relu.getKind() == cnn::ActivationKind::Clip && alpha &&
           alpha.getValueAsDouble() == 0.0 && relu.getBetaAttr()))
        return relu.getResult();
    }
  return result;
}

Value scalarConstant(OpBuilder &b, Location loc, Type element,
                     Attribute value) {
  auto type = RankedTensorType::get({}, element);
  return cnn::ConstantOp::create(b, loc, type,
                                 DenseElementsAttr::get(type, value));
}

/// The weight `operand` (f32 constant) as dequantize(int8 constant) per
/// channel along `axis`: symmetric, scale max|w| / limit per channel.
void quantizeWeight(OpBuilder &b, OpOperand &operand, int64_t axis,
                    int64_t limit) {
  Value weight = operand.get();
  auto type = cast<RankedTensorType>(weight.getType());
  std::vector<float> values = *transforms::constantFloats(weight);
  int64_t channels = type.getDimSize(axis);
  // Elements are visited as (outer, channel, inner).
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  std::vector<float> scales(channels, 0.0f);
  for (size_t i = 0; i < values.size(); ++i) {
    int64_t channel = (static_cast<int64_t>(i) / inner) % channels;
    scales[channel] = std::max(scales[channel], std::fabs(values[i]));
  }
  for (float &scale : scales)
    scale = scale > 0 ? scale / static_cast<float>(limit) : 1.0f;
  std::vector<int64_t> quantized(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    int64_t channel = (static_cast<int64_t>(i) / inner) % channels;
    float q = std::nearbyint(values[i] / scales[channel]);
    quantized[i] = static_cast<int64_t>(std::clamp(
        q, -static_cast<float>(limit), static_cast<float>(limit)));
  }
  Location loc = weight.getLoc();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointAfterValue(weight);
  Type i8 = b.getI8Type();
  Value q = transforms::createIntConstant(b, loc, type.clone(i8), quantized);
  auto scaleType = RankedTensorType::get({channels}, b.getF32Type());
  Value scale = transforms::createFloatConstant(b, loc, scaleType, scales);
  Value zero = transforms::createIntConstant(
      b, loc, RankedTensorType::get({channels}, i8),
      std::vector<int64_t>(channels, 0));
  operand.set(cnn::DequantizeOp::create(b, loc, type, q, scale, zero,
                                        b.getI64IntegerAttr(axis)));
}

} // namespace

std::pair<float, int64_t> uint8Parameters(TensorRange range) {
  float low = std::min(range.min, 0.0f), high = std::max(range.max, 0.0f);
  if (!(high - low > 0) || !std::isfinite(high - low))
    return {1.0f, 0};
  float scale = (high - low) / 255.0f;
  int64_t zero = static_cast<int64_t>(
      std::clamp(std::nearbyint(-low / scale), 0.0f, 255.0f));
  return {scale, zero};
}

SmallVector<Value> quantizationPoints(func::FuncOp function,
                                      const llvm::StringSet<> &keepFloat) {
  llvm::SetVector<Value> points;
  function.walk([&](Operation *op) {
    if (!quantizableWeight(op, keepFloat).first)
      return;
    points.insert(op->getOperand(0));
    points.insert(quantizedOutput(op));
  });
  return points.takeVector();
}

SmallVector<CalibratedLayer>
calibratedLayers(func::FuncOp function, const llvm::StringSet<> &keepFloat) {
  SmallVector<CalibratedLayer> layers;
  function.walk([&](Operation *op) {
    if (!isa<cnn::ConvOp, cnn::MatmulOp>(op))
      return;
    bool quantized = quantizableWeight(op, keepFloat).first;
    layers.push_back({op, quantized ? quantizedOutput(op) : Value()});
  });
  return layers;
}

void quantizeGraph(func::FuncOp function, ArrayRef<Value> points,
                   ArrayRef<TensorRange> ranges,
                   const llvm::StringSet<> &keepFloat, int64_t weightLimit) {
  OpBuilder b(function.getContext());
  SmallVector<std::pair<OpOperand *, int64_t>> weights;
  function.walk([&](Operation *op) {
    auto weight = quantizableWeight(op, keepFloat);
    if (weight.first)
      weights.push_back(weight);
  });
  for (auto [operand, axis] : weights)
    quantizeWeight(b, *operand, axis, weightLimit);

  Type u8 = b.getIntegerType(8, /*isSigned=*/false);
  for (auto [point, range] : llvm::zip(points, ranges)) {
    Value value = point;
    auto [scale, zero] = uint8Parameters(range);
    Location loc = value.getLoc();
    b.setInsertionPointAfterValue(value);
    Value s = scalarConstant(b, loc, b.getF32Type(), b.getF32FloatAttr(scale));
    Value z = scalarConstant(b, loc, u8, b.getIntegerAttr(u8, zero));
    auto type = cast<RankedTensorType>(value.getType());
    auto q = cnn::QuantizeOp::create(b, loc, type.clone(u8), value, s, z,
                                     IntegerAttr());
    auto dq = cnn::DequantizeOp::create(b, loc, type, q, s, z, IntegerAttr());
    value.replaceAllUsesExcept(dq.getResult(), q.getOperation());
  }
}

} // namespace cnnc
