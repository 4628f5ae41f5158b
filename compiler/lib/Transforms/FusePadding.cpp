//===- FusePadding.cpp - Zero padding into the convolution ----------------===//

#include "cnnc/Transforms/Passes.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

namespace cnnc {
#define GEN_PASS_DEF_FUSEPADDING
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;

namespace {

struct FusePaddingPass : cnnc::impl::FusePaddingBase<FusePaddingPass> {
  void runOnOperation() override {
    getOperation().walk([](cnn::ConvOp conv) {
      auto pad = conv.getInput().getDefiningOp<cnn::PadOp>();
      if (!pad || !pad->hasOneUse() || pad.getMode() != cnn::PadMode::Constant ||
          pad.getValue().convertToDouble() != 0.0)
        return;
      int64_t rank = pad.getType().getRank();
      ArrayRef<int64_t> pads = pad.getPads();
      // [N, C] stay unpadded: only the spatial dimensions move.
      if (pads[0] || pads[1] || pads[rank] || pads[rank + 1])
        return;
      int64_t spatial = rank - 2;
      SmallVector<int64_t> merged(conv.getPads());
      for (int64_t i = 0; i < spatial; ++i) {
        merged[i] += pads[2 + i];
        merged[spatial + i] += pads[rank + 2 + i];
      }
      conv.setPads(merged);
      conv.getInputMutable().assign(pad.getInput());
      conv->setLoc(FusedLoc::get(conv.getContext(),
                                 {pad.getLoc(), conv.getLoc()}));
      pad.erase();
    });
  }
};

} // namespace
