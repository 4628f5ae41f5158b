//===- ConvolutionAlgorithmTest.cpp - Winograd's matrices, the cost model -===//

#include "cnnc/Kernels/ConvolutionAlgorithm.h"
#include "cnnc/Kernels/ConvolutionTiles.h"
#include "cnnc/Kernels/WinogradTransforms.h"

#include <gtest/gtest.h>

#include <random>

namespace {

using cnnc::AlgorithmChoice;
using cnnc::ConvolutionAlgorithm;
using cnnc::ConvolutionShape;

/// y = A^T [(G g) * (B^T d)] against the direct correlation
/// y[i] = sum_k d[i + k] g[k], for random d and g.
void expectMinimalFiltering(int64_t m) {
  const cnnc::WinogradTransform &t = cnnc::winogradTransform(m);
  ASSERT_EQ(t.alpha, m + t.r - 1);
  std::mt19937 random(static_cast<unsigned>(m));
  std::uniform_real_distribution<double> uniform(-1, 1);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<double> d(t.alpha), g(t.r);
    for (double &v : d)
      v = uniform(random);
    for (double &v : g)
      v = uniform(random);
    std::vector<double> product(t.alpha);
    for (int64_t x = 0; x < t.alpha; ++x) {
      double gg = 0, bd = 0;
      for (int64_t k = 0; k < t.r; ++k)
        gg += t.filterTransform[x * t.r + k] * g[k];
      for (int64_t k = 0; k < t.alpha; ++k)
        bd += t.inputTransform[x * t.alpha + k] * d[k];
      product[x] = gg * bd;
    }
    for (int64_t i = 0; i < m; ++i) {
      double y = 0, direct = 0;
      for (int64_t x = 0; x < t.alpha; ++x)
        y += t.outputTransform[i * t.alpha + x] * product[x];
      for (int64_t k = 0; k < t.r; ++k)
        direct += d[i + k] * g[k];
      EXPECT_NEAR(y, direct, 1e-12) << "F(" << m << ", 3), output " << i;
    }
  }
}

TEST(WinogradTransforms, F2x3IsTheCorrelation) { expectMinimalFiltering(2); }
TEST(WinogradTransforms, F4x3IsTheCorrelation) { expectMinimalFiltering(4); }

TEST(WinogradTransforms, FilterTransformIsGgGt) {
  // One (input, output) channel pair, g = the 3x3 identity pattern: the
  // transformed filter is G g G^T, element by element.
  const cnnc::WinogradTransform &t = cnnc::winogradTransform(2);
  std::vector<float> filter(9, 0.0f);
  filter[0] = filter[4] = filter[8] = 1.0f; // [3, 3, 1, 1]
  std::vector<float> u = cnnc::transformWinogradFilter(t, filter, 1, 1);
  ASSERT_EQ(u.size(), 16u);
  for (int64_t x = 0; x < 4; ++x)
    for (int64_t y = 0; y < 4; ++y) {
      double expected = 0;
      for (int64_t k = 0; k < 3; ++k)
        expected += t.filterTransform[x * 3 + k] * t.filterTransform[y * 3 + k];
      EXPECT_NEAR(u[x * 4 + y], expected, 1e-6);
    }
}

TEST(WinogradTransforms, FilterLayoutIsPositionsThenChannels) {
  // [3, 3, C=2, F=3] with only pair (c=1, f=2) nonzero lands at
  // [p, 1, 2] of [16, 2, 3].
  const cnnc::WinogradTransform &t = cnnc::winogradTransform(2);
  std::vector<float> filter(9 * 6, 0.0f);
  for (int64_t tap = 0; tap < 9; ++tap)
    filter[tap * 6 + 1 * 3 + 2] = 1.0f;
  std::vector<float> u = cnnc::transformWinogradFilter(t, filter, 2, 3);
  for (int64_t p = 0; p < 16; ++p)
    for (int64_t pair = 0; pair < 6; ++pair)
      if (pair != 5)
        EXPECT_EQ(u[p * 6 + pair], 0.0f);
  EXPECT_NE(u[0 * 6 + 5], 0.0f);
}

