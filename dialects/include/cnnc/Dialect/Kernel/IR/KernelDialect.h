//===- KernelDialect.h - The cnnk dialect -----------------------*- C++ -*-===//
//
// Fused convolution and matrix-product kernels, carried through
// bufferization as one op each.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_KERNEL_IR_KERNELDIALECT_H
#define CNNC_DIALECT_KERNEL_IR_KERNELDIALECT_H

#include "cnnc/Dialect/CNN/IR/CNNDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"

#include "cnnc/Dialect/Kernel/IR/KernelDialect.h.inc"
#include "cnnc/Dialect/Kernel/IR/KernelEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "cnnc/Dialect/Kernel/IR/KernelAttrs.h.inc"

#endif // CNNC_DIALECT_KERNEL_IR_KERNELDIALECT_H
