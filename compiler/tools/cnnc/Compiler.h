//===- Compiler.h - The steps that compile and run share --------*- C++ -*-===//
//
// A loaded model goes through the pass pipeline (cnnc/Pipelines) and code
// generation (cnnc/CodeGen). `cnnc compile` writes what comes out; `cnnc run`
// loads the very same object in-process.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TOOLS_CNNC_COMPILER_H
#define CNNC_TOOLS_CNNC_COMPILER_H

#include "cnnc/CodeGen/CodeGen.h"
#include "cnnc/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"

namespace cnnc {

enum class Stage { CNN, Linalg, LLVMDialect };

/// Runs the pipeline on `module` up to and including `last`. For
/// Stage::LLVMDialect the model's interface is returned, named `name`; the
/// other stages return an empty interface. Failures have been reported
/// through the context's diagnostics.
/// `afterGraph`, when given, sees the module after the graph passes.
mlir::FailureOr<ModelInterface>
lowerModel(mlir::ModuleOp module, llvm::StringRef name,
           const PipelineOptions &options, Stage last,
           llvm::function_ref<void(mlir::ModuleOp)> afterGraph = nullptr);

/// The training options a model asks for itself (a .cnn file's `loss`
/// statement: the module attributes cnnc.loss and cnnc.label_smoothing),
/// where the command line did not give them.
void applyModelTrainingDefaults(mlir::ModuleOp module,
                                PipelineOptions::Training &training,
                                bool lossGiven, bool smoothingGiven);

/// What code generation produces.
enum class Artifact { LLVMIR, Assembly, Object };

/// Code for `module` (the LLVM dialect, from lowerModel) as `artifact`, for
/// `machine` (whose vector width the pipeline's kernels were tiled for),
/// optimized at `optLevel`.
llvm::Expected<std::string> generateCode(mlir::ModuleOp module,
                                         const ModelInterface &model,
                                         llvm::TargetMachine &machine,
                                         unsigned optLevel, Artifact artifact);

} // namespace cnnc

#endif // CNNC_TOOLS_CNNC_COMPILER_H
