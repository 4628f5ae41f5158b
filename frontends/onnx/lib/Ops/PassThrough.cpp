//===- PassThrough.cpp - Identity and Dropout -----------------------------===//
//
// Ops whose output is their input at inference. Dropout stays a cnn.dropout
// unless the model itself says it runs in inference mode, so that training
// sees it; the inference pipeline removes it.
//
//===----------------------------------------------------------------------===//

#include "Ops.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

using namespace mlir;

namespace cnnc::onnx {
namespace {

/// Defines output 0 as input 0, whatever it is (constant or value).
void forwardInput(NodeImporter &node) {
  const ValueState &input = node.inputState(0);
  if (input.constant)
    node.setConstantOutput(0, input.constant);
  else
    node.setOutput(0, input.value);
}

LogicalResult convertIdentity(NodeImporter &node) {
  if (failed(node.expectInputs(1, 1)))
    return failure();
  if (node.inputState(0).unboundInput) {
    (void)node.anyInput(0); // Reports the unbound input.
    return failure();
  }
  forwardInput(node);
  return success();
}

LogicalResult convertDropout(NodeImporter &node) {
  if (failed(node.expectInputs(1, node.opset() < 12 ? 1 : 3)))
    return failure();
  if (node.outputUsed(1))
    return node.error() << "the mask output of Dropout is not supported",
           failure();
  float ratio = 0.5f;
  bool inference = false;
  if (node.opset() < 12) {
    FailureOr<float> attr = node.getFloat("ratio", 0.5f);
    FailureOr<int64_t> isTest = node.getInt("is_test", 0);
    if (failed(attr) || failed(isTest))
      return failure();
    ratio = *attr;
    inference = *isTest != 0;
  } else {
    if (node.hasInput(1)) {
      FailureOr<const Tensor *> value = node.requireConstant(1, "ratio");
      if (failed(value))
        return failure();
      if ((*value)->numElements() != 1)
        return node.error() << "expected a scalar ratio, got shape "
                            << formatShape((*value)->shape),
               failure();
      ratio = static_cast<float>((*value)->floatAt(0));
    }
    if (node.hasInput(2)) {
      FailureOr<const Tensor *> mode = node.requireConstant(2, "training_mode");
      if (failed(mode))
        return failure();
      if ((*mode)->numElements() != 1)
        return node.error() << "expected a scalar training_mode, got shape "
                            << formatShape((*mode)->shape),
               failure();
      inference = (*mode)->intAt(0) == 0;
    }
  }
  if (!(ratio >= 0.0f && ratio < 1.0f))
    return node.error() << "the dropout ratio is " << ratio
                        << ", expected a value in [0, 1)",
           failure();
  if (inference || ratio == 0.0f) {
    forwardInput(node);
    return success();
  }
  FailureOr<Value> x = node.input(0);
  if (failed(x))
    return failure();
  Builder &b = node.builder();
  return node.setResult(node.create<cnn::DropoutOp>(
      x->getType(), *x, b.getF32FloatAttr(ratio),
      b.getI64IntegerAttr(static_cast<int64_t>(node.node().index))));
}

} // namespace

void addPassThroughOps(ConverterTable &table) {
  table["Identity"] = convertIdentity;
  table["Dropout"] = convertDropout;
}

} // namespace cnnc::onnx
