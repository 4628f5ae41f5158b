//===- Epilogue.h - The fused end of a kernel, on scalars or vectors ------===//
//
// The one definition of what a fused epilogue computes: the residual add,
// then the activation (cnn.activation's kinds, with its alpha and beta).
// The linalg lowering builds it on scalars inside a linalg.generic; the
// register tile on the accumulators' vectors before it stores them.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_KERNEL_IR_EPILOGUE_H
#define CNNC_DIALECT_KERNEL_IR_EPILOGUE_H

#include "cnnc/Dialect/CNN/IR/CNNDialect.h"

#include "mlir/IR/Builders.h"

#include <optional>

namespace cnnc::cnnk {

/// A constant of `type` (a float, or a vector of floats: a splat).
mlir::Value floatConstant(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Type type, double value);

/// The activation (kind, alpha, beta) of `x`, a float or a vector of floats.
mlir::Value applyActivation(mlir::OpBuilder &b, mlir::Location loc,
                            cnn::ActivationKind kind, mlir::FloatAttr alpha,
                            mlir::FloatAttr beta, mlir::Value x);

/// `x` + `residual` (when given), then the activation (when given).
mlir::Value applyEpilogue(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value x, mlir::Value residual,
                          std::optional<cnn::ActivationKind> kind,
                          mlir::FloatAttr alpha, mlir::FloatAttr beta);

} // namespace cnnc::cnnk

#endif // CNNC_DIALECT_KERNEL_IR_EPILOGUE_H
