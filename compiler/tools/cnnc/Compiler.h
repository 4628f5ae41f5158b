//===- Compiler.h - The steps that compile, run and train share -*- C++ -*-===//
//
// A loaded model goes through the one compile driver (cnnc/Pipelines/
// CompileModel.h) and code generation (cnnc/CodeGen). `cnnc compile` writes
// what comes out; `cnnc run` and `cnnc train` load the very same object
// in-process.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TOOLS_CNNC_COMPILER_H
#define CNNC_TOOLS_CNNC_COMPILER_H

#include "ObjectLoader.h"

#include "cnnc/CodeGen/CodeGen.h"
#include "cnnc/Pipelines/CompileModel.h"

#include "mlir/IR/BuiltinOps.h"

#include <memory>

namespace cnnc {

/// The exit codes of every cnnc command.
enum ExitCode { Success = 0, Mismatch = 1, UserError = 2, InternalError = 3 };

/// What code generation produces.
enum class Artifact { LLVMIR, Assembly, Object };

/// Code for `module` (the LLVM dialect, from compileModel) as `artifact`,
/// for `machine` (whose vector width the pipeline's kernels were tiled
/// for), optimized at `optLevel`.
llvm::Expected<std::string> generateCode(mlir::ModuleOp module,
                                         const ModelInterface &model,
                                         llvm::TargetMachine &machine,
                                         unsigned optLevel, Artifact artifact);

/// Sets the widths `pipeline`'s kernels are generated for from `machine`:
/// its vector registers and its int8 instructions.
void setTargetWidths(PipelineOptions &pipeline,
                     const llvm::TargetMachine &machine);

/// A model compiled and linked into this process.
struct InProcessModel {
  ModelInterface interface;
  std::unique_ptr<LoadedModel> loaded;
};

/// Compiles `module` with `pipeline` (its vector width set from `target`)
/// to an object for `target` and links it into this process; `check`, when
/// given, sees the interface before code generation and may refuse it
/// (returning an exit code). Returns Success, or the exit code with the
/// error printed.
int compileAndLoad(mlir::ModuleOp module, PipelineOptions pipeline,
                   const TargetOptions &target, InProcessModel &out,
                   llvm::function_ref<int(const ModelInterface &)> check =
                       nullptr);

} // namespace cnnc

#endif // CNNC_TOOLS_CNNC_COMPILER_H
