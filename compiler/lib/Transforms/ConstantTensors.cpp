//===- ConstantTensors.cpp - cnn.constant values on the host --------------===//

#include "ConstantTensors.h"
#include "cnnc/Dialect/CNN/IR/ConstantElements.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

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

Value createFloatConstant(OpBuilder &builder, Location loc,
                          RankedTensorType type, ArrayRef<float> data) {
  return cnn::ConstantOp::create(builder, loc, type,
                                 cnn::constantElements(type, data, "folded"));
}

} // namespace cnnc::transforms
