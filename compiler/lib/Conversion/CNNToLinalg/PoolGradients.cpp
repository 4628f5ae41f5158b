//===- PoolGradients.cpp - cnn.pool_grad ----------------------------------===//
//
// The gradient of max and average pooling as a gather: every input
// position sums what the output positions whose windows hold it send back,
// so the loops stay parallel and no two iterations write one element.
//
//===----------------------------------------------------------------------===//

#include "StructuredBuilders.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <limits>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::lowering;

namespace {

/// A 2-D pooling window over an [N, C, H, W] input.
struct PoolWindow {
  ArrayRef<int64_t> kernel, strides, dilations, pads;
  int64_t sizes[2];
  bool includePad;
  Type element;
};

/// `g` when the window of output position `out` has its first maximum (in
/// row-major order) at tap (kh, kw), else 0.
Value firstMaxShare(OpBuilder &b, Location l, const PoolWindow &w, Value x,
                    Value n, Value ch, Value *out, Value kh, Value kw,
                    Value g) {
  ArrayRef<int64_t> kernel = w.kernel, strides = w.strides,
                    dilations = w.dilations, pads = w.pads;
  const int64_t *sizes = w.sizes;
  Type element = w.element;
  // The first maximum of window `out`, in row-major order.
  Value lowest =
      floatConstant(b, l, element, -std::numeric_limits<double>::infinity());
  Value none = arith::ConstantIndexOp::create(b, l, -1);
  Value best = lowest, bestAt = none;
  for (int64_t i = 0; i < kernel[0]; ++i) {
    for (int64_t j = 0; j < kernel[1]; ++j) {
      Value at[2];
      Value valid = arith::ConstantIntOp::create(b, l, 1, 1);
      int64_t tap[2] = {i, j};
      for (int d = 0; d < 2; ++d) {
        at[d] = arith::AddIOp::create(
            b, l,
            arith::MulIOp::create(
                b, l, out[d], arith::ConstantIndexOp::create(b, l, strides[d])),
            arith::ConstantIndexOp::create(b, l,
                                           tap[d] * dilations[d] - pads[d]));
        Value lo =
            arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, at[d],
                                  arith::ConstantIndexOp::create(b, l, 0));
        Value hi = arith::CmpIOp::create(
            b, l, arith::CmpIPredicate::slt, at[d],
            arith::ConstantIndexOp::create(b, l, sizes[d]));
        valid = arith::AndIOp::create(b, l, valid,
                                      arith::AndIOp::create(b, l, lo, hi));
      }
      // Clamped so that the load stays inside; `valid` decides.
      Value safe[2];
      for (int d = 0; d < 2; ++d)
        safe[d] = arith::MinSIOp::create(
            b, l,
            arith::MaxSIOp::create(b, l, at[d],
                                   arith::ConstantIndexOp::create(b, l, 0)),
            arith::ConstantIndexOp::create(b, l, sizes[d] - 1));
      Value v = tensor::ExtractOp::create(b, l, x,
                                          ValueRange{n, ch, safe[0], safe[1]});
      Value better = arith::AndIOp::create(
          b, l, valid,
          arith::OrIOp::create(
              b, l,
              arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, v, best),
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, bestAt,
                                    none)));
      best = arith::SelectOp::create(b, l, better, v, best);
      bestAt = arith::SelectOp::create(
          b, l, better, arith::ConstantIndexOp::create(b, l, i * kernel[1] + j),
          bestAt);
    }
  }
  Value here = arith::AddIOp::create(
      b, l,
      arith::MulIOp::create(b, l, kh,
                            arith::ConstantIndexOp::create(b, l, kernel[1])),
      kw);
  Value wins =
      arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, bestAt, here);
  return arith::SelectOp::create(b, l, wins, g,
                                 floatConstant(b, l, element, 0.0));
}

