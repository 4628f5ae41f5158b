//===- Optimizers.h - Parameter updates of the train step -------*- C++ -*-===//
//
// SGD with momentum, Adam and AdamW as cnn ops on one parameter, its
// gradient and its slots, with the hyper-parameters read from the train
// step's hyper vector (so that schedules stay with the caller).
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_TRAINING_OPTIMIZERS_H
#define CNNC_LIB_TRAINING_OPTIMIZERS_H

#include "Autodiff.h"

#include "llvm/ADT/StringRef.h"

#include <optional>

namespace cnnc::training {

using Optimizer = cnn::OptimizerKind;

/// Slots per parameter: their names' suffixes (".momentum", ...).
llvm::SmallVector<llvm::StringRef, 2> slotSuffixes(Optimizer optimizer);

/// The updated parameter followed by its updated slots.
llvm::SmallVector<mlir::Value>
applyOptimizer(GraphBuilder &gb, Optimizer optimizer, mlir::Value hyper,
               mlir::Value parameter, mlir::Value gradient,
               mlir::ValueRange slots);

} // namespace cnnc::training

#endif // CNNC_LIB_TRAINING_OPTIMIZERS_H
