//===- Reduction.cpp - ReduceMean/Sum/Max, Softmax, LogSoftmax ------------===//

#include "Ops.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace cnnc::onnx {
namespace {

/// ReduceX: the axes are an attribute, or from opset 13 for ReduceSum an
/// optional input; no axes means every axis unless noop_with_empty_axes.
LogicalResult convertReduce(NodeImporter &node, cnn::ReduceKind kind) {
  bool axesInput = kind == cnn::ReduceKind::Sum && node.opset() >= 13;
  if (failed(node.expectInputs(1, axesInput ? 2 : 1)))
    return failure();
  FailureOr<int64_t> keepDims = node.getInt("keepdims", 1);
  FailureOr<int64_t> noop = node.getInt("noop_with_empty_axes", 0);
  if (failed(keepDims) || failed(noop))
    return failure();
  std::vector<int64_t> axes;
  if (axesInput) {
    if (node.hasInput(1)) {
      FailureOr<std::vector<int64_t>> given = node.requireInts(1, "axes");
      if (failed(given))
        return failure();
      axes = *given;
    }
  } else {
    FailureOr<llvm::SmallVector<int64_t>> given = node.getInts("axes");
    if (failed(given))
      return failure();
    axes.assign(given->begin(), given->end());
  }
  int64_t rank = node.inputRank(0);
  if (axes.empty()) {
    if (*noop) {
      FailureOr<Value> x = node.input(0);
      if (failed(x))
        return failure();
      node.setOutput(0, *x);
      return success();
    }
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  llvm::SmallVector<int64_t> normalized;
  for (int64_t axis : axes) {
    FailureOr<int64_t> a = node.normalizeAxis(axis, rank, "axis");
    if (failed(a))
      return failure();
    if (llvm::is_contained(normalized, *a))
      return node.error() << "axis " << axis << " is listed twice", failure();
    normalized.push_back(*a);
  }
  llvm::sort(normalized);
  FailureOr<Value> x = node.input(0);
  if (failed(x))
    return failure();
  return node.setResult(
      node.createInferred<cnn::ReduceOp>(kind, *x, normalized, *keepDims != 0));
}

/// Softmax and LogSoftmax. Before opset 13 the input is seen as a matrix
/// [prod(d < axis), prod(d >= axis)] normalized along its rows; from 13 on
/// the op normalizes along one axis.
template <typename OpTy> LogicalResult convertSoftmax(NodeImporter &node) {
  if (failed(node.expectInputs(1, 1)))
    return failure();
  bool flattening = node.opset() < 13;
  int64_t rank = node.inputRank(0);
  FailureOr<int64_t> axis = node.getAxis("axis", flattening ? 1 : -1, rank);
  FailureOr<Value> x = node.input(0);
  if (failed(axis) || failed(x))
    return failure();
  Builder &b = node.builder();
  if (!flattening || *axis == rank - 1) {
    FailureOr<Value> result =
        node.create<OpTy>(x->getType(), *x, b.getI64IntegerAttr(*axis));
    if (failed(result))
      return failure();
    node.setOutput(0, *result);
    return success();
  }
  llvm::ArrayRef<int64_t> shape = node.inputShape(0);
  int64_t rows = 1, columns = 1;
  for (int64_t i = 0; i < rank; ++i)
    (i < *axis ? rows : columns) *= shape[i];
  FailureOr<Value> matrix = node.reshape(*x, {rows, columns});
  if (failed(matrix))
    return failure();
  FailureOr<Value> normalized =
      node.create<OpTy>(matrix->getType(), *matrix, b.getI64IntegerAttr(1));
  if (failed(normalized))
    return failure();
  return node.setResult(node.reshape(*normalized, shape));
}

} // namespace

void addReductionOps(ConverterTable &table) {
  table["ReduceMean"] = [](NodeImporter &node) {
    return convertReduce(node, cnn::ReduceKind::Mean);
  };
  table["ReduceSum"] = [](NodeImporter &node) {
    return convertReduce(node, cnn::ReduceKind::Sum);
  };
  table["ReduceMin"] = [](NodeImporter &node) {
    return convertReduce(node, cnn::ReduceKind::Min);
  };
  table["ReduceMax"] = [](NodeImporter &node) {
    return convertReduce(node, cnn::ReduceKind::Max);
  };
  table["Softmax"] = convertSoftmax<cnn::SoftmaxOp>;
  table["LogSoftmax"] = convertSoftmax<cnn::LogSoftmaxOp>;
}

} // namespace cnnc::onnx
