//===- FlattenConstants.cpp - Weights as flat arrays ----------------------===//

#include "cnnc/Conversion/Passes.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace cnnc {
#define GEN_PASS_DEF_FLATTENCONSTANTS
#include "cnnc/Conversion/Passes.h.inc"
} // namespace cnnc

using namespace mlir;

namespace {

/// `value` with the 1-D type `flat`, sharing its data; null when the kind
/// of attribute is not one this pass knows.
ElementsAttr flatten(ElementsAttr value, RankedTensorType flat) {
  if (auto dense = dyn_cast<DenseElementsAttr>(value))
    return dense.reshape(flat);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
    return DenseResourceElementsAttr::get(flat, resource.getRawHandle());
  return nullptr;
}

struct FlattenConstantsPass
    : cnnc::impl::FlattenConstantsBase<FlattenConstantsPass> {
  void runOnOperation() override {
    getOperation().walk([](arith::ConstantOp constant) {
      auto type = dyn_cast<RankedTensorType>(constant.getType());
      auto value = dyn_cast<ElementsAttr>(constant.getValue());
      if (!type || !value || type.getRank() < 2 || !type.hasStaticShape())
        return;
      if (auto dense = dyn_cast<DenseElementsAttr>(value); dense &&
                                                           dense.isSplat())
        return; // No data to lay out.
      auto flat = RankedTensorType::get({type.getNumElements()},
                                        type.getElementType());
      ElementsAttr flatValue = flatten(value, flat);
      if (!flatValue)
        return;
      OpBuilder builder(constant);
      Value flatConstant = arith::ConstantOp::create(
          builder, constant.getLoc(), flat, cast<TypedAttr>(flatValue));
      ReassociationIndices all;
      for (int64_t d = 0; d < type.getRank(); ++d)
        all.push_back(d);
      Value shaped = tensor::ExpandShapeOp::create(
          builder, constant.getLoc(), type, flatConstant,
          llvm::ArrayRef<ReassociationIndices>{all});
      constant.replaceAllUsesWith(shaped);
      constant.erase();
    });
  }
};

} // namespace
