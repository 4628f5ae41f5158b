//===- CNNOps.h - Operations of the cnn dialect -----------------*- C++ -*-===//

#ifndef CNNC_DIALECT_CNN_IR_CNNOPS_H
#define CNNC_DIALECT_CNN_IR_CNNOPS_H

#include "cnnc/Dialect/CNN/IR/CNNDialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "cnnc/Dialect/CNN/IR/CNNOps.h.inc"

#endif // CNNC_DIALECT_CNN_IR_CNNOPS_H
