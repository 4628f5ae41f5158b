//===- Matmul.cpp - Gemm and MatMul ---------------------------------------===//

#include "Ops.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

using namespace mlir;

namespace cnnc::onnx {
namespace {

LogicalResult convertGemm(NodeImporter &node) {
  if (failed(node.expectInputs(node.opset() < 11 ? 3 : 2, 3)) ||
      failed(node.expectOneElementType()))
    return failure();
  FailureOr<float> alpha = node.getFloat("alpha", 1.0f);
  FailureOr<float> beta = node.getFloat("beta", 1.0f);
  FailureOr<int64_t> transA = node.getInt("transA", 0);
  FailureOr<int64_t> transB = node.getInt("transB", 0);
  if (failed(alpha) || failed(beta) || failed(transA) || failed(transB))
    return failure();
  for (size_t i = 0; i < 2; ++i)
    if (node.inputRank(i) != 2)
      return node.error() << "expected input " << i
                          << " to be a matrix, got shape "
                          << formatShape(node.inputShape(i)),
             failure();
  FailureOr<Value> a = node.input(0), b = node.input(1);
  if (failed(a) || failed(b))
    return failure();
  FailureOr<Value> bias = node.optionalInput(2);
  if (failed(bias))
    return failure();
  Builder &builder = node.builder();
  return node.setResult(node.createInferred<cnn::MatmulOp>(
      *a, *b, *bias, *transA ? builder.getUnitAttr() : UnitAttr(),
      *transB ? builder.getUnitAttr() : UnitAttr(),
      builder.getF32FloatAttr(*alpha), builder.getF32FloatAttr(*beta),
      /*activation=*/nullptr, /*activation_alpha=*/nullptr,
      /*activation_beta=*/nullptr));
}

/// numpy's matmul: a 1-D operand is a row (lhs) or a column (rhs) whose
/// dimension is removed from the result.
LogicalResult convertMatMul(NodeImporter &node) {
  if (failed(node.expectInputs(2, 2)) || failed(node.expectOneElementType()))
    return failure();
  FailureOr<Value> a = node.input(0), b = node.input(1);
  if (failed(a) || failed(b))
    return failure();
  llvm::ArrayRef<int64_t> aShape = node.inputShape(0);
  llvm::ArrayRef<int64_t> bShape = node.inputShape(1);
  if (aShape.empty() || bShape.empty())
    return node.error() << "expected operands of rank 1 or more, got shapes "
                        << formatShape(aShape) << " and "
                        << formatShape(bShape),
           failure();
  bool rowVector = aShape.size() == 1, columnVector = bShape.size() == 1;
  if (rowVector)
    a = node.reshape(*a, {1, aShape[0]});
  if (columnVector)
    b = node.reshape(*b, {bShape[0], 1});
  if (failed(a) || failed(b))
    return failure();
  Builder &builder = node.builder();
  FailureOr<Value> result = node.createInferred<cnn::MatmulOp>(
      *a, *b, Value(), UnitAttr(), UnitAttr(), builder.getF32FloatAttr(1.0f),
      builder.getF32FloatAttr(1.0f), /*activation=*/nullptr,
      /*activation_alpha=*/nullptr, /*activation_beta=*/nullptr);
  if (failed(result))
    return failure();
  if (rowVector || columnVector) {
    auto shape =
        llvm::to_vector(cast<RankedTensorType>(result->getType()).getShape());
    if (columnVector)
      shape.erase(shape.end() - 1);
    if (rowVector)
      shape.erase(shape.end() - (columnVector ? 1 : 2));
    result = node.reshape(*result, shape);
    if (failed(result))
      return failure();
  }
  node.setOutput(0, *result);
  return success();
}

} // namespace

void addMatmulOps(ConverterTable &table) {
  table["Gemm"] = convertGemm;
  table["MatMul"] = convertMatMul;
}

} // namespace cnnc::onnx
