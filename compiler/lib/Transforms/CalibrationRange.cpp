//===- CalibrationRange.cpp - An activation's range from its samples ------===//

#include "cnnc/Transforms/CalibrationRange.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cnnc {

void RangeObserver::observeRange(const float *values, int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    float value = values[i];
    if (!std::isfinite(value)) {
      isFinite = false;
      continue;
    }
    low = std::min(low, value);
    high = std::max(high, value);
  }
}

double RangeObserver::binWidth() const {
  double top = std::max(std::fabs(static_cast<double>(low)),
                        std::fabs(static_cast<double>(high)));
  return std::isfinite(top) ? top / kBins : 0.0;
}

void RangeObserver::observeHistogram(const float *values, int64_t count) {
  if (histogram.empty())
    histogram.assign(kBins, 0.0);
  double width = binWidth();
  for (int64_t i = 0; i < count; ++i) {
    double magnitude = std::fabs(static_cast<double>(values[i]));
    // Zeros are exact in every range (the zero point stands for them):
    // counted, a relu's spike of zeros would pull the threshold down.
    if (!std::isfinite(magnitude) || magnitude == 0)
      continue;
    int64_t bin = width > 0 ? static_cast<int64_t>(magnitude / width) : 0;
    histogram[std::min<int64_t>(bin, kBins - 1)] += 1;
  }
}

TensorRange RangeObserver::clipped(double threshold) const {
  auto t = static_cast<float>(threshold);
  return {std::max(low, -t), std::min(high, t)};
}

double RangeObserver::percentileThreshold(double percentile) const {
  double total = 0;
  for (double count : histogram)
    total += count;
  if (total == 0)
    return 0;
  double wanted = total * percentile / 100.0, seen = 0;
  for (int64_t bin = 0; bin < kBins; ++bin) {
    seen += histogram[bin];
    if (seen >= wanted)
      return (bin + 1) * binWidth();
  }
  return kBins * binWidth();
}

double RangeObserver::entropyThreshold() const {
  // |x| takes 128 steps of a symmetric range, 256 of a non-negative one.
  const int64_t levels = low >= 0 ? 256 : 128;
  if (histogram.empty())
    return 0;
  std::vector<double> p(kBins), q(kBins);
  double bestDivergence = std::numeric_limits<double>::infinity();
  int64_t bestBins = kBins;
  double beyond = 0;
  for (int64_t bin = levels; bin < kBins; ++bin)
    beyond += histogram[bin];
  for (int64_t bins = levels; bins <= kBins; ++bins) {
    // P: the histogram clipped at `bins`, the values beyond in its last bin.
    std::copy(histogram.begin(), histogram.begin() + bins, p.begin());
    p[bins - 1] += beyond;
    if (bins < kBins)
      beyond -= histogram[bins];
    // Q: the clipped histogram at `levels` steps, each step's count spread
    // over the bins of it that held values.
    for (int64_t level = 0; level < levels; ++level) {
      int64_t first = level * bins / levels;
      int64_t last = (level + 1) * bins / levels;
      double sum = 0;
      int64_t used = 0;
      for (int64_t bin = first; bin < last; ++bin) {
        sum += histogram[bin];
        used += p[bin] > 0;
      }
      for (int64_t bin = first; bin < last; ++bin)
        q[bin] = p[bin] > 0 ? sum / used : 0;
    }
    double pTotal = 0, qTotal = 0;
    for (int64_t bin = 0; bin < bins; ++bin) {
      pTotal += p[bin];
      qTotal += q[bin];
    }
    if (pTotal == 0 || qTotal == 0)
      continue;
    double divergence = 0;
    for (int64_t bin = 0; bin < bins; ++bin) {
      if (p[bin] == 0)
        continue;
      double pp = p[bin] / pTotal;
      // A bin Q leaves empty that P fills (the outliers' bin): a small
      // probability, not an infinite divergence.
      double qq = std::max(q[bin] / qTotal, 1e-12);
      divergence += pp * std::log(pp / qq);
    }
    if (divergence < bestDivergence) {
      bestDivergence = divergence;
      bestBins = bins;
    }
  }
  return bestBins * binWidth();
}

TensorRange RangeObserver::range(CalibrationMethod method,
                                 double percentile) const {
  switch (method) {
  case CalibrationMethod::MinMax:
    break;
  case CalibrationMethod::Percentile:
    return clipped(percentileThreshold(percentile));
  case CalibrationMethod::Entropy:
    return clipped(entropyThreshold());
  }
  return extremes();
}

} // namespace cnnc
