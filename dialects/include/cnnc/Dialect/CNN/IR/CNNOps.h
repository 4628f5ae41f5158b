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

/// The cnn.transpose permutations between the two layouts of a 2-D
/// activation: [N, C, H, W] -> [N, H, W, C] and back.
inline constexpr int64_t kToChannelsLast[] = {0, 2, 3, 1};
inline constexpr int64_t kToChannelsFirst[] = {0, 3, 1, 2};
/// A channels-first convolution weight [C_out, C_in, KH, KW] as the
/// channels-last one [KH, KW, C_in, C_out], and back.
inline constexpr int64_t kWeightToChannelsLast[] = {2, 3, 1, 0};
inline constexpr int64_t kWeightToChannelsFirst[] = {3, 2, 0, 1};

} // namespace cnnc::cnn

#endif // CNNC_DIALECT_CNN_IR_CNNOPS_H
