//===- SignlessIntegers.cpp - The end of ui8 once the graph is lowered ----===//
//
// The cnn dialect types uint8 tensors `ui8` so that each op knows its
// saturation range and how to widen an element; linalg, arith and
// everything below them compute on signless integers. Once every cnn op is
// lowered (each having read the signedness it needs off its own operand
// types), this rewrites every remaining unsigned type in place to its
// signless twin: values, block arguments, function types and constants'
// attributes; the bitcasts the patterns put between the two become no-ops
// and go.
//
//===----------------------------------------------------------------------===//

#include "StructuredBuilders.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

namespace {

Type signlessOf(Type type) {
  if (auto integer = dyn_cast<IntegerType>(type))
    return integer.isSignless()
               ? type
               : IntegerType::get(type.getContext(), integer.getWidth());
  if (auto shaped = dyn_cast<ShapedType>(type)) {
    Type element = signlessOf(shaped.getElementType());
    return element == shaped.getElementType() ? type : shaped.clone(element);
  }
  if (auto function = dyn_cast<FunctionType>(type)) {
    SmallVector<Type> inputs, results;
    for (Type t : function.getInputs())
      inputs.push_back(signlessOf(t));
    for (Type t : function.getResults())
      results.push_back(signlessOf(t));
    return FunctionType::get(type.getContext(), inputs, results);
  }
  return type;
}

/// A constant's value with the signless element type.
Attribute signlessValue(Attribute value) {
  auto typed = dyn_cast<TypedAttr>(value);
  if (!typed)
    return value;
  Type type = signlessOf(typed.getType());
  if (type == typed.getType())
    return value;
  if (auto dense = dyn_cast<DenseElementsAttr>(value))
    return dense.bitcast(cast<ShapedType>(type).getElementType());
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
    return DenseResourceElementsAttr::get(cast<ShapedType>(type),
                                          resource.getRawHandle());
  return value;
}

} // namespace

void cnnc::lowering::eraseSignedness(Operation *root) {
  SmallVector<tensor::BitcastOp> casts;
  root->walk([&](Operation *op) {
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument argument : block.getArguments())
          argument.setType(signlessOf(argument.getType()));
    for (OpResult result : op->getResults())
      result.setType(signlessOf(result.getType()));
    if (auto function = dyn_cast<func::FuncOp>(op))
      function.setFunctionType(
          cast<FunctionType>(signlessOf(function.getFunctionType())));
    if (auto constant = dyn_cast<arith::ConstantOp>(op))
      constant->setAttr("value", signlessValue(constant.getValue()));
    if (auto bitcast = dyn_cast<tensor::BitcastOp>(op))
      casts.push_back(bitcast);
  });
  for (tensor::BitcastOp bitcast : casts)
    if (bitcast.getSource().getType() == bitcast.getType()) {
      bitcast.replaceAllUsesWith(bitcast.getSource());
      bitcast.erase();
    }
}
