//===- ShapeArithmeticTest.cpp - Window sizes against hand-computed values ===//

#include "cnnc/Dialect/CNN/IR/ShapeArithmetic.h"

#include <gtest/gtest.h>

using namespace cnnc::shape;

namespace {

TEST(ShapeArithmetic, DilatedKernelSize) {
  EXPECT_EQ(dilatedKernelSize(3, 1), 3);
  EXPECT_EQ(dilatedKernelSize(3, 2), 5);
  EXPECT_EQ(dilatedKernelSize(1, 4), 1);
}

TEST(ShapeArithmetic, ConvolutionOutputSize) {
  // ResNet's stem: 224 + 3 + 3 - 7 = 223, 223 / 2 = 111, + 1.
  EXPECT_EQ(windowOutputSize(224, 7, 2, 1, {3, 3}), 112);
  // A 3x3 "same" convolution.
  EXPECT_EQ(windowOutputSize(56, 3, 1, 1, {1, 1}), 56);
  // (5 + 2 - 3) / 2 + 1.
  EXPECT_EQ(windowOutputSize(5, 3, 2, 1, {1, 1}), 3);
  // Asymmetric padding: (5 + 1 + 0 - 3) / 2 + 1 = 2.
  EXPECT_EQ(windowOutputSize(5, 3, 2, 1, {1, 0}), 2);
  // Dilation 2 makes a 3-tap kernel span 5: 7 - 5 + 1.
  EXPECT_EQ(windowOutputSize(7, 3, 1, 2, {0, 0}), 3);
  // A 1x1 convolution with stride 2 over an odd size: (7 - 1) / 2 + 1.
  EXPECT_EQ(windowOutputSize(7, 1, 2, 1, {0, 0}), 4);
}

TEST(ShapeArithmetic, WindowThatDoesNotFit) {
  EXPECT_LE(windowOutputSize(2, 5, 1, 1, {0, 0}), 0);
  EXPECT_LE(windowOutputSize(3, 3, 1, 2, {0, 0}), 0);
  EXPECT_EQ(windowOutputSize(3, 5, 1, 1, {1, 1}), 1);
}

TEST(ShapeArithmetic, CeilMode) {
  // 6 - 3 = 3: floor(3 / 2) + 1 = 2, ceil(3 / 2) + 1 = 3.
  EXPECT_EQ(windowOutputSize(6, 3, 2, 1, {0, 0}, /*ceilMode=*/false), 2);
  EXPECT_EQ(windowOutputSize(6, 3, 2, 1, {0, 0}, /*ceilMode=*/true), 3);
  // ONNX's averagepool_2d_ceil: 4x4, kernel 3, stride 2 -> 2x2.
  EXPECT_EQ(windowOutputSize(4, 3, 2, 1, {0, 0}, /*ceilMode=*/true), 2);
  EXPECT_EQ(windowOutputSize(4, 3, 2, 1, {0, 0}, /*ceilMode=*/false), 1);
  // When the sizes divide evenly, rounding up changes nothing.
  EXPECT_EQ(windowOutputSize(5, 3, 2, 1, {0, 0}, /*ceilMode=*/true), 2);
}

TEST(ShapeArithmetic, CeilModeDropsWindowStartingInPadding) {
  // 5 + 1 + 1 - 2 = 5: ceil(5 / 2) + 1 = 4, but the 4th window would start
  // at 6 = input + leading pad, inside the trailing padding: 3 (PyTorch).
  EXPECT_EQ(windowOutputSize(5, 2, 2, 1, {1, 1}, /*ceilMode=*/true), 3);
  // 112 + 1 + 1 - 3 = 111: ceil(111 / 2) + 1 = 57; the last window starts at
  // 112 < 113, so it stays.
  EXPECT_EQ(windowOutputSize(112, 3, 2, 1, {1, 1}, /*ceilMode=*/true), 57);
  EXPECT_EQ(windowOutputSize(112, 3, 2, 1, {1, 1}, /*ceilMode=*/false), 56);
}

TEST(ShapeArithmetic, TransposedConvolutionOutputSize) {
  // 2 * (3 - 1) + 1 + 3 = 8.
  EXPECT_EQ(transposedWindowOutputSize(3, 3, 2, 1, {0, 0}, 1), 8);
  // Stride 1 with "same" pads keeps the size: 2 + 3 - 2.
  EXPECT_EQ(transposedWindowOutputSize(3, 3, 1, 1, {1, 1}, 0), 3);
  // Dilation 2: 2 + 5.
  EXPECT_EQ(transposedWindowOutputSize(3, 3, 1, 2, {0, 0}, 0), 7);
  // DCGAN-style upsampling by 2: 2 * 7 + 4 - 2 = 16 - 2 = 14.
  EXPECT_EQ(transposedWindowOutputSize(7, 4, 2, 1, {1, 1}, 0), 14);
}

TEST(ShapeArithmetic, SameUpperAndLower) {
  // 5 / 2 -> 3 outputs need 2 * 2 + 3 = 7 elements: 2 of padding.
  EXPECT_EQ(samePadding(5, 3, 2, 1, SamePadding::Upper), (Padding{1, 1}));
  EXPECT_EQ(samePadding(5, 3, 2, 1, SamePadding::Lower), (Padding{1, 1}));
  // 4 / 2 -> 2 outputs need 2 + 3 = 5: one element, at the end for UPPER.
  EXPECT_EQ(samePadding(4, 3, 2, 1, SamePadding::Upper), (Padding{0, 1}));
  EXPECT_EQ(samePadding(4, 3, 2, 1, SamePadding::Lower), (Padding{1, 0}));
  // 224 / 2 -> 112 outputs need 111 * 2 + 7 = 229: 5 of padding.
  EXPECT_EQ(samePadding(224, 7, 2, 1, SamePadding::Upper), (Padding{2, 3}));
  EXPECT_EQ(samePadding(224, 7, 2, 1, SamePadding::Lower), (Padding{3, 2}));
  // Stride 1 keeps the size: a dilated 3-tap kernel spans 5, pads 2 + 2.
  EXPECT_EQ(samePadding(10, 3, 1, 2, SamePadding::Upper), (Padding{2, 2}));
  // A 1x1 kernel with stride 3 over 6 needs no padding (never negative).
  EXPECT_EQ(samePadding(6, 1, 3, 1, SamePadding::Upper), (Padding{0, 0}));
}

TEST(ShapeArithmetic, SamePaddingGivesCeilOfInputOverStride) {
  for (int64_t input : {1, 2, 7, 28, 224})
    for (int64_t kernel : {1, 2, 3, 5, 7})
      for (int64_t stride : {1, 2, 3})
        for (SamePadding mode : {SamePadding::Upper, SamePadding::Lower}) {
          Padding pads = samePadding(input, kernel, stride, 1, mode);
          EXPECT_EQ(windowOutputSize(input, kernel, stride, 1, pads),
                    (input + stride - 1) / stride)
              << input << " " << kernel << " " << stride;
        }
}

TEST(ShapeArithmetic, TransposedPadding) {
  // ONNX's convtranspose_autopad_same: 3 -> 6 with stride 2, kernel 3:
  // 2 * 2 + 3 - 6 = 1 element of padding, at the end for SAME_UPPER.
  EXPECT_EQ(transposedPadding(3, 3, 2, 1, 0, 6, SamePadding::Upper),
            (Padding{0, 1}));
  EXPECT_EQ(transposedPadding(3, 3, 2, 1, 0, 6, SamePadding::Lower),
            (Padding{1, 0}));
  // ONNX's convtranspose_output_shape: 3 -> 10 with stride 3 and
  // output_padding 1: 3 * 2 + 1 + 3 - 10 = 0.
  EXPECT_EQ(transposedPadding(3, 3, 3, 1, 1, 10, SamePadding::Upper),
            (Padding{0, 0}));
  // The pads reproduce the requested size.
  Padding pads = transposedPadding(5, 4, 2, 1, 0, 10, SamePadding::Upper);
  EXPECT_EQ(transposedWindowOutputSize(5, 4, 2, 1, pads, 0), 10);
}

TEST(ShapeArithmetic, SaturatesInsteadOfOverflowing) {
  constexpr int64_t max = std::numeric_limits<int64_t>::max();
  // Pads near INT64_MAX: the padded size does not fit in 64 bits.
  EXPECT_EQ(windowOutputSize(8, 3, 1, 1, Padding{max, max}), max);
  EXPECT_EQ(dilatedKernelSize(max, max), max);
  EXPECT_EQ(transposedWindowOutputSize(max, 3, max, 1, Padding{}, 0), max);
  EXPECT_EQ(transposedWindowOutputSize(2, 3, 1, 1, Padding{max, max}, 0),
            std::numeric_limits<int64_t>::min());
  // A window wider than any input yields no output, not a wrapped size.
  EXPECT_EQ(windowOutputSize(8, max, 1, 2, Padding{}), 0);
}

} // namespace
