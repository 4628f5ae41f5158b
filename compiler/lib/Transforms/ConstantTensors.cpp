//===- ConstantTensors.cpp - cnn.constant values on the host --------------===//

#include "ConstantTensors.h"
#include "cnnc/Dialect/CNN/IR/ConstantElements.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

using namespace mlir;

namespace cnnc::transforms {

std::optional<std::vector<float>> constantFloats(Value value) {
  auto constant = value.getDefiningOp<cnn::ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(constant.getType());
  if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
    return std::nullopt;
  Attribute attr = constant.getValue();
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    auto values = dense.getValues<float>();
    return std::vector<float>(values.begin(), values.end());
  }
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
    if (!data || static_cast<int64_t>(data->size()) != type.getNumElements())
      return std::nullopt;
    return std::vector<float>(data->begin(), data->end());
  }
  return std::nullopt;
}

std::optional<std::vector<int64_t>> constantInts(Value value) {
  auto constant = value.getDefiningOp<cnn::ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(constant.getType());
  auto integer =
      type ? dyn_cast<IntegerType>(type.getElementType()) : IntegerType();
  if (!integer || !type.hasStaticShape() || integer.getWidth() % 8 != 0 ||
      integer.getWidth() > 64)
    return std::nullopt;
  bool isUnsigned = integer.isUnsigned();
  Attribute attr = constant.getValue();
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    std::vector<int64_t> result;
    for (const APInt &v : dense.getValues<APInt>())
      result.push_back(isUnsigned ? static_cast<int64_t>(v.getZExtValue())
                                  : v.getSExtValue());
    return result;
  }
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource)
    return std::nullopt;
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  size_t bytes = integer.getWidth() / 8;
  if (!blob || blob->getData().size() !=
                   static_cast<size_t>(type.getNumElements()) * bytes)
    return std::nullopt;
  ArrayRef<char> data = blob->getData();
  std::vector<int64_t> result(type.getNumElements());
  for (size_t i = 0; i < result.size(); ++i) {
    uint64_t raw = 0;
    std::memcpy(&raw, data.data() + i * bytes, bytes); // Little endian.
    if (!isUnsigned && bytes < 8 && (raw >> (8 * bytes - 1)) & 1)
      raw |= ~uint64_t(0) << (8 * bytes);
    result[i] = static_cast<int64_t>(raw);
  }
  return result;
}

Value createIntConstant(OpBuilder &builder, Location loc,
                        RankedTensorType type, ArrayRef<int64_t> data) {
  size_t bytes = type.getElementTypeBitWidth() / 8;
  std::vector<char> raw(data.size() * bytes);
  for (size_t i = 0; i < data.size(); ++i)
    std::memcpy(raw.data() + i * bytes, &data[i], bytes); // Little endian.
  return cnn::ConstantOp::create(
      builder, loc, type, cnn::constantElements(type, raw, "folded"));
}

Value createFloatConstant(OpBuilder &builder, Location loc,
                          RankedTensorType type, ArrayRef<float> data) {
  return cnn::ConstantOp::create(builder, loc, type,
                                 cnn::constantElements(type, data, "folded"));
}

} // namespace cnnc::transforms
