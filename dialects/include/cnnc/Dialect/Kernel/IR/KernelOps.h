//===- KernelOps.h - cnnk.conv2d and cnnk.matmul ----------------*- C++ -*-===//

#ifndef CNNC_DIALECT_KERNEL_IR_KERNELOPS_H
#define CNNC_DIALECT_KERNEL_IR_KERNELOPS_H

#include "cnnc/Dialect/Kernel/IR/KernelDialect.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "cnnc/Dialect/Kernel/IR/KernelOps.h.inc"

namespace cnnc::cnnk {

/// Makes both ops bufferizable (BufferizableOpInterface); the dialect does
/// it when it loads.
void attachBufferizationModels(mlir::MLIRContext &ctx);

} // namespace cnnc::cnnk

#endif // CNNC_DIALECT_KERNEL_IR_KERNELOPS_H
