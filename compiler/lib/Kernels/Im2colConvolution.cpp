//===- Im2colConvolution.cpp - Windows gathered into rows, then 1x1 -------===//
//
// A convolution with few input channels per window position (the first
// layer's 3) gives the direct tile a short reduction loop per (kh, kw): as
// much loop as work. Gathered into rows of KH*KW*C values, the same
// weights ([KH, KW, C, F] is [KH*KW*C, F] in memory) take one reduction
// of KH*KW*C steps: a 1x1 convolution, which the register tile takes with
// the bias, residual and activation the original had.
//
//===----------------------------------------------------------------------===//

#include "ConvolutionRewrites.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;

namespace cnnc::kernels {

void rewriteAsIm2col(RewriterBase &rewriter, cnnk::Conv2DOp op,
                     const Convolution &conv) {
  Location loc = op.getLoc();
  int64_t kh = conv.kernelH, kw = conv.kernelW, c = conv.reduced;
  int64_t rowLength = kh * kw * c;
  auto f32 = rewriter.getF32Type();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  IndexBuilder ix{rewriter, loc};
  Value rows = memref::AllocOp::create(
      rewriter, loc,
      MemRefType::get({conv.batch, conv.height, conv.width, rowLength}, f32),
      rewriter.getI64IntegerAttr(64));
  // rows[n, oh, ow, (i * KW + j) * C + k] = input[n, oh*sh + i*dh,
  // ow*sw + j*dw, k]: parallel over (n, oh), the rest unrolled by LLVM.
  scf::ParallelOp::create(
      rewriter, loc, {ix.c(0), ix.c(0)}, {ix.c(conv.batch), ix.c(conv.height)},
      {ix.c(1), ix.c(1)}, [&](OpBuilder &b, Location l, ValueRange ivs) {
        Value n = ivs[0], oh = ivs[1];
        auto loop = [&](OpBuilder &lb, int64_t extent,
                        function_ref<void(OpBuilder &, Value)> body) {
          IndexBuilder lx{lb, l};
          scf::ForOp::create(lb, l, lx.c(0), lx.c(extent), lx.c(1),
                             ValueRange{},
                             [&](OpBuilder &fb, Location fl, Value iv,
                                 ValueRange) {
                               body(fb, iv);
                               scf::YieldOp::create(fb, fl);
                             });
        };
        loop(b, conv.width, [&](OpBuilder &wb, Value ow) {
          for (int64_t i = 0; i < kh; ++i)
            for (int64_t j = 0; j < kw; ++j) {
              IndexBuilder wx{wb, l};
              Value ih = wx.add(wx.mul(oh, conv.strideH), i * conv.dilationH);
              Value iw = wx.add(wx.mul(ow, conv.strideW), j * conv.dilationW);
              loop(wb, c, [&](OpBuilder &cb, Value k) {
                IndexBuilder cx{cb, l};
                Value x = memref::LoadOp::create(cb, l, conv.input,
                                                 ValueRange{n, ih, iw, k});
                memref::StoreOp::create(
                    cb, l, x, rows,
                    ValueRange{n, oh, ow, cx.add(k, (i * kw + j) * c)});
              });
            }
        });
        scf::ReduceOp::create(b, l);
      });
  // The weights as [1, 1, KH*KW*C, F]; the recorded tile is the 1x1
  // convolution's.
  rewriter.setInsertionPoint(op);
  int64_t f = conv.channels;
  Value flat = memref::CollapseShapeOp::create(
      rewriter, loc, conv.filter,
      SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
  Value filter = memref::ExpandShapeOp::create(
      rewriter, loc, MemRefType::get({1, 1, rowLength, f}, f32), flat,
      SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
  SmallVector<int64_t> ones{1, 1};
  cnnk::Conv2DOp::create(rewriter, loc, /*result=*/Type(), rows, filter,
                         conv.bias, conv.residual, conv.output, ones, ones,
                         op.getActivationAttr(), op.getActivationAlphaAttr(),
                         op.getActivationBetaAttr(),
                         /*algorithm=*/nullptr, /*tile=*/op.getTileAttr());
  rewriter.eraseOp(op);
}

} // namespace cnnc::kernels
