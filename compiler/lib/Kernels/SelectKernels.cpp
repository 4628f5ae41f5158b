//===- SelectKernels.cpp - The cost model's choice, recorded on the ops ---===//
//
// cnnc-select-kernels: each cnnk op priced on tensors, where its weights
// are still constants and its shapes the graph's, and the choice written
// on it: the algorithm (ConvolutionAlgorithm.cpp) and the register tile
// (ConvolutionTiles.cpp) of the op the register tile will build. The kernel
// passes after bufferization apply what is recorded; `cnnc compile
// --report` prints it.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Kernels/Passes.h"

#include "cnnc/Dialect/Kernel/IR/KernelOps.h"
#include "cnnc/Kernels/ConvolutionAlgorithm.h"
#include "cnnc/Kernels/RecordedTile.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace cnnc {
#define GEN_PASS_DEF_SELECTKERNELS
#include "cnnc/Kernels/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;

namespace {

/// Whether `value` is a constant, through reshapes.
bool isConstant(Value value) {
  while (Operation *op = value.getDefiningOp()) {
    if (isa<arith::ConstantOp>(op))
      return true;
    if (!isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(op))
      return false;
    value = op->getOperand(0);
  }
  return false;
}

void select(cnnk::Conv2DOp op, unsigned vectorBits,
            std::optional<ConvolutionAlgorithm> forced) {
  ArrayRef<int64_t> out = cast<RankedTensorType>(op.getInit().getType()).getShape();
  ArrayRef<int64_t> w = cast<RankedTensorType>(op.getFilter().getType()).getShape();
  int64_t channels = out[3];
  if (op.isDepthwise()) {
    op.setAlgorithm(ConvolutionAlgorithm::Direct);
    op.setTileAttr(tileAttr(
        op.getContext(),
        chooseDepthwiseTile(out[2], channels, w[1], op.getStrides()[1],
                            op.getDilations()[1], vectorBits)));
    return;
  }
  ConvolutionShape shape{out[0],
                         out[1],
                         out[2],
                         w[2],
                         channels,
                         w[0],
                         w[1],
                         op.getStrides()[0],
                         op.getStrides()[1],
                         op.getDilations()[0],
                         op.getDilations()[1],
                         /*grouped=*/false,
                         /*constantWeights=*/isConstant(op.getFilter()),
                         /*padded=*/
                         static_cast<bool>(
                             op.getInput().getDefiningOp<tensor::PadOp>())};
  ConvolutionAlgorithm algorithm =
      chooseConvolutionAlgorithm(shape, vectorBits, forced);
  op.setAlgorithm(algorithm);
  op.setTileAttr(tileAttr(op.getContext(),
                          chooseConvolutionTile(tileRowPixels(shape, algorithm),
                                                channels, vectorBits)));
}

/// A product is the 1x1 convolution of one row of M pixels.
void select(cnnk::MatmulOp op, unsigned vectorBits) {
  ArrayRef<int64_t> out = cast<RankedTensorType>(op.getInit().getType()).getShape();
  op.setTileAttr(tileAttr(op.getContext(),
                          chooseConvolutionTile(out[out.size() - 2],
                                                out.back(), vectorBits)));
}

struct SelectKernelsPass
    : cnnc::impl::SelectKernelsBase<SelectKernelsPass> {
  using Base::Base;
  void runOnOperation() override {
    if (vectorBits < 128)
      return;
    std::optional<ConvolutionAlgorithm> forced = forcedAlgorithm(algorithm);
    getOperation().walk([&](Operation *op) {
      if (auto conv = dyn_cast<cnnk::Conv2DOp>(op))
        if (!conv.hasBufferSemantics())
          select(conv, vectorBits, forced);
      if (auto product = dyn_cast<cnnk::MatmulOp>(op))
        if (!product.hasBufferSemantics())
          select(product, vectorBits);
    });
  }
};

} // namespace

DenseI64ArrayAttr cnnc::tileAttr(MLIRContext *ctx,
                                 std::optional<ConvolutionTile> tile) {
  if (!tile)
    return nullptr;
  return DenseI64ArrayAttr::get(ctx, {tile->rows, tile->vectors, tile->lanes});
}

std::optional<ConvolutionTile> cnnc::recordedTile(Operation *kernel) {
  std::optional<ArrayRef<int64_t>> tile;
  if (auto conv = dyn_cast<cnnk::Conv2DOp>(kernel))
    tile = conv.getTile();
  else if (auto product = dyn_cast<cnnk::MatmulOp>(kernel))
    tile = product.getTile();
  if (!tile)
    return std::nullopt;
  int64_t channels =
      cast<ShapedType>(cast<DestinationStyleOpInterface>(kernel)
                           .getDpsInits()[0]
                           .getType())
          .getShape()
          .back();
  ConvolutionTile recorded{(*tile)[0], (*tile)[1], (*tile)[2]};
  recorded.masked = recorded.lanes > channels;
  return recorded;
}