/// `g` over the divisor of output position `out`'s window.
Value averageShare(OpBuilder &b, Location l, const PoolWindow &w, Value *out,
                   Value g) {
  ArrayRef<int64_t> kernel = w.kernel, strides = w.strides,
                    dilations = w.dilations, pads = w.pads;
  const int64_t *sizes = w.sizes;
  Type element = w.element;
  bool includePad = w.includePad;
  // The divisor: taps inside the input (or inside the padded input with
  // count_include_pad), per dimension, multiplied.
  Value count = arith::ConstantIndexOp::create(b, l, 1);
  for (int d = 0; d < 2; ++d) {
    Value taps = arith::ConstantIndexOp::create(b, l, 0);
    int64_t lo = includePad ? -pads[d] : 0;
    int64_t hi = includePad ? sizes[d] + pads[d + 2] : sizes[d];
    for (int64_t i = 0; i < kernel[d]; ++i) {
      Value at = arith::AddIOp::create(
          b, l,
          arith::MulIOp::create(
              b, l, out[d], arith::ConstantIndexOp::create(b, l, strides[d])),
          arith::ConstantIndexOp::create(b, l, i * dilations[d] - pads[d]));
      Value inside = arith::AndIOp::create(
          b, l,
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, at,
                                arith::ConstantIndexOp::create(b, l, lo)),
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, at,
                                arith::ConstantIndexOp::create(b, l, hi)));
      taps = arith::AddIOp::create(
          b, l, taps,
          arith::SelectOp::create(b, l, inside,
                                  arith::ConstantIndexOp::create(b, l, 1),
                                  arith::ConstantIndexOp::create(b, l, 0)));
    }
    count = arith::MulIOp::create(b, l, count, taps);
  }
  Value divisor = arith::SIToFPOp::create(
      b, l, element, arith::IndexCastOp::create(b, l, b.getI64Type(), count));
  return arith::DivFOp::create(b, l, g, divisor);
}

/// For every input position (n, c, h, w): the sum over the window offsets
/// (kh, kw) of what the output position whose window holds (h, w) at that
/// offset sends back, when there is one: its whole gradient if (h, w) is the
/// first maximum of its window (max), its gradient over its divisor (avg).
/// The pool gradient when the windows tile the input exactly (kernel =
/// stride, no padding, no remainder): every input position has one window.
/// A max pool's winners are found once per window (the first maximum in
/// row-major order, as the loops visit the window in order), then each
/// position takes its window's gradient if it won; an average pool's
/// positions take a k*k-th of it.
Value tiledPoolGrad(OpBuilder &b, Location loc, cnn::PoolGradOp op, Value input,
                    Value grad) {
  MLIRContext *ctx = b.getContext();
  auto inputType = cast<RankedTensorType>(input.getType());
  auto gradType = cast<RankedTensorType>(grad.getType());
  Type element = inputType.getElementType();
  ArrayRef<int64_t> k = op.getKernel();
  AffineExpr n = getAffineDimExpr(0, ctx), c = getAffineDimExpr(1, ctx),
             h = getAffineDimExpr(2, ctx), w = getAffineDimExpr(3, ctx);
  // What each input position reads of its window's values.
  auto ofWindow =
      AffineMap::get(4, 0, {n, c, h.floorDiv(k[0]), w.floorDiv(k[1])}, ctx);
  auto identity = b.getMultiDimIdentityMap(4);
  SmallVector<utils::IteratorType> parallel(4, utils::IteratorType::parallel);
  Value init = tensor::EmptyOp::create(b, loc, inputType.getShape(), element);
  if (op.getKind() == cnn::PoolKind::Avg) {
    double scale = 1.0 / static_cast<double>(k[0] * k[1]);
    return linalg::GenericOp::create(
               b, loc, inputType, ValueRange{grad}, init,
               SmallVector<AffineMap>{ofWindow, identity}, parallel,
               [&](OpBuilder &nb, Location l, ValueRange a) {
                 linalg::YieldOp::create(
                     nb, l,
                     arith::MulFOp::create(nb, l, a[0],
                                           floatConstant(nb, l, element, scale))
                         .getResult());
               })
        .getResult(0);
  }
  // The winner of each window: its row-major position, from a reduction
  // over (kh, kw) that keeps the first strict maximum.
  AffineExpr kh = getAffineDimExpr(4, ctx), kw = getAffineDimExpr(5, ctx);
  auto windowRead =
      AffineMap::get(6, 0, {n, c, h * k[0] + kh, w * k[1] + kw}, ctx);
  auto perWindow = AffineMap::get(6, 0, {n, c, h, w}, ctx);
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);
  Type i32 = b.getI32Type();
  Value best = linalg::FillOp::create(
                   b, loc,
                   floatConstant(b, loc, element,
                                 -std::numeric_limits<double>::infinity()),
                   ValueRange{tensor::EmptyOp::create(
                       b, loc, gradType.getShape(), element)})
                   .getResult(0);
  Value none =
      linalg::FillOp::create(
          b, loc, arith::ConstantIntOp::create(b, loc, i32, -1).getResult(),
          ValueRange{tensor::EmptyOp::create(b, loc, gradType.getShape(), i32)})
          .getResult(0);
  // The window's extent, as linalg's pooling ops give it: an operand the
  // body never reads, whose shape bounds (kh, kw).
  Value windowShape = tensor::EmptyOp::create(b, loc, k, element);
  auto window = AffineMap::get(6, 0, {kh, kw}, ctx);
  auto winners = linalg::GenericOp::create(
      b, loc, TypeRange{gradType, gradType.clone(i32)},
      ValueRange{input, windowShape}, ValueRange{best, none},
      SmallVector<AffineMap>{windowRead, window, perWindow, perWindow},
      iterators, [&](OpBuilder &nb, Location l, ValueRange a) {
        // a: the input value, (the window), the best so far, its position.
        Value here = arith::IndexCastOp::create(
            nb, l, i32,
            arith::AddIOp::create(
                nb, l,
                arith::MulIOp::create(
                    nb, l, linalg::IndexOp::create(nb, l, 4),
                    arith::ConstantIndexOp::create(nb, l, k[1])),
                linalg::IndexOp::create(nb, l, 5)));
        Value first =
            arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, a[3],
                                  arith::ConstantIntOp::create(nb, l, i32, 0));
        Value better = arith::OrIOp::create(
            nb, l, first,
            arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT, a[0],
                                  a[2]));
        linalg::YieldOp::create(
            nb, l,
            ValueRange{arith::SelectOp::create(nb, l, better, a[0], a[2]),
                       arith::SelectOp::create(nb, l, better, here, a[3])});
      });
  // Each position takes its window's gradient if it is the winner.
  return linalg::GenericOp::create(
             b, loc, inputType, ValueRange{winners.getResult(1), grad}, init,
             SmallVector<AffineMap>{ofWindow, ofWindow, identity}, parallel,
             [&](OpBuilder &nb, Location l, ValueRange a) {
               Value hIn = arith::RemSIOp::create(
                   nb, l, linalg::IndexOp::create(nb, l, 2),
                   arith::ConstantIndexOp::create(nb, l, k[0]));
               Value wIn = arith::RemSIOp::create(
                   nb, l, linalg::IndexOp::create(nb, l, 3),
                   arith::ConstantIndexOp::create(nb, l, k[1]));
               Value position = arith::IndexCastOp::create(
                   nb, l, i32,
                   arith::AddIOp::create(
                       nb, l,
                       arith::MulIOp::create(
                           nb, l, hIn,
                           arith::ConstantIndexOp::create(nb, l, k[1])),
                       wIn));
               Value won = arith::CmpIOp::create(
                   nb, l, arith::CmpIPredicate::eq, a[0], position);
               linalg::YieldOp::create(
                   nb, l,
                   arith::SelectOp::create(nb, l, won, a[1],
                                           floatConstant(nb, l, element, 0.0))
                       .getResult());
             })
      .getResult(0);
}