ConvolutionShape conv(int64_t channels, int64_t size, int64_t kernel,
                      int64_t stride, int64_t inputChannels = -1) {
  ConvolutionShape shape{1,
                         size,
                         size,
                         inputChannels < 0 ? channels : inputChannels,
                         channels,
                         kernel,
                         kernel,
                         stride,
                         stride,
                         1,
                         1,
                         false,
                         true};
  return shape;
}

// The spellings of --conv-algorithm and the algorithm names the report
// prints are one set: every forced choice is spelled as its algorithm.
TEST(ConvolutionAlgorithm, ChoicesSpellTheirAlgorithms) {
  llvm::cl::opt<AlgorithmChoice> option("conv-algorithm-under-test",
                                        CNNC_ALGORITHM_CHOICE_VALUES,
                                        llvm::cl::ReallyHidden);
  auto &parser = option.getParser();
  ASSERT_EQ(parser.getNumOptions(), 5u);
  for (unsigned i = 0; i < parser.getNumOptions(); ++i) {
    AlgorithmChoice choice =
        static_cast<const llvm::cl::OptionValue<AlgorithmChoice> &>(
            parser.getOptionValue(i))
            .getValue();
    std::optional<ConvolutionAlgorithm> forced = cnnc::forcedAlgorithm(choice);
    if (!forced) {
      EXPECT_EQ(parser.getOption(i), llvm::StringRef("auto"));
      continue;
    }
    EXPECT_EQ(parser.getOption(i), cnnc::stringifyConvolutionAlgorithm(*forced));
  }
}

TEST(ConvolutionAlgorithm, WinogradOnlyForUnitStride3x3WithKnownWeights) {
  for (unsigned bits : {256u, 512u}) {
    EXPECT_TRUE(cnnc::isApplicable(ConvolutionAlgorithm::Winograd4,
                                   conv(64, 56, 3, 1), bits));
    EXPECT_FALSE(cnnc::isApplicable(ConvolutionAlgorithm::Winograd4,
                                    conv(64, 56, 3, 2), bits));
    EXPECT_FALSE(cnnc::isApplicable(ConvolutionAlgorithm::Winograd2,
                                    conv(64, 56, 1, 1), bits));
    ConvolutionShape dilated = conv(64, 56, 3, 1);
    dilated.dilationH = 2;
    EXPECT_FALSE(
        cnnc::isApplicable(ConvolutionAlgorithm::Winograd2, dilated, bits));
    ConvolutionShape trained = conv(64, 56, 3, 1);
    trained.constantWeights = false;
    EXPECT_FALSE(
        cnnc::isApplicable(ConvolutionAlgorithm::Winograd2, trained, bits));
    ConvolutionShape grouped = conv(64, 56, 3, 1);
    grouped.grouped = true;
    EXPECT_FALSE(
        cnnc::isApplicable(ConvolutionAlgorithm::Winograd2, grouped, bits));
    EXPECT_FALSE(
        cnnc::isApplicable(ConvolutionAlgorithm::Im2col, grouped, bits));
    // Three input channels: no vector of 4 lanes divides them.
    EXPECT_FALSE(cnnc::isApplicable(ConvolutionAlgorithm::Winograd2,
                                    conv(64, 56, 3, 1, 3), bits));
  }
  EXPECT_FALSE(cnnc::isApplicable(ConvolutionAlgorithm::Winograd2,
                                  conv(64, 56, 3, 1), 0));
}

