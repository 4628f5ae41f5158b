//===- Passes.h - cnnc's kernel passes --------------------------*- C++ -*-===//

#ifndef CNNC_KERNELS_PASSES_H
#define CNNC_KERNELS_PASSES_H

#include "cnnc/Kernels/ConvolutionAlgorithm.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace cnnc {

#define GEN_PASS_DECL
#include "cnnc/Kernels/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "cnnc/Kernels/Passes.h.inc"

} // namespace cnnc

#endif // CNNC_KERNELS_PASSES_H
