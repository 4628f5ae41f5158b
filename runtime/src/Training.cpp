//===- Training.cpp - Batches, learning-rate schedules, metrics -----------===//
//
// What a training loop around a compiled NAME_train_step needs besides the
// model: `cnnc train` and C programs share these.
//
//===----------------------------------------------------------------------===//

#include "cnnc/runtime.h"

#include <cmath>
#include <cstring>
#include <random>

int cnnc_idx_batch(const cnnc_idx *images, const cnnc_idx *labels,
                   const int64_t *indices, int64_t count, float mean, float std,
                   const uint8_t *flip_mask, float *out_images,
                   int32_t *out_labels) {
  if (!images || !labels || !indices || !out_images || !out_labels) {
    cnnc_set_error("cnnc_idx_batch: a NULL argument");
    return CNNC_ERROR_INVALID_ARGUMENT;
  }
  if (images->rank != 3 || labels->rank != 1 ||
      images->dims[0] != labels->dims[0]) {
    cnnc_set_error("cnnc_idx_batch: expected images [N, H, W] and labels [N] "
                   "of one N");
    return CNNC_ERROR_INVALID_ARGUMENT;
  }
  if (!(std > 0.0f)) {
    cnnc_set_error("cnnc_idx_batch: the standard deviation must be positive");
    return CNNC_ERROR_INVALID_ARGUMENT;
  }
  const int64_t height = images->dims[1], width = images->dims[2];
  const int64_t pixels = height * width;
  const float scale = 1.0f / (255.0f * std), shift = mean / std;
  for (int64_t i = 0; i < count; ++i) {
    int64_t index = indices[i];
    if (index < 0 || index >= images->dims[0]) {
      cnnc_set_error("cnnc_idx_batch: index %lld is outside the %lld items",
                     static_cast<long long>(index),
                     static_cast<long long>(images->dims[0]));
      return CNNC_ERROR_INVALID_ARGUMENT;
    }
    const uint8_t *source = images->data + index * pixels;
    float *target = out_images + i * pixels;
    bool flip = flip_mask && (flip_mask[i / 8] >> (i % 8) & 1);
    for (int64_t y = 0; y < height; ++y)
      for (int64_t x = 0; x < width; ++x) {
        int64_t from = y * width + (flip ? width - 1 - x : x);
        target[y * width + x] = source[from] * scale - shift;
      }
    out_labels[i] = labels->data[index];
  }
  return CNNC_OK;
}

double cnnc_learning_rate(const cnnc_schedule *schedule, int64_t step) {
  if (!schedule)
    return 0.0;
  double rate = schedule->base;
  switch (schedule->kind) {
  case CNNC_SCHEDULE_COSINE:
    if (schedule->total_steps > 0)
      rate *=
          0.5 * (1.0 + std::cos(M_PI * static_cast<double>(step) /
                                static_cast<double>(schedule->total_steps)));
    break;
  case CNNC_SCHEDULE_STEP:
    if (schedule->step_size > 0)
      rate *= std::pow(schedule->gamma,
                       static_cast<double>(step / schedule->step_size));
    break;
  case CNNC_SCHEDULE_NONE:
    break;
  }
  if (schedule->warmup_steps > 0 && step < schedule->warmup_steps)
    rate *= static_cast<double>(step + 1) /
            static_cast<double>(schedule->warmup_steps);
  return rate;
}

cnnc_metrics cnnc_classification_metrics(const int64_t *confusion,
                                         int classes) {
  cnnc_metrics metrics{0, 0, 0, 0};
  if (!confusion || classes <= 0)
    return metrics;
  int64_t total = 0, correct = 0;
  for (int t = 0; t < classes; ++t)
    for (int p = 0; p < classes; ++p) {
      total += confusion[t * classes + p];
      if (t == p)
        correct += confusion[t * classes + p];
    }
  for (int c = 0; c < classes; ++c) {
    int64_t predicted = 0, actual = 0;
    for (int k = 0; k < classes; ++k) {
      predicted += confusion[k * classes + c];
      actual += confusion[c * classes + k];
    }
    double hit = static_cast<double>(confusion[c * classes + c]);
    double precision = predicted ? hit / predicted : 0.0;
    double recall = actual ? hit / actual : 0.0;
    double f1 = precision + recall > 0
                    ? 2 * precision * recall / (precision + recall)
                    : 0.0;
    metrics.precision += precision / classes;
    metrics.recall += recall / classes;
    metrics.f1 += f1 / classes;
  }
  metrics.accuracy = total ? static_cast<double>(correct) / total : 0.0;
  return metrics;
}

int cnnc_init_weight(float *data, int rank, const int64_t *shape,
                     cnnc_init_kind kind, uint64_t seed) {
  if (!data || !shape || rank < 2) {
    cnnc_set_error("cnnc_init_weight: expected a weight of rank 2 or more");
    return CNNC_ERROR_INVALID_ARGUMENT;
  }
  int64_t receptive = 1;
  for (int d = 2; d < rank; ++d)
    receptive *= shape[d];
  double fanIn = static_cast<double>(shape[1] * receptive);
  double fanOut = static_cast<double>(shape[0] * receptive);
  int64_t count = shape[0] * shape[1] * receptive;
  std::mt19937_64 random(seed);
  if (kind == CNNC_INIT_KAIMING) {
    std::normal_distribution<double> normal(0.0, std::sqrt(2.0 / fanIn));
    for (int64_t i = 0; i < count; ++i)
      data[i] = static_cast<float>(normal(random));
    return CNNC_OK;
  }
  if (kind == CNNC_INIT_XAVIER) {
    double bound = std::sqrt(6.0 / (fanIn + fanOut));
    std::uniform_real_distribution<double> uniform(-bound, bound);
    for (int64_t i = 0; i < count; ++i)
      data[i] = static_cast<float>(uniform(random));
    return CNNC_OK;
  }
  cnnc_set_error("cnnc_init_weight: unknown initialization %d",
                 static_cast<int>(kind));
  return CNNC_ERROR_INVALID_ARGUMENT;
}

int cnnc_argmax(const float *logits, int count) {
  int best = 0;
  for (int i = 1; i < count; ++i)
    if (logits[i] > logits[best])
      best = i;
  return best;
}
