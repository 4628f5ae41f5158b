//===- CompilerAttributes.h - The cnnc.* discardable attributes -*- C++ -*-===//
//
// The attributes that frontends, passes and the compile driver leave on
// modules and functions for each other. Each name is spelled here and
// nowhere else; who writes it and who reads it is said beside it.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_CNN_IR_COMPILERATTRIBUTES_H
#define CNNC_DIALECT_CNN_IR_COMPILERATTRIBUTES_H

#include "llvm/ADT/StringRef.h"

namespace cnnc::attrs {

/// Module, StringAttr: the loss a `.cnn` file asks for (its `loss`
/// statement). Written by the DSL elaborator, read by the compile driver
/// as the default of --loss.
inline constexpr llvm::StringLiteral kLoss = "cnnc.loss";

/// Module, FloatAttr: the label smoothing a `.cnn` file asks for.
inline constexpr llvm::StringLiteral kLabelSmoothing = "cnnc.label_smoothing";

/// Function, StringAttr: the role of a function that training generated
/// ("train_step", "evaluate", "initial_state"; cnnc/Training/TrainStep.h).
/// Written by cnnc-generate-train-step; the driver names the function after
/// it; kept down to the LLVM dialect.
inline constexpr llvm::StringLiteral kEntry = "cnnc.entry";

/// Function, ArrayAttr of {name, kind, type}: the state of a train step, in
/// the order of its arguments. Written by cnnc-generate-train-step, read by
/// the driver (describeTraining) after the whole pipeline.
inline constexpr llvm::StringLiteral kState = "cnnc.state";

/// Function, TypeAttr: the labels a train step takes (its tensor type), and
/// StringAttr: their name. Beside kState, for the same reader.
inline constexpr llvm::StringLiteral kLabels = "cnnc.labels";

/// cnn.constant, IntegerAttr: a parameter's position in the state, while
/// cnnc-generate-train-step runs (removed when it ends).
inline constexpr llvm::StringLiteral kStateIndex = "cnnc.state_index";

/// Function, IntegerAttr: the batch N a model function was split from
/// (cnnc-split-batch compiled it for one image); absent when not split.
inline constexpr llvm::StringLiteral kBatchSplit = "cnnc.batch_split";

/// Function, IntegerAttr: the bytes of the function's workspace, planned by
/// cnnc-plan-arena; read by the driver and the report.
inline constexpr llvm::StringLiteral kWorkspaceSize = "cnnc.workspace_size";

/// Function, UnitAttr: a chunk function outlined from a parallel loop
/// (cnnc-outline-parallel-loops), which cnnc-lower-parallel-calls turns into
/// a call of the runtime's parallel-for.
inline constexpr llvm::StringLiteral kParallelBody = "cnnc.parallel_body";

/// Argument and result, StringAttr: the name of a model's input, output or
/// state tensor (the ONNX value's, the DSL's). Written by the importers,
/// cnnc-generate-train-step and cnnc-plan-arena (the workspace), read by
/// the model interface, the generated header and the exporter.
inline constexpr llvm::StringLiteral kName = "cnn.name";

} // namespace cnnc::attrs

#endif // CNNC_DIALECT_CNN_IR_COMPILERATTRIBUTES_H
