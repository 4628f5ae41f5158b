//===- CalibrationRangeTest.cpp - Ranges from calibration samples ---------===//

#include "cnnc/Transforms/CalibrationRange.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace cnnc;

namespace {

RangeObserver observe(const std::vector<float> &values) {
  RangeObserver observer;
  observer.observeRange(values.data(), values.size());
  observer.observeHistogram(values.data(), values.size());
  return observer;
}

/// A bell of N(0, 1) samples and one outlier at 100.
std::vector<float> bellWithOutlier(bool nonNegative) {
  std::mt19937 random(7);
  std::normal_distribution<float> normal;
  std::vector<float> values;
  for (int i = 0; i < 100000; ++i) {
    float value = normal(random);
    values.push_back(nonNegative ? std::fabs(value) : value);
  }
  values.push_back(100.0f);
  return values;
}

TEST(CalibrationRangeTest, MinMaxIsTheExtremes) {
  RangeObserver observer = observe({-3.0f, 0.5f, 2.0f});
  TensorRange range = observer.range(CalibrationMethod::MinMax, 99.99);
  EXPECT_EQ(range.min, -3.0f);
  EXPECT_EQ(range.max, 2.0f);
}

TEST(CalibrationRangeTest, NonFiniteValuesAreSeen) {
  RangeObserver observer;
  std::vector<float> values{1.0f, NAN, 2.0f};
  observer.observeRange(values.data(), values.size());
  EXPECT_FALSE(observer.finite());
  EXPECT_EQ(observer.extremes().max, 2.0f);
}

TEST(CalibrationRangeTest, PercentileClipsTheOutlier) {
  RangeObserver observer = observe(bellWithOutlier(false));
  TensorRange range = observer.range(CalibrationMethod::Percentile, 99.9);
  // 99.9% of |x| of a standard normal lies below 3.29; the histogram's
  // bins are 100 / 2048 wide.
  EXPECT_NEAR(range.max, 3.29, 0.1);
  EXPECT_NEAR(range.min, -3.29, 0.1);
  // At 100 nothing is clipped.
  EXPECT_EQ(observer.range(CalibrationMethod::Percentile, 100).max, 100.0f);
}

TEST(CalibrationRangeTest, EntropyClipsTheOutlierNotTheBell) {
  for (bool nonNegative : {false, true}) {
    RangeObserver observer = observe(bellWithOutlier(nonNegative));
    TensorRange range = observer.range(CalibrationMethod::Entropy, 0);
    // The threshold lies in the bell's tail: well above one standard
    // deviation, far below the outlier.
    EXPECT_GT(range.max, 2.0f) << nonNegative;
    EXPECT_LT(range.max, 20.0f) << nonNegative;
    EXPECT_EQ(range.min, std::max(observer.extremes().min, -range.max));
  }
}

TEST(CalibrationRangeTest, EntropyKeepsAUniformRange) {
  std::vector<float> values;
  for (int i = 0; i <= 10000; ++i)
    values.push_back(i / 10000.0f);
  RangeObserver observer = observe(values);
  // Clipping a uniform distribution only loses information.
  EXPECT_NEAR(observer.range(CalibrationMethod::Entropy, 0).max, 1.0, 0.01);
}

TEST(CalibrationRangeTest, AllZerosGiveAnEmptyRange) {
  RangeObserver observer = observe(std::vector<float>(64, 0.0f));
  for (CalibrationMethod method :
       {CalibrationMethod::MinMax, CalibrationMethod::Percentile,
        CalibrationMethod::Entropy}) {
    TensorRange range = observer.range(method, 99.99);
    EXPECT_EQ(range.min, 0.0f);
    EXPECT_EQ(range.max, 0.0f);
  }
}

} // namespace
