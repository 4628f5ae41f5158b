//===- Convolution.cpp - Conv and ConvTranspose ---------------------------===//

#include "Ops.h"
#include "Windows.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"
#include "cnnc/Dialect/CNN/IR/ShapeArithmetic.h"

using namespace mlir;

namespace cnnc::onnx {
namespace {

/// Checks that X and W are [N, C, D1..Dk] and [M, C', K1..Kk] with k in 1..3.
LogicalResult checkConvRanks(NodeImporter &node) {
  int64_t rank = node.inputRank(0);
  if (rank < 3 || rank > 5)
    return node.error() << "expected an input of rank 3 to 5 ([N, C, D1..Dk]), "
                           "got shape "
                        << formatShape(node.inputShape(0)),
           failure();
  if (node.inputRank(1) != rank)
    return node.error() << "expected a weight of rank " << rank
                        << " (as the input " << formatShape(node.inputShape(0))
                        << "), got shape " << formatShape(node.inputShape(1)),
           failure();
  return success();
}

LogicalResult convertConv(NodeImporter &node) {
  if (failed(node.expectInputs(2, 3)) || failed(node.expectOneElementType()) ||
      failed(checkConvRanks(node)))
    return failure();
  llvm::ArrayRef<int64_t> input = node.inputShape(0);
  llvm::ArrayRef<int64_t> weight = node.inputShape(1);
  FailureOr<int64_t> group = node.getInt("group", 1);
  if (failed(group))
    return failure();
  if (*group <= 0)
    return node.error() << "attribute 'group' is " << *group
                        << ", expected a positive value",
           failure();
  FailureOr<Window> window =
      readWindow(node, input.drop_front(2), weight.drop_front(2));
  if (failed(window))
    return failure();

  FailureOr<Value> x = node.input(0), w = node.input(1);
  if (failed(x) || failed(w))
    return failure();
  FailureOr<Value> bias = node.optionalInput(2);
  if (failed(bias))
    return failure();
  return node.setResult(node.createInferred<cnn::ConvOp>(
      *x, *w, *bias, /*residual=*/Value(), window->strides, window->pads,
      window->dilations, static_cast<uint64_t>(*group), /*activation=*/nullptr,
      /*activation_alpha=*/nullptr, /*activation_beta=*/nullptr));
}

LogicalResult convertConvTranspose(NodeImporter &node) {
  if (failed(node.expectInputs(2, 3)) || failed(node.expectOneElementType()) ||
      failed(checkConvRanks(node)))
    return failure();
  llvm::ArrayRef<int64_t> input = node.inputShape(0);
  llvm::ArrayRef<int64_t> weight = node.inputShape(1);
  size_t rank = input.size() - 2;
  FailureOr<int64_t> group = node.getInt("group", 1);
  FailureOr<llvm::SmallVector<int64_t>> outputPadding =
      node.getInts("output_padding", llvm::SmallVector<int64_t>(rank, 0));
  FailureOr<llvm::SmallVector<int64_t>> outputShape =
      node.getInts("output_shape");
  if (failed(group) || failed(outputPadding) || failed(outputShape))
    return failure();
  if (*group <= 0)
    return node.error() << "attribute 'group' is " << *group
                        << ", expected a positive value",
           failure();
  if (failed(checkIntList(node, "output_padding", *outputPadding, rank,
                          "one per spatial dimension", true)))
    return failure();
  FailureOr<Window> window =
      readWindow(node, input.drop_front(2), weight.drop_front(2),
                 /*samePads=*/false);
  if (failed(window))
    return failure();

  // The output size: output_shape, or input * stride for SAME_*; the pads
  // that produce it (the spec's total_padding, split by auto_pad).
  bool same =
      window->autoPad == "SAME_UPPER" || window->autoPad == "SAME_LOWER";
  llvm::SmallVector<int64_t> target;
  if (node.hasAttr("output_shape")) {
    // Some exporters give the full [N, C, D...] shape.
    llvm::ArrayRef<int64_t> spatial = *outputShape;
    if (spatial.size() == rank + 2)
      spatial = spatial.drop_front(2);
    if (failed(checkIntList(node, "output_shape", spatial, rank,
                            "one per spatial dimension", false)))
      return failure();
    target.assign(spatial.begin(), spatial.end());
  } else if (same) {
    for (size_t i = 0; i < rank; ++i)
      target.push_back(input[i + 2] * window->strides[i]);
  }
  if (!target.empty()) {
    auto mode = window->autoPad == "SAME_UPPER" ? shape::SamePadding::Upper
                                                : shape::SamePadding::Lower;
    for (size_t i = 0; i < rank; ++i) {
      int64_t natural = shape::transposedWindowOutputSize(
          input[i + 2], window->kernel[i], window->strides[i],
          window->dilations[i], shape::Padding{}, (*outputPadding)[i]);
      if (natural >= target[i]) {
        shape::Padding padding = shape::transposedPadding(
            input[i + 2], window->kernel[i], window->strides[i],
            window->dilations[i], (*outputPadding)[i], target[i], mode);
        window->pads[i] = padding.begin;
        window->pads[i + rank] = padding.end;
      } else {
        // A larger output than the kernel reaches: the extra positions
        // receive only the bias, as output_padding says.
        window->pads[i] = window->pads[i + rank] = 0;
        (*outputPadding)[i] += target[i] - natural;
      }
    }
  }

  FailureOr<Value> x = node.input(0), w = node.input(1);
  if (failed(x) || failed(w))
    return failure();
  FailureOr<Value> bias = node.optionalInput(2);
  if (failed(bias))
    return failure();
  return node.setResult(node.createInferred<cnn::ConvTransposeOp>(
      *x, *w, *bias, window->strides, window->pads, window->dilations,
      *outputPadding, static_cast<uint64_t>(*group)));
}

} // namespace

void addConvolutionOps(ConverterTable &table) {
  table["Conv"] = convertConv;
  table["ConvTranspose"] = convertConvTranspose;
}

} // namespace cnnc::onnx
