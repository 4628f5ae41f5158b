//===- DSL.h - The .cnn model language --------------------------*- C++ -*-===//
//
// cnnc's own way to write a network: a few lines that read like PyTorch's
// nn.Sequential, turned directly into the cnn dialect with line:column
// locations, shapes inferred and parameters initialized from a seed. The
// language is documented in docs/frontends/dsl.md.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_FRONTEND_DSL_DSL_H
#define CNNC_FRONTEND_DSL_DSL_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdint>

namespace cnnc::dsl {

struct Options {
  /// The batch dimension of the input (the language describes one sample).
  int64_t batch = 1;
};

/// The model in `sources`' main file as a module with one function, named
/// after the model; its training defaults (the `loss` statement) are the
/// module attributes `cnnc.loss` and `cnnc.label_smoothing`. Errors are
/// printed through `sources` (file:line:col, the line and a caret under the
/// offending text); null when there was one.
mlir::OwningOpRef<mlir::ModuleOp> importModel(llvm::SourceMgr &sources,
                                              mlir::MLIRContext &context,
                                              const Options &options);

} // namespace cnnc::dsl

#endif // CNNC_FRONTEND_DSL_DSL_H
