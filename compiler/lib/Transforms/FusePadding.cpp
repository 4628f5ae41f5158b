//===- FusePadding.cpp - Zero padding into the convolution ----------------===//

#include "cnnc/Transforms/Passes.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include <limits>

namespace cnnc {
#define GEN_PASS_DEF_FUSEPADDING
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;

namespace {

/// The constant pad that only `op`'s input reads and that pads only the
/// spatial dimensions with `value`; null otherwise.
cnn::PadOp spatialPad(Value input, double value) {
  auto pad = input.getDefiningOp<cnn::PadOp>();
  if (!pad || !pad->hasOneUse() || pad.getMode() != cnn::PadMode::Constant ||
      pad.getValue().convertToDouble() != value)
    return nullptr;
  int64_t rank = pad.getType().getRank();
  ArrayRef<int64_t> pads = pad.getPads();
  // [N, C] stay unpadded: only the spatial dimensions move.
  if (pads[0] || pads[1] || pads[rank] || pads[rank + 1])
    return nullptr;
  return pad;
}

/// `own` (a window op's [begin..., end...] pads) plus `pad`'s spatial ones.
SmallVector<int64_t> mergedPads(ArrayRef<int64_t> own, cnn::PadOp pad) {
  int64_t rank = pad.getType().getRank(), spatial = rank - 2;
  ArrayRef<int64_t> pads = pad.getPads();
  SmallVector<int64_t> merged(own);
  for (int64_t i = 0; i < spatial; ++i) {
    merged[i] += pads[2 + i];
    merged[spatial + i] += pads[rank + 2 + i];
  }
  return merged;
}

void absorb(Operation *op, OpOperand &input, cnn::PadOp pad) {
  input.set(pad.getInput());
  op->setLoc(FusedLoc::get(op->getContext(), {pad.getLoc(), op->getLoc()}));
  pad.erase();
}

struct FusePaddingPass : cnnc::impl::FusePaddingBase<FusePaddingPass> {
  void runOnOperation() override {
    getOperation().walk([](cnn::ConvOp conv) {
      if (cnn::PadOp pad = spatialPad(conv.getInput(), 0.0)) {
        conv.setPads(mergedPads(conv.getPads(), pad));
        absorb(conv, conv.getInputMutable(), pad);
      }
    });
    getOperation().walk([](cnn::PoolOp pool) {
      bool isMax = pool.getKind() == cnn::PoolKind::Max;
      // Max pooling pads with -inf; average pooling with zeros that count
      // (count_include_pad), which it can only say for all of its pads.
      double value = isMax ? -std::numeric_limits<double>::infinity() : 0.0;
      cnn::PadOp pad = spatialPad(pool.getInput(), value);
      if (!pad)
        return;
      bool ownPads = llvm::any_of(pool.getPads(), [](int64_t p) { return p; });
      if (!isMax && ownPads && !pool.getCountIncludePad())
        return;
      // A pooling's pads stay smaller than its (dilated) window.
      SmallVector<int64_t> merged = mergedPads(pool.getPads(), pad);
      size_t spatial = pool.getKernel().size();
      for (size_t i = 0; i < 2 * spatial; ++i) {
        size_t d = i % spatial;
        int64_t window = pool.getDilations()[d] * (pool.getKernel()[d] - 1) + 1;
        if (merged[i] >= window)
          return;
      }
      pool.setPads(merged);
      if (!isMax)
        pool.setCountIncludePad(true);
      absorb(pool, pool.getInputMutable(), pad);
    });
  }
};

} // namespace
