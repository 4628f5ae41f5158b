//===- ShapeArithmetic.h - Output sizes of windowed ops ---------*- C++ -*-===//
//
// The size arithmetic of sliding windows (convolution, pooling) and of
// transposed convolution, and ONNX's SAME_UPPER / SAME_LOWER padding rules.
// Shared by the cnn dialect's result-type inference and the frontends, so
// that both compute every size the same way. Plain integers, no MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_CNN_IR_SHAPEARITHMETIC_H
#define CNNC_DIALECT_CNN_IR_SHAPEARITHMETIC_H

#include <cstdint>

namespace cnnc::shape {

/// Padding split between both ends of a dimension.
struct Padding {
  int64_t begin = 0;
  int64_t end = 0;
  bool operator==(const Padding &other) const {
    return begin == other.begin && end == other.end;
  }
};

/// Where ONNX's `auto_pad = SAME_*` puts the odd element of padding:
/// SAME_UPPER at the end, SAME_LOWER at the beginning.
enum class SamePadding { Upper, Lower };

/// The extent a kernel of `kernel` taps covers with `dilation`:
/// `dilation * (kernel - 1) + 1`.
int64_t dilatedKernelSize(int64_t kernel, int64_t dilation);

/// Number of windows of a convolution or pooling along one dimension of size
/// `input` padded by `padding`: floor((input + pads - dilated kernel) /
/// stride) + 1, or with `ceilMode` the same rounded up, dropping a last
/// window that would start inside the trailing padding (PyTorch's rule,
/// which ONNX adopted). Returns 0 or less when no window fits; callers
/// report that as an error.
int64_t windowOutputSize(int64_t input, int64_t kernel, int64_t stride,
                         int64_t dilation, Padding padding,
                         bool ceilMode = false);

/// Output size of a transposed convolution along one dimension:
/// stride * (input - 1) + outputPadding + dilated kernel - pads.
int64_t transposedWindowOutputSize(int64_t input, int64_t kernel,
                                   int64_t stride, int64_t dilation,
                                   Padding padding, int64_t outputPadding);

/// The padding of ONNX's `auto_pad = SAME_UPPER|SAME_LOWER` for a convolution
/// or pooling: the output has ceil(input / stride) elements and the total
/// padding needed for that (never negative) is split as `mode` says.
Padding samePadding(int64_t input, int64_t kernel, int64_t stride,
                    int64_t dilation, SamePadding mode);

/// The padding that makes a transposed convolution produce `output` elements
/// (ONNX's `output_shape`, or `input * stride` for `auto_pad = SAME_*`).
/// The total may be negative when `output` is larger than the transposed
/// convolution can produce; callers report that as an error.
Padding transposedPadding(int64_t input, int64_t kernel, int64_t stride,
                          int64_t dilation, int64_t outputPadding,
                          int64_t output, SamePadding mode);

} // namespace cnnc::shape

#endif // CNNC_DIALECT_CNN_IR_SHAPEARITHMETIC_H
