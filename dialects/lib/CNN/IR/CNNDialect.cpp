//===- CNNDialect.cpp - The cnn dialect -----------------------------------===//

#include "cnnc/Dialect/CNN/IR/CNNDialect.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace cnnc::cnn;

#include "cnnc/Dialect/CNN/IR/CNNDialect.cpp.inc"
#include "cnnc/Dialect/CNN/IR/CNNEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "cnnc/Dialect/CNN/IR/CNNAttrs.cpp.inc"

void CNNDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "cnnc/Dialect/CNN/IR/CNNAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "cnnc/Dialect/CNN/IR/CNNOps.cpp.inc"
      >();
}

Operation *CNNDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
