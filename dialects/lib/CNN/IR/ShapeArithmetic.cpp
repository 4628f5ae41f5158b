//===- ShapeArithmetic.cpp - Output sizes of windowed ops -----------------===//

#include "cnnc/Dialect/CNN/IR/ShapeArithmetic.h"

namespace cnnc::shape {

static int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64_t ceilDiv(int64_t a, int64_t b) { return -floorDiv(-a, b); }

static Padding split(int64_t total, SamePadding mode) {
  int64_t small = total / 2;
  if (mode == SamePadding::Upper)
    return {small, total - small};
  return {total - small, small};
}

int64_t dilatedKernelSize(int64_t kernel, int64_t dilation) {
  return dilation * (kernel - 1) + 1;
}

int64_t windowOutputSize(int64_t input, int64_t kernel, int64_t stride,
                         int64_t dilation, Padding padding, bool ceilMode) {
  int64_t span =
      input + padding.begin + padding.end - dilatedKernelSize(kernel, dilation);
  if (span < 0)
    return 0;
  if (!ceilMode)
    return floorDiv(span, stride) + 1;
  int64_t output = ceilDiv(span, stride) + 1;
  // The last window must start inside the input or the leading padding.
  if ((output - 1) * stride >= input + padding.begin)
    --output;
  return output;
}

int64_t transposedWindowOutputSize(int64_t input, int64_t kernel,
                                   int64_t stride, int64_t dilation,
                                   Padding padding, int64_t outputPadding) {
  return stride * (input - 1) + outputPadding +
         dilatedKernelSize(kernel, dilation) - padding.begin - padding.end;
}

Padding samePadding(int64_t input, int64_t kernel, int64_t stride,
                    int64_t dilation, SamePadding mode) {
  int64_t output = ceilDiv(input, stride);
  int64_t total =
      (output - 1) * stride + dilatedKernelSize(kernel, dilation) - input;
  return split(total < 0 ? 0 : total, mode);
}

Padding transposedPadding(int64_t input, int64_t kernel, int64_t stride,
                          int64_t dilation, int64_t outputPadding,
                          int64_t output, SamePadding mode) {
  int64_t total = stride * (input - 1) + outputPadding +
                  dilatedKernelSize(kernel, dilation) - output;
  return split(total, mode);
}

} // namespace cnnc::shape
