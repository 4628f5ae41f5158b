//===- CNNDialect.h - The cnn dialect ---------------------------*- C++ -*-===//
//
// The graph IR of cnnc: a convolutional network on static-shaped tensors.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_CNN_IR_CNNDIALECT_H
#define CNNC_DIALECT_CNN_IR_CNNDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"

#include "cnnc/Dialect/CNN/IR/CNNDialect.h.inc"
#include "cnnc/Dialect/CNN/IR/CNNEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "cnnc/Dialect/CNN/IR/CNNAttrs.h.inc"

#endif // CNNC_DIALECT_CNN_IR_CNNDIALECT_H
