//===- ShapeArithmetic.cpp - Output sizes of windowed ops -----------------===//

#include "cnnc/Dialect/CNN/IR/ShapeArithmetic.h"

#include <limits>

namespace cnnc::shape {

// Sizes are computed in 128 bits and saturated to int64, so that no
// attribute value, however large, makes the arithmetic overflow: a result
// out of range comes back as INT64_MAX or INT64_MIN, which the verifiers
// report as a size that does not fit.
using Wide = __int128;

static int64_t saturate(Wide value) {
  if (value > std::numeric_limits<int64_t>::max())
    return std::numeric_limits<int64_t>::max();
  if (value < std::numeric_limits<int64_t>::min())
    return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(value);
}

static Wide floorDiv(Wide a, Wide b) {
  Wide q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static Wide ceilDiv(Wide a, Wide b) { return -floorDiv(-a, b); }

static Wide dilatedExtent(int64_t kernel, int64_t dilation) {
  return Wide(dilation) * (Wide(kernel) - 1) + 1;
}

static Padding split(Wide total, SamePadding mode) {
  Wide small = total / 2;
  if (mode == SamePadding::Upper)
    return {saturate(small), saturate(total - small)};
  return {saturate(total - small), saturate(small)};
}

int64_t dilatedKernelSize(int64_t kernel, int64_t dilation) {
  return saturate(dilatedExtent(kernel, dilation));
}

int64_t windowOutputSize(int64_t input, int64_t kernel, int64_t stride,
                         int64_t dilation, Padding padding, bool ceilMode) {
  Wide span = Wide(input) + padding.begin + padding.end -
              dilatedExtent(kernel, dilation);
  if (span < 0)
    return 0;
  if (!ceilMode)
    return saturate(floorDiv(span, stride) + 1);
  Wide output = ceilDiv(span, stride) + 1;
  // The last window must start inside the input or the leading padding.
  if ((output - 1) * stride >= Wide(input) + padding.begin)
    --output;
  return saturate(output);
}

int64_t transposedWindowOutputSize(int64_t input, int64_t kernel,
                                   int64_t stride, int64_t dilation,
                                   Padding padding, int64_t outputPadding) {
  return saturate(Wide(stride) * (Wide(input) - 1) + outputPadding +
                  dilatedExtent(kernel, dilation) - padding.begin -
                  padding.end);
}

Padding samePadding(int64_t input, int64_t kernel, int64_t stride,
                    int64_t dilation, SamePadding mode) {
  Wide output = ceilDiv(input, stride);
  Wide total = (output - 1) * stride + dilatedExtent(kernel, dilation) - input;
  return split(total < 0 ? 0 : total, mode);
}

Padding transposedPadding(int64_t input, int64_t kernel, int64_t stride,
                          int64_t dilation, int64_t outputPadding,
                          int64_t output, SamePadding mode) {
  Wide total = Wide(stride) * (Wide(input) - 1) + outputPadding +
               dilatedExtent(kernel, dilation) - output;
  return split(total, mode);
}

} // namespace cnnc::shape
