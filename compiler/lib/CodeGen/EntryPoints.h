//===- EntryPoints.h - The public C functions of a model --------*- C++ -*-===//

#ifndef CNNC_LIB_CODEGEN_ENTRYPOINTS_H
#define CNNC_LIB_CODEGEN_ENTRYPOINTS_H

#include "cnnc/CodeGen/CodeGen.h"

namespace cnnc {

struct EntryPointTarget {
  std::string cpu;
  std::string features;
  /// What NAME_run checks before the first run.
  std::vector<std::string> requiredFeatures;
};

/// Adds NAME_workspace_size and NAME_run around the graph function
/// `graphName`, and makes every other definition internal and compiled for
/// `target`.
llvm::Error addEntryPoints(llvm::Module &module, llvm::StringRef graphName,
                           const ModelInterface &model,
                           const EntryPointTarget &target);

} // namespace cnnc

#endif // CNNC_LIB_CODEGEN_ENTRYPOINTS_H
