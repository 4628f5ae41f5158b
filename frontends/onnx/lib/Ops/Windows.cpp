//===- Windows.cpp - Sliding-window attributes of Conv and pools ----------===//

#include "Windows.h"

#include "cnnc/Dialect/CNN/IR/ShapeArithmetic.h"

using namespace mlir;

namespace cnnc::onnx {

LogicalResult checkIntList(NodeImporter &node, llvm::StringRef name,
                           llvm::ArrayRef<int64_t> values, size_t count,
                           llvm::StringRef per, bool allowZero) {
  if (values.size() != count)
    return node.error() << "attribute '" << name << "' " << formatShape(values)
                        << " has " << values.size() << " value"
                        << (values.size() == 1 ? "" : "s") << ", expected "
                        << count << " (" << per << ")",
           failure();
  for (int64_t value : values)
    if (value < 0 || (value == 0 && !allowZero))
      return node.error() << "attribute '" << name << "' "
                          << formatShape(values) << " has the value " << value
                          << ", expected "
                          << (allowZero ? "non-negative" : "positive")
                          << " values",
             failure();
  return success();
}

FailureOr<Window> readWindow(NodeImporter &node,
                             llvm::ArrayRef<int64_t> spatial,
                             std::optional<llvm::ArrayRef<int64_t>> kernel,
                             bool samePads) {
  size_t rank = spatial.size();
  Window window;
  FailureOr<llvm::SmallVector<int64_t>> kernelShape =
      node.getInts("kernel_shape");
  FailureOr<llvm::SmallVector<int64_t>> strides =
      node.getInts("strides", llvm::SmallVector<int64_t>(rank, 1));
  FailureOr<llvm::SmallVector<int64_t>> dilations =
      node.getInts("dilations", llvm::SmallVector<int64_t>(rank, 1));
  FailureOr<llvm::SmallVector<int64_t>> pads =
      node.getInts("pads", llvm::SmallVector<int64_t>(2 * rank, 0));
  FailureOr<std::string> autoPad = node.getString("auto_pad", "NOTSET");
  if (failed(kernelShape) || failed(strides) || failed(dilations) ||
      failed(pads) || failed(autoPad))
    return failure();

  if (kernel) {
    if (node.hasAttr("kernel_shape") &&
        llvm::ArrayRef<int64_t>(*kernelShape) != *kernel)
      return node.error() << "attribute 'kernel_shape' "
                          << formatShape(*kernelShape)
                          << " does not match the weight's spatial shape "
                          << formatShape(*kernel),
             failure();
    window.kernel.assign(kernel->begin(), kernel->end());
  } else {
    if (!node.hasAttr("kernel_shape"))
      return node.error() << "attribute 'kernel_shape' is required", failure();
    window.kernel = *kernelShape;
  }
  if (failed(checkIntList(node, "kernel_shape", window.kernel, rank,
                          "one per spatial dimension", false)) ||
      failed(checkIntList(node, "strides", *strides, rank,
                          "one per spatial dimension", false)) ||
      failed(checkIntList(node, "dilations", *dilations, rank,
                          "one per spatial dimension", false)))
    return failure();
  window.strides = *strides;
  window.dilations = *dilations;
  window.autoPad = *autoPad;

  if (*autoPad == "NOTSET") {
    if (failed(checkIntList(node, "pads", *pads, 2 * rank,
                            "a begin and an end per spatial dimension", true)))
      return failure();
    window.pads = *pads;
  } else if (*autoPad == "VALID") {
    window.pads.assign(2 * rank, 0);
  } else if (*autoPad == "SAME_UPPER" || *autoPad == "SAME_LOWER") {
    window.pads.assign(2 * rank, 0);
    if (samePads) {
      auto mode = *autoPad == "SAME_UPPER" ? shape::SamePadding::Upper
                                           : shape::SamePadding::Lower;
      for (size_t i = 0; i < rank; ++i) {
        shape::Padding padding =
            shape::samePadding(spatial[i], window.kernel[i], window.strides[i],
                               window.dilations[i], mode);
        window.pads[i] = padding.begin;
        window.pads[i + rank] = padding.end;
      }
    }
  } else {
    return node.error() << "attribute 'auto_pad' is '" << *autoPad
                        << "', expected NOTSET, VALID, SAME_UPPER or "
                           "SAME_LOWER",
           failure();
  }
  return window;
}

} // namespace cnnc::onnx
