//===- ConstantWeights.cpp - Weights read from constant globals -----------===//

#include "ConstantWeights.h"
#include "cnnc/Dialect/CNN/IR/ConstantElements.h"

#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

namespace cnnc::kernels {

memref::GetGlobalOp sourceGlobal(Value filter) {
  while (Operation *op = filter.getDefiningOp()) {
    if (auto get = dyn_cast<memref::GetGlobalOp>(op))
      return get;
    if (auto expand = dyn_cast<memref::ExpandShapeOp>(op))
      filter = expand.getSrc();
    else if (auto collapse = dyn_cast<memref::CollapseShapeOp>(op))
      filter = collapse.getSrc();
    else
      return nullptr;
  }
  return nullptr;
}

std::optional<std::vector<float>> globalFloats(memref::GlobalOp global) {
  if (!global.getConstant())
    return std::nullopt;
  Attribute value = global.getInitialValueAttr();
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(value)) {
    if (!dense.getElementType().isF32())
      return std::nullopt;
    auto values = dense.getValues<float>();
    return std::vector<float>(values.begin(), values.end());
  }
  if (auto resource = dyn_cast_if_present<DenseF32ResourceElementsAttr>(value))
    if (std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef())
      return std::vector<float>(data->begin(), data->end());
  return std::nullopt;
}

std::optional<std::vector<float>> constantFloats(SymbolTable &symbols,
                                                 Value filter) {
  memref::GetGlobalOp get = sourceGlobal(filter);
  auto global =
      get ? symbols.lookup<memref::GlobalOp>(get.getName()) : nullptr;
  std::optional<std::vector<float>> data =
      global ? globalFloats(global) : std::nullopt;
  if (!data || static_cast<int64_t>(data->size()) !=
                   cast<MemRefType>(filter.getType()).getNumElements())
    return std::nullopt;
  return data;
}

Value createConstantWeights(OpBuilder &b, Location loc, SymbolTable &symbols,
                            memref::GlobalOp near, StringRef suffix,
                            ArrayRef<float> data, ArrayRef<int64_t> shape) {
  auto size = static_cast<int64_t>(data.size());
  auto flatType = MemRefType::get({size}, b.getF32Type());
  memref::GlobalOp copy;
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(near);
    copy = memref::GlobalOp::create(
        b, loc, (near.getSymName() + suffix).str(),
        b.getStringAttr("private"), flatType,
        cnn::constantElements(RankedTensorType::get({size}, b.getF32Type()),
                              data, suffix.drop_front()),
        /*constant=*/true, b.getI64IntegerAttr(64));
    symbols.insert(copy);
  }
  Value flat = memref::GetGlobalOp::create(b, loc, flatType, copy.getSymName());
  ReassociationIndices all =
      llvm::to_vector<2>(llvm::seq<int64_t>(0, shape.size()));
  return memref::ExpandShapeOp::create(
      b, loc, MemRefType::get(shape, b.getF32Type()), flat,
      SmallVector<ReassociationIndices>{all});
}

void eraseDeadChain(Value value) {
  while (Operation *op = value.getDefiningOp()) {
    if (!op->use_empty() || !isa<memref::GetGlobalOp, memref::ExpandShapeOp,
                                 memref::CollapseShapeOp>(op))
      return;
    value = op->getNumOperands() ? op->getOperand(0) : Value();
    op->erase();
    if (!value)
      return;
  }
}

} // namespace cnnc::kernels
