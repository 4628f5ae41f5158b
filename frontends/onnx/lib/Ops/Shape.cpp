//===- Shape.cpp - Shape, Size, Constant, ConstantOfShape, Cast, Range ----===//
//
// The sources of shape arithmetic. Every shape is static, so these ops
// always produce tensors known at compile time (Cast of a computed tensor
// is the exception, supported when it does not change the element type).
//
//===----------------------------------------------------------------------===//

#include "Ops.h"

#include "../HostTensors.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include <cmath>

using namespace mlir;

namespace cnnc::onnx {
namespace {

LogicalResult convertShape(NodeImporter &node) {
  if (failed(node.expectInputs(1, 1)))
    return failure();
  llvm::ArrayRef<int64_t> shape = node.inputShape(0);
  int64_t rank = shape.size();
  FailureOr<int64_t> start = node.getInt("start", 0);
  FailureOr<int64_t> end = node.getInt("end", rank);
  if (failed(start) || failed(end))
    return failure();
  // Opset 15's start and end clamp like Slice's.
  auto clamp = [&](int64_t v) {
    v = v < 0 ? v + rank : v;
    return std::clamp<int64_t>(v, 0, rank);
  };
  int64_t from = clamp(*start), to = std::max(clamp(*end), from);
  std::vector<int64_t> dims(shape.begin() + from, shape.begin() + to);
  node.setConstantOutput(
      0, Tensor::fromInts(ElementType::Int64, {int64_t(dims.size())}, dims));
  return success();
}

LogicalResult convertSize(NodeImporter &node) {
  if (failed(node.expectInputs(1, 1)))
    return failure();
  node.setConstantOutput(
      0, Tensor::fromInts(ElementType::Int64, {},
                          {host::countElements(node.inputShape(0))}));
  return success();
}

LogicalResult convertConstant(NodeImporter &node) {
  if (failed(node.expectInputs(0, 0)))
    return failure();
  if (node.node().attributes.size() != 1)
    return node.error() << "expected exactly one attribute (value, "
                           "value_float, value_floats, value_int or "
                           "value_ints), got "
                        << node.node().attributes.size(),
           failure();
  const Attribute &attr = node.node().attributes.front();
  if (attr.name == "value") {
    FailureOr<const Tensor *> tensor = node.getTensor("value");
    if (failed(tensor))
      return failure();
    node.setConstantOutput(0, **tensor);
    return success();
  }
  if (attr.name == "value_float" || attr.name == "value_floats") {
    bool scalar = attr.name == "value_float";
    std::vector<double> values;
    if (scalar) {
      FailureOr<float> value = node.getFloat(attr.name, 0);
      if (failed(value))
        return failure();
      values.push_back(*value);
    } else {
      FailureOr<llvm::SmallVector<float>> floats = node.getFloats(attr.name);
      if (failed(floats))
        return failure();
      values.assign(floats->begin(), floats->end());
    }
    llvm::SmallVector<int64_t> shape;
    if (!scalar)
      shape.push_back(values.size());
    node.setConstantOutput(
        0, Tensor::fromFloats(ElementType::Float, shape, values));
    return success();
  }
  if (attr.name == "value_int" || attr.name == "value_ints") {
    bool scalar = attr.name == "value_int";
    std::vector<int64_t> values;
    if (scalar) {
      FailureOr<int64_t> value = node.getInt(attr.name, 0);
      if (failed(value))
        return failure();
      values.push_back(*value);
    } else {
      FailureOr<llvm::SmallVector<int64_t>> ints = node.getInts(attr.name);
      if (failed(ints))
        return failure();
      values.assign(ints->begin(), ints->end());
    }
    llvm::SmallVector<int64_t> shape;
    if (!scalar)
      shape.push_back(values.size());
    node.setConstantOutput(0,
                           Tensor::fromInts(ElementType::Int64, shape, values));
    return success();
  }
  return node.error() << "attribute '" << attr.name
                      << "' is not supported (value, value_float, "
                         "value_floats, value_int and value_ints are)",
         failure();
}

LogicalResult convertConstantOfShape(NodeImporter &node) {
  if (failed(node.expectInputs(1, 1)))
    return failure();
  FailureOr<std::vector<int64_t>> shape = node.requireInts(0, "shape");
  if (failed(shape))
    return failure();
  if (llvm::any_of(*shape, [](int64_t d) { return d < 0; }))
    return node.error() << "the shape " << formatShape(*shape)
                        << " has a negative dimension",
           failure();
  if (host::countElements(*shape) > host::kMaxElements)
    return node.error() << "the shape " << formatShape(*shape)
                        << " is too large",
           failure();
  Tensor value = Tensor::fromFloats(ElementType::Float, {1}, {0.0});
  if (node.hasAttr("value")) {
    FailureOr<const Tensor *> given = node.getTensor("value");
    if (failed(given))
      return failure();
    if ((*given)->numElements() != 1)
      return node.error() << "expected a one-element 'value', got shape "
                          << formatShape((*given)->shape),
             failure();
    value = **given;
  }
  node.setConstantOutput(
      0, host::broadcastTo(
             host::reshape(value, {}),
             llvm::SmallVector<int64_t>(shape->begin(), shape->end())));
  return success();
}

FailureOr<ElementType> castTarget(NodeImporter &node) {
  if (!node.hasAttr("to"))
    return node.error() << "attribute 'to' is required", failure();
  FailureOr<int64_t> to = node.getInt("to", 0);
  if (failed(to))
    return failure();
  auto type = static_cast<ElementType>(*to);
  if (elementByteSize(type) == 0)
    return node.error() << "casting to " << elementTypeName(type)
                        << " is not supported",
           failure();
  return type;
}

LogicalResult convertCast(NodeImporter &node) {
  if (failed(node.expectInputs(1, 1)))
    return failure();
  FailureOr<ElementType> to = castTarget(node);
  if (failed(to))
    return failure();
  if (const Tensor *input = node.constantInput(0)) {
    node.setConstantOutput(0, host::cast(*input, *to));
    return success();
  }
  ElementType from = node.inputType(0);
  Type fromType = convertElementType(node.context(), from);
  Type toType = convertElementType(node.context(), *to);
  FailureOr<Value> x = node.anyInput(0);
  if (failed(x))
    return failure();
  if (fromType == toType) {
    node.setOutput(0, *x);
    return success();
  }
  if (!toType)
    return node.error() << "casting a computed tensor from "
                        << elementTypeName(from) << " to "
                        << elementTypeName(*to) << " is not supported",
           failure();
  return node.setResult(node.create<cnn::CastOp>(
      RankedTensorType::get(node.inputShape(0), toType), *x));
}

LogicalResult convertRange(NodeImporter &node) {
  if (failed(node.expectInputs(3, 3)))
    return failure();
  for (size_t i = 0; i < 3; ++i)
    if (failed(node.requireConstant(i, i == 0   ? "start"
                                       : i == 1 ? "limit"
                                                : "delta")))
      return failure();
  for (size_t i = 0; i < 3; ++i)
    if (node.constantInput(i)->numElements() != 1)
      return node.error() << "expected scalar start, limit and delta, got "
                             "shape "
                          << formatShape(node.constantInput(i)->shape)
                          << " for input " << i,
             failure();
  ElementType type = node.inputType(0);
  double start = node.constantInput(0)->floatAt(0);
  double limit = node.constantInput(1)->floatAt(0);
  double delta = node.constantInput(2)->floatAt(0);
  if (delta == 0 || !std::isfinite(start) || !std::isfinite(limit) ||
      !std::isfinite(delta))
    return node.error() << "expected finite bounds and a non-zero delta",
           failure();
  double steps = std::ceil((limit - start) / delta);
  if (steps > static_cast<double>(host::kMaxElements))
    return node.error() << "the range is too large", failure();
  int64_t count = std::max<int64_t>(0, static_cast<int64_t>(steps));
  std::vector<double> values;
  for (int64_t i = 0; i < count; ++i)
    values.push_back(start + static_cast<double>(i) * delta);
  node.setConstantOutput(0, Tensor::fromFloats(type, {count}, values));
  return success();
}

} // namespace

void addShapeOps(ConverterTable &table) {
  table["Shape"] = convertShape;
  table["Size"] = convertSize;
  table["Constant"] = convertConstant;
  table["ConstantOfShape"] = convertConstantOfShape;
  table["Cast"] = convertCast;
  table["Range"] = convertRange;
}

} // namespace cnnc::onnx
