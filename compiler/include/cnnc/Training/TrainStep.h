//===- TrainStep.h - The interface of generated train steps -----*- C++ -*-===//
//
// What cnnc-generate-train-step writes and code generation reads: the roles
// of the generated functions, the layout of the state, the hyper-parameter
// vector (the generated header repeats its indices as NAME_hyper_*).
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TRAINING_TRAINSTEP_H
#define CNNC_TRAINING_TRAINSTEP_H

#include "llvm/ADT/StringRef.h"

namespace cnnc::training {

/// The roles of the generated functions (their cnnc.entry attribute,
/// cnnc/Dialect/CNN/IR/CompilerAttributes.h).
inline constexpr llvm::StringLiteral kTrainStepEntry = "train_step";
inline constexpr llvm::StringLiteral kEvaluateEntry = "evaluate";
inline constexpr llvm::StringLiteral kInitialStateEntry = "initial_state";

/// The kinds of the state's tensors (the train step's cnnc.state).
inline constexpr llvm::StringLiteral kParameterKind = "parameter";
inline constexpr llvm::StringLiteral kStatisticKind = "statistic";
inline constexpr llvm::StringLiteral kSlotKind = "slot";

/// Positions in the train step's hyper-parameter vector.
enum HyperParameter : int {
  kLearningRate = 0,
  kMomentum = 1,
  kWeightDecay = 2,
  kBeta1 = 3,
  kBeta2 = 4,
  kEpsilon = 5,
  kBiasCorrection1 = 6, // 1 / (1 - beta1^t)
  kBiasCorrection2 = 7, // 1 / sqrt(1 - beta2^t)
  kHyperParameterCount = 8,
};

} // namespace cnnc::training

#endif // CNNC_TRAINING_TRAINSTEP_H
