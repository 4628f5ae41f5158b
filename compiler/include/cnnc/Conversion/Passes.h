//===- Passes.h - cnnc's conversion passes ----------------------*- C++ -*-===//

#ifndef CNNC_CONVERSION_PASSES_H
#define CNNC_CONVERSION_PASSES_H

#include "cnnc/Dialect/Kernel/IR/KernelDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace cnnc {

#define GEN_PASS_DECL
#include "cnnc/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "cnnc/Conversion/Passes.h.inc"

} // namespace cnnc

#endif // CNNC_CONVERSION_PASSES_H
