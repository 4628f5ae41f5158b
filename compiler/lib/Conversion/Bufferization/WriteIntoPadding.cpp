//===- WriteIntoPadding.cpp - Producers write a padded buffer's interior --===//
//
// A bufferized tensor.pad copies its source into the interior of the
// padded buffer. When the copied value is not used after the copy, the
// ops that wrote it write the interior instead: the copy is gone, and
// so is the source buffer where nothing else uses it. MobileNetV2 copied each expanded activation
// (up to 112x112x96 floats) once more before every depthwise convolution.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Conversion/Passes.h"

#include "cnnc/Dialect/Kernel/IR/KernelOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace cnnc {
#define GEN_PASS_DEF_WRITEINTOPADDING
#include "cnnc/Conversion/Passes.h.inc"
} // namespace cnnc

using namespace mlir;

namespace {

/// A fresh buffer of static shape and identity layout.
memref::AllocOp plainAlloc(Value value) {
  auto alloc = value.getDefiningOp<memref::AllocOp>();
  if (!alloc || !alloc.getType().hasStaticShape() ||
      !alloc.getType().getLayout().isIdentity())
    return nullptr;
  return alloc;
}

struct WriteIntoPaddingPass
    : cnnc::impl::WriteIntoPaddingBase<WriteIntoPaddingPass> {
  void runOnOperation() override {
    SmallVector<linalg::CopyOp> copies;
    getOperation().walk([&](linalg::CopyOp copy) { copies.push_back(copy); });
    for (linalg::CopyOp copy : copies)
      rewrite(copy);
  }

  /// copy(src, subview(buffer)) with src and buffer fresh allocations in
  /// the copy's block and the subview static. Bufferization reuses
  /// buffers: src may hold other values before and after this one. The
  /// value copied is written from the last op before the copy that
  /// overwrites src whole (a broadcast, fill or kernel op; else from its
  /// first use), and it must be dead after the copy (src's next use, if
  /// any, overwrites it whole). The ops in that range, all structured, get the
  /// interior of buffer instead of src; buffer and the subview move up to
  /// the first of them.
  void rewrite(linalg::CopyOp copy) {
    if (!copy.hasPureBufferSemantics())
      return;
    Value source = copy.getInputs()[0];
    auto subview = copy.getOutputs()[0].getDefiningOp<memref::SubViewOp>();
    memref::AllocOp sourceAlloc = plainAlloc(source);
    if (!subview || !sourceAlloc)
      return;
    memref::AllocOp bufferAlloc = plainAlloc(subview.getSource());
    Block *block = copy->getBlock();
    if (!bufferAlloc || sourceAlloc->getBlock() != block ||
        bufferAlloc->getBlock() != block || subview->getBlock() != block ||
        !subview.getOffsets().empty() || !subview.getSizes().empty() ||
        !subview.getStrides().empty() ||
        subview.getType().getShape() !=
            cast<MemRefType>(source.getType()).getShape())
      return;
    // src's uses in block order.
    SmallVector<Operation *> users;
    for (Operation *user : source.getUsers()) {
      if (user->getBlock() != block)
        return;
      if (!llvm::is_contained(users, user))
        users.push_back(user);
    }
    llvm::sort(users, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
    auto at = llvm::find(users, copy.getOperation());
    // After the copy: nothing, or a whole overwrite first.
    if (std::next(at) != users.end() && !overwrites(*std::next(at), source))
      return;
    // Before it: back to the last whole overwrite.
    auto first = at;
    while (first != users.begin()) {
      --first;
      if (!isa<linalg::LinalgOp, cnnc::cnnk::Conv2DOp, cnnc::cnnk::MatmulOp>(*first))
        return;
      if (overwrites(*first, source))
        break;
    }
    if (first == at)
      return;
    SmallVector<Operation *> writers(first, at);
    // Up to the first writer, where they come after it (a concatenation's
    // buffer is allocated before its parts are written: it stays).
    if (writers.front()->isBeforeInBlock(bufferAlloc))
      bufferAlloc->moveBefore(writers.front());
    if (writers.front()->isBeforeInBlock(subview))
      subview->moveBefore(writers.front());
    for (Operation *writer : writers)
      writer->replaceUsesOfWith(source, subview.getResult());
    copy->erase();
    if (sourceAlloc->use_empty())
      sourceAlloc->erase();
  }

  /// Whether `op` writes all of `buffer` without reading it.
  static bool overwrites(Operation *op, Value buffer) {
    if (auto broadcast = dyn_cast<linalg::BroadcastOp>(op))
      return broadcast.getInit() == buffer && broadcast.getInput() != buffer;
    if (auto fill = dyn_cast<linalg::FillOp>(op))
      return fill.getOutputs()[0] == buffer;
    // A kernel op writes its init whole and never reads it.
    if (isa<cnnc::cnnk::Conv2DOp, cnnc::cnnk::MatmulOp>(op)) {
      auto kernel = cast<DestinationStyleOpInterface>(op);
      return kernel.getDpsInits()[0] == buffer &&
             llvm::none_of(kernel.getDpsInputs(),
                           [&](Value input) { return input == buffer; });
    }
    return false;
  }
};

} // namespace
