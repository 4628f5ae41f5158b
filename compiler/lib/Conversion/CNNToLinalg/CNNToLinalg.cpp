//===- CNNToLinalg.cpp - cnn ops to linalg on tensors ---------------------===//
//
// The pass: every cnn op to linalg, tensor, arith and math on tensors. The
// patterns live in one file per op family (Elementwise.cpp, Convolution.cpp,
// ...); the builders they share in StructuredBuilders.h.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Conversion/Passes.h"

#include "StructuredBuilders.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"
#include "cnnc/Dialect/Kernel/IR/KernelDialect.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace cnnc {
#define GEN_PASS_DEF_CONVERTCNNTOLINALG
#include "cnnc/Conversion/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;

namespace {

struct ConvertCNNToLinalgPass
    : cnnc::impl::ConvertCNNToLinalgBase<ConvertCNNToLinalgPass> {
  using ConvertCNNToLinalgBase::ConvertCNNToLinalgBase;
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addLegalDialect<arith::ArithDialect, cnnk::KernelDialect,
                           linalg::LinalgDialect, LLVM::LLVMDialect,
                           math::MathDialect, scf::SCFDialect,
                           tensor::TensorDialect, vector::VectorDialect>();
    target.addIllegalDialect<cnn::CNNDialect>();
    RewritePatternSet patterns(ctx);
    lowering::populateElementwiseLowerings(patterns);
    lowering::populateConvolutionLowerings(patterns);
    lowering::populatePoolingLowerings(patterns);
    lowering::populateMatmulLowerings(patterns);
    lowering::populateNormalizationLowerings(patterns);
    lowering::populateSoftmaxLowerings(patterns);
    lowering::populateDataMovementLowerings(patterns);
    lowering::populateLossLowerings(patterns);
    lowering::populateReductionLowerings(patterns);
    lowering::populateResizeLowerings(patterns);
    lowering::populateGradientLowerings(patterns);
    lowering::populatePoolGradientLowerings(patterns);
    lowering::populateQuantizationLowerings(patterns);
    lowering::populateIntegerKernelLowerings(
        patterns, {int8DotProductBits, int8MultiplyAddBits});
    // Name every op that no pattern lowers, rather than the first.
    llvm::SmallPtrSet<const void *, 32> lowered;
    for (const std::unique_ptr<RewritePattern> &pattern :
         patterns.getNativePatterns())
      if (std::optional<OperationName> root = pattern->getRootKind())
        lowered.insert(root->getAsOpaquePointer());
    bool missing = false;
    getOperation().walk([&](Operation *op) {
      if (isa<cnn::CNNDialect>(op->getDialect()) &&
          !lowered.contains(op->getName().getAsOpaquePointer())) {
        op->emitError() << "'" << op->getName()
                        << "' has no lowering to linalg yet";
        missing = true;
      }
    });
    if (missing || failed(applyPartialConversion(getOperation(), target,
                                                 std::move(patterns)))) {
      signalPassFailure();
      return;
    }
    lowering::eraseSignedness(getOperation());
  }
};

} // namespace
