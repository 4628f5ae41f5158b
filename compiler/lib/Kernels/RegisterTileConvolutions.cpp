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

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"

namespace cnnc {
#define GEN_PASS_DEF_REGISTERTILECONVOLUTIONS
#include "cnnc/Kernels/Passes.h.inc"
} // namespace cnnc

using namespace mlir;

namespace {

using Tile = cnnc::ConvolutionTile;

/// Builds index arithmetic with constants folded as it goes.
struct IndexBuilder {
  OpBuilder &b;
  Location loc;
  Value c(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, int64_t v) {
    return v == 0 ? x : arith::AddIOp::create(b, loc, x, c(v)).getResult();
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, int64_t v) {
    return v == 1 ? x : arith::MulIOp::create(b, loc, x, c(v)).getResult();
  }
};

/// The parts of a channels-last 2-D convolution the kernel needs. `filter`
/// is [KH, KW, C, F] ([KH, KW, C] depthwise), or with `packed` the weights
/// laid out per channel tile, [F / tile, KH, KW, C, tile]: the weights one
/// tile reads, in the order it reads them.
struct Convolution {
  Value input, filter, output;
  int64_t batch, height, width, channels; // of the output
  int64_t kernelH, kernelW;
  int64_t strideH, strideW, dilationH, dilationW;
  bool depthwise;
  int64_t reduced; // input channels per output channel (1 for depthwise)
  bool packed = false;
  /// The elementwise op after the convolution (its activation, a residual
  /// add), applied to the accumulators before they are stored; null when
  /// there is none to fuse.
  linalg::GenericOp epilogue;
  /// The op that fills the output with the bias (a broadcast of it along
  /// the channels) right before the convolution: the accumulators start
  /// from the bias vector instead; null when the output is read instead.
  linalg::BroadcastOp bias;
};

/// When the pixels are the outer loops (see buildTiledLoops): weights up to
/// this size (in L2 with room to spare), inputs from this size (not in L2
/// with the rest), read by at least this many channel tiles.
constexpr int64_t kPixelsOuterWeightBytes = 256 * 1024;
constexpr int64_t kPixelsOuterInputBytes = 512 * 1024;
constexpr int64_t kPixelsOuterChannelTiles = 4;

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
  int64_t channelTiles = conv.channels / channelTile;
  int64_t weightBytes = conv.kernelH * conv.kernelW * conv.reduced *
                        conv.channels * static_cast<int64_t>(sizeof(float));
  ArrayRef<int64_t> in = cast<MemRefType>(conv.input.getType()).getShape();
  int64_t inputBytes =
      in[1] * in[2] * in[3] * static_cast<int64_t>(sizeof(float));
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

/// The epilogue's body on a vector of accumulators at `indices`: its other
/// operands loaded there, each scalar op applied to vectors.
Value applyEpilogue(OpBuilder &b, Location loc, const Convolution &conv,
                    Value accumulator, ValueRange indices) {
  linalg::GenericOp epilogue = conv.epilogue;
  auto vectorType = cast<VectorType>(accumulator.getType());
  Block &body = epilogue.getRegion().front();
  IRMapping mapping;
  for (OpOperand &operand : epilogue->getOpOperands()) {
    BlockArgument argument = body.getArgument(operand.getOperandNumber());
    if (argument.use_empty())
      continue;
    mapping.map(
        argument,
        operand.get() == conv.output && epilogue.isDpsInput(&operand)
            ? accumulator
            : vector::LoadOp::create(b, loc, vectorType, operand.get(), indices)
                  .getResult());
  }
  // Scalars from outside the body, as vectors.
  auto vectorOf = [&](Value scalar) -> Value {
    if (Value mapped = mapping.lookupOrNull(scalar))
      return mapped;
    auto type = VectorType::get(vectorType.getShape(), scalar.getType());
    Value splat = vector::BroadcastOp::create(b, loc, type, scalar);
    mapping.map(scalar, splat);
    return splat;
  };
  for (Operation &op : body.without_terminator()) {
    for (Value operand : op.getOperands())
      vectorOf(operand);
    Operation *vectorized = b.clone(op, mapping);
    for (Value result : vectorized->getResults())
      result.setType(VectorType::get(vectorType.getShape(), result.getType()));
  }
  return mapping.lookup(body.getTerminator()->getOperand(0));
}

/// One register tile of `rows` pixels from (n, oh, ow0), the channels of
/// tile `channelTile`:
/// accumulators loaded from the output (which holds the bias), the window
/// reduced into them, stored back.
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

