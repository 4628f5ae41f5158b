//===- DotProductKernel.cpp - Integer convolutions on u8 x s8 products ----===//
//
// The u8 x s8 products of a one-group convolution (and of a matrix product,
// its 1x1 case) as a generated kernel on the target's dot product
// instruction (vpdpbusd) or multiply-add pair (vpmaddubsw + vpmaddwd), on
// tensors: vector transfers and llvm.call_intrinsic in scf loops, the rows
// in an scf.forall that becomes the runtime's parallel loops. A layer that
// ends in a requantization ends in the kernel's store, which writes the
// 8-bit result.
//
//===----------------------------------------------------------------------===//

#include "IntegerBuilders.h"

#include "cnnc/Dialect/CNN/IR/ConstantElements.h"
#include "cnnc/Dialect/Kernel/IR/Epilogue.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <algorithm>
#include <cstdint>
#include <functional>

using namespace mlir;

namespace cnnc::lowering {

std::optional<DotProductStep>
chooseDotProductStep(const Int8Instructions &instructions,
                     const DotProductConvolution &conv) {
  if (instructions.dotProductBits)
    return DotProductStep{instructions.dotProductBits, /*vnni=*/true};
  if (!instructions.multiplyAddBits)
    return std::nullopt;
  // vpmaddubsw sums the products of channels 2k and 2k + 1 in int16 and
  // saturates: exact while 255 * (the pair's positive weights) and 255 *
  // (its negative ones) stay within int16.
  int64_t taps = conv.kh * conv.kw;
  auto weight = [&](int64_t o, int64_t ch, int64_t tap) -> int64_t {
    return ch < conv.c ? int8_t(conv.weights[(o * conv.c + ch) * taps + tap])
                       : 0;
  };
  for (int64_t o = 0; o < conv.f; ++o)
    for (int64_t ch = 0; ch < conv.c; ch += 2)
      for (int64_t tap = 0; tap < taps; ++tap) {
        int64_t a = weight(o, ch, tap), b = weight(o, ch + 1, tap);
        int64_t positive = std::max<int64_t>(a, 0) + std::max<int64_t>(b, 0);
        int64_t negative = std::min<int64_t>(a, 0) + std::min<int64_t>(b, 0);
        if (255 * positive > INT16_MAX || 255 * negative < INT16_MIN)
          return std::nullopt;
      }
  return DotProductStep{instructions.multiplyAddBits, /*vnni=*/false};
}

/// The most packed weight bytes one parallel iteration's channel tiles
/// read (a share of a 1 MB L2 that leaves room for the input rows).
static constexpr int64_t kGroupWeightBytes = 256 * 1024;

/// round_half_even(x) + zero, saturated to [low, high], as int32 lanes: the
/// end of cnn.requantize and cnn.quantize (quantizeScalar's steps).
static Value saturatedInteger(OpBuilder &b, Location loc, Value x, double zero,
                              double low, double high) {
  auto floats = cast<VectorType>(x.getType());
  auto splat = [&](double value) {
    return cnnk::floatConstant(b, loc, floats, value);
  };
  Value shifted = arith::AddFOp::create(
      b, loc, math::RoundEvenOp::create(b, loc, x), splat(zero));
  Value clamped = arith::MinNumFOp::create(
      b, loc, arith::MaxNumFOp::create(b, loc, shifted, splat(low)),
      splat(high));
  return arith::FPToSIOp::create(b, loc, floats.clone(b.getI32Type()),
                                 clamped);
}

/// (q - zero) * scale of int32 lanes q: cnn.dequantize's steps.
static Value dequantized(OpBuilder &b, Location loc, Value q, int32_t zero,
                         float scale) {
  auto type = cast<VectorType>(q.getType());
  Value zeros = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, b.getI32IntegerAttr(zero)));
  return arith::MulFOp::create(
      b, loc,
      arith::SIToFPOp::create(b, loc, type.clone(b.getF32Type()),
                              arith::SubIOp::create(b, loc, q, zeros)),
      cnnk::floatConstant(b, loc, type.clone(b.getF32Type()), scale));
}

