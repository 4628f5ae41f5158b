//===- TrainingHelpersTest.cpp - Batches, schedules and metrics -----------===//

#include "cnnc/runtime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace {

TEST(RuntimeTraining, BatchNormalizesFlipsAndPicks) {
  // Two 2x3 images: 0..5 and 250..255.
  std::vector<uint8_t> pixels{0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255};
  std::vector<uint8_t> classes{7, 3};
  cnnc_idx images{3, {2, 2, 3, 0}, pixels.data(), pixels.size()};
  cnnc_idx labels{1, {2, 0, 0, 0}, classes.data(), classes.size()};
  int64_t indices[2] = {1, 0};
  uint8_t flip = 0x2; // the second image of the batch
  float out[12];
  int32_t outLabels[2];
  ASSERT_EQ(cnnc_idx_batch(&images, &labels, indices, 2, 0.5f, 0.25f, &flip,
                           out, outLabels),
            0)
      << cnnc_last_error();
  EXPECT_EQ(outLabels[0], 3);
  EXPECT_EQ(outLabels[1], 7);
  EXPECT_FLOAT_EQ(out[0], (250.0f / 255.0f - 0.5f) / 0.25f);
  EXPECT_FLOAT_EQ(out[5], (255.0f / 255.0f - 0.5f) / 0.25f);
  // Image 0 mirrored: row 0 is 2, 1, 0.
  EXPECT_FLOAT_EQ(out[6], (2.0f / 255.0f - 0.5f) / 0.25f);
  EXPECT_FLOAT_EQ(out[8], (0.0f - 0.5f) / 0.25f);
  EXPECT_FLOAT_EQ(out[9], (5.0f / 255.0f - 0.5f) / 0.25f);

  int64_t outside[1] = {2};
  EXPECT_NE(cnnc_idx_batch(&images, &labels, outside, 1, 0.0f, 1.0f, nullptr,
                           out, outLabels),
            0);
  EXPECT_NE(std::string(cnnc_last_error()).find("index 2"), std::string::npos);
}

TEST(RuntimeTraining, SchedulesFollowPyTorch) {
  cnnc_schedule cosine{CNNC_SCHEDULE_COSINE, 0.1, 100, 0, 0.0, 0};
  EXPECT_DOUBLE_EQ(cnnc_learning_rate(&cosine, 0), 0.1);
  EXPECT_NEAR(cnnc_learning_rate(&cosine, 50), 0.05, 1e-12);
  EXPECT_NEAR(cnnc_learning_rate(&cosine, 25), 0.05 * (1 + std::cos(M_PI / 4)),
              1e-12);
  EXPECT_NEAR(cnnc_learning_rate(&cosine, 100), 0.0, 1e-12);
  cnnc_schedule step{CNNC_SCHEDULE_STEP, 1.0, 100, 30, 0.1, 0};
  EXPECT_DOUBLE_EQ(cnnc_learning_rate(&step, 29), 1.0);
  EXPECT_NEAR(cnnc_learning_rate(&step, 30), 0.1, 1e-12);
  EXPECT_NEAR(cnnc_learning_rate(&step, 61), 0.01, 1e-12);
  cnnc_schedule warm{CNNC_SCHEDULE_NONE, 0.4, 100, 0, 0.0, 4};
  EXPECT_DOUBLE_EQ(cnnc_learning_rate(&warm, 0), 0.1);
  EXPECT_DOUBLE_EQ(cnnc_learning_rate(&warm, 3), 0.4);
  EXPECT_DOUBLE_EQ(cnnc_learning_rate(&warm, 10), 0.4);
}

TEST(RuntimeTraining, MacroMetricsFromConfusion) {
  // 3 classes; class 2 is never predicted.
  const int64_t confusion[9] = {5, 1, 0, //
                                2, 4, 0, //
                                1, 1, 0};
  cnnc_metrics m = cnnc_classification_metrics(confusion, 3);
  EXPECT_NEAR(m.accuracy, 9.0 / 14.0, 1e-12);
  double p0 = 5.0 / 8, p1 = 4.0 / 6, r0 = 5.0 / 6, r1 = 4.0 / 6;
  EXPECT_NEAR(m.precision, (p0 + p1 + 0) / 3, 1e-12);
  EXPECT_NEAR(m.recall, (r0 + r1 + 0) / 3, 1e-12);
  double f0 = 2 * p0 * r0 / (p0 + r0), f1 = 2 * p1 * r1 / (p1 + r1);
  EXPECT_NEAR(m.f1, (f0 + f1) / 3, 1e-12);
}

TEST(RuntimeTraining, WeightInitializationsHaveTheirScale) {
  // A conv weight [64, 32, 3, 3]: fan_in 288, fan_out 576.
  const int64_t shape[4] = {64, 32, 3, 3};
  std::vector<float> w(64 * 32 * 9);
  ASSERT_EQ(cnnc_init_weight(w.data(), 4, shape, CNNC_INIT_KAIMING, 1), 0);
  double sum = 0, squares = 0;
  for (float v : w) {
    sum += v;
    squares += double(v) * v;
  }
  double mean = sum / w.size(),
         std = std::sqrt(squares / w.size() - mean * mean);
  EXPECT_NEAR(mean, 0.0, 0.005);
  EXPECT_NEAR(std, std::sqrt(2.0 / 288), 0.003);
  ASSERT_EQ(cnnc_init_weight(w.data(), 4, shape, CNNC_INIT_XAVIER, 1), 0);
  double bound = std::sqrt(6.0 / (288 + 576));
  float largest = 0;
  for (float v : w)
    largest = std::max(largest, std::fabs(v));
  EXPECT_LE(largest, bound);
  EXPECT_GT(largest, 0.95 * bound);
  // The same seed, the same values; a bias is refused.
  std::vector<float> again(w.size());
  cnnc_init_weight(again.data(), 4, shape, CNNC_INIT_XAVIER, 1);
  EXPECT_EQ(w, again);
  EXPECT_NE(cnnc_init_weight(w.data(), 1, shape, CNNC_INIT_XAVIER, 1), 0);
}

TEST(RuntimeTraining, ArgmaxTakesTheFirstOfTies) {
  const float logits[4] = {0.5f, 2.0f, -1.0f, 2.0f};
  EXPECT_EQ(cnnc_argmax(logits, 4), 1);
}

} // namespace
