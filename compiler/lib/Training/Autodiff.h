//===- Autodiff.h - Reverse-mode differentiation of cnn graphs --*- C++ -*-===//
//
// The gradient of a scalar loss with respect to chosen values, written as
// cnn ops after the forward ones: the forward ops are visited last to first,
// and each op's rule (GradientRules.cpp) turns the gradients of its results
// into gradients of its operands. Gradients of a value used more than once
// add up. Only values that depend on what is differentiated get a gradient:
// the first convolution computes no gradient for the images.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_TRAINING_AUTODIFF_H
#define CNNC_LIB_TRAINING_AUTODIFF_H

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace cnnc::training {

/// Builds cnn ops at one location: what gradient rules and optimizers need.
class GraphBuilder {
public:
  GraphBuilder(mlir::OpBuilder &builder, mlir::Location loc)
      : b(builder), loc(loc) {}

  mlir::Value binary(cnn::BinaryKind kind, mlir::Value lhs, mlir::Value rhs);
  mlir::Value add(mlir::Value l, mlir::Value r) {
    return binary(cnn::BinaryKind::Add, l, r);
  }
  mlir::Value sub(mlir::Value l, mlir::Value r) {
    return binary(cnn::BinaryKind::Sub, l, r);
  }
  mlir::Value mul(mlir::Value l, mlir::Value r) {
    return binary(cnn::BinaryKind::Mul, l, r);
  }
  mlir::Value div(mlir::Value l, mlir::Value r) {
    return binary(cnn::BinaryKind::Div, l, r);
  }
  mlir::Value unary(cnn::UnaryKind kind, mlir::Value x);
  /// A 0-d constant of element type `element`.
  mlir::Value scalar(double value, mlir::Type element);
  /// A constant of `type` with every element `value`.
  mlir::Value splat(mlir::RankedTensorType type, double value);
  mlir::Value reshape(mlir::Value x, llvm::ArrayRef<int64_t> shape);
  mlir::Value transpose(mlir::Value x, llvm::ArrayRef<int64_t> permutation);
  /// The sum over `axes`, keeping them as size 1 or dropping them.
  mlir::Value reduceSum(mlir::Value x, llvm::ArrayRef<int64_t> axes,
                        bool keepDims);
  /// `grad` (of a broadcast result) summed down to `type`: the leading
  /// dimensions and those that `type` has as 1 are summed.
  mlir::Value sumToShape(mlir::Value grad, mlir::RankedTensorType type);
  /// Element `index` of the 1-D `vector` as a 0-d tensor.
  mlir::Value element(mlir::Value vector, int64_t index);

  mlir::OpBuilder &b;
  mlir::Location loc;
};

/// The gradients of one differentiation.
class Gradients {
public:
  /// Whether `value` depends on what is differentiated.
  bool isActive(mlir::Value value) const { return active.contains(value); }
  /// The gradient of `value` so far, or null.
  mlir::Value get(mlir::Value value) const { return grads.lookup(value); }
  /// Adds `grad` to the gradient of `value`, when `value` is active.
  void accumulate(GraphBuilder &gb, mlir::Value value, mlir::Value grad);

private:
  friend mlir::FailureOr<llvm::SmallVector<mlir::Value>>
  differentiate(mlir::OpBuilder &, llvm::ArrayRef<mlir::Operation *>,
                mlir::Value, llvm::ArrayRef<mlir::Value>);
  llvm::DenseSet<mlir::Value> active;
  llvm::DenseMap<mlir::Value, mlir::Value> grads;
};

/// Emits at `builder`'s insertion point the gradients of the 0-d `loss`,
/// computed by `forward` (in order), with respect to each of `wrt`; a value
/// the loss does not depend on gets zeros. Fails, with an error at the op,
/// on an op that has no gradient rule.
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
differentiate(mlir::OpBuilder &builder,
              llvm::ArrayRef<mlir::Operation *> forward, mlir::Value loss,
              llvm::ArrayRef<mlir::Value> wrt);

/// The rule of `op`: the gradients of its active operands from those of its
/// results (null where a result has none).
mlir::LogicalResult differentiateOp(mlir::Operation *op, Gradients &grads,
                                    mlir::OpBuilder &builder);

} // namespace cnnc::training

#endif // CNNC_LIB_TRAINING_AUTODIFF_H
