//===- Normalization.cpp - BatchNormalization, InstanceNormalization, LRN -===//

#include "Ops.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"

using namespace mlir;

namespace cnnc::onnx {
namespace {

/// BatchNormalization. In inference form (the usual export) it is one
/// cnn.batch_norm with the running statistics. In training form
/// (training_mode = 1 from opset 14, or when an output besides Y is read)
/// it is cnn.batch_norm_train, whose extra results are the updated running
/// statistics and the batch statistics.
LogicalResult convertBatchNorm(NodeImporter &node) {
  if (failed(node.expectInputs(5, 5)))
    return failure();
  FailureOr<float> epsilon = node.getFloat("epsilon", 1e-5f);
  FailureOr<float> momentum = node.getFloat("momentum", 0.9f);
  FailureOr<int64_t> spatial = node.getInt("spatial", 1);
  FailureOr<int64_t> trainingMode = node.getInt("training_mode", 0);
  if (failed(epsilon) || failed(momentum) || failed(spatial) ||
      failed(trainingMode))
    return failure();
  if (*spatial != 1)
    return node.error() << "attribute 'spatial' = " << *spatial
                        << " (statistics per activation rather than per "
                           "channel) is not supported",
           failure();
  if (node.inputRank(0) < 2)
    return node.error() << "expected an input of rank 2 or more ([N, C, ...]), "
                           "got shape "
                        << formatShape(node.inputShape(0)),
           failure();

  llvm::SmallVector<Value, 5> operands;
  for (size_t i = 0; i < 5; ++i) {
    FailureOr<Value> operand = node.input(i);
    if (failed(operand))
      return failure();
    operands.push_back(*operand);
  }
  // From opset 14 the attribute says; before, asking for the statistics
  // outputs meant training (unless is_test, before opset 7), as ONNX
  // Runtime reads it.
  bool training = *trainingMode != 0;
  for (size_t i = 1; i < node.numOutputs(); ++i)
    training |= node.outputUsed(i) ||
                (node.opset() < 14 && !node.node().outputs[i].empty());
  if (node.opset() < 7) {
    FailureOr<int64_t> isTest = node.getInt("is_test", 0);
    if (failed(isTest))
      return failure();
    if (*isTest != 0 &&
        !llvm::any_of(llvm::seq<size_t>(1, node.numOutputs()),
                      [&](size_t i) { return node.outputUsed(i); }))
      training = false;
  }
  OpBuilder &b = node.builder();
  if (!training) {
    FailureOr<Value> result = node.create<cnn::BatchNormOp>(
        operands[0].getType(), operands[0], operands[1], operands[2],
        operands[3], operands[4], b.getF32FloatAttr(*epsilon));
    if (failed(result))
      return failure();
    node.setOutput(0, *result);
    return success();
  }

  auto inputType = cast<RankedTensorType>(operands[0].getType());
  auto channelType = RankedTensorType::get({inputType.getDimSize(1)},
                                           inputType.getElementType());
  auto op = cnn::BatchNormTrainOp::create(
      b, node.loc(), inputType, channelType, channelType, channelType,
      channelType, operands[0], operands[1], operands[2], operands[3],
      operands[4], b.getF32FloatAttr(*epsilon), b.getF32FloatAttr(*momentum),
      /*population_running_variance=*/b.getUnitAttr());
  if (failed(mlir::verify(op, /*verifyRecursively=*/false))) {
    op->erase();
    return failure();
  }
  node.setOutput(0, op.getResult());
  node.setOutput(1, op.getNewRunningMean());
  node.setOutput(2, op.getNewRunningVariance());
  // Before opset 14 outputs 3 and 4 were the saved batch mean and inverse
  // standard deviation.
  node.setOutput(3, op.getBatchMean());
  node.setOutput(4, op.getBatchInvStd());
  return success();
}

LogicalResult convertInstanceNorm(NodeImporter &node) {
  if (failed(node.expectInputs(3, 3)))
    return failure();
  FailureOr<float> epsilon = node.getFloat("epsilon", 1e-5f);
  if (failed(epsilon))
    return failure();
  FailureOr<Value> x = node.input(0), scale = node.input(1),
                   bias = node.input(2);
  if (failed(x) || failed(scale) || failed(bias))
    return failure();
  return node.setResult(node.create<cnn::InstanceNormOp>(
      x->getType(), *x, *scale, *bias,
      node.builder().getF32FloatAttr(*epsilon)));
}

LogicalResult convertLrn(NodeImporter &node) {
  if (failed(node.expectInputs(1, 1)))
    return failure();
  if (!node.hasAttr("size"))
    return node.error() << "attribute 'size' is required", failure();
  FailureOr<int64_t> size = node.getInt("size", 1);
  FailureOr<float> alpha = node.getFloat("alpha", 1e-4f);
  FailureOr<float> beta = node.getFloat("beta", 0.75f);
  FailureOr<float> bias = node.getFloat("bias", 1.0f);
  if (failed(size) || failed(alpha) || failed(beta) || failed(bias))
    return failure();
  if (*size <= 0)
    return node.error() << "attribute 'size' is " << *size
                        << ", expected a positive value",
           failure();
  FailureOr<Value> x = node.input(0);
  if (failed(x))
    return failure();
  Builder &b = node.builder();
  return node.setResult(node.create<cnn::LrnOp>(
      x->getType(), *x, b.getI64IntegerAttr(*size), b.getF32FloatAttr(*alpha),
      b.getF32FloatAttr(*beta), b.getF32FloatAttr(*bias)));
}

} // namespace

void addNormalizationOps(ConverterTable &table) {
  table["BatchNormalization"] = convertBatchNorm;
  table["InstanceNormalization"] = convertInstanceNorm;
  table["LRN"] = convertLrn;
}

} // namespace cnnc::onnx
