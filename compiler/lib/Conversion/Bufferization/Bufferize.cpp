//===- Bufferize.cpp - Tensors to buffers, results to out-parameters ------===//

#include "cnnc/Conversion/Passes.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotModuleBufferize.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"

namespace cnnc {
#define GEN_PASS_DEF_BUFFERIZE
#include "cnnc/Conversion/Passes.h.inc"
} // namespace cnnc

using namespace mlir;

namespace {

/// Copies between buffers as linalg.copy: it lowers to loops like any linalg
/// op, where memref.copy into a strided view would call a library helper.
LogicalResult copyWithLinalg(OpBuilder &builder, Location loc, Value from,
                             Value to) {
  linalg::CopyOp::create(builder, loc, from, to);
  return success();
}

/// A result that was a fresh buffer is now copied into its out-parameter
/// at the end: compute it in the out-parameter instead, and drop the copy.
void writeResultsInPlace(func::FuncOp function) {
  for (BlockArgument argument : function.getArguments()) {
    if (!argument.hasOneUse())
      continue;
    auto copy = dyn_cast<linalg::CopyOp>(*argument.getUsers().begin());
    if (!copy || copy.getOutputs()[0] != argument)
      continue;
    // Only the copies into the other outputs may follow: nothing writes
    // the buffer once it is final.
    bool last = true;
    for (Operation *next = copy->getNextNode();
         next != copy->getBlock()->getTerminator(); next = next->getNextNode()) {
      auto other = dyn_cast<linalg::CopyOp>(next);
      last = other && isa<BlockArgument>(other.getOutputs()[0]);
      if (!last)
        break;
    }
    if (!last)
      continue;
    auto alloc = copy.getInputs()[0].getDefiningOp<memref::AllocOp>();
    if (!alloc || alloc.getType() != argument.getType() ||
        alloc->getBlock() != &function.getBody().front())
      continue;
    copy.erase();
    alloc.replaceAllUsesWith(argument);
    alloc.erase();
  }
}

struct BufferizePass : cnnc::impl::BufferizeBase<BufferizePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    bufferization::OneShotBufferizationOptions options;
    options.bufferizeFunctionBoundaries = true;
    options.setFunctionBoundaryTypeConversion(
        bufferization::LayoutMapOption::IdentityLayoutMap);
    options.unknownTypeConverterFn =
        [](TensorType type, Attribute memorySpace,
           const bufferization::BufferizationOptions &) {
          return bufferization::getMemRefTypeWithStaticIdentityLayout(
              type, memorySpace);
        };
    options.memCpyFn = copyWithLinalg;
    options.bufferAlignment = 64;
    bufferization::BufferizationState state;
    if (failed(bufferization::runOneShotModuleBufferize(module, options,
                                                        state)))
      return signalPassFailure();

    bufferization::BufferResultsToOutParamsOpts outParams;
    outParams.hoistStaticAllocs = true;
    outParams.modifyPublicFunctions = true;
    outParams.memCpyFn = copyWithLinalg;
    if (failed(bufferization::promoteBufferResultsToOutParams(module,
                                                              outParams)))
      return signalPassFailure();
    for (auto function : module.getOps<func::FuncOp>())
      if (!function.isExternal())
        writeResultsInPlace(function);
  }
};

} // namespace
