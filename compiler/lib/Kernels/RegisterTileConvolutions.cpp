//===- RegisterTileConvolutions.cpp - Direct convolution microkernels -----===//
//
// A channels-last convolution becomes a loop nest whose innermost body is a
// register tile: `rows` output pixels of one row times `vectors` SIMD
// vectors of output channels, accumulated in registers over the whole
// window (kh, kw, input channel) and stored once. Each step of the
// reduction loads the weights' vectors once and broadcasts one input value
// per pixel: rows * vectors FMAs for rows + vectors loads. The tile's shape
// is ConvolutionTiles.cpp's choice.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Kernels/Passes.h"

#include "cnnc/Kernels/ConvolutionTiles.h"
#include "cnnc/Kernels/RecordedTile.h"

#include "Convolution.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"

#include <map>

namespace cnnc {
#define GEN_PASS_DEF_REGISTERTILECONVOLUTIONS
#include "cnnc/Kernels/Passes.h.inc"
} // namespace cnnc

using namespace mlir;

namespace {

using Tile = cnnc::ConvolutionTile;
using cnnc::kernels::Convolution;
using cnnc::kernels::IndexBuilder;

/// When the pixels are the outer loops (see buildTiledLoops): weights up to
/// this size (in L2 with room to spare), inputs from this size (not in L2
/// with the rest), read by at least this many channel tiles.
constexpr int64_t kPixelsOuterWeightBytes = 256 * 1024;
constexpr int64_t kPixelsOuterInputBytes = 512 * 1024;
constexpr int64_t kPixelsOuterChannelTiles = 2;

/// The loop nest: parallel over (n, channel tile, output row, pixel tile),
/// a full tile or the remainder one in each. The body takes the index of
/// the channel tile.
template <typename BodyFn>
void buildTiledLoops(OpBuilder &b, Location loc, const Convolution &conv,
                     const Tile &tile, BodyFn body) {
  IndexBuilder ix{b, loc};
  int64_t channelTile = tile.vectors * tile.lanes;
  int64_t fullTiles = conv.width / tile.rows;
  int64_t remainder = conv.width % tile.rows;
  int64_t pixelTiles = fullTiles + (remainder ? 1 : 0);
  SmallVector<Value> lower(4, ix.c(0)), steps(4, ix.c(1));
  // Channel tiles outermost keep one tile's packed weights in L1 while the
  // input streams by, once per channel tile. When the input is large
  // (beyond L2), read by many channel tiles, and all the weights fit in
  // L2 (a 1x1 convolution widening few channels to many), the pixels go
  // outermost instead: each input row is read once, from L1, by every
  // channel tile.
  // (A masked tile's one vector holds more lanes than there are channels.)
  int64_t channelTiles = (conv.channels + channelTile - 1) / channelTile;
  int64_t weightBytes = conv.kernelH * conv.kernelW * conv.reduced *
                        conv.channels * static_cast<int64_t>(sizeof(float));
  auto inputType = cast<MemRefType>(conv.input.getType());
  int64_t inputBytes = inputType.getNumElements() / inputType.getDimSize(0) *
                       static_cast<int64_t>(sizeof(float));
  bool pixelsOuter = weightBytes <= kPixelsOuterWeightBytes &&
                     inputBytes >= kPixelsOuterInputBytes &&
                     channelTiles >= kPixelsOuterChannelTiles;
  SmallVector<Value> upper =
      pixelsOuter ? SmallVector<Value>{ix.c(conv.batch), ix.c(conv.height),
                                       ix.c(pixelTiles), ix.c(channelTiles)}
                  : SmallVector<Value>{ix.c(conv.batch), ix.c(channelTiles),
                                       ix.c(conv.height), ix.c(pixelTiles)};
  scf::ParallelOp::create(
      b, loc, lower, upper, steps,
      [&](OpBuilder &nb, Location l, ValueRange ivs) {
        IndexBuilder in{nb, l};
        Value n = ivs[0];
        Value channels = pixelsOuter ? ivs[3] : ivs[1];
        Value oh = pixelsOuter ? ivs[1] : ivs[2];
        Value pixelTile = pixelsOuter ? ivs[2] : ivs[3];
        Value ow0 = in.mul(pixelTile, tile.rows);
        if (!remainder) {
          body(nb, l, n, channels, oh, ow0, tile.rows);
        } else {
          Value full = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ult,
                                             pixelTile, in.c(fullTiles));
          scf::IfOp::create(
              nb, l, full,
              [&](OpBuilder &tb, Location tl) {
                body(tb, tl, n, channels, oh, ow0, tile.rows);
                scf::YieldOp::create(tb, tl);
              },
              [&](OpBuilder &eb, Location el) {
                body(eb, el, n, channels, oh, ow0, remainder);
                scf::YieldOp::create(eb, el);
              });
        }
        scf::ReduceOp::create(nb, l);
      });
}

