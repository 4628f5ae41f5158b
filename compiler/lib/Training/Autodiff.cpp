//===- Autodiff.cpp - Reverse-mode differentiation of cnn graphs ----------===//

#include "Autodiff.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace cnnc::training {

Value GraphBuilder::binary(cnn::BinaryKind kind, Value lhs, Value rhs) {
  return cnn::BinaryOp::create(b, loc, kind, lhs, rhs);
}

Value GraphBuilder::unary(cnn::UnaryKind kind, Value x) {
  return cnn::UnaryOp::create(b, loc, kind, x);
}

Value GraphBuilder::scalar(double value, Type element) {
  return splat(RankedTensorType::get({}, element), value);
}

Value GraphBuilder::splat(RankedTensorType type, double value) {
  auto attr = DenseElementsAttr::get(
      type, FloatAttr::get(type.getElementType(), value));
  return cnn::ConstantOp::create(b, loc, attr);
}

Value GraphBuilder::reshape(Value x, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getShape() == shape)
    return x;
  return cnn::ReshapeOp::create(b, loc, type.clone(shape), x);
}

Value GraphBuilder::transpose(Value x, ArrayRef<int64_t> permutation) {
  return cnn::TransposeOp::create(b, loc, x, permutation);
}

Value GraphBuilder::reduceSum(Value x, ArrayRef<int64_t> axes, bool keepDims) {
  if (axes.empty())
    return x;
  return cnn::ReduceOp::create(b, loc, cnn::ReduceKind::Sum, x, axes, keepDims);
}

Value GraphBuilder::sumToShape(Value grad, RankedTensorType type) {
  auto gradType = cast<RankedTensorType>(grad.getType());
  if (gradType.getShape() == type.getShape())
    return grad;
  int64_t extra = gradType.getRank() - type.getRank();
  SmallVector<int64_t> axes;
  for (int64_t d = 0; d < gradType.getRank(); ++d)
    if (d < extra ||
        (type.getDimSize(d - extra) == 1 && gradType.getDimSize(d) != 1))
      axes.push_back(d);
  return reshape(reduceSum(grad, axes, /*keepDims=*/true), type.getShape());
}

Value GraphBuilder::element(Value vector, int64_t index) {
  Value one = cnn::SliceOp::create(b, loc, vector, ArrayRef<int64_t>{index},
                                   ArrayRef<int64_t>{1}, ArrayRef<int64_t>{1});
  return reshape(one, {});
}

void Gradients::accumulate(GraphBuilder &gb, Value value, Value grad) {
  if (!grad || !isActive(value))
    return;
  assert(grad.getType() == value.getType() &&
         "a gradient has its value's type");
  Value &slot = grads[value];
  slot = slot ? gb.add(slot, grad) : grad;
}

FailureOr<SmallVector<Value>> differentiate(OpBuilder &builder,
                                            ArrayRef<Operation *> forward,
                                            Value loss, ArrayRef<Value> wrt) {
  Gradients grads;
  // Forward: what depends on `wrt`.
  grads.active.insert(wrt.begin(), wrt.end());
  for (Operation *op : forward)
    if (llvm::any_of(op->getOperands(),
                     [&](Value v) { return grads.isActive(v); }))
      grads.active.insert(op->getResults().begin(), op->getResults().end());

  SmallVector<Value> result;
  GraphBuilder seed(builder, loss.getLoc());
  if (grads.isActive(loss)) {
    grads.grads[loss] = seed.scalar(
        1.0, cast<RankedTensorType>(loss.getType()).getElementType());
    // Backward: each op once its users have sent their gradients.
    for (Operation *op : llvm::reverse(forward)) {
      if (llvm::none_of(op->getResults(),
                        [&](Value v) { return grads.get(v); }))
        continue;
      if (failed(differentiateOp(op, grads, builder)))
        return failure();
    }
  }
  for (Value v : wrt) {
    Value g = grads.get(v);
    if (!g)
      g = seed.splat(cast<RankedTensorType>(v.getType()), 0.0);
    result.push_back(g);
  }
  return result;
}

} // namespace cnnc::training
