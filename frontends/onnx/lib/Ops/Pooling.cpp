//===- Pooling.cpp - MaxPool, AveragePool and their global forms ----------===//

#include "Ops.h"
#include "Windows.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

using namespace mlir;

namespace cnnc::onnx {
namespace {

LogicalResult checkPoolInput(NodeImporter &node) {
  if (failed(node.expectInputs(1, 1)))
    return failure();
  int64_t rank = node.inputRank(0);
  if (rank < 3 || rank > 5)
    return node.error() << "expected an input of rank 3 to 5 ([N, C, D1..Dk]), "
                           "got shape "
                        << formatShape(node.inputShape(0)),
           failure();
  return success();
}

LogicalResult convertPool(NodeImporter &node, cnn::PoolKind kind) {
  if (failed(checkPoolInput(node)))
    return failure();
  if (kind == cnn::PoolKind::Max && node.outputUsed(1))
    return node.error() << "the Indices output of MaxPool is not supported",
           failure();
  FailureOr<Window> window =
      readWindow(node, node.inputShape(0).drop_front(2), std::nullopt);
  FailureOr<int64_t> ceilMode = node.getInt("ceil_mode", 0);
  FailureOr<int64_t> countIncludePad = node.getInt("count_include_pad", 0);
  if (failed(window) || failed(ceilMode) || failed(countIncludePad))
    return failure();
  if (kind == cnn::PoolKind::Avg &&
      llvm::any_of(window->dilations, [](int64_t d) { return d != 1; }))
    return node.error() << "AveragePool with dilations is not supported",
           failure();
  // A max pool also takes int8 and uint8 (ONNX's opset 12), 1-D and 2-D.
  bool quantized = kind == cnn::PoolKind::Max &&
                   isQuantizedType(node.inputType(0));
  if (quantized && node.inputRank(0) == 5)
    return node.error() << "a 3-D MaxPool of "
                        << elementTypeName(node.inputType(0))
                        << " is not supported (1-D and 2-D are)",
           failure();
  FailureOr<Value> x = quantized ? node.anyInput(0) : node.input(0);
  if (failed(x))
    return failure();
  return node.setResult(node.createInferredFrom<cnn::PoolOp>(
      cast<ShapedType>(x->getType()).getElementType(), kind, *x,
      window->kernel, window->strides, window->pads,
      window->dilations, *ceilMode != 0,
      kind == cnn::PoolKind::Avg && *countIncludePad != 0));
}

LogicalResult convertGlobalPool(NodeImporter &node, cnn::PoolKind kind) {
  if (failed(checkPoolInput(node)))
    return failure();
  FailureOr<Value> x = node.input(0);
  if (failed(x))
    return failure();
  return node.setResult(node.createInferred<cnn::GlobalPoolOp>(kind, *x));
}

} // namespace

void addPoolingOps(ConverterTable &table) {
  table["MaxPool"] = [](NodeImporter &node) {
    return convertPool(node, cnn::PoolKind::Max);
  };
  table["AveragePool"] = [](NodeImporter &node) {
    return convertPool(node, cnn::PoolKind::Avg);
  };
  table["GlobalMaxPool"] = [](NodeImporter &node) {
    return convertGlobalPool(node, cnn::PoolKind::Max);
  };
  table["GlobalAveragePool"] = [](NodeImporter &node) {
    return convertGlobalPool(node, cnn::PoolKind::Avg);
  };
}

} // namespace cnnc::onnx
