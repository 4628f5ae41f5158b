//===- LowerKernelOps.cpp - Untiled cnnk ops as linalg on memrefs ---------===//
//
// cnnc-lower-kernel-ops: what the register tile did not take (-O0, no
// vector width, a shape no tile fits) as the bias broadcast (or zeros), the
// named linalg convolution or matmul, and the epilogue in place.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Kernels/Passes.h"

#include "cnnc/Dialect/Kernel/IR/Epilogue.h"
#include "cnnc/Dialect/Kernel/IR/KernelOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace cnnc {
#define GEN_PASS_DEF_LOWERKERNELOPS
#include "cnnc/Kernels/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;

namespace {

/// The output started from the bias broadcast along its last dimension, or
/// from zeros.
void initialize(OpBuilder &b, Location loc, Value output, Value bias) {
  auto type = cast<MemRefType>(output.getType());
  if (bias) {
    linalg::BroadcastOp::create(
        b, loc, bias, output,
        llvm::to_vector(llvm::seq<int64_t>(0, type.getRank() - 1)));
    return;
  }
  Value zero = cnnk::floatConstant(b, loc, type.getElementType(), 0.0);
  linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{output});
}

/// The residual added to the output and the activation applied, in place.
void applyEpilogue(OpBuilder &b, Location loc, Value output, Value residual,
                   std::optional<cnn::ActivationKind> activation,
                   FloatAttr alpha, FloatAttr beta) {
  if (!residual && !activation)
    return;
  auto type = cast<MemRefType>(output.getType());
  SmallVector<Value> inputs{output};
  if (residual)
    inputs.push_back(residual);
  SmallVector<AffineMap> maps(inputs.size() + 1,
                              b.getMultiDimIdentityMap(type.getRank()));
  linalg::GenericOp::create(
      b, loc, inputs, ValueRange{output}, maps,
      SmallVector<utils::IteratorType>(type.getRank(),
                                       utils::IteratorType::parallel),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        linalg::YieldOp::create(
            nb, l,
            cnnk::applyEpilogue(nb, l, args[0], residual ? args[1] : Value(),
                                activation, alpha, beta));
      });
}

void lower(IRRewriter &rewriter, cnnk::Conv2DOp op) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  initialize(rewriter, loc, op.getInit(), op.getBias());
  auto strides = rewriter.getI64TensorAttr(op.getStrides());
  auto dilations = rewriter.getI64TensorAttr(op.getDilations());
  SmallVector<Value> inputs{op.getInput(), op.getFilter()};
  if (op.isDepthwise())
    linalg::DepthwiseConv2DNhwcHwcOp::create(rewriter, loc, TypeRange{}, inputs,
                                             ValueRange{op.getInit()}, strides,
                                             dilations);
  else
    linalg::Conv2DNhwcHwcfOp::create(rewriter, loc, TypeRange{}, inputs,
                                     ValueRange{op.getInit()}, strides,
                                     dilations);
  applyEpilogue(rewriter, loc, op.getInit(), op.getResidual(),
                op.getActivation(), op.getActivationAlphaAttr(),
                op.getActivationBetaAttr());
  rewriter.eraseOp(op);
}

void lower(IRRewriter &rewriter, cnnk::MatmulOp op) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  initialize(rewriter, loc, op.getInit(), op.getBias());
  SmallVector<Value> inputs{op.getLhs(), op.getRhs()};
  if (cast<MemRefType>(op.getInit().getType()).getRank() == 3)
    linalg::BatchMatmulOp::create(rewriter, loc, inputs,
                                  ValueRange{op.getInit()});
  else
    linalg::MatmulOp::create(rewriter, loc, inputs, ValueRange{op.getInit()});
  applyEpilogue(rewriter, loc, op.getInit(), op.getResidual(),
                op.getActivation(), op.getActivationAlphaAttr(),
                op.getActivationBetaAttr());
  rewriter.eraseOp(op);
}

struct LowerKernelOpsPass
    : cnnc::impl::LowerKernelOpsBase<LowerKernelOpsPass> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<cnnk::Conv2DOp, cnnk::MatmulOp>(op))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : ops) {
      if (op->getNumResults()) {
        op->emitOpError("is lowered on memrefs: bufferize first");
        return signalPassFailure();
      }
      if (auto conv = dyn_cast<cnnk::Conv2DOp>(op))
        lower(rewriter, conv);
      else
        lower(rewriter, cast<cnnk::MatmulOp>(op));
    }
  }
};

} // namespace
