//===- CompileModel.h - The one compile driver ------------------*- C++ -*-===//
//
// What every tool calls to compile a model: `cnnc compile`, `cnnc run` and
// `cnnc train` alike. It runs the pipeline of cnnc/Pipelines/Pipelines.h as
// one pass manager and reads what the tools need (the entry points, the
// workspaces, the batch split, a train step's state) off the attributes the
// passes leave in place (cnnc/Dialect/CNN/IR/CompilerAttributes.h).
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_PIPELINES_COMPILEMODEL_H
#define CNNC_PIPELINES_COMPILEMODEL_H

#include "cnnc/CodeGen/CodeGen.h"
#include "cnnc/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"

namespace cnnc {

/// Compiles `module` (the cnn dialect, as a frontend produced it) in place
/// up to and including `last`. For Stage::LLVMDialect the result is the
/// model's C interface, named `options.modelName`: its public functions
/// are renamed after it (graphSymbol), so that two models never collide.
/// For the other stages it is an empty interface. Failures have been
/// reported through the context's diagnostics.
mlir::FailureOr<ModelInterface> compileModel(mlir::ModuleOp module,
                                             const PipelineOptions &options,
                                             Stage last = Stage::LLVMDialect);

/// The training options a model asks for itself (a .cnn file's `loss`
/// statement: the module attributes cnnc.loss and cnnc.label_smoothing),
/// where the command line did not give them. Fails (reported) on a loss the
/// compiler does not know.
mlir::LogicalResult applyModelTrainingDefaults(mlir::ModuleOp module,
                                PipelineOptions::Training &training,
                                bool lossGiven, bool smoothingGiven);

} // namespace cnnc

#endif // CNNC_PIPELINES_COMPILEMODEL_H