/// The tile for `conv`, or nothing where the generic loops stay.
std::optional<Tile> chooseTile(const Convolution &conv, unsigned vectorBits) {
  if (conv.depthwise)
    return cnnc::chooseDepthwiseTile(conv.width, conv.channels, conv.kernelW,
                                     conv.strideW, conv.dilationW, vectorBits);
  return cnnc::chooseConvolutionTile(conv.width, conv.channels, vectorBits);
}

/// One kernel row `kh` (input row `ih`) of a depthwise tile of `rows`
/// pixels from `ow0`: per channel vector, the row's weights loaded once,
/// then each input column the pixels meet loaded once and multiplied into
/// every (pixel, kernel column) that reads it (a sliding window: with unit
/// stride `rows + KW - 1` loads instead of `rows * KW`). The accumulators
/// after the row.
SmallVector<Value> depthwiseRow(OpBuilder &b, Location loc,
                                const Convolution &conv, const Tile &tile,
                                Value n, Value ih, Value kh, Value ow0,
                                int64_t rows, ArrayRef<Value> channelOffsets,
                                ValueRange accumulators) {
  IndexBuilder ix{b, loc};
  auto vectorType = VectorType::get({tile.lanes}, b.getF32Type());
  // Input column offsets from ow0 * stride: which (pixel, kernel column)
  // pairs each one serves, in column order.
  std::map<int64_t, SmallVector<std::pair<int64_t, int64_t>>> uses;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t kw = 0; kw < conv.kernelW; ++kw)
      uses[i * conv.strideW + kw * conv.dilationW].emplace_back(i, kw);
  Value first = ix.mul(ow0, conv.strideW);
  SmallVector<Value> next(accumulators);
  for (int64_t j = 0; j < tile.vectors; ++j) {
    SmallVector<Value> weights;
    for (int64_t kw = 0; kw < conv.kernelW; ++kw)
      weights.push_back(conv.loadVector(b, loc, vectorType, conv.filter,
                                        ValueRange{kh, ix.c(kw),
                                                   channelOffsets[j]}));
    for (auto &[offset, pairs] : uses) {
      Value x = conv.loadVector(
          b, loc, vectorType, conv.viewOf(conv.input),
          conv.index(n, ih, ix.add(first, offset), channelOffsets[j]));
      for (auto [i, kw] : pairs) {
        Value &acc = next[i * tile.vectors + j];
        acc = vector::FMAOp::create(b, loc, x, weights[kw], acc);
      }
    }
  }
  return next;
}

