//===- Train.h - cnnc train -------------------------------------*- C++ -*-===//
//
// Trains an image classifier on Fashion-MNIST with no Python: the model is
// compiled with its train step (cnnc-generate-train-step), linked into this
// process, and driven batch by batch; each epoch is scored on the test set
// with the compiled evaluation, and the trained model is written back as an
// inference ONNX model.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TOOLS_CNNC_TRAIN_H
#define CNNC_TOOLS_CNNC_TRAIN_H

#include "LoadModel.h"

#include "cnnc/CodeGen/CodeGen.h"
#include "cnnc/Pipelines/Pipelines.h"

#include <cstdint>
#include <optional>
#include <string>

namespace cnnc {

struct TrainOptions {
  std::string model;
  /// "fashion-mnist" or "fashion-mnist:DIR".
  std::string data;
  /// The trained ONNX model; empty: not written.
  std::string output;
  int64_t epochs = 1;
  int64_t batch = 64;
  cnn::OptimizerKind optimizer = cnn::OptimizerKind::SGD;
  /// Unset / negative: the model's own (a .cnn file's `loss`), else
  /// cross_entropy without smoothing.
  std::optional<cnn::LossKind> loss;
  double labelSmoothing = -1.0;
  double learningRate = 0.05;
  double momentum = 0.9;
  double weightDecay = 0.0;
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  /// none, cosine or step.
  std::string schedule = "cosine";
  int64_t stepEpochs = 0; // step: decay every this many epochs (0: epochs/3)
  double stepGamma = 0.1;
  int64_t warmupSteps = 0;
  /// model (the model's initializers), kaiming or xavier (weights of rank
  /// 2 and more drawn again from the seed).
  std::string init = "model";
  bool flip = false;
  uint64_t seed = 0;
  /// Use only the first N training / test images (0: all).
  int64_t trainLimit = 0, testLimit = 0;
  /// The input normalization ((x / 255 - mean) / std), folded into the
  /// exported model.
  float mean = 0.2860f, std = 0.3530f;
  ModelBindings bindings;
  PipelineOptions pipeline;
  TargetOptions target;
};

/// Runs `cnnc train`; returns the process's exit code (0, 2 user error,
/// 3 internal error).
int trainModel(const TrainOptions &options);

} // namespace cnnc

#endif // CNNC_TOOLS_CNNC_TRAIN_H
