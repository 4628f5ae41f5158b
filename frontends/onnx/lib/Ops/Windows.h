//===- Windows.h - Sliding-window attributes of Conv and pools --*- C++ -*-===//

#ifndef CNNC_FRONTEND_ONNX_OPS_WINDOWS_H
#define CNNC_FRONTEND_ONNX_OPS_WINDOWS_H

#include "../NodeImporter.h"

#include <optional>

namespace cnnc::onnx {

/// ONNX's kernel_shape, strides, dilations, pads and auto_pad, checked and
/// resolved to explicit pads for an input with `spatial` sizes.
struct Window {
  llvm::SmallVector<int64_t> kernel;
  llvm::SmallVector<int64_t> strides;
  llvm::SmallVector<int64_t> dilations;
  llvm::SmallVector<int64_t> pads; // Begins, then ends.
  std::string autoPad;             // NOTSET, VALID, SAME_UPPER, SAME_LOWER.
};

/// Reads the window attributes of a node whose input has the spatial sizes
/// `spatial`. `kernel` is the weight's spatial shape for convolutions (the
/// attribute, when given, must agree), none for pools (the attribute is
/// required). `samePads` says whether to resolve SAME_* auto_pad to pads
/// here (convolution, pooling) or leave it to the caller (transposed
/// convolution).
mlir::FailureOr<Window>
readWindow(NodeImporter &node, llvm::ArrayRef<int64_t> spatial,
           std::optional<llvm::ArrayRef<int64_t>> kernel, bool samePads = true);

/// Fails unless `values` has `count` entries that are all positive (or all
/// non-negative with `allowZero`).
mlir::LogicalResult checkIntList(NodeImporter &node, llvm::StringRef name,
                                 llvm::ArrayRef<int64_t> values, size_t count,
                                 llvm::StringRef per, bool allowZero);

} // namespace cnnc::onnx

#endif // CNNC_FRONTEND_ONNX_OPS_WINDOWS_H