struct PoolGradLowering : OpConversionPattern<cnn::PoolGradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::PoolGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType inputType = op.getType();
    auto gradType = cast<RankedTensorType>(op.getGradOutput().getType());
    Type element = inputType.getElementType();
    Value input = adaptor.getInput(), grad = adaptor.getGradOutput();
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      dilations = op.getDilations(), pads = op.getPads();
    int64_t sizes[2] = {inputType.getDimSize(2), inputType.getDimSize(3)};
    int64_t outSizes[2] = {gradType.getDimSize(2), gradType.getDimSize(3)};
    bool isMax = op.getKind() == cnn::PoolKind::Max;
    bool tiling = !op.getCeilMode() && kernel == strides &&
                  llvm::all_of(dilations, [](int64_t d) { return d == 1; }) &&
                  llvm::all_of(pads, [](int64_t p) { return p == 0; });
    if (tiling && sizes[0] == outSizes[0] * strides[0] &&
        sizes[1] == outSizes[1] * strides[1]) {
      rewriter.replaceOp(op, tiledPoolGrad(rewriter, loc, op, input, grad));
      return success();
    }
    PoolWindow window{kernel,
                      strides,
                      dilations,
                      pads,
                      {sizes[0], sizes[1]},
                      op.getCountIncludePad(),
                      element};

    auto body = [&](OpBuilder &b, Location l, ValueRange) {
      auto index = [&](int64_t v) {
        return arith::ConstantIndexOp::create(b, l, v).getResult();
      };
      Value n = linalg::IndexOp::create(b, l, 0);
      Value ch = linalg::IndexOp::create(b, l, 1);
      Value pos[2] = {linalg::IndexOp::create(b, l, 2),
                      linalg::IndexOp::create(b, l, 3)};
      Value zero = floatConstant(b, l, element, 0.0);
      auto inRange = [&](OpBuilder &nb, Value v, int64_t lo, int64_t hi) {
        Value a =
            arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, v,
                                  arith::ConstantIndexOp::create(nb, l, lo));
        Value c =
            arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, v,
                                  arith::ConstantIndexOp::create(nb, l, hi));
        return arith::AndIOp::create(nb, l, a, c).getResult();
      };
      // What the output position whose window holds this position at
      // offset (kh, kw) sends back (0 when there is none).
      auto shareAt = [&](OpBuilder &b2, Location l2, Value kh,
                         Value kw) -> Value {
        Value offsets[2] = {kh, kw};
        // The output position: (pos + pad - k * dilation) / stride,
        // when exact and in range.
        Value valid = arith::ConstantIntOp::create(b2, l2, 1, 1);
        Value out[2];
        for (int d = 0; d < 2; ++d) {
          Value reach = arith::MulIOp::create(
              b2, l2, offsets[d],
              arith::ConstantIndexOp::create(b2, l2, dilations[d]));
          Value shifted = arith::SubIOp::create(
              b2, l2,
              arith::AddIOp::create(
                  b2, l2, pos[d],
                  arith::ConstantIndexOp::create(b2, l2, pads[d])),
              reach);
          Value stride = arith::ConstantIndexOp::create(b2, l2, strides[d]);
          Value exact = arith::CmpIOp::create(
              b2, l2, arith::CmpIPredicate::eq,
              arith::RemSIOp::create(b2, l2, shifted, stride),
              arith::ConstantIndexOp::create(b2, l2, 0));
          out[d] = arith::DivSIOp::create(b2, l2, shifted, stride);
          valid = arith::AndIOp::create(
              b2, l2, valid,
              arith::AndIOp::create(
                  b2, l2, exact,
                  arith::AndIOp::create(
                      b2, l2,
                      arith::CmpIOp::create(
                          b2, l2, arith::CmpIPredicate::sge, shifted,
                          arith::ConstantIndexOp::create(b2, l2, 0)),
                      inRange(b2, out[d], 0, outSizes[d]))));
        }
        auto contribution = scf::IfOp::create(
            b2, l2, valid,
            [&](OpBuilder &b3, Location l3) {
              Value g = tensor::ExtractOp::create(
                  b3, l3, grad, ValueRange{n, ch, out[0], out[1]});
              Value share = isMax ? firstMaxShare(b3, l3, window, input, n, ch,
                                                  out, kh, kw, g)
                                  : averageShare(b3, l3, window, out, g);
              scf::YieldOp::create(b3, l3, share);
            },
            [&](OpBuilder &b3, Location l3) {
              scf::YieldOp::create(b3, l3, floatConstant(b3, l3, element, 0.0));
            });
        return contribution.getResult(0);
      };
      if (tiling) {
        // Windows that tile the input: one window per position.
        Value kh = arith::RemSIOp::create(b, l, pos[0], index(strides[0]));
        Value kw = arith::RemSIOp::create(b, l, pos[1], index(strides[1]));
        linalg::YieldOp::create(b, l, shareAt(b, l, kh, kw));
        return;
      }
      // Overlapping windows: the offsets' contributions add up.
      auto outer = scf::ForOp::create(
          b, l, index(0), index(kernel[0]), index(1), ValueRange{zero},
          [&](OpBuilder &b1, Location l1, Value kh, ValueRange acc1) {
            auto inner = scf::ForOp::create(
                b1, l1, index(0), index(kernel[1]), index(1), acc1,
                [&](OpBuilder &b2, Location l2, Value kw, ValueRange acc2) {
                  scf::YieldOp::create(
                      b2, l2,
                      ValueRange{arith::AddFOp::create(
                          b2, l2, acc2[0], shareAt(b2, l2, kh, kw))});
                });
            scf::YieldOp::create(b1, l1, inner.getResults());
          });
      linalg::YieldOp::create(b, l, outer.getResult(0));
    };

    Value init =
        tensor::EmptyOp::create(rewriter, loc, inputType.getShape(), element);
    rewriter.replaceOp(
        op,
        linalg::GenericOp::create(
            rewriter, loc, inputType, ValueRange{}, init,
            SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(4)},
            SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
            body)
            .getResult(0));
    return success();
  }
};

} // namespace

void cnnc::lowering::populatePoolGradientLowerings(RewritePatternSet &patterns) {
  patterns.add<PoolGradLowering>(patterns.getContext());
}
