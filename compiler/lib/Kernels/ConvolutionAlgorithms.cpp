//===- ConvolutionAlgorithms.cpp - Per-layer algorithm choice -------------===//
//
// cnnc-convolution-algorithms: each channels-last convolution priced by
// ConvolutionAlgorithm.cpp's model and rewritten as it chooses
// (ConvolutionRewrites.h); direct ones are left to the register tile.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Kernels/Passes.h"

#include "ConvolutionRewrites.h"
#include "cnnc/Kernels/ConvolutionAlgorithm.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

namespace cnnc {
#define GEN_PASS_DEF_CONVOLUTIONALGORITHMS
#include "cnnc/Kernels/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc::kernels;

namespace {

struct ConvolutionAlgorithmsPass
    : cnnc::impl::ConvolutionAlgorithmsBase<ConvolutionAlgorithmsPass> {
  using Base::Base;

  void runOnOperation() override {
    std::optional<cnnc::ConvolutionAlgorithm> forced =
        cnnc::forcedAlgorithm(algorithm);
    SmallVector<cnnc::cnnk::Conv2DOp> convolutions;
    getOperation().walk([&](cnnc::cnnk::Conv2DOp op) {
      if (!op.isDepthwise())
        convolutions.push_back(op);
    });
    SymbolTable symbols(getOperation());
    SmallVector<memref::GlobalOp> replaced;
    IRRewriter rewriter(&getContext());
    for (cnnc::cnnk::Conv2DOp op : convolutions) {
      std::optional<Convolution> conv = describeConvolution(op);
      if (!conv)
        continue;
      std::optional<std::vector<float>> weights =
          constantFloats(symbols, conv->filter);
      cnnc::ConvolutionShape shape{
          conv->batch,   conv->height,   conv->width,     conv->reduced,
          conv->channels, conv->kernelH, conv->kernelW,   conv->strideH,
          conv->strideW, conv->dilationH, conv->dilationW, /*grouped=*/false,
          /*constantWeights=*/weights.has_value()};
      // The choice cnnc-select-kernels recorded; else the model's now.
      cnnc::ConvolutionAlgorithm choice =
          op.getAlgorithm() ? *op.getAlgorithm()
                            : cnnc::chooseConvolutionAlgorithm(shape, vectorBits,
                                                               forced);
      if (!cnnc::isApplicable(choice, shape, vectorBits))
        choice = cnnc::ConvolutionAlgorithm::Direct;
      switch (choice) {
      case cnnc::ConvolutionAlgorithm::Direct:
        break;
      case cnnc::ConvolutionAlgorithm::Im2col:
        rewriteAsIm2col(rewriter, op, *conv);
        break;
      case cnnc::ConvolutionAlgorithm::Winograd2:
      case cnnc::ConvolutionAlgorithm::Winograd4: {
        memref::GetGlobalOp source = sourceGlobal(conv->filter);
        replaced.push_back(symbols.lookup<memref::GlobalOp>(source.getName()));
        rewriteAsWinograd(
            rewriter, op, *conv, *weights,
            choice == cnnc::ConvolutionAlgorithm::Winograd2 ? 2 : 4,
            vectorBits, symbols);
        break;
      }
      }
    }
    // Weights that only the transformed copies use now.
    for (memref::GlobalOp global : replaced)
      if (global && SymbolTable::symbolKnownUseEmpty(global, getOperation()))
        symbols.erase(global);
  }
};

} // namespace