/// One register tile of `rows` pixels from (n, oh, ow0), the channels of
/// tile `channelTile`: accumulators started from the bias, the window
/// reduced into them, the epilogue applied and stored.
void buildTile(OpBuilder &b, Location loc, const Convolution &conv,
               const Tile &tile, Value n, Value channelTile, Value oh,
               Value ow0, int64_t rows) {
  IndexBuilder ix{b, loc};
  Value f0 = ix.mul(channelTile, tile.vectors * tile.lanes);
  auto vectorType = VectorType::get({tile.lanes}, b.getF32Type());
  SmallVector<Value> channelOffsets;
  for (int64_t j = 0; j < tile.vectors; ++j)
    channelOffsets.push_back(ix.add(f0, j * tile.lanes));
  SmallVector<Value> pixels;
  for (int64_t i = 0; i < rows; ++i)
    pixels.push_back(ix.add(ow0, i));
  // Pixels numbered through the image (flatPixelRowLength): each one's
  // (row, column), once per tile.
  SmallVector<Value> pixelRows, pixelColumns;
  if (int64_t length = conv.flatPixelRowLength)
    for (Value pixel : pixels) {
      pixelRows.push_back(
          arith::DivUIOp::create(b, loc, pixel, ix.c(length)).getResult());
      pixelColumns.push_back(
          arith::RemUIOp::create(b, loc, pixel, ix.c(length)).getResult());
    }
  // The indices of pixel i's element in an activation.
  auto at = [&](int64_t i, Value row, Value column, Value channel) {
    if (conv.flatPixelRowLength)
      return SmallVector<Value>{n, pixelRows[i], pixelColumns[i], channel};
    return conv.index(n, row, column, channel);
  };

  // The sums start from the bias or from zero (one vector per channel
  // vector).
  SmallVector<Value> accumulators;
  SmallVector<Value> starts;
  for (int64_t j = 0; j < tile.vectors; ++j)
    starts.push_back(conv.initialValue(b, loc, vectorType, channelOffsets[j]));
  for (int64_t i = 0; i < rows; ++i)
    llvm::append_range(accumulators, starts);

  auto loop = [&](OpBuilder &lb, int64_t extent, ValueRange init,
                  function_ref<SmallVector<Value>(OpBuilder &, Location, Value,
                                                  ValueRange)>
                      step) {
    IndexBuilder li{lb, loc};
    return scf::ForOp::create(
               lb, loc, li.c(0), li.c(extent), li.c(1), init,
               [&](OpBuilder &fb, Location fl, Value iv, ValueRange args) {
                 scf::YieldOp::create(fb, fl, step(fb, fl, iv, args));
               })
        .getResults();
  };

  ValueRange result = loop(
      b, conv.kernelH, accumulators,
      [&](OpBuilder &hb, Location, Value kh, ValueRange accH) {
        IndexBuilder hx{hb, loc};
        Value ih = hx.add(hx.mul(oh, conv.strideH), hx.mul(kh, conv.dilationH));
        if (conv.depthwise)
          return depthwiseRow(hb, loc, conv, tile, n, ih, kh, ow0, rows,
                              channelOffsets, accH);
        return SmallVector<Value>(loop(
            hb, conv.kernelW, accH,
            [&](OpBuilder &wb, Location, Value kw, ValueRange accW) {
              IndexBuilder wx{wb, loc};
              SmallVector<Value> columns;
              for (int64_t i = 0; i < rows; ++i)
                columns.push_back(wx.add(wx.mul(pixels[i], conv.strideW),
                                         wx.mul(kw, conv.dilationW)));
              return SmallVector<Value>(loop(
                  wb, conv.reduced, accW,
                  [&](OpBuilder &cb, Location, Value c, ValueRange accC) {
                    IndexBuilder cx{cb, loc};
                    SmallVector<Value> weights;
                    for (int64_t j = 0; j < tile.vectors; ++j) {
                      // [F/tile, KH, KW, C, tile] or [KH, KW, C, F]; a
                      // batch of products: [P, F/tile, C, tile] or
                      // [P, C, F].
                      SmallVector<Value> at;
                      if (conv.batchedFilter)
                        at = conv.packed
                                 ? SmallVector<Value>{n, channelTile, c,
                                                      cx.c(j * tile.lanes)}
                                 : SmallVector<Value>{n, c, channelOffsets[j]};
                      else
                        at = conv.packed
                                 ? SmallVector<Value>{channelTile, kh, kw, c,
                                                      cx.c(j * tile.lanes)}
                                 : SmallVector<Value>{kh, kw, c,
                                                      channelOffsets[j]};
                      // Packed weights are padded to whole tiles.
                      weights.push_back(
                          conv.packed ? vector::LoadOp::create(
                                            cb, loc, vectorType, conv.filter,
                                            at)
                                            .getResult()
                                      : conv.loadVector(cb, loc, vectorType,
                                                        conv.filter, at));
                    }
                    SmallVector<Value> next(accC);
                    for (int64_t i = 0; i < rows; ++i) {
                      Value x = memref::LoadOp::create(
                          cb, loc, conv.viewOf(conv.input),
                          at(i, ih, columns[i], c));
                      Value broadcast =
                          vector::BroadcastOp::create(cb, loc, vectorType, x);
                      for (int64_t j = 0; j < tile.vectors; ++j) {
                        Value &acc = next[i * tile.vectors + j];
                        acc = vector::FMAOp::create(cb, loc, broadcast,
                                                    weights[j], acc);
                      }
                    }
                    return next;
                  }));
            }));
      });

  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < tile.vectors; ++j)
      conv.store(b, loc, result[i * tile.vectors + j],
                 at(i, oh, pixels[i], channelOffsets[j]));
}

