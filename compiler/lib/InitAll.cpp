//===- InitAll.cpp - Register cnnc's dialects and passes ------------------===//

#include "cnnc/InitAll.h"

#include "cnnc/Conversion/Passes.h"
#include "cnnc/Dialect/CNN/IR/CNNDialect.h"
#include "cnnc/Dialect/Kernel/IR/KernelDialect.h"
#include "cnnc/Kernels/Passes.h"
#include "cnnc/Pipelines/Pipelines.h"
#include "cnnc/Training/Passes.h"
#include "cnnc/Transforms/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/Extensions/AllExtensions.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/AllInterfaces.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

void cnnc::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<cnn::CNNDialect, cnnk::KernelDialect>();
  // The dialects the pipeline lowers through.
  registry.insert<mlir::arith::ArithDialect,
                  mlir::bufferization::BufferizationDialect,
                  mlir::cf::ControlFlowDialect, mlir::func::FuncDialect, mlir::linalg::LinalgDialect,
                  mlir::LLVM::LLVMDialect, mlir::math::MathDialect,
                  mlir::memref::MemRefDialect, mlir::scf::SCFDialect,
                  mlir::tensor::TensorDialect, mlir::vector::VectorDialect>();
  mlir::func::registerAllExtensions(registry);
  // What bufferization needs to know of each dialect's ops.
  mlir::arith::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  mlir::linalg::registerAllDialectInterfaceImplementations(registry);
  mlir::scf::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::tensor::registerBufferizableOpInterfaceExternalModels(registry);
  // The integer convolution's kernel reads and writes tensors by vectors.
  mlir::vector::registerBufferizableOpInterfaceExternalModels(registry);
}

void cnnc::registerAllPasses() {
  // Upstream's generic passes (canonicalize, cse, inline, ...).
  mlir::registerTransformsPasses();
  cnnc::registerCNNCConversionPasses();
  cnnc::registerCNNCTransformsPasses();
  cnnc::registerCNNCKernelsPasses();
  cnnc::registerCNNCTrainingPasses();
  cnnc::registerPipelines();
}
