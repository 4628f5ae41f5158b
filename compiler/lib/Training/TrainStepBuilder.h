//===- TrainStepBuilder.h - The functions of a trained model ----*- C++ -*-===//
//
// cnnc-generate-train-step's work as plain functions: the model's trained
// tensors (the state), then its three clones on them: the initial state,
// the evaluation and the train step. Private to lib/Training.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_TRAINING_TRAINSTEPBUILDER_H
#define CNNC_LIB_TRAINING_TRAINSTEPBUILDER_H

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include <string>
#include <vector>

namespace cnnc::training {

/// A tensor of the state.
struct StateEntry {
  std::string name;
  llvm::StringRef kind;
  mlir::RankedTensorType type;
  cnn::ConstantOp constant; // The model's value (none for slots).
};

/// What training changes: the parameters, then the batch norms' running
/// statistics (each the model constant it starts from), and the
/// optimizer's slots (zeros at the start) after them.
struct TrainState {
  std::vector<StateEntry> state; // Parameters, then statistics.
  std::vector<StateEntry> slots;
};

/// The trained tensors of `model` and the slots `optimizer` keeps for its
/// parameters; an error on `model` when it has none, or when a constant is
/// both a parameter and a statistic. Marks each state constant with its
/// index (cnnc.state_index) for the clones.
mlir::FailureOr<TrainState> collectState(mlir::func::FuncOp model,
                                         cnn::OptimizerKind optimizer);

/// MODEL_initial_state: the state's starting values, returned in order.
void buildInitialState(mlir::func::FuncOp model, const TrainState &tensors,
                       mlir::OpBuilder &b);

/// MODEL_evaluate: the model on a state (batch norms on their running
/// statistics).
void buildEvaluate(mlir::func::FuncOp model, const TrainState &tensors,
                   mlir::OpBuilder &b);

/// MODEL_train_step: the forward pass in training form, `loss` (with
/// `labelSmoothing`), the gradients and `optimizer`'s update, returning the
/// loss and the new state.
mlir::LogicalResult buildTrainStep(mlir::func::FuncOp model,
                                   const TrainState &tensors,
                                   cnn::LossKind loss, double labelSmoothing,
                                   cnn::OptimizerKind optimizer,
                                   mlir::OpBuilder &b);

} // namespace cnnc::training

#endif // CNNC_LIB_TRAINING_TRAINSTEPBUILDER_H