  SmallVector<Value> accumulators;
  SmallVector<Value> biases;
  if (linalg::BroadcastOp bias = conv.bias)
    for (int64_t j = 0; j < tile.vectors; ++j)
      biases.push_back(vector::LoadOp::create(
          b, loc, vectorType, bias.getInput(), ValueRange{channelOffsets[j]}));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < tile.vectors; ++j)
      accumulators.push_back(
          conv.bias ? biases[j]
                    : vector::LoadOp::create(
                          b, loc, vectorType, conv.output,
                          ValueRange{n, oh, pixels[i], channelOffsets[j]})
                          .getResult());

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
        return SmallVector<Value>(loop(
            hb, conv.kernelW, accH,
            [&](OpBuilder &wb, Location, Value kw, ValueRange accW) {
              IndexBuilder wx{wb, loc};
              SmallVector<Value> columns;
              for (int64_t i = 0; i < rows; ++i)
                columns.push_back(wx.add(wx.mul(pixels[i], conv.strideW),
                                         wx.mul(kw, conv.dilationW)));
              if (conv.depthwise) {
                // One channel per output channel: vectors of the input.
                SmallVector<Value> next(accW);
                for (int64_t j = 0; j < tile.vectors; ++j) {
                  Value weight = vector::LoadOp::create(
                      wb, loc, vectorType, conv.filter,
                      ValueRange{kh, kw, channelOffsets[j]});
                  for (int64_t i = 0; i < rows; ++i) {
                    Value x = vector::LoadOp::create(
                        wb, loc, vectorType, conv.input,
                        ValueRange{n, ih, columns[i], channelOffsets[j]});
                    Value &acc = next[i * tile.vectors + j];
                    acc = vector::FMAOp::create(wb, loc, x, weight, acc);
                  }
                }
                return next;
              }
              return SmallVector<Value>(loop(
                  wb, conv.reduced, accW,
                  [&](OpBuilder &cb, Location, Value c, ValueRange accC) {
                    IndexBuilder cx{cb, loc};
                    SmallVector<Value> weights;
                    for (int64_t j = 0; j < tile.vectors; ++j)
                      weights.push_back(vector::LoadOp::create(
                          cb, loc, vectorType, conv.filter,
                          conv.packed
                              ? SmallVector<Value>{channelTile, kh, kw, c,
                                                   cx.c(j * tile.lanes)}
                              : SmallVector<Value>{kh, kw, c,
                                                   channelOffsets[j]}));
                    SmallVector<Value> next(accC);
                    for (int64_t i = 0; i < rows; ++i) {
                      Value x = memref::LoadOp::create(
                          cb, loc, conv.input,
                          ValueRange{n, ih, columns[i], c});
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
    for (int64_t j = 0; j < tile.vectors; ++j) {
      SmallVector<Value> indices{n, oh, pixels[i], channelOffsets[j]};
      Value value = result[i * tile.vectors + j];
      Value destination = conv.output;
      if (conv.epilogue) {
        value = applyEpilogue(b, loc, conv, value, indices);
        linalg::GenericOp epilogue = conv.epilogue;
        destination = epilogue.getDpsInits()[0];
      }
      vector::StoreOp::create(b, loc, value, destination, indices);
    }
}

/// The convolution `op` describes, when it is one the kernel takes: f32
/// memrefs of static shape, channels-last.
std::optional<Convolution> describe(linalg::LinalgOp op) {
  bool depthwise = isa<linalg::DepthwiseConv2DNhwcHwcOp>(op);
  if (!depthwise && !isa<linalg::Conv2DNhwcHwcfOp>(op))
    return std::nullopt;
  if (!op.hasPureBufferSemantics())
    return std::nullopt;
  Value input = op.getDpsInputs()[0], filter = op.getDpsInputs()[1];
  Value output = op.getDpsInits()[0];
  for (Value value : {input, filter, output}) {
    auto type = cast<MemRefType>(value.getType());
    if (!type.hasStaticShape() || !type.getElementType().isF32())
      return std::nullopt;
  }
  auto attr = [&](StringRef name) {
    return SmallVector<int64_t>(
        cast<DenseIntElementsAttr>(op->getAttr(name)).getValues<int64_t>());
  };
  SmallVector<int64_t> strides = attr("strides"), dilations = attr("dilations");
  ArrayRef<int64_t> out = cast<MemRefType>(output.getType()).getShape();
  ArrayRef<int64_t> w = cast<MemRefType>(filter.getType()).getShape();
  Convolution conv;
  conv.input = input;
  conv.filter = filter;
  conv.output = output;
  conv.batch = out[0];
  conv.height = out[1];
  conv.width = out[2];
  conv.channels = out[3];
  conv.kernelH = w[0];
  conv.kernelW = w[1];
  conv.strideH = strides[0];
  conv.strideW = strides[1];
  conv.dilationH = dilations[0];
  conv.dilationW = dilations[1];
  conv.depthwise = depthwise;
  conv.reduced = depthwise ? 1 : w[2];
  return conv;
}

/// Where a memref lives: the buffer it views and the byte range in it.
struct Extent {
  Value root;
  int64_t begin = 0, end = 0; // bytes; end 0: all of it.
};

Extent extentOf(Value value) {
  auto type = cast<MemRefType>(value.getType());
  if (auto view = value.getDefiningOp<memref::ViewOp>()) {
    std::optional<int64_t> shift = getConstantIntValue(view.getByteShift());
    if (shift && type.hasStaticShape())
      return {view.getSource(), *shift,
              *shift + type.getNumElements() *
                           ((type.getElementTypeBitWidth() + 7) / 8)};
  }
  return {value};
}

/// Whether two memrefs may share bytes: views of one buffer whose ranges
/// meet, or anything this cannot tell apart.
bool mayOverlap(Value a, Value b) {
  if (a == b)
    return true;
  Extent x = extentOf(a), y = extentOf(b);
  if (x.root != y.root)
    return !(isa<BlockArgument>(x.root) && isa<BlockArgument>(y.root)) &&
           !(x.root.getDefiningOp<memref::GetGlobalOp>() ||
             y.root.getDefiningOp<memref::GetGlobalOp>());
  if (!x.end || !y.end)
    return true;
  return x.begin < y.end && y.begin < x.end;
}

/// The elementwise op right after `op` that reads its output, when the tile
/// can apply it before its stores: identity maps over the output's shape,
/// scalar arith and math in its body. Unless it writes in place, nothing
/// after it may read the convolution's output (which then never holds the
/// sums), and its result must not land on what the convolution still
/// reads.
linalg::GenericOp matchEpilogue(linalg::LinalgOp op, const Convolution &conv) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op->getNextNode());
  if (!generic || !generic.hasPureBufferSemantics() ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return nullptr;
  auto outputType = cast<MemRefType>(conv.output.getType());
  bool readsOutput = false;
  for (OpOperand &operand : generic->getOpOperands()) {
    if (!generic.getMatchingIndexingMap(&operand).isIdentity() ||
        cast<MemRefType>(operand.get().getType()).getShape() !=
            outputType.getShape())
      return nullptr;
    readsOutput |= operand.get() == conv.output && generic.isDpsInput(&operand);
  }
  if (!readsOutput)
    return nullptr;
  for (Operation &inner : generic.getRegion().front().without_terminator())
    if (inner.getNumRegions() ||
        !isa<arith::ArithDialect, math::MathDialect>(inner.getDialect()) ||
        !llvm::all_of(inner.getResultTypes(),
                      [](Type t) { return t.isIntOrFloat(); }))
      return nullptr;
  Value result = generic.getDpsInits()[0];
  if (result == conv.output)
    return generic;
  if (mayOverlap(result, conv.input) || mayOverlap(result, conv.filter))
    return nullptr;
  for (Operation *user : conv.output.getUsers())
    if (user != op && user != generic && !user->isBeforeInBlock(op))
      return nullptr;
  return generic;
}

/// The broadcast of a bias along the channels into the output right before
/// `op`, when nothing else reads what it writes.
linalg::BroadcastOp matchBias(linalg::LinalgOp op, const Convolution &conv) {
  auto broadcast = dyn_cast_or_null<linalg::BroadcastOp>(op->getPrevNode());
  if (!broadcast || broadcast.getInit() != conv.output ||
      !broadcast.hasPureBufferSemantics() ||
      broadcast.getDimensions() != ArrayRef<int64_t>{0, 1, 2})
    return nullptr;
  return broadcast;
}

/// The global `filter` reads, through reshapes of its memref.
memref::GetGlobalOp sourceGlobal(Value filter) {
  while (Operation *op = filter.getDefiningOp()) {
    if (auto get = dyn_cast<memref::GetGlobalOp>(op))
      return get;
    if (auto expand = dyn_cast<memref::ExpandShapeOp>(op))
      filter = expand.getSrc();
    else if (auto collapse = dyn_cast<memref::CollapseShapeOp>(op))
      filter = collapse.getSrc();
    else
      return nullptr;
  }
  return nullptr;
}

/// The float32 elements of a constant global.
std::optional<std::vector<float>> globalFloats(memref::GlobalOp global) {
  if (!global.getConstant())
    return std::nullopt;
  Attribute value = global.getInitialValueAttr();
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(value)) {
    if (!dense.getElementType().isF32())
      return std::nullopt;
    auto values = dense.getValues<float>();
    return std::vector<float>(values.begin(), values.end());
  }
  if (auto resource = dyn_cast_if_present<DenseF32ResourceElementsAttr>(value))
    if (std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef())
      return std::vector<float>(data->begin(), data->end());
  return std::nullopt;
}

/// Erases the reshapes and get_global that only fed `value`.
void eraseDeadChain(Value value) {
  while (Operation *op = value.getDefiningOp()) {
    if (!op->use_empty() || !isa<memref::GetGlobalOp, memref::ExpandShapeOp,
                                 memref::CollapseShapeOp>(op))
      return;
    value = op->getNumOperands() ? op->getOperand(0) : Value();
    op->erase();
    if (!value)
      return;
  }
}

/// Points `conv` at a copy of its constant weights packed per channel tile
/// ([F / tile, KH, KW, C, tile], a new global), when they are constant.
void packFilter(OpBuilder &b, Location loc, SymbolTable &symbols,
                Convolution &conv, const Tile &tile) {
  memref::GetGlobalOp get = sourceGlobal(conv.filter);
  if (!get || conv.depthwise)
    return;
  auto global = symbols.lookup<memref::GlobalOp>(get.getName());
  std::optional<std::vector<float>> data =
      global ? globalFloats(global) : std::nullopt;
  auto type = cast<MemRefType>(conv.filter.getType());
  if (!data || static_cast<int64_t>(data->size()) != type.getNumElements())
    return;
  int64_t kh = type.getDimSize(0), kw = type.getDimSize(1);
  int64_t c = type.getDimSize(2), f = type.getDimSize(3);
  int64_t width = tile.vectors * tile.lanes;
  int64_t window = kh * kw * c;
  std::vector<float> packed(data->size());
  for (int64_t block = 0; block < f / width; ++block)
    for (int64_t k = 0; k < window; ++k)
      for (int64_t t = 0; t < width; ++t)
        packed[(block * window + k) * width + t] =
            (*data)[k * f + block * width + t];

  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(global);
  auto flatType = MemRefType::get({type.getNumElements()}, b.getF32Type());
  auto tensorType =
      RankedTensorType::get({type.getNumElements()}, b.getF32Type());
  auto copy = memref::GlobalOp::create(
      b, loc, (global.getSymName() + "_packed").str(),
      b.getStringAttr("private"), flatType,
      DenseResourceElementsAttr::get(
          tensorType, "packed",
          HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef(packed))),
      /*constant=*/true, b.getI64IntegerAttr(64));
  symbols.insert(copy);
  b.setInsertionPointAfter(get);
  Value flat = memref::GetGlobalOp::create(b, loc, flatType, copy.getSymName());
  auto shaped = MemRefType::get({f / width, kh, kw, c, width}, b.getF32Type());
  conv.filter = memref::ExpandShapeOp::create(
      b, loc, shaped, flat, SmallVector<ReassociationIndices>{{0, 1, 2, 3, 4}});
  conv.packed = true;
}

struct RegisterTileConvolutionsPass
    : cnnc::impl::RegisterTileConvolutionsBase<RegisterTileConvolutionsPass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) { ops.push_back(op); });
    SymbolTable symbols(getOperation());
    SmallVector<memref::GlobalOp> unpacked;
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      std::optional<Convolution> conv = describe(op);
      if (!conv)
        continue;
      std::optional<Tile> tile =
          cnnc::chooseConvolutionTile(conv->width, conv->channels, vectorBits);
      if (!tile)
        continue;
      Value filter = conv->filter;
      memref::GetGlobalOp source = sourceGlobal(filter);
      packFilter(rewriter, op.getLoc(), symbols, *conv, *tile);
      conv->epilogue = matchEpilogue(op, *conv);
      conv->bias = matchBias(op, *conv);
      rewriter.setInsertionPoint(op);
      buildTiledLoops(rewriter, op.getLoc(), *conv, *tile,
                      [&](OpBuilder &b, Location loc, Value n, Value channels,
                          Value oh, Value ow0, int64_t rows) {
                        buildTile(b, loc, *conv, *tile, n, channels, oh, ow0,
                                  rows);
                      });
      rewriter.eraseOp(op);
      if (conv->epilogue)
        rewriter.eraseOp(conv->epilogue);
      if (conv->bias)
        rewriter.eraseOp(conv->bias);
      if (conv->packed) {
        unpacked.push_back(symbols.lookup<memref::GlobalOp>(source.getName()));
        eraseDeadChain(filter);
      }
    }
    // Weights that only the packed copies use now.
    for (memref::GlobalOp global : unpacked)
      if (global && SymbolTable::symbolKnownUseEmpty(global, getOperation()))
        symbols.erase(global);
  }
};

} // namespace
