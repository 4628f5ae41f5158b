//===- Passes.h - cnnc's training passes ------------------------*- C++ -*-===//

#ifndef CNNC_TRAINING_PASSES_H
#define CNNC_TRAINING_PASSES_H

#include "cnnc/Dialect/CNN/IR/CNNDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace cnnc {

#define GEN_PASS_DECL
#include "cnnc/Training/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "cnnc/Training/Passes.h.inc"

} // namespace cnnc

#endif // CNNC_TRAINING_PASSES_H
