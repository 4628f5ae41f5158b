//===- KernelDialect.cpp - The cnnk dialect -------------------------------===//

#include "cnnc/Dialect/Kernel/IR/KernelDialect.h"

#include "cnnc/Dialect/Kernel/IR/KernelOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace cnnc::cnnk;

#include "cnnc/Dialect/Kernel/IR/KernelDialect.cpp.inc"
#include "cnnc/Dialect/Kernel/IR/KernelEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "cnnc/Dialect/Kernel/IR/KernelAttrs.cpp.inc"

void KernelDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "cnnc/Dialect/Kernel/IR/KernelAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "cnnc/Dialect/Kernel/IR/KernelOps.cpp.inc"
      >();
  attachBufferizationModels(*getContext());
}
