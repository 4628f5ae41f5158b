//===- CalibrationRange.h - An activation's range ----------*- C++ -*-===//
//
// How `cnnc compile --quantize=int8 --calibration-method=...` turns the
// values an activation took on the calibration samples into the range its
// uint8 parameters cover:
//   minmax      the smallest and largest value seen;
//   percentile  the range clipped at the P-th percentile of |x| (outliers
//               saturate so that the common values get finer steps);
//   entropy     the clipping threshold of least information loss: the KL
//               divergence between the histogram of |x| and its quantized
//               form, minimized over thresholds (the method TensorRT
//               describes in "8-bit Inference with TensorRT", 2017).
// Histograms need the extremes first, so a histogram method observes the
// samples twice: observeRange on every sample, then observeHistogram.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TRANSFORMS_CALIBRATIONRANGE_H
#define CNNC_TRANSFORMS_CALIBRATIONRANGE_H

#include "cnnc/Transforms/QuantizeGraph.h"

#include <cstdint>
#include <vector>

namespace cnnc {

enum class CalibrationMethod { MinMax, Percentile, Entropy };

/// Whether `method` needs the second pass (observeHistogram).
inline bool needsHistogram(CalibrationMethod method) {
  return method != CalibrationMethod::MinMax;
}

class RangeObserver {
public:
  /// The histogram's bins over [0, max |x|] (TensorRT's 2048).
  static constexpr int64_t kBins = 2048;

  /// First pass: the extremes.
  void observeRange(const float *values, int64_t count);
  /// Second pass: the histogram of |x| over [0, max |x|] (the extremes
  /// seen by the first pass), zeros left out (every range holds them
  /// exactly).
  void observeHistogram(const float *values, int64_t count);

  /// Whether every value seen was finite.
  bool finite() const { return isFinite; }
  /// The extremes seen ({+inf, -inf} before any value).
  TensorRange extremes() const { return {low, high}; }

  /// The range `method` chooses; `percentile` in (0, 100] for
  /// CalibrationMethod::Percentile.
  TensorRange range(CalibrationMethod method, double percentile) const;

  /// The threshold on |x| that `method` chooses from the histogram.
  double percentileThreshold(double percentile) const;
  double entropyThreshold() const;

private:
  /// The width of one histogram bin.
  double binWidth() const;
  /// Clips the extremes to [-threshold, threshold].
  TensorRange clipped(double threshold) const;

  float low = __builtin_inff(), high = -__builtin_inff();
  bool isFinite = true;
  std::vector<double> histogram;
};

} // namespace cnnc

#endif // CNNC_TRANSFORMS_CALIBRATIONRANGE_H
