//===- SplitBatch.cpp - A batch as images one at a time -------------------===//
//
// At batch N every layer runs over all N images before the next starts, so
// each activation is N times the size of one image's: MobileNetV2's
// 112x112x96 is 4.8 MB an image, 38.5 MB at batch 8, far beyond the
// caches, and its layers then wait on memory. Image by image, an
// activation stays in L2/L3 from the layer that writes it to the one that
// reads it, at the price of reading the weights once per image instead of
// once per batch. When a network moves more activation bytes per image
// than it has weight bytes, the graph is compiled for batch 1 and the
// entry point runs it N times (cnnc.batch_split).
//
//===----------------------------------------------------------------------===//

#include "cnnc/Transforms/Passes.h"
#include "cnnc/Dialect/CNN/IR/CompilerAttributes.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"

namespace cnnc {
#define GEN_PASS_DEF_SPLITBATCH
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
namespace cnn = cnnc::cnn;

namespace {

int64_t bytesOf(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return 0;
  return tensor.getNumElements() *
         ((tensor.getElementTypeBitWidth() + 7) / 8);
}

/// Whether `op`, given operands that carry the batch in dimension 0
/// (`batched`), treats every image on its own.
bool isPerImage(Operation *op, const llvm::DenseSet<Value> &batched) {
  return TypeSwitch<Operation *, bool>(op)
      .Case<cnn::ConvOp, cnn::ConvTransposeOp, cnn::PoolOp, cnn::GlobalPoolOp,
            cnn::BatchNormOp, cnn::InstanceNormOp, cnn::LrnOp,
            cnn::ActivationOp, cnn::PReluOp, cnn::UnaryOp, cnn::BinaryOp,
            cnn::DropoutOp, cnn::ConcatOp, cnn::ReshapeOp, cnn::TransposeOp,
            cnn::PadOp, cnn::SliceOp, cnn::ResizeOp, cnn::ReduceOp>(
          [](Operation *) { return true; })
      // Along a dimension other than the batch's.
      .Case<cnn::SoftmaxOp, cnn::LogSoftmaxOp>(
          [](auto softmax) { return softmax.getAxis() != 0; })
      // The images are the rows of the left operand.
      .Case<cnn::MatmulOp>([&](cnn::MatmulOp matmul) {
        return !matmul.getTransposeLhs() &&
               !batched.contains(matmul.getRhs()) &&
               (!matmul.getBias() || !batched.contains(matmul.getBias()));
      })
      .Default([](Operation *) { return false; });
}

/// Dimension 0 of `type` set to 1.
Type oneImage(Type type) {
  auto tensor = cast<RankedTensorType>(type);
  SmallVector<int64_t> shape(tensor.getShape());
  shape[0] = 1;
  return tensor.clone(shape);
}

struct SplitBatchPass : cnnc::impl::SplitBatchBase<SplitBatchPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp function = getOperation();
    if (function.isDeclaration() || function->hasAttr(cnnc::attrs::kEntry) ||
        !function.getBody().hasOneBlock())
      return;
    std::optional<int64_t> batch = batchOf(function);
    if (!batch || *batch < 2)
      return;
    // What the batch carries: the values computed from the inputs.
    llvm::DenseSet<Value> batched(function.getArguments().begin(),
                                  function.getArguments().end());
    int64_t activationBytes = 0, weightBytes = 0;
    for (Operation &op : function.getBody().front()) {
      if (isa<cnn::ConstantOp>(op)) {
        weightBytes += bytesOf(op.getResult(0).getType());
        continue;
      }
      if (isa<func::ReturnOp>(op)) {
        if (!llvm::all_of(op.getOperands(),
                          [&](Value v) { return batched.contains(v); }))
          return;
        continue;
      }
      if (!llvm::any_of(op.getOperands(),
                        [&](Value v) { return batched.contains(v); }))
        continue;
      if (!isPerImage(&op, batched))
        return;
      for (Value result : op.getResults()) {
        auto type = dyn_cast<RankedTensorType>(result.getType());
        if (!type || type.getRank() == 0 || type.getDimSize(0) != *batch)
          return;
        batched.insert(result);
        activationBytes += bytesOf(type);
      }
    }
    // Worth it when an image's activations outweigh the weights (read once
    // per image instead of once per batch) and the batch's do not fit in
    // the caches anyway.
    int64_t perImage = activationBytes / *batch;
    if (perImage <= weightBytes || activationBytes < minBatchBytes)
      return;

    // Batch 1 on a copy, kept only if it verifies.
    OpBuilder b(function);
    auto single = cast<func::FuncOp>(b.clone(*function));
    single.setName((function.getName() + "_one_image").str());
    Block &body = single.getBody().front();
    for (BlockArgument argument : body.getArguments())
      argument.setType(oneImage(argument.getType()));
    llvm::DenseSet<Value> inSingle(body.getArguments().begin(),
                                   body.getArguments().end());
    for (Operation &op : body.without_terminator()) {
      if (!llvm::any_of(op.getOperands(),
                        [&](Value v) { return inSingle.contains(v); }))
        continue;
      for (Value result : op.getResults()) {
        result.setType(oneImage(result.getType()));
        inSingle.insert(result);
      }
    }
    single.setFunctionType(FunctionType::get(
        &getContext(), body.getArgumentTypes(),
        body.getTerminator()->getOperandTypes()));
    bool verified;
    {
      // The verifier's complaints are about the copy: not the user's.
      ScopedDiagnosticHandler quiet(&getContext(),
                                    [](Diagnostic &) { return success(); });
      verified = succeeded(verify(single));
    }
    if (!verified) {
      single.erase();
      return;
    }
    function.getBody().takeBody(single.getBody());
    function.setFunctionType(single.getFunctionType());
    single.erase();
    function->setAttr(cnnc::attrs::kBatchSplit,
                      IntegerAttr::get(IntegerType::get(&getContext(), 64),
                                       *batch));
  }

  /// The batch: dimension 0 of every argument and result, when they agree.
  static std::optional<int64_t> batchOf(func::FuncOp function) {
    std::optional<int64_t> batch;
    auto types = llvm::concat<const Type>(function.getArgumentTypes(),
                                          function.getResultTypes());
    for (Type type : types) {
      auto tensor = dyn_cast<RankedTensorType>(type);
      if (!tensor || !tensor.hasStaticShape() || tensor.getRank() == 0)
        return std::nullopt;
      if (batch && *batch != tensor.getDimSize(0))
        return std::nullopt;
      batch = tensor.getDimSize(0);
    }
    return batch;
  }
};

} // namespace
