//===- ConstantWeights.h - Weights read from constant globals ---*- C++ -*-===//
//
// After bufferization a constant weight is a memref.global read through
// reshapes; the kernels read its elements (Winograd's transform, the
// register tile's packing) and write transformed copies as new globals.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_KERNELS_CONSTANTWEIGHTS_H
#define CNNC_LIB_KERNELS_CONSTANTWEIGHTS_H

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

#include <optional>
#include <vector>

namespace cnnc::kernels {

/// The global `filter` reads, through reshapes of its memref.
mlir::memref::GetGlobalOp sourceGlobal(mlir::Value filter);

/// The float32 elements of a constant global.
std::optional<std::vector<float>> globalFloats(mlir::memref::GlobalOp global);

/// The float32 elements `filter` reads, when it reads a constant global.
std::optional<std::vector<float>>
constantFloats(mlir::SymbolTable &symbols, mlir::Value filter);

/// A new private constant global holding `data` (1-D, 64-byte aligned),
/// named after `near`, which it is inserted before; and the memref of
/// `shape` that reads it, built at `b`'s insertion point.
mlir::Value createConstantWeights(mlir::OpBuilder &b, mlir::Location loc,
                                  mlir::SymbolTable &symbols,
                                  mlir::memref::GlobalOp near,
                                  llvm::StringRef suffix,
                                  llvm::ArrayRef<float> data,
                                  llvm::ArrayRef<int64_t> shape);

/// Erases the reshapes and get_global that only fed `value`.
void eraseDeadChain(mlir::Value value);

} // namespace cnnc::kernels

#endif // CNNC_LIB_KERNELS_CONSTANTWEIGHTS_H