/// `requantize` of the int32 vector `sum` (its channels' offsets added
/// already: the accumulators start from them) with the vector `multiplier`
/// of its lanes' channels, then its residual add (with `residual`'s 8-bit
/// vector of the same pixel and channels) when it has one: an 8-bit vector.
static Value requantizeVector(OpBuilder &b, Location loc, Value sum,
                              Value multiplier,
                              const StoreRequantization &requantize,
                              Value residual) {
  auto type = cast<VectorType>(sum.getType());
  auto floats = type.clone(b.getF32Type());
  auto splat = [&](double value) {
    return cnnk::floatConstant(b, loc, floats, value);
  };
  Value scaled = arith::MulFOp::create(
      b, loc, arith::SIToFPOp::create(b, loc, floats, sum), multiplier);
  const auto &add = requantize.residual;
  if (!add)
    return arith::TruncIOp::create(
        b, loc, type.clone(b.getI8Type()),
        saturatedInteger(b, loc, scaled, requantize.zeroPoint, requantize.low,
                         requantize.high));
  // The requantized value dequantized, (clamp(round(x) + zr) - z) * s, is
  // (round(clamp(x, low - zr, high - zr)) + zr - z) * s exactly (the
  // integers involved are exact in float; a -0 where the integers give +0
  // adds to the skip's dequantized value, never -0, alike): no round trip
  // through int32.
  double zr = requantize.zeroPoint;
  Value rounded = math::RoundEvenOp::create(
      b, loc,
      arith::MinNumFOp::create(
          b, loc,
          arith::MaxNumFOp::create(b, loc, scaled,
                                   splat(requantize.low - zr)),
          splat(requantize.high - zr)));
  if (zr != add->selfZero)
    rounded = arith::AddFOp::create(b, loc, rounded, splat(zr - add->selfZero));
  Value self = arith::MulFOp::create(b, loc, rounded, splat(add->selfScale));
  Value other =
      add->residualUnsigned
          ? arith::ExtUIOp::create(b, loc, type, residual).getResult()
          : arith::ExtSIOp::create(b, loc, type, residual).getResult();
  Value x = arith::AddFOp::create(
      b, loc, self,
      dequantized(b, loc, other, add->residualZero, add->residualScale));
  if (add->activation)
    x = cnnk::applyActivation(b, loc, *add->activation, add->alpha, add->beta,
                              x);
  x = arith::DivFOp::create(b, loc, x, splat(add->outScale));
  return arith::TruncIOp::create(
      b, loc, type.clone(b.getI8Type()),
      saturatedInteger(b, loc, x, add->outZero, add->outLow, add->outHigh));
}

/// sum x * w of a one-group convolution of uint8 `input` (NHWC, padded)
/// with the constant int8 `weight` [F, C, KH, KW] on `step` (`bits` wide:
/// L = bits / 32 int32 lanes): the weight packed at compile
/// time as [ceil(F / L), KH, KW, C / 4, L * 4] (four channels of one output
/// channel per int32 lane, the order vpdpbusd multiplies them in); per
/// output row, per tile of L channels (its weights then stay in cache), per
/// tile of 8 pixels (the row's remainder one tile), as many accumulators
/// over the window, each step one weight vector and a broadcast 4-byte
/// input per pixel, the step one vpdpbusd or
/// vpmaddubsw, vpmaddwd by ones and an add.
/// Channels that are not a multiple of 4 are padded (the input with zeros,
/// the packed weight with zeros).