/// Points `conv` at a copy of its constant weights packed per channel tile
/// ([F / tile, KH, KW, C, tile], a new global; [P, F / tile, C, tile] for a
/// batch of products), when they are constant.
void packFilter(OpBuilder &b, Location loc, SymbolTable &symbols,
                Convolution &conv, const Tile &tile) {
  if (conv.depthwise)
    return;
  std::optional<std::vector<float>> data =
      cnnc::kernels::constantFloats(symbols, conv.filter);
  if (!data)
    return;
  memref::GetGlobalOp get = cnnc::kernels::sourceGlobal(conv.filter);
  ArrayRef<int64_t> shape = cast<MemRefType>(conv.filter.getType()).getShape();
  // Either way a block of `window` rows of F weights each, once per batch.
  int64_t batches = conv.batchedFilter ? shape[0] : 1;
  int64_t f = shape.back();
  int64_t window = static_cast<int64_t>(data->size()) / (batches * f);
  int64_t width = tile.vectors * tile.lanes;
  // A masked tile's channels padded with zeros to the whole vector.
  int64_t blocks = (f + width - 1) / width;
  std::vector<float> packed(batches * blocks * window * width, 0.0f);
  for (int64_t p = 0; p < batches; ++p) {
    const float *from = data->data() + p * window * f;
    float *to = packed.data() + p * blocks * window * width;
    for (int64_t block = 0; block < blocks; ++block)
      for (int64_t k = 0; k < window; ++k)
        for (int64_t t = 0; t < width && block * width + t < f; ++t)
          to[(block * window + k) * width + t] = from[k * f + block * width + t];
  }
  SmallVector<int64_t> packedShape =
      conv.batchedFilter
          ? SmallVector<int64_t>{batches, blocks, shape[1], width}
          : SmallVector<int64_t>{blocks, shape[0], shape[1], shape[2],
                                 width};
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointAfter(get);
  conv.filter = cnnc::kernels::createConstantWeights(
      b, loc, symbols, symbols.lookup<memref::GlobalOp>(get.getName()),
      "_packed", packed, packedShape);
  conv.packed = true;
}

struct RegisterTileConvolutionsPass
    : cnnc::impl::RegisterTileConvolutionsBase<RegisterTileConvolutionsPass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<cnnc::cnnk::Conv2DOp, cnnc::cnnk::MatmulOp>(op))
        ops.push_back(op);
    });
    SymbolTable symbols(getOperation());
    SmallVector<memref::GlobalOp> unpacked;
    IRRewriter rewriter(&getContext());
    for (Operation *op : ops) {
      std::optional<Convolution> conv = cnnc::kernels::describeConvolution(op);
      if (!conv)
        continue;
      // The recorded tile; else the lanes must divide the channels, and a
      // 1x1 convolution runs over all the pixels of an image at once, where
      // it can.
      std::optional<Tile> tile = cnnc::recordedTile(op);
      if (!tile && !chooseTile(*conv, vectorBits))
        continue;
      rewriter.setInsertionPoint(op);
      cnnc::kernels::flattenPixels(rewriter, op->getLoc(), *conv);
      // (A longer row only makes tiles better: there still is one.)
      if (!tile)
        tile = chooseTile(*conv, vectorBits);
      if (!tile)
        continue;
      if (tile->masked)
        conv->validLanes = conv->channels;
      Value filter = conv->filter;
      memref::GetGlobalOp source = cnnc::kernels::sourceGlobal(filter);
      packFilter(rewriter, op->getLoc(), symbols, *conv, *tile);
      rewriter.setInsertionPoint(op);
      buildTiledLoops(rewriter, op->getLoc(), *conv, *tile,
                      [&](OpBuilder &b, Location loc, Value n, Value channels,
                          Value oh, Value ow0, int64_t rows) {
                        buildTile(b, loc, *conv, *tile, n, channels, oh, ow0,
                                  rows);
                      });
      rewriter.eraseOp(op);
      if (conv->packed) {
        unpacked.push_back(symbols.lookup<memref::GlobalOp>(source.getName()));
        cnnc::kernels::eraseDeadChain(filter);
      }
    }
    // Weights that only the packed copies use now.
    for (memref::GlobalOp global : unpacked)
      if (global && SymbolTable::symbolKnownUseEmpty(global, getOperation()))
        symbols.erase(global);
  }
};

} // namespace