TEST(ConvolutionAlgorithm, ResNetChoices) {
  // What the model picks for ResNet-50's layers at batch 1 (measured
  // fastest on the benchmark machine, README): F(4x4) for 64 and 128
  // channels at 56 and 28, F(2x2) where 512 channels make F(4x4)'s
  // transformed weights (36 x 512 x 512 floats) the cost, direct for
  // 1x1 convolutions, for strided ones but the last stage's, and for the
  // 3-channel 7x7 stem.
  for (unsigned bits : {256u, 512u}) {
    EXPECT_EQ(cnnc::chooseConvolutionAlgorithm(conv(64, 56, 3, 1), bits),
              ConvolutionAlgorithm::Winograd4);
    EXPECT_EQ(cnnc::chooseConvolutionAlgorithm(conv(128, 28, 3, 1), bits),
              ConvolutionAlgorithm::Winograd4);
    EXPECT_EQ(cnnc::chooseConvolutionAlgorithm(conv(512, 7, 3, 1), bits),
              ConvolutionAlgorithm::Winograd2);
    EXPECT_EQ(cnnc::chooseConvolutionAlgorithm(conv(128, 28, 3, 2), bits),
              ConvolutionAlgorithm::Direct);
    EXPECT_EQ(cnnc::chooseConvolutionAlgorithm(conv(256, 14, 1, 1, 1024), bits),
              ConvolutionAlgorithm::Direct);
    EXPECT_EQ(cnnc::chooseConvolutionAlgorithm(conv(64, 112, 7, 2, 3), bits),
              ConvolutionAlgorithm::Direct);
    // Strided 3x3 with a 7x7 output: im2col's 1x1 convolution runs over
    // all 49 pixels, the direct tile over rows of 7 (measured 2.0 against
    // 2.4 ms).
    EXPECT_EQ(cnnc::chooseConvolutionAlgorithm(conv(512, 7, 3, 2), bits),
              ConvolutionAlgorithm::Im2col);
  }
}

TEST(ConvolutionAlgorithm, ForcedWhereItApplies) {
  EXPECT_EQ(cnnc::chooseConvolutionAlgorithm(conv(64, 56, 3, 1), 512,
                                             ConvolutionAlgorithm::Im2col),
            ConvolutionAlgorithm::Im2col);
  // Winograd cannot take a strided convolution: the model's choice.
  EXPECT_EQ(cnnc::chooseConvolutionAlgorithm(conv(64, 56, 3, 2), 512,
                                             ConvolutionAlgorithm::Winograd4),
            ConvolutionAlgorithm::Direct);
}

TEST(ConvolutionAlgorithm, CostsArePositiveAndWinogradCheaperInFlops) {
  ConvolutionShape shape = conv(128, 28, 3, 1);
  std::optional<double> direct =
      cnnc::estimateCost(ConvolutionAlgorithm::Direct, shape, 512);
  std::optional<double> f4 =
      cnnc::estimateCost(ConvolutionAlgorithm::Winograd4, shape, 512);
  ASSERT_TRUE(direct && f4);
  EXPECT_GT(*f4, 0);
  EXPECT_LT(*f4, *direct);
  EXPECT_FALSE(cnnc::estimateCost(ConvolutionAlgorithm::Winograd4,
                                  conv(128, 28, 3, 2), 512));
}

TEST(ConvolutionTiles, RegisterBudgetWithASpare) {
  // AVX2: 16 registers, so at most 13 accumulators with one weight
  // vector; 6 pixels x 2 vectors (12 FMAs for 8 loads) beats 13 x 1.
  std::optional<cnnc::ConvolutionTile> tile =
      cnnc::chooseConvolutionTile(48, 64, 256);
  ASSERT_TRUE(tile);
  EXPECT_EQ(tile->lanes, 8);
  EXPECT_LE(tile->rows * tile->vectors + tile->vectors + 2, 16);
  EXPECT_EQ(tile->rows, 6);
  EXPECT_EQ(tile->vectors, 2);
  // AVX-512: 32 registers, 14 pixels x 2 vectors.
  tile = cnnc::chooseConvolutionTile(56, 64, 512);
  ASSERT_TRUE(tile);
  EXPECT_EQ(tile->lanes, 16);
  EXPECT_LE(tile->rows * tile->vectors + tile->vectors + 2, 32);
}

