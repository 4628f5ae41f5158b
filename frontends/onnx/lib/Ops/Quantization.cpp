//===- Quantization.cpp - QuantizeLinear, QLinearConv, ConvInteger, ... ---===//
//
// ONNX's linear quantization to the cnn dialect's int8 ops. A scale is 0-D
// (per tensor; a 1-D scale of one element is read as one) or 1-D along
// `axis` (per axis, opset 13); its zero point has the same shape and is
// int8 or uint8, uint8 0 when omitted. QLinearConv and QLinearMatMul are
// the integer kernel and a requantization with the multiplier
// x_scale * w_scale / y_scale; they never run in float.
//
//===----------------------------------------------------------------------===//

#include "Ops.h"
#include "Windows.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

using namespace mlir;

namespace cnnc::onnx {
namespace {

/// A scale and its zero point as the cnn ops take them.
struct QuantParameters {
  Value scale;
  Value zeroPoint;
  std::optional<int64_t> axis;
  ElementType type = ElementType::UInt8;
};

/// A constant 0 of `type` and `shape`.
FailureOr<Value> zeros(NodeImporter &node, ElementType type,
                       llvm::ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  Tensor tensor = Tensor::fromInts(type, shape, std::vector<int64_t>(count, 0));
  tensor.name = node.node().name + "_zero_point";
  return node.constant(tensor);
}

/// Reads the scale (input `scaleIndex`) and zero point (`zeroIndex`, maybe
/// omitted) of a tensor of shape `data`. `what` names the tensor in
/// messages; `allowed` says which zero point types the op takes;
/// `defaultType` is the zero point's type when it is omitted. `axis` says
/// along which axis per-axis parameters may be: kAxisAttribute for the
/// node's `axis` attribute, none when they must be per tensor.
constexpr int64_t kAxisAttribute = -1;

FailureOr<QuantParameters>
readParameters(NodeImporter &node, size_t scaleIndex, size_t zeroIndex,
               llvm::ArrayRef<int64_t> data, llvm::StringRef what,
               ElementType defaultType, std::optional<int64_t> axisRule,
               llvm::ArrayRef<ElementType> allowed) {
  QuantParameters result;
  if (!node.hasInput(scaleIndex))
    return node.error() << "the " << what << " scale (input " << scaleIndex
                        << ") is required but omitted",
           failure();
  if (node.inputType(scaleIndex) != ElementType::Float)
    return node.error() << "expected the " << what << " scale (input "
                        << scaleIndex << ") to be float, got "
                        << elementTypeName(node.inputType(scaleIndex)),
           failure();
  llvm::ArrayRef<int64_t> scaleShape = node.inputShape(scaleIndex);
  bool zeroGiven = node.hasInput(zeroIndex);
  if (zeroGiven) {
    result.type = node.inputType(zeroIndex);
    if (!llvm::is_contained(allowed, result.type))
      return node.error()
                 << "the " << what << " zero point (input " << zeroIndex
                 << ") is " << elementTypeName(result.type)
                 << "; cnnc quantizes to int8 and uint8 (and reads int32 "
                    "biases), not to "
                 << elementTypeName(result.type),
             failure();
    if (node.inputShape(zeroIndex) != scaleShape)
      return node.error() << "expected the " << what << " zero point (input "
                          << zeroIndex << ") to have the scale's shape "
                          << formatShape(scaleShape) << ", got "
                          << formatShape(node.inputShape(zeroIndex)),
             failure();
  } else {
    result.type = defaultType;
  }
  int64_t count = 1;
  for (int64_t d : scaleShape)
    count *= d;
  if (scaleShape.size() > 1)
    return node.error() << "expected a 0-D or 1-D " << what
                        << " scale, got shape " << formatShape(scaleShape)
                        << " (blocked quantization is not supported)",
           failure();
  bool perAxis = scaleShape.size() == 1 && count != 1;
  if (perAxis) {
    if (!axisRule)
      return node.error() << "expected a per-tensor " << what
                          << " scale (one value), got shape "
                          << formatShape(scaleShape),
             failure();
    FailureOr<int64_t> axis = *axisRule;
    if (*axisRule == kAxisAttribute)
      axis = node.getAxis("axis", 1, static_cast<int64_t>(data.size()));
    if (failed(axis))
      return failure();
    if (data[*axis] != count)
      return node.error() << "expected " << data[*axis] << " " << what
                          << " scales (dimension " << *axis << " of "
                          << formatShape(data) << "), got " << count,
             failure();
    result.axis = *axis;
  }
  llvm::SmallVector<int64_t> shape;
  if (perAxis)
    shape.push_back(count);
  FailureOr<Value> scale = node.input(scaleIndex);
  if (failed(scale))
    return failure();
  FailureOr<Value> zero =
      zeroGiven ? node.anyInput(zeroIndex) : zeros(node, result.type, shape);
  if (failed(zero))
    return failure();
  if (!perAxis && !scaleShape.empty()) {
    scale = node.reshape(*scale, {});
    if (zeroGiven)
      zero = node.reshape(*zero, {});
    if (failed(scale) || failed(zero))
      return failure();
  }
  result.scale = *scale;
  result.zeroPoint = *zero;
  return result;
}

IntegerAttr axisAttr(NodeImporter &node, std::optional<int64_t> axis) {
  return axis ? node.builder().getI64IntegerAttr(*axis) : IntegerAttr();
}

/// The tensor type of `shape` with elements of ONNX `type`.
RankedTensorType tensorOf(NodeImporter &node, llvm::ArrayRef<int64_t> shape,
                          ElementType type) {
  return RankedTensorType::get(shape, convertElementType(node.context(), type));
}

/// QuantizeLinear and DequantizeLinear are per axis from opset 13.
std::optional<int64_t> perAxisRule(NodeImporter &node) {
  if (node.opset() >= 13)
    return kAxisAttribute;
  return std::nullopt;
}

LogicalResult convertQuantizeLinear(NodeImporter &node) {
  if (failed(node.expectInputs(2, 3)) ||
      failed(node.rejectAttr("block_size", "blocked quantization is not "
                                           "supported")))
    return failure();
  if (node.inputType(0) != ElementType::Float)
    return node.error() << "expected a float input to quantize, got "
                        << elementTypeName(node.inputType(0)),
           failure();
  FailureOr<int64_t> outputType =
      node.getInt("output_dtype", static_cast<int64_t>(ElementType::UInt8));
  if (failed(outputType))
    return failure();
  auto defaultType = static_cast<ElementType>(*outputType);
  if (!isQuantizedType(defaultType))
    return node.error() << "'output_dtype' is " << elementTypeName(defaultType)
                        << "; cnnc quantizes to int8 and uint8",
           failure();
  llvm::ArrayRef<int64_t> shape = node.inputShape(0);
  FailureOr<QuantParameters> params = readParameters(
      node, 1, 2, shape, "output", defaultType, perAxisRule(node),
      {ElementType::UInt8, ElementType::Int8});
  FailureOr<Value> x = node.input(0);
  if (failed(params) || failed(x))
    return failure();
  return node.setResult(node.create<cnn::QuantizeOp>(
      tensorOf(node, shape, params->type), *x, params->scale, params->zeroPoint,
      axisAttr(node, params->axis)));
}

LogicalResult convertDequantizeLinear(NodeImporter &node) {
  if (failed(node.expectInputs(2, 3)) ||
      failed(node.rejectAttr("block_size", "blocked quantization is not "
                                           "supported")))
    return failure();
  ElementType type = node.inputType(0);
  if (!isQuantizedType(type) && type != ElementType::Int32)
    return node.error() << "expected an int8, uint8 or int32 input to "
                           "dequantize, got "
                        << elementTypeName(type),
           failure();
  llvm::ArrayRef<int64_t> shape = node.inputShape(0);
  FailureOr<QuantParameters> params = readParameters(
      node, 1, 2, shape, "input", type, perAxisRule(node), {type});
  FailureOr<Value> x = node.anyInput(0);
  if (failed(params) || failed(x))
    return failure();
  return node.setResult(node.create<cnn::DequantizeOp>(
      tensorOf(node, shape, ElementType::Float), *x, params->scale,
      params->zeroPoint, axisAttr(node, params->axis)));
}

/// DynamicQuantizeLinear as the spec defines it, in cnn ops: the range of x
/// widened to hold 0, scale = (max - min) / 255, zero point =
/// saturate(round(-min / scale)), y = quantize(x) to uint8.
LogicalResult convertDynamicQuantizeLinear(NodeImporter &node) {
  if (failed(node.expectInputs(1, 1)))
    return failure();
  FailureOr<Value> x = node.input(0);
  if (failed(x))
    return failure();
  if (node.inputType(0) != ElementType::Float)
    return node.error() << "expected a float input, got "
                        << elementTypeName(node.inputType(0)),
           failure();
  llvm::SmallVector<int64_t> all;
  for (int64_t i = 0; i < node.inputRank(0); ++i)
    all.push_back(i);
  Builder &b = node.builder();
  auto scalarType = RankedTensorType::get({}, b.getF32Type());
  auto scalar = [&](double v) {
    return node.constant(
        Tensor::fromFloats(ElementType::Float, {}, llvm::ArrayRef<double>(v)));
  };
  auto binary = [&](cnn::BinaryKind kind, FailureOr<Value> lhs,
                    FailureOr<Value> rhs) -> FailureOr<Value> {
    if (failed(lhs) || failed(rhs))
      return failure();
    return node.createInferred<cnn::BinaryOp>(kind, *lhs, *rhs);
  };
  FailureOr<Value> zero = scalar(0.0);
  FailureOr<Value> low = binary(
      cnn::BinaryKind::Min,
      node.createInferred<cnn::ReduceOp>(cnn::ReduceKind::Min, *x, all, false),
      zero);
  FailureOr<Value> high = binary(
      cnn::BinaryKind::Max,
      node.createInferred<cnn::ReduceOp>(cnn::ReduceKind::Max, *x, all, false),
      zero);
  FailureOr<Value> scale =
      binary(cnn::BinaryKind::Div, binary(cnn::BinaryKind::Sub, high, low),
             scalar(255.0));
  FailureOr<Value> shifted = binary(cnn::BinaryKind::Sub, zero,
                                    binary(cnn::BinaryKind::Div, low, scale));
  if (failed(shifted))
    return failure();
  FailureOr<Value> clipped = node.create<cnn::ActivationOp>(
      scalarType, cnn::ActivationKind::Clip, *shifted, b.getF32FloatAttr(0),
      b.getF32FloatAttr(255));
  if (failed(clipped))
    return failure();
  FailureOr<Value> rounded =
      node.create<cnn::UnaryOp>(scalarType, cnn::UnaryKind::Round, *clipped);
  if (failed(rounded))
    return failure();
  auto u8 = RankedTensorType::get(
      {}, convertElementType(node.context(), ElementType::UInt8));
  FailureOr<Value> zeroPoint = node.create<cnn::CastOp>(u8, *rounded);
  if (failed(zeroPoint))
    return failure();
  FailureOr<Value> y = node.create<cnn::QuantizeOp>(
      tensorOf(node, node.inputShape(0), ElementType::UInt8), *x, *scale,
      *zeroPoint, IntegerAttr());
  if (failed(y))
    return failure();
  node.setOutput(0, *y);
  node.setOutput(1, *scale);
  node.setOutput(2, *zeroPoint);
  return success();
}

/// A quantized data input `i` (int8 or uint8) of the integer kernels.
FailureOr<Value> quantizedInput(NodeImporter &node, size_t i,
                                llvm::StringRef role) {
  if (!isQuantizedType(node.inputType(i)))
    return node.error() << "expected the " << role << " (input " << i
                        << ") to be int8 or uint8, got "
                        << elementTypeName(node.inputType(i)),
           failure();
  return node.anyInput(i);
}

/// A zero point (input `i`, maybe omitted: 0) of the integer kernels: 0-D,
/// or per channel of `channels` values when `channels` is set.
FailureOr<Value> zeroPointInput(NodeImporter &node, size_t i,
                                ElementType dataType, llvm::StringRef role,
                                std::optional<int64_t> channels) {
  if (!node.hasInput(i))
    return zeros(node, dataType, {});
  if (node.inputType(i) != dataType)
    return node.error() << "expected the " << role << " zero point (input " << i
                        << ") to be " << elementTypeName(dataType)
                        << " as its tensor, got "
                        << elementTypeName(node.inputType(i)),
           failure();
  llvm::ArrayRef<int64_t> shape = node.inputShape(i);
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  FailureOr<Value> zero = node.anyInput(i);
  if (failed(zero))
    return failure();
  if (shape.size() <= 1 && count == 1)
    return shape.empty() ? *zero : node.reshape(*zero, {});
  if (channels && shape.size() == 1 && count == *channels)
    return *zero;
  auto diag = node.error() << "expected a 0-D " << role << " zero point";
  if (channels)
    diag << " or one of " << *channels << " values";
  diag << ", got shape " << formatShape(shape);
  return failure();
}

/// The window and groups of ConvInteger and QLinearConv (2-D only).
struct ConvAttributes {
  Window window;
  int64_t groups = 1;
};

FailureOr<ConvAttributes> readConv(NodeImporter &node, size_t xIndex,
                                   size_t wIndex) {
  llvm::ArrayRef<int64_t> input = node.inputShape(xIndex);
  llvm::ArrayRef<int64_t> weight = node.inputShape(wIndex);
  if (input.size() != 4 || weight.size() != 4)
    return node.error() << "expected a 2-D convolution (input and weight of "
                           "rank 4), got shapes "
                        << formatShape(input) << " and " << formatShape(weight),
           failure();
  ConvAttributes result;
  FailureOr<int64_t> group = node.getInt("group", 1);
  if (failed(group))
    return failure();
  if (*group <= 0)
    return node.error() << "attribute 'group' is " << *group
                        << ", expected a positive value",
           failure();
  result.groups = *group;
  FailureOr<Window> window =
      readWindow(node, input.drop_front(2), weight.drop_front(2));
  if (failed(window))
    return failure();
  result.window = std::move(*window);
  return result;
}

FailureOr<Value> convInteger(NodeImporter &node, const ConvAttributes &conv,
                             Value x, Value w, Value xZero, Value wZero,
                             Value bias) {
  return node.createInferredFrom<cnn::ConvIntegerOp>(
      node.builder().getI32Type(), x, w, xZero, wZero, bias,
      conv.window.strides, conv.window.pads, conv.window.dilations,
      static_cast<uint64_t>(conv.groups));
}

LogicalResult convertConvInteger(NodeImporter &node) {
  if (failed(node.expectInputs(2, 4)))
    return failure();
  FailureOr<ConvAttributes> conv = readConv(node, 0, 1);
  if (failed(conv))
    return failure();
  FailureOr<Value> x = quantizedInput(node, 0, "input");
  FailureOr<Value> w = quantizedInput(node, 1, "weight");
  if (failed(x) || failed(w))
    return failure();
  FailureOr<Value> xZero =
      zeroPointInput(node, 2, node.inputType(0), "input", std::nullopt);
  FailureOr<Value> wZero = zeroPointInput(node, 3, node.inputType(1), "weight",
                                          node.inputShape(1)[0]);
  if (failed(xZero) || failed(wZero))
    return failure();
  return node.setResult(
      convInteger(node, *conv, *x, *w, *xZero, *wZero, Value()));
}

/// The float multiplier a_scale * b_scale / y_scale of a QLinear op, and
/// the axis it is per when b's scale is.
FailureOr<Value> multiplier(NodeImporter &node, const QuantParameters &a,
                            const QuantParameters &b,
                            const QuantParameters &y) {
  FailureOr<Value> product = node.createInferred<cnn::BinaryOp>(
      cnn::BinaryKind::Mul, a.scale, b.scale);
  if (failed(product))
    return failure();
  return node.createInferred<cnn::BinaryOp>(cnn::BinaryKind::Div, *product,
                                            y.scale);
}

LogicalResult convertQLinearConv(NodeImporter &node) {
  if (failed(node.expectInputs(8, 9)))
    return failure();
  FailureOr<ConvAttributes> conv = readConv(node, 0, 3);
  if (failed(conv))
    return failure();
  llvm::ArrayRef<int64_t> input = node.inputShape(0);
  llvm::ArrayRef<int64_t> weight = node.inputShape(3);
  FailureOr<Value> x = quantizedInput(node, 0, "input");
  FailureOr<Value> w = quantizedInput(node, 3, "weight");
  if (failed(x) || failed(w))
    return failure();
  ElementType xType = node.inputType(0), wType = node.inputType(3);
  // The input's parameters are per tensor; the weight's per tensor or per
  // output channel (axis 0 of the weight, axis 1 of the result).
  FailureOr<QuantParameters> xq =
      readParameters(node, 1, 2, input, "input", xType, std::nullopt, {xType});
  FailureOr<QuantParameters> wq =
      readParameters(node, 4, 5, weight, "weight", wType, /*axis=*/0, {wType});
  if (failed(xq) || failed(wq))
    return failure();
  if (!node.hasInput(6) || !node.hasInput(7))
    return node.error() << "the output scale and zero point (inputs 6 and 7) "
                           "are required",
           failure();
  ElementType yType = node.inputType(7);
  if (!isQuantizedType(yType))
    return node.error() << "the output zero point (input 7) is "
                        << elementTypeName(yType)
                        << "; cnnc quantizes to int8 and uint8",
           failure();
  llvm::SmallVector<int64_t> outputShape(input.begin(), input.end());
  FailureOr<QuantParameters> yq = readParameters(
      node, 6, 7, outputShape, "output", yType, std::nullopt, {yType});
  if (failed(yq))
    return failure();
  Value bias;
  if (node.hasInput(8)) {
    if (node.inputType(8) != ElementType::Int32)
      return node.error() << "expected an int32 bias (input 8), got "
                          << elementTypeName(node.inputType(8)),
             failure();
    FailureOr<Value> given = node.anyInput(8);
    if (failed(given))
      return failure();
    bias = *given;
  }
  Value wZero = wq->zeroPoint;
  FailureOr<Value> acc =
      convInteger(node, *conv, *x, *w, xq->zeroPoint, wZero, bias);
  FailureOr<Value> scale = multiplier(node, *xq, *wq, *yq);
  if (failed(acc) || failed(scale))
    return failure();
  auto accType = cast<RankedTensorType>(acc->getType());
  bool perChannel = cast<RankedTensorType>(scale->getType()).getRank() == 1;
  return node.setResult(node.create<cnn::RequantizeOp>(
      tensorOf(node, accType.getShape(), yType), *acc, *scale, yq->zeroPoint,
      perChannel ? node.builder().getI64IntegerAttr(1) : IntegerAttr()));
}

/// The operands of MatMulInteger and QLinearMatMul must be matrices or
/// batches of them.
LogicalResult checkMatmulRanks(NodeImporter &node, size_t a, size_t b) {
  if (node.inputRank(a) < 2 || node.inputRank(b) < 2)
    return node.error() << "expected operands of rank 2 or more, got shapes "
                        << formatShape(node.inputShape(a)) << " and "
                        << formatShape(node.inputShape(b)),
           failure();
  return success();
}

LogicalResult convertMatMulInteger(NodeImporter &node) {
  if (failed(node.expectInputs(2, 4)) || failed(checkMatmulRanks(node, 0, 1)))
    return failure();
  FailureOr<Value> a = quantizedInput(node, 0, "A");
  FailureOr<Value> b = quantizedInput(node, 1, "B");
  if (failed(a) || failed(b))
    return failure();
  FailureOr<Value> aZero =
      zeroPointInput(node, 2, node.inputType(0), "A", std::nullopt);
  FailureOr<Value> bZero = zeroPointInput(node, 3, node.inputType(1), "B",
                                          node.inputShape(1).back());
  if (failed(aZero) || failed(bZero))
    return failure();
  return node.setResult(node.createInferredFrom<cnn::MatmulIntegerOp>(
      node.builder().getI32Type(), *a, *b, *aZero, *bZero, Value()));
}

LogicalResult convertQLinearMatMul(NodeImporter &node) {
  if (failed(node.expectInputs(8, 8)) || failed(checkMatmulRanks(node, 0, 3)))
    return failure();
  FailureOr<Value> a = quantizedInput(node, 0, "a");
  FailureOr<Value> b = quantizedInput(node, 3, "b");
  if (failed(a) || failed(b))
    return failure();
  ElementType aType = node.inputType(0), bType = node.inputType(3);
  ElementType yType = node.inputType(7);
  if (!isQuantizedType(yType))
    return node.error() << "the output zero point (input 7) is "
                        << elementTypeName(yType)
                        << "; cnnc quantizes to int8 and uint8",
           failure();
  FailureOr<QuantParameters> aq = readParameters(
      node, 1, 2, node.inputShape(0), "a", aType, std::nullopt, {aType});
  FailureOr<QuantParameters> bq = readParameters(
      node, 4, 5, node.inputShape(3), "b", bType, std::nullopt, {bType});
  FailureOr<QuantParameters> yq =
      readParameters(node, 6, 7, {}, "output", yType, std::nullopt, {yType});
  if (failed(aq) || failed(bq) || failed(yq))
    return failure();
  FailureOr<Value> acc = node.createInferredFrom<cnn::MatmulIntegerOp>(
      node.builder().getI32Type(), *a, *b, aq->zeroPoint, bq->zeroPoint,
      Value());
  FailureOr<Value> scale = multiplier(node, *aq, *bq, *yq);
  if (failed(acc) || failed(scale))
    return failure();
  auto accType = cast<RankedTensorType>(acc->getType());
  return node.setResult(node.create<cnn::RequantizeOp>(
      tensorOf(node, accType.getShape(), yType), *acc, *scale, yq->zeroPoint,
      IntegerAttr()));
}

} // namespace

void addQuantizationOps(ConverterTable &table) {
  table["QuantizeLinear"] = convertQuantizeLinear;
  table["DequantizeLinear"] = convertDequantizeLinear;
  table["DynamicQuantizeLinear"] = convertDynamicQuantizeLinear;
  table["ConvInteger"] = convertConvInteger;
  table["QLinearConv"] = convertQLinearConv;
  table["MatMulInteger"] = convertMatMulInteger;
  table["QLinearMatMul"] = convertQLinearMatMul;
}

} // namespace cnnc::onnx
