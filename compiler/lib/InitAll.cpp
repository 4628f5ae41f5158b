//===- InitAll.cpp - Register cnnc's dialects and passes ------------------===//

#include "cnnc/InitAll.h"

#include "cnnc/Conversion/Passes.h"
#include "cnnc/Dialect/CNN/IR/CNNDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/Extensions/AllExtensions.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

void cnnc::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<cnn::CNNDialect>();
  // The dialects the pipeline lowers through.
  registry.insert<mlir::arith::ArithDialect,
                  mlir::bufferization::BufferizationDialect,
                  mlir::func::FuncDialect, mlir::linalg::LinalgDialect,
                  mlir::LLVM::LLVMDialect, mlir::math::MathDialect,
                  mlir::memref::MemRefDialect, mlir::scf::SCFDialect,
                  mlir::tensor::TensorDialect, mlir::vector::VectorDialect>();
  mlir::func::registerAllExtensions(registry);
}

void cnnc::registerAllPasses() {
  // Upstream's generic passes (canonicalize, cse, inline, ...).
  mlir::registerTransformsPasses();
  cnnc::registerCNNCConversionPasses();
}
