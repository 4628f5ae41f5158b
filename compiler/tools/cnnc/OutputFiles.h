//===- OutputFiles.h - Write all of a command's files or none ---*- C++ -*-===//

#ifndef CNNC_TOOLS_CNNC_OUTPUTFILES_H
#define CNNC_TOOLS_CNNC_OUTPUTFILES_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <utility>
#include <vector>

namespace cnnc {

/// Writes every (path, contents) pair through temporary files that are
/// renamed into place only when all were written; "-" is stdout. On failure
/// prints "cnnc: error: cannot write ..." and leaves no file behind.
mlir::LogicalResult
writeFilesAtomically(llvm::ArrayRef<std::pair<std::string, std::string>> files);

/// Fails, printing "cnnc: error: ..." naming both, when one of `outputs`
/// is one of `inputs` (the same file, by any path or link: an input is
/// never overwritten) or when two outputs are one file. "-" is stdout and
/// never collides.
mlir::LogicalResult checkOutputPaths(llvm::ArrayRef<std::string> outputs,
                                     llvm::ArrayRef<std::string> inputs);

} // namespace cnnc

#endif // CNNC_TOOLS_CNNC_OUTPUTFILES_H
