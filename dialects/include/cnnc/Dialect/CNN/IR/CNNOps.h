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

namespace cnnc::cnn {

/// The value of a cnn.binary of `kind` on two scalars, as the op computes
/// it (NaN propagates through max and min, as in numpy and PyTorch): what
/// the folders, the importer's constant evaluation and the graph passes
/// share.
double evaluateBinary(BinaryKind kind, double x, double y);

/// The value of a cnn.unary of `kind` on a scalar.
double evaluateUnary(UnaryKind kind, double x);

} // namespace cnnc::cnn

#endif // CNNC_DIALECT_CNN_IR_CNNOPS_H