Value dotProductProducts(OpBuilder &b, Location loc,
                         const DotProductConvolution &conv, Value input,
                         DotProductStep step, bool channelsFirst,
                         const StoreRequantization *requantize) {
  assert(!(channelsFirst && requantize) &&
         "the requantizing store writes channels last");
  const unsigned bits = step.bits;
  int64_t f = conv.f, c = conv.c, kh = conv.kh, kw = conv.kw;
  const std::vector<char> *weights = &conv.weights;
  if (c % 4 != 0) {
    // Four channels per int32 lane: the input's last dimension padded.
    auto type = cast<RankedTensorType>(input.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape.back() = (c + 3) / 4 * 4;
    SmallVector<OpFoldResult> low(4, b.getIndexAttr(0)),
        high(4, b.getIndexAttr(0));
    high[3] = b.getIndexAttr(shape.back() - c);
    Value zero = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
    input = tensor::PadOp::create(b, loc, type.clone(shape), input, low, high,
                                  zero);
  }
  // Tiles of 8 pixels: 8 independent accumulators cover the dot product's
  // latency, and each weight vector serves 8 steps.
  const int64_t lanes = bits / 32, rows = 8;
  int64_t tiles = (f + lanes - 1) / lanes, c4 = (c + 3) / 4;
  std::vector<char> packed(tiles * kh * kw * c4 * lanes * 4, 0);
  for (int64_t o = 0; o < f; ++o)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j) {
          int64_t to =
              ((((o / lanes) * kh + i) * kw + j) * c4 + ch / 4) * lanes * 4 +
              (o % lanes) * 4 + ch % 4;
          packed[to] = (*weights)[((o * c + ch) * kh + i) * kw + j];
        }
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  auto packedType = RankedTensorType::get({tiles, kh, kw, c4, lanes * 4}, i8);
  Value filter = arith::ConstantOp::create(
      b, loc, cnn::constantElements(packedType, packed, "packed_int8"));

  int64_t n = conv.n, oh = conv.oh, ow = conv.ow;
  // Channels first: [N, F rounded up to whole tiles, OH, OW], so that every
  // lane of the last tile has a row to go to.
  int64_t paddedF = tiles * lanes;
  // int32 sums, or the 8-bit values they requantize to.
  Type element = requantize ? i8 : i32;
  auto resultType =
      channelsFirst ? RankedTensorType::get({n, paddedF, oh, ow}, i32)
                    : RankedTensorType::get({n, oh, ow, f}, element);
  Value result =
      tensor::EmptyOp::create(b, loc, resultType.getShape(), element);
  // The requantization's per-channel constants, padded to whole tiles.
  Value offsets, multipliers;
  if (requantize) {
    std::vector<int32_t> offset(paddedF, 0);
    std::vector<float> multiplier(paddedF, 0.0f);
    std::copy(requantize->offset.begin(), requantize->offset.end(),
              offset.begin());
    std::copy(requantize->multiplier.begin(), requantize->multiplier.end(),
              multiplier.begin());
    offsets = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({paddedF}, i32),
                               ArrayRef(offset)));
    multipliers = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({paddedF}, b.getF32Type()),
            ArrayRef(multiplier)));
  }
  auto accType = VectorType::get({lanes}, i32);
  auto bytesType = VectorType::get({lanes * 4}, i8);
  auto quadType = VectorType::get({4}, i8);
  StringAttr intrinsic =
      b.getStringAttr(bits == 512 ? "llvm.x86.avx512.vpdpbusd.512"
                                  : "llvm.x86.avx512.vpdpbusd.256");
  StringAttr pairSums =
      b.getStringAttr(bits == 512 ? "llvm.x86.avx512.pmaddubs.w.512"
                                  : "llvm.x86.avx2.pmadd.ub.sw");
  StringAttr quadSums =
      b.getStringAttr(bits == 512 ? "llvm.x86.avx512.pmaddw.d.512"
                                  : "llvm.x86.avx2.pmadd.wd");
  auto halvesType = VectorType::get({lanes * 2}, b.getI16Type());
  Value ones =
      step.vnni ? Value()
                : arith::ConstantOp::create(
                      b, loc, DenseElementsAttr::get(halvesType,
                                                     b.getI16IntegerAttr(1)));
  // acc + the sum of each lane's four u8 x s8 products.
  auto accumulate = [&](OpBuilder &sb, Value acc, Value x, Value w) -> Value {
    if (step.vnni)
      return LLVM::CallIntrinsicOp::create(sb, loc, accType, intrinsic,
                                           ValueRange{acc, x, w})
          .getResult(0);
    Value pairs = LLVM::CallIntrinsicOp::create(sb, loc, halvesType, pairSums,
                                                ValueRange{x, w})
                      .getResult(0);
    Value quads = LLVM::CallIntrinsicOp::create(sb, loc, accType, quadSums,
                                                ValueRange{pairs, ones})
                      .getResult(0);
    return arith::AddIOp::create(sb, loc, acc, quads);
  };
  int64_t strideH = conv.strideH, strideW = conv.strideW;
  int64_t dilationH = conv.dilationH, dilationW = conv.dilationW;
  auto index = [&](OpBuilder &ib, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(ib, loc, v);
  };
  auto affine = [&](OpBuilder &ib, Value x, int64_t a, Value y, int64_t bb,
                    int64_t offset) -> Value {
    // x * a + y * bb + offset
    Value sum = arith::AddIOp::create(
        ib, loc, arith::MulIOp::create(ib, loc, x, index(ib, a)),
        arith::MulIOp::create(ib, loc, y, index(ib, bb)));
    return offset ? arith::AddIOp::create(ib, loc, sum, index(ib, offset))
                        .getResult()
                  : sum;
  };
  auto forFrom =
      [&](OpBuilder &lb, int64_t lower, int64_t upper, int64_t step,
          ValueRange init,
          function_ref<SmallVector<Value>(OpBuilder &, Value, ValueRange)>
              body) {
        return scf::ForOp::create(
                   lb, loc, index(lb, lower), index(lb, upper), index(lb, step),
                   init,
                   [&](OpBuilder &fb, Location, Value iv, ValueRange args) {
                     scf::YieldOp::create(fb, loc, body(fb, iv, args));
                   })
            .getResults();
      };
  auto forLoop =
      [&](OpBuilder &lb, int64_t upper, int64_t step, ValueRange init,
          function_ref<SmallVector<Value>(OpBuilder &, Value, ValueRange)>
              body) { return forFrom(lb, 0, upper, step, init, body); };
  Value zeroByte = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 0));
  Value zeroWord = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i32, 0));
  // One output row of one group of channel tiles per iteration of a
  // parallel loop over (n, group, oh), written into its [1, 1, OW, F / G]
  // slice ([1, F, 1, OW] channels first, one group). Channels last, the
  // tiles are grouped so that a group's packed weights stay in the core's
  // L2 over the rows it runs: a layer's whole weight (2.4 MB for ResNet's
  // last 3x3 layers) streamed from L3 for every row of 7 pixels. Groups are
  // whole tiles, so only where F is too.
  int64_t groups = 1;
  if (!channelsFirst && f % lanes == 0) {
    // The fewest groups, a divisor of the tiles, within the budget (at
    // most one tile per group).
    int64_t weightBytes = kh * kw * c4 * 4 * paddedF;
    while (groups < tiles &&
           (tiles % groups != 0 || weightBytes / groups > kGroupWeightBytes))
      ++groups;
  }
  // The channels a group writes: one group, all F (its last tile partial).
  int64_t groupTiles = tiles / groups;
  int64_t groupF = groups == 1 ? f : groupTiles * lanes;
  Value zeroIndex = index(b, 0);
  auto rowType = channelsFirst
                     ? RankedTensorType::get({1, paddedF, 1, ow}, i32)
                     : RankedTensorType::get({1, 1, ow, groupF}, element);
  SmallVector<OpFoldResult> rowSizes =
      channelsFirst
          ? SmallVector<OpFoldResult>{b.getIndexAttr(1),
                                      b.getIndexAttr(paddedF),
                                      b.getIndexAttr(1), b.getIndexAttr(ow)}
          : SmallVector<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1),
                                      b.getIndexAttr(ow),
                                      b.getIndexAttr(groupF)};
  SmallVector<OpFoldResult> unitStrides(4, b.getIndexAttr(1));
  auto forall = scf::ForallOp::create(
      b, loc,
      ArrayRef<OpFoldResult>{b.getIndexAttr(n), b.getIndexAttr(groups),
                             b.getIndexAttr(oh)},
      ValueRange{result}, std::nullopt,
      [&](OpBuilder &hb, Location, ValueRange args) {
        Value in = args[0], group = args[1], ih = args[2], shared = args[3];
        Value firstTile =
            arith::MulIOp::create(hb, loc, group, index(hb, groupTiles));
        SmallVector<OpFoldResult> rowOffsets =
            channelsFirst
                ? SmallVector<OpFoldResult>{in, hb.getIndexAttr(0), ih,
                                            hb.getIndexAttr(0)}
                : SmallVector<OpFoldResult>{
                      in, ih, hb.getIndexAttr(0),
                      arith::MulIOp::create(hb, loc, firstTile,
                                            index(hb, lanes))
                          .getResult()};
        Value row = tensor::ExtractSliceOp::create(
            hb, loc, rowType, shared, rowOffsets, rowSizes, unitStrides);
        ValueRange outH = row;
        auto rowResult = [&]() -> SmallVector<Value> {
          // Tiles of `tileRows` pixels from `lower` to `upper` (in
          // bounds: the transfers are only masked along the channels).
          auto pixelTiles = [&](OpBuilder &pb, int64_t lower, int64_t upper,
                                int64_t tileRows, ValueRange outP) {
            // Channel tiles outside the pixels: one tile's weights
            // (KH * KW * C * L bytes) stay in cache over the row.
            return SmallVector<Value>(forLoop(
                pb, groupTiles, 1, outP,
                [&](OpBuilder &wb, Value local, ValueRange outW) {
                  // The tile among all (the weights', the offsets'), and
                  // its channels in the group's slice.
                  Value it = arith::AddIOp::create(wb, loc, firstTile, local);
                  return SmallVector<Value>(forFrom(
                      wb, lower, upper, tileRows, outW,
                      [&](OpBuilder &tb, Value iw, ValueRange outT) {
                        // The sums start from zero, or from the channels'
                        // requantization offsets (bias - xz * sum w).
                        Value channel0 = arith::MulIOp::create(
                            tb, loc, it, index(tb, lanes));
                        Value start =
                            requantize
                                ? vector::TransferReadOp::create(
                                      tb, loc, accType, offsets,
                                      ValueRange{channel0}, zeroWord,
                                      ArrayRef<bool>{true})
                                      .getResult()
                                : vector::BroadcastOp::create(
                                      tb, loc, accType, zeroWord)
                                      .getResult();
                        SmallVector<Value> init(tileRows, start);
                        auto window = [&](OpBuilder &kb, Value ki,
                                          ValueRange accI) {
                          return SmallVector<Value>(forLoop(
                              kb, kw, 1, accI,
                              [&](OpBuilder &jb, Value kj, ValueRange accJ) {
                                return SmallVector<Value>(forLoop(
                                    jb, c4, 1, accJ,
                                    [&](OpBuilder &cb, Value ic,
                                        ValueRange acc) {
                                      Value w = vector::TransferReadOp::create(
                                          cb, loc, bytesType, filter,
                                          ValueRange{it, ki, kj, ic,
                                                     index(cb, 0)},
                                          zeroByte, ArrayRef<bool>{true});
                                      Value row = affine(cb, ih, strideH, ki,
                                                         dilationH, 0);
                                      Value channel = arith::MulIOp::create(
                                          cb, loc, ic, index(cb, 4));
                                      SmallVector<Value> next;
                                      for (int64_t r = 0; r < tileRows; ++r) {
                                        Value column =
                                            affine(cb, iw, strideW, kj,
                                                   dilationW, r * strideW);
                                        Value quad =
                                            vector::TransferReadOp::create(
                                                cb, loc, quadType, input,
                                                ValueRange{in, row, column,
                                                           channel},
                                                zeroByte, ArrayRef<bool>{true});
                                        Value word = vector::ExtractOp::create(
                                            cb, loc,
                                            vector::BitCastOp::create(
                                                cb, loc,
                                                VectorType::get({1}, i32),
                                                quad),
                                            ArrayRef<int64_t>{0});
                                        Value x = vector::BitCastOp::create(
                                            cb, loc, bytesType,
                                            vector::BroadcastOp::create(
                                                cb, loc, accType, word));
                                        next.push_back(
                                            accumulate(cb, acc[r], x, w));
                                      }
                                      return next;
                                    }));
                              }));
                        };
                        ValueRange sums = forLoop(
                            tb, kh, 1, init,
                            [&](OpBuilder &kb, Value ki, ValueRange acc) {
                              return window(kb, ki, acc);
                            });
                        Value out = outT[0];
                        Value f0 = arith::MulIOp::create(tb, loc, local,
                                                         index(tb, lanes));
                        if (channelsFirst) {
                          // The [pixels, channels] block transposed in
                          // registers, one contiguous run of pixels per
                          // channel.
                          auto blockType =
                              VectorType::get({tileRows, lanes}, i32);
                          Value block = arith::ConstantOp::create(
                              tb, loc,
                              DenseElementsAttr::get(blockType,
                                                     tb.getI32IntegerAttr(0)));
                          for (int64_t r = 0; r < tileRows; ++r)
                            block = vector::InsertOp::create(
                                tb, loc, sums[r], block,
                                ArrayRef<int64_t>{r});
                          Value columns = vector::TransposeOp::create(
                              tb, loc, block, ArrayRef<int64_t>{1, 0});
                          for (int64_t l = 0; l < lanes; ++l) {
                            Value channel = arith::AddIOp::create(
                                tb, loc, f0, index(tb, l));
                            Value pixels = vector::ExtractOp::create(
                                tb, loc, columns, ArrayRef<int64_t>{l});
                            out = vector::TransferWriteOp::create(
                                      tb, loc, pixels, out,
                                      ValueRange{zeroIndex, channel,
                                                 zeroIndex, iw},
                                      ArrayRef<bool>{true})
                                      .getResult();
                          }
                          return SmallVector<Value>{out};
                        }
                        // Each pixel's L channels, requantized first when
                        // the layer ends so.
                        std::function<Value(Value, Value)> stored =
                            [](Value sum, Value) { return sum; };
                        if (requantize) {
                          Value multiplier = vector::TransferReadOp::create(
                              tb, loc, VectorType::get({lanes}, b.getF32Type()),
                              multipliers, ValueRange{channel0},
                              cnnk::floatConstant(tb, loc, b.getF32Type(), 0),
                              ArrayRef<bool>{true});
                          stored = [&, multiplier](Value sum, Value column) {
                            Value residual;
                            if (requantize->residual)
                              residual = vector::TransferReadOp::create(
                                  tb, loc, VectorType::get({lanes}, i8),
                                  requantize->residual->residual,
                                  ValueRange{in, ih, column, channel0},
                                  zeroByte, ArrayRef<bool>{false});
                            return requantizeVector(tb, loc, sum, multiplier,
                                                    *requantize, residual);
                          };
                        }
                        for (int64_t r = 0; r < tileRows; ++r) {
                          Value column =
                              arith::AddIOp::create(tb, loc, iw, index(tb, r));
                          out =
                              vector::TransferWriteOp::create(
                                  tb, loc, stored(sums[r], column), out,
                                  ValueRange{zeroIndex, zeroIndex, column, f0},
                                  ArrayRef<bool>{false})
                                  .getResult();
                        }
                        return SmallVector<Value>{out};
                      }));
                }));
          };
          int64_t full = ow / rows * rows;
          SmallVector<Value> out(outH);
          if (full > 0)
            out = pixelTiles(hb, 0, full, rows, out);
          if (full < ow)
            out = pixelTiles(hb, full, ow, ow - full, out);
          return out;
        }();
        auto terminator = scf::InParallelOp::create(hb, loc);
        OpBuilder::InsertionGuard guard(hb);
        hb.setInsertionPointToStart(terminator.getBody());
        tensor::ParallelInsertSliceOp::create(
            hb, loc, rowResult[0], shared, rowOffsets, rowSizes, unitStrides);
      });
  Value products = forall.getResult(0);
  if (channelsFirst && paddedF != f) {
    // The channels that exist (a view: no copy).
    SmallVector<OpFoldResult> offsets(4, b.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes{b.getIndexAttr(n), b.getIndexAttr(f),
                                    b.getIndexAttr(oh), b.getIndexAttr(ow)};
    products = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({n, f, oh, ow}, i32), products, offsets,
        sizes, unitStrides);
  }
  return products;
}

} // namespace cnnc::lowering