TEST(ConvolutionTiles, DepthwiseColumnsAreLoadedOnce) {
  // 6 pixels through 3 kernel columns: columns 0..7 with unit stride,
  // 0..12 with stride 2 (every column: the windows overlap), and with
  // dilation 2 and stride 1 columns 0..9.
  EXPECT_EQ(cnnc::distinctDepthwiseColumns(6, 3, 1, 1), 8);
  EXPECT_EQ(cnnc::distinctDepthwiseColumns(6, 3, 2, 1), 13);
  EXPECT_EQ(cnnc::distinctDepthwiseColumns(6, 3, 1, 2), 10);
  // Stride 3 with a 1-wide kernel: no column shared.
  EXPECT_EQ(cnnc::distinctDepthwiseColumns(4, 1, 3, 1), 4);
}

TEST(ConvolutionTiles, DepthwiseTileKeepsTheRowsWeightsInRegisters) {
  // AVX2: 16 registers hold the accumulators, a kernel row's 3 weight
  // vectors per channel vector, an input vector and a spare.
  for (int64_t width : {7, 14, 28, 56, 112}) {
    std::optional<cnnc::ConvolutionTile> tile =
        cnnc::chooseDepthwiseTile(width, 144, 3, 1, 1, 256);
    ASSERT_TRUE(tile) << width;
    EXPECT_EQ(tile->lanes, 8);
    EXPECT_LE(tile->rows * tile->vectors + 3 * tile->vectors + 2, 16)
        << width;
    // Enough accumulators to cover the FMA latency on long rows.
    if (width >= 28)
      EXPECT_GE(tile->rows * tile->vectors, 8) << width;
  }
  std::optional<cnnc::ConvolutionTile> tile =
      cnnc::chooseDepthwiseTile(56, 96, 3, 2, 1, 512);
  ASSERT_TRUE(tile);
  EXPECT_LE(tile->rows * tile->vectors + 3 * tile->vectors + 2, 32);
}

TEST(ConvolutionTiles, FewOddChannelsTakeOneMaskedVector) {
  // No vector of 4 lanes divides 6 or 10 channels. 6 fit one 8-lane vector
  // (AVX2 and AVX-512 alike), 10 a 16-lane one (AVX-512 only), masked.
  for (unsigned bits : {256u, 512u}) {
    std::optional<cnnc::ConvolutionTile> tile =
        cnnc::chooseConvolutionTile(28, 6, bits);
    ASSERT_TRUE(tile) << bits;
    EXPECT_TRUE(tile->masked);
    EXPECT_EQ(tile->lanes, 8);
    EXPECT_EQ(tile->vectors, 1);
  }
  std::optional<cnnc::ConvolutionTile> tile =
      cnnc::chooseConvolutionTile(56, 10, 512);
  ASSERT_TRUE(tile);
  EXPECT_TRUE(tile->masked);
  EXPECT_EQ(tile->lanes, 16);
  EXPECT_FALSE(cnnc::chooseConvolutionTile(56, 10, 256));
  // 3 channels: a 4-lane vector; 12 channels are whole 4-lane vectors.
  tile = cnnc::chooseConvolutionTile(56, 3, 256);
  ASSERT_TRUE(tile);
  EXPECT_EQ(tile->lanes, 4);
  EXPECT_TRUE(tile->masked);
  tile = cnnc::chooseConvolutionTile(56, 12, 256);
  ASSERT_TRUE(tile);
  EXPECT_FALSE(tile->masked);
  EXPECT_EQ(tile->lanes, 4);
}

TEST(ConvolutionTiles, PrefersATileThatDividesTheRow) {
  // 8 pixels with AVX2's two-vector tile: 4 + 4 rather than 6 + 2 (the
  // same accumulators on average, no remainder tile).
  std::optional<cnnc::ConvolutionTile> tile =
      cnnc::chooseConvolutionTile(8, 32, 256);
  ASSERT_TRUE(tile);
  EXPECT_EQ(8 % tile->rows, 0);
}

} // namespace
