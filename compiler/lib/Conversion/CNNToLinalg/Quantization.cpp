//===- Quantization.cpp - Quantize, dequantize, integer kernels, cast -----===//
//
// The int8 ops as linalg.generic on signless integers. A uint8 (`ui8`)
// operand is bitcast to i8 on the way in and the result back on the way
// out, so that the arithmetic is on signless types while the graph keeps
// its types; eraseSignedness() removes the casts once every op is lowered.
// Which extension (extui or extsi) reads an element follows from the cnn
// op's own operand type.
//
// Rounding is ONNX's: halves to even (math.roundeven), then the zero point
// is added and the sum saturated to the type's range, all in float, which
// holds every int8/uint8/int32 value that can survive the saturation.
//
//===----------------------------------------------------------------------===//

#include "StructuredBuilders.h"

#include "cnnc/Dialect/CNN/IR/ConstantElements.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::lowering;

namespace {

bool isUnsigned(Type type) {
  auto integer = dyn_cast<IntegerType>(getElementTypeOrSelf(type));
  return integer && integer.isUnsigned();
}

/// The range of a quantized element type.
std::pair<double, double> quantizedRange(Type type) {
  if (isUnsigned(type))
    return {0.0, 255.0};
  return {-128.0, 127.0};
}

/// A scalar integer of signless type `type` widened to i32.
Value widen(OpBuilder &b, Location loc, Value value, bool isUnsignedSource) {
  Type i32 = b.getI32Type();
  if (value.getType() == i32)
    return value;
  if (isUnsignedSource)
    return arith::ExtUIOp::create(b, loc, i32, value);
  return arith::ExtSIOp::create(b, loc, i32, value);
}

/// The float value of a scalar integer.
Value toFloat(OpBuilder &b, Location loc, Value value, bool isUnsignedSource) {
  Type f32 = b.getF32Type();
  if (isUnsignedSource)
    return arith::UIToFPOp::create(b, loc, f32, value);
  return arith::SIToFPOp::create(b, loc, f32, value);
}

/// round_half_even(value) + zero point, saturated to `quantized`'s range,
/// as a signless integer of `quantized`'s width: the end of quantize and
/// requantize. NaN saturates to the lower bound (maxnumf ignores it).
Value quantizeScalar(OpBuilder &b, Location loc, Value value, Value zeroPoint,
                     Type quantized) {
  bool unsignedResult = isUnsigned(quantized);
  Value rounded = math::RoundEvenOp::create(b, loc, value);
  Value shifted = arith::AddFOp::create(
      b, loc, rounded, toFloat(b, loc, zeroPoint, unsignedResult));
  auto [low, high] = quantizedRange(quantized);
  Type f32 = b.getF32Type();
  Value clamped = arith::MinNumFOp::create(
      b, loc,
      arith::MaxNumFOp::create(b, loc, shifted,
                               floatConstant(b, loc, f32, low)),
      floatConstant(b, loc, f32, high));
  Value wide = arith::FPToSIOp::create(b, loc, b.getI32Type(), clamped);
  unsigned width = cast<IntegerType>(quantized).getWidth();
  return arith::TruncIOp::create(b, loc, b.getIntegerType(width), wide);
}

/// `type` with its elements signless.
RankedTensorType signlessType(RankedTensorType type) {
  auto integer = dyn_cast<IntegerType>(type.getElementType());
  if (!integer || integer.isSignless())
    return type;
  return type.clone(IntegerType::get(type.getContext(), integer.getWidth()));
}

/// `value` as a tensor of signless elements (a bitcast when it is not).
Value signless(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  RankedTensorType target = signlessType(type);
  if (target == type)
    return value;
  return tensor::BitcastOp::create(b, loc, target, value);
}

/// `value` (signless) as a tensor of `type`.
Value retyped(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return tensor::BitcastOp::create(b, loc, type, value);
}

/// The map reading a quantization parameter (0-D, or 1-D along `axis`) in
/// a loop nest of rank `rank`.
AffineMap parameterMap(MLIRContext *ctx, int64_t rank,
                       std::optional<uint64_t> axis) {
  if (!axis)
    return AffineMap::get(rank, 0, {}, ctx);
  return AffineMap::get(rank, 0, getAffineDimExpr(*axis, ctx));
}

/// A parallel linalg.generic over `resultType` (signless) reading `data`
/// with the identity and each parameter with `parameterMaps`.
Value mapWithParameters(
    OpBuilder &b, Location loc, RankedTensorType resultType, Value data,
    ValueRange parameters, ArrayRef<AffineMap> parameterMaps,
    function_ref<Value(OpBuilder &, Location, ValueRange)> fn) {
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank)};
  llvm::append_range(maps, parameterMaps);
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<Value> inputs{data};
  llvm::append_range(inputs, parameters);
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, resultType, inputs, init, maps, iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(nb, nloc,
                                       fn(nb, nloc, args.drop_back()));
             })
      .getResult(0);
}

struct QuantizeLowering : OpConversionPattern<cnn::QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type quantized = type.getElementType();
    AffineMap map =
        parameterMap(getContext(), type.getRank(), op.getAxis());
    Value result = mapWithParameters(
        rewriter, loc, signlessType(type), adaptor.getInput(),
        {adaptor.getScale(), signless(rewriter, loc, adaptor.getZeroPoint())},
        {map, map}, [&](OpBuilder &b, Location l, ValueRange args) {
          Value scaled = arith::DivFOp::create(b, l, args[0], args[1]);
          return quantizeScalar(b, l, scaled, args[2], quantized);
        });
    rewriter.replaceOp(op, retyped(rewriter, loc, result, type));
    return success();
  }
};

struct DequantizeLowering : OpConversionPattern<cnn::DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    bool unsignedInput = isUnsigned(op.getInput().getType());
    AffineMap map =
        parameterMap(getContext(), type.getRank(), op.getAxis());
    Value result = mapWithParameters(
        rewriter, loc, type, signless(rewriter, loc, adaptor.getInput()),
        {adaptor.getScale(), signless(rewriter, loc, adaptor.getZeroPoint())},
        {map, map}, [&](OpBuilder &b, Location l, ValueRange args) {
          Value difference = arith::SubIOp::create(
              b, l, widen(b, l, args[0], unsignedInput),
              widen(b, l, args[2], unsignedInput));
          return arith::MulFOp::create(
              b, l, arith::SIToFPOp::create(b, l, b.getF32Type(), difference),
              args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct RequantizeLowering : OpConversionPattern<cnn::RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type quantized = type.getElementType();
    int64_t rank = type.getRank();
    Value result = mapWithParameters(
        rewriter, loc, signlessType(type), adaptor.getInput(),
        {adaptor.getMultiplier(),
         signless(rewriter, loc, adaptor.getZeroPoint())},
        {parameterMap(getContext(), rank, op.getAxis()),
         parameterMap(getContext(), rank, std::nullopt)},
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value scaled = arith::MulFOp::create(
              b, l, arith::SIToFPOp::create(b, l, b.getF32Type(), args[0]),
              args[1]);
          return quantizeScalar(b, l, scaled, args[2], quantized);
        });
    rewriter.replaceOp(op, retyped(rewriter, loc, result, type));
    return success();
  }
};

/// One element converted from `from` to `to` (both as the cnn op types
/// them; the scalar is signless).
Value convertScalar(OpBuilder &b, Location loc, Value x, Type from, Type to) {
  auto fromInt = dyn_cast<IntegerType>(from);
  auto toInt = dyn_cast<IntegerType>(to);
  Type target = toInt ? b.getIntegerType(toInt.getWidth()) : to;
  if (!fromInt && !toInt) {
    if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
      return arith::ExtFOp::create(b, loc, to, x);
    return arith::TruncFOp::create(b, loc, to, x);
  }
  if (!fromInt) {
    if (toInt.getWidth() == 1) {
      Value zero = floatConstant(b, loc, from, 0.0);
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x, zero);
    }
    if (toInt.isUnsigned())
      return arith::FPToUIOp::create(b, loc, target, x);
    return arith::FPToSIOp::create(b, loc, target, x);
  }
  bool unsignedSource = fromInt.isUnsigned() || fromInt.getWidth() == 1;
  if (!toInt) {
    if (unsignedSource)
      return arith::UIToFPOp::create(b, loc, to, x);
    return arith::SIToFPOp::create(b, loc, to, x);
  }
  if (toInt.getWidth() == 1) {
    Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(x.getType(), 0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero);
  }
  if (fromInt.getWidth() == toInt.getWidth())
    return x;
  if (fromInt.getWidth() > toInt.getWidth())
    return arith::TruncIOp::create(b, loc, target, x);
  if (unsignedSource)
    return arith::ExtUIOp::create(b, loc, target, x);
  return arith::ExtSIOp::create(b, loc, target, x);
}

struct CastLowering : OpConversionPattern<cnn::CastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type from = op.getInput().getType().getElementType();
    Type to = type.getElementType();
    Value result = mapWithParameters(
        rewriter, loc, signlessType(type),
        signless(rewriter, loc, adaptor.getInput()), {}, {},
        [&](OpBuilder &b, Location l, ValueRange args) {
          return convertScalar(b, l, args[0], from, to);
        });
    rewriter.replaceOp(op, retyped(rewriter, loc, result, type));
    return success();
  }
};

/// `input` (signless) padded with the scalar in the 0-D tensor `value`.
Value padWithValue(OpBuilder &b, Location loc, Value input,
                   ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                   Value value) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return input;
  return padWithScalar(b, loc, input, low, high,
                       tensor::ExtractOp::create(b, loc, value, ValueRange()));
}

/// The int32 accumulator of an integer kernel: the bias broadcast along
/// `channelDim`, or zeros.
Value integerAccumulator(OpBuilder &b, Location loc, RankedTensorType type,
                         Value bias, int64_t channelDim) {
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(),
                                       type.getElementType());
  if (!bias) {
    Value zero =
        arith::ConstantOp::create(b, loc, b.getIntegerAttr(b.getI32Type(), 0));
    return linalg::FillOp::create(b, loc, zero, init).getResult(0);
  }
  int64_t rank = type.getRank();
  SmallVector<AffineMap> maps{
      AffineMap::get(rank, 0, getAffineDimExpr(channelDim, b.getContext())),
      b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, bias, init, maps, iterators,
             [](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(nb, nloc, args[0]);
             })
      .getResult(0);
}

/// acc + (x - x_zero) * (w - w_zero) in int32: the body of the integer
/// convolution and matrix product. `args` are x, w, x_zero, w_zero, acc.
Value multiplyAccumulate(OpBuilder &b, Location loc, ValueRange args,
                         bool unsignedX, bool unsignedW) {
  Value x = arith::SubIOp::create(b, loc, widen(b, loc, args[0], unsignedX),
                                  widen(b, loc, args[2], unsignedX));
  Value w = arith::SubIOp::create(b, loc, widen(b, loc, args[1], unsignedW),
                                  widen(b, loc, args[3], unsignedW));
  return arith::AddIOp::create(b, loc, args[4],
                               arith::MulIOp::create(b, loc, x, w));
}

/// Whether `value` is a constant whose elements are all zero.
bool isZeroConstant(Value value) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return false;
  return llvm::all_of(attr.getValues<APInt>(),
                      [](const APInt &v) { return v.isZero(); });
}

/// An int32 tensor of zeros: the start of a sum.
Value int32Zeros(OpBuilder &b, Location loc, ArrayRef<int64_t> shape) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, b.getI32Type());
  Value zero = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0));
  return linalg::FillOp::create(b, loc, zero, empty).getResult(0);
}

/// A parallel-and-reduction linalg.generic of `resultType` from `init`.
Value reduceGeneric(OpBuilder &b, Location loc, ValueRange inputs, Value init,
                    ArrayRef<AffineMap> maps,
                    ArrayRef<utils::IteratorType> iterators,
                    function_ref<Value(OpBuilder &, Location, ValueRange)> fn) {
  return linalg::GenericOp::create(
             b, loc, init.getType(), inputs, init, maps, iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(nb, nloc, fn(nb, nloc, args));
             })
      .getResult(0);
}

/// The bytes of the constant `value` (a cnn.constant, dense or a resource),
/// or none.
std::optional<std::vector<char>> constantBytes(Value value) {
  auto constant = value.getDefiningOp<cnn::ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto type = cast<RankedTensorType>(constant.getType());
  size_t size = type.getNumElements() * (type.getElementTypeBitWidth() / 8);
  Attribute attr = constant.getValue();
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    ArrayRef<char> raw = dense.getRawData();
    if (dense.isSplat()) {
      std::vector<char> bytes;
      for (size_t i = 0; i < size; i += raw.size())
        bytes.insert(bytes.end(), raw.begin(), raw.end());
      return bytes;
    }
    return std::vector<char>(raw.begin(), raw.end());
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      if (blob->getData().size() == size)
        return std::vector<char>(blob->getData().begin(),
                                 blob->getData().end());
  return std::nullopt;
}

/// sum x * w of a one-group convolution of uint8 `input` (NHWC, padded)
/// with the constant int8 `weight` [F, C, KH, KW] on the target's vpdpbusd
/// (`bits` wide: L = bits / 32 int32 lanes): the weight packed at compile
/// time as [ceil(F / L), KH, KW, C / 4, L * 4] (four channels of one output
/// channel per int32 lane, the order vpdpbusd multiplies them in); per
/// output row, per tile of L channels (its weights then stay in cache), per
/// tile of 4 pixels, 4 accumulators over the window, each step one weight
/// vector and four broadcast 4-byte inputs.
/// Channels that are not a multiple of 4 are padded (the input with zeros,
/// the packed weight with zeros).
struct DotProductConvolution {
  /// The int8 weight as [F, C, KH, KW] bytes.
  std::vector<char> weights;
  int64_t f, c, kh, kw;
  int64_t n, oh, ow;
  int64_t strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;
};

Value dotProductProducts(OpBuilder &b, Location loc,
                         const DotProductConvolution &conv, Value input,
                         unsigned bits) {
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
  const int64_t lanes = bits / 32, rows = 4;
  int64_t tiles = (f + lanes - 1) / lanes, c4 = (c + 3) / 4;
  std::vector<char> packed(tiles * kh * kw * c4 * lanes * 4, 0);
  for (int64_t o = 0; o < f; ++o)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j) {
          int64_t to = ((((o / lanes) * kh + i) * kw + j) * c4 + ch / 4) *
                           lanes * 4 +
                       (o % lanes) * 4 + ch % 4;
          packed[to] = (*weights)[((o * c + ch) * kh + i) * kw + j];
        }
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  auto packedType =
      RankedTensorType::get({tiles, kh, kw, c4, lanes * 4}, i8);
  Value filter = arith::ConstantOp::create(
      b, loc, cnn::constantElements(packedType, packed, "packed_int8"));

  int64_t n = conv.n, oh = conv.oh, ow = conv.ow;
  auto resultType = RankedTensorType::get({n, oh, ow, f}, i32);
  Value result = tensor::EmptyOp::create(b, loc, resultType.getShape(), i32);
  auto accType = VectorType::get({lanes}, i32);
  auto bytesType = VectorType::get({lanes * 4}, i8);
  auto quadType = VectorType::get({4}, i8);
  StringAttr intrinsic = b.getStringAttr(
      bits == 512 ? "llvm.x86.avx512.vpdpbusd.512"
                  : "llvm.x86.avx512.vpdpbusd.256");
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
  auto forFrom = [&](OpBuilder &lb, int64_t lower, int64_t upper,
                     int64_t step, ValueRange init,
                     function_ref<SmallVector<Value>(OpBuilder &, Value,
                                                     ValueRange)>
                         body) {
    return scf::ForOp::create(
               lb, loc, index(lb, lower), index(lb, upper), index(lb, step),
               init,
               [&](OpBuilder &fb, Location, Value iv, ValueRange args) {
                 scf::YieldOp::create(fb, loc, body(fb, iv, args));
               })
        .getResults();
  };
  auto forLoop = [&](OpBuilder &lb, int64_t upper, int64_t step,
                     ValueRange init,
                     function_ref<SmallVector<Value>(OpBuilder &, Value,
                                                     ValueRange)>
                         body) {
    return forFrom(lb, 0, upper, step, init, body);
  };
  Value zeroByte =
      arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 0));
  Value zeroWord =
      arith::ConstantOp::create(b, loc, b.getIntegerAttr(i32, 0));
  // One output row per iteration of a parallel loop over (n, oh), written
  // into its [1, 1, OW, F] slice.
  Value zeroIndex = index(b, 0);
  auto rowType = RankedTensorType::get({1, 1, ow, f}, i32);
  SmallVector<OpFoldResult> rowSizes{b.getIndexAttr(1), b.getIndexAttr(1),
                                     b.getIndexAttr(ow), b.getIndexAttr(f)};
  SmallVector<OpFoldResult> unitStrides(4, b.getIndexAttr(1));
  auto forall = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(n), b.getIndexAttr(oh)},
      ValueRange{result}, std::nullopt,
      [&](OpBuilder &hb, Location, ValueRange args) {
        Value in = args[0], ih = args[1];
        SmallVector<OpFoldResult> rowOffsets{in, ih, hb.getIndexAttr(0),
                                             hb.getIndexAttr(0)};
        Value row = tensor::ExtractSliceOp::create(
            hb, loc, rowType, args[2], rowOffsets, rowSizes, unitStrides);
        ValueRange outH = row;
        auto rowResult = [&]() -> SmallVector<Value> {
              // Tiles of `tileRows` pixels from `lower` to `upper` (in
              // bounds: the transfers are only masked along the channels).
              auto pixelTiles = [&](OpBuilder &pb, int64_t lower,
                                    int64_t upper, int64_t tileRows,
                                    ValueRange outP) {
              // Channel tiles outside the pixels: one tile's weights
              // (KH * KW * C * L bytes) stay in cache over the row.
              return SmallVector<Value>(forLoop(
                  pb, tiles, 1, outP,
                  [&](OpBuilder &wb, Value it, ValueRange outW) {
                    return SmallVector<Value>(forFrom(
                        wb, lower, upper, tileRows, outW,
                        [&](OpBuilder &tb, Value iw, ValueRange outT) {
                          Value zeros = vector::BroadcastOp::create(
                              tb, loc, accType, zeroWord);
                          SmallVector<Value> init(tileRows, zeros);
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
                                            zeroByte,
                                            ArrayRef<bool>{true});
                                        Value row = affine(cb, ih, strideH, ki,
                                                           dilationH, 0);
                                        Value channel = arith::MulIOp::create(
                                            cb, loc, ic, index(cb, 4));
                                        SmallVector<Value> next;
                                        for (int64_t r = 0; r < tileRows; ++r) {
                                          Value column = affine(
                                              cb, iw, strideW, kj, dilationW,
                                              r * strideW);
                                          Value quad =
                                              vector::TransferReadOp::create(
                                                  cb, loc, quadType, input,
                                                  ValueRange{in, row, column,
                                                             channel},
                                                  zeroByte,
                                                  ArrayRef<bool>{true});
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
                                              LLVM::CallIntrinsicOp::create(
                                                  cb, loc, accType, intrinsic,
                                                  ValueRange{acc[r], x, w})
                                                  .getResult(0));
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
                          Value f0 =
                              arith::MulIOp::create(tb, loc, it, index(tb, lanes));
                          for (int64_t r = 0; r < tileRows; ++r) {
                            Value column = arith::AddIOp::create(
                                tb, loc, iw, index(tb, r));
                            out = vector::TransferWriteOp::create(
                                      tb, loc, sums[r], out,
                                      ValueRange{zeroIndex, zeroIndex,
                                                 column, f0},
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
                out = pixelTiles(hb, full, ow, 1, out);
              return out;
        }();
        auto terminator = scf::InParallelOp::create(hb, loc);
        OpBuilder::InsertionGuard guard(hb);
        hb.setInsertionPointToStart(terminator.getBody());
        tensor::ParallelInsertSliceOp::create(hb, loc, rowResult[0], args[2],
                                              rowOffsets, rowSizes,
                                              unitStrides);
      });
  return forall.getResult(0);
}

/// The integer convolution, as
///   sum (x - xz)(w - wz) = sum x*w - xz * sum (w - wz) - wz * sum x
///                          (+ K * xz * wz, inside the second term)
/// so that the main loop nest is a plain product of the widened bytes,
/// channels innermost and contiguous (input NHWC, weight [F, KH, KW, C]),
/// the dot-product form LLVM's vectorizer and the x86 backend turn into
/// vpmaddwd / vpdpbusd (u8 x s8 with VNNI). The input is padded with its
/// zero point, so that padded taps cancel in the correction. The window
/// sums of x are only computed for a non-zero weight zero point. The last
/// generic adds the corrections and writes NCHW.
struct ConvIntegerLowering : OpConversionPattern<cnn::ConvIntegerOp> {
  ConvIntegerLowering(MLIRContext *ctx, unsigned dotProductBits)
      : OpConversionPattern(ctx), dotProductBits(dotProductBits) {}
  unsigned dotProductBits;
  LogicalResult
  matchAndRewrite(cnn::ConvIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    RankedTensorType type = op.getType();
    auto weightType = op.getWeight().getType();
    bool unsignedX = isUnsigned(op.getInput().getType());
    bool unsignedW = isUnsigned(weightType);
    Type i32 = rewriter.getI32Type();
    Value xZero = signless(rewriter, loc, adaptor.getInputZeroPoint());
    SmallVector<int64_t> low, high;
    splitPads(op.getPads(), 4, 2, low, high);
    Value padded = padWithValue(rewriter, loc,
                                signless(rewriter, loc, adaptor.getInput()),
                                low, high, xZero);
    auto transposed = [&](Value value) {
      auto t = cast<RankedTensorType>(value.getType());
      const int64_t toLast[] = {0, 2, 3, 1};
      SmallVector<int64_t> shape;
      for (int64_t d : toLast)
        shape.push_back(t.getDimSize(d));
      Value empty = tensor::EmptyOp::create(rewriter, loc, shape,
                                            t.getElementType());
      return linalg::TransposeOp::create(rewriter, loc, value, empty, toLast)
          .getResult()[0];
    };
    Value input = transposed(padded);
    Value weight =
        transposed(signless(rewriter, loc, adaptor.getWeight())); // FKKC
    Value wZero = signless(rewriter, loc, adaptor.getWeightZeroPoint());
    bool perChannelZero =
        cast<RankedTensorType>(wZero.getType()).getRank() != 0;

    int64_t n = type.getDimSize(0), channels = type.getDimSize(1);
    int64_t oh = type.getDimSize(2), ow = type.getDimSize(3);
    int64_t groups = op.getGroups();
    int64_t outPerGroup = channels / groups;
    int64_t inPerGroup = weightType.getDimSize(1);
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
    using utils::IteratorType;
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    auto zeros = [&](ArrayRef<int64_t> shape) {
      return int32Zeros(rewriter, loc, shape);
    };

    // sum x * w over (n, oh, ow, f | kh, kw, c), NHWC.
    AffineExpr channel = d(3).floorDiv(outPerGroup) * inPerGroup + d(6);
    SmallVector<AffineMap> maps{
        AffineMap::get(7, 0,
                       {d(0), d(1) * strides[0] + d(4) * dilations[0],
                        d(2) * strides[1] + d(5) * dilations[1], channel},
                       ctx),
        AffineMap::get(7, 0, {d(3), d(4), d(5), d(6)}, ctx),
        AffineMap::get(7, 0, {d(0), d(1), d(2), d(3)}, ctx)};
    SmallVector<IteratorType> iterators(4, IteratorType::parallel);
    iterators.append(3, IteratorType::reduction);
    Value products;
    std::optional<std::vector<char>> constantWeight =
        constantBytes(op.getWeight());
    std::optional<std::vector<char>> constantWeightZero =
        constantBytes(op.getWeightZeroPoint());
    // sum (w - wz) per output channel, at compile time for constants.
    Value weightSums;
    if (constantWeight && constantWeightZero) {
      int64_t perChannel = constantWeight->size() / channels;
      std::vector<int32_t> sums(channels, 0);
      auto value = [&](char byte) {
        return unsignedW ? int32_t(uint8_t(byte)) : int32_t(int8_t(byte));
      };
      for (int64_t o = 0; o < channels; ++o) {
        int32_t zero = value(
            (*constantWeightZero)[constantWeightZero->size() == 1 ? 0 : o]);
        for (int64_t i = 0; i < perChannel; ++i)
          sums[o] += value((*constantWeight)[o * perChannel + i]) - zero;
      }
      auto sumsType = RankedTensorType::get({channels}, i32);
      weightSums = arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(sumsType, ArrayRef(sums)));
    }
    if (dotProductBits && unsignedX && !unsignedW && groups == 1 &&
        constantWeight) {
      DotProductConvolution conv{std::move(*constantWeight),
                                 channels,
                                 inPerGroup,
                                 weightType.getDimSize(2),
                                 weightType.getDimSize(3),
                                 n,
                                 oh,
                                 ow,
                                 strides[0],
                                 strides[1],
                                 dilations[0],
                                 dilations[1]};
      products = dotProductProducts(rewriter, loc, conv, input, dotProductBits);
    }
    if (!products)
      products = reduceGeneric(
          rewriter, loc, ValueRange{input, weight},
          zeros({n, oh, ow, channels}), maps, iterators,
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value product =
                arith::MulIOp::create(b, l, widen(b, l, args[0], unsignedX),
                                      widen(b, l, args[1], unsignedW));
            return arith::AddIOp::create(b, l, args[2], product);
          });

    // sum (w - wz) per output channel.
    SmallVector<AffineMap> weightMaps{
        AffineMap::get(4, 0, {d(0), d(1), d(2), d(3)}, ctx),
        perChannelZero ? AffineMap::get(4, 0, {d(0)}, ctx)
                       : AffineMap::get(4, 0, {}, ctx),
        AffineMap::get(4, 0, {d(0)}, ctx)};
    SmallVector<IteratorType> weightIterators{
        IteratorType::parallel, IteratorType::reduction,
        IteratorType::reduction, IteratorType::reduction};
    if (!weightSums)
      weightSums = reduceGeneric(
        rewriter, loc, ValueRange{weight, wZero}, zeros({channels}),
        weightMaps, weightIterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value w = arith::SubIOp::create(b, l, widen(b, l, args[0], unsignedW),
                                          widen(b, l, args[1], unsignedW));
          return arith::AddIOp::create(b, l, args[2], w);
        });

    // sum x over each window and group, when the weight zero point is not
    // zero: [N, OH, OW, G]. An empty [KH, KW, C / groups] tensor names the
    // window's loops (as linalg's pooling takes its window).
    bool zeroWeightZero = isZeroConstant(op.getWeightZeroPoint());
    Value windowSums;
    if (!zeroWeightZero) {
      Value window = tensor::EmptyOp::create(
          rewriter, loc,
          ArrayRef<int64_t>{weightType.getDimSize(2), weightType.getDimSize(3),
                            inPerGroup},
          i32);
      SmallVector<AffineMap> windowMaps{
          AffineMap::get(7, 0,
                         {d(0), d(1) * strides[0] + d(4) * dilations[0],
                          d(2) * strides[1] + d(5) * dilations[1],
                          d(3) * inPerGroup + d(6)},
                         ctx),
          AffineMap::get(7, 0, {d(4), d(5), d(6)}, ctx),
          AffineMap::get(7, 0, {d(0), d(1), d(2), d(3)}, ctx)};
      windowSums = reduceGeneric(
          rewriter, loc, ValueRange{input, window}, zeros({n, oh, ow, groups}),
          windowMaps, iterators, [&](OpBuilder &b, Location l, ValueRange args) {
            return arith::AddIOp::create(b, l, args[2],
                                         widen(b, l, args[0], unsignedX));
          });
    }

    // acc = products - xz * weightSums[f] - wz[f] * windowSums + bias, NCHW.
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(), i32);
    SmallVector<Value> inputs{products, weightSums, xZero};
    SmallVector<AffineMap> finalMaps{
        AffineMap::get(4, 0, {d(0), d(2), d(3), d(1)}, ctx),
        AffineMap::get(4, 0, {d(1)}, ctx), AffineMap::get(4, 0, {}, ctx)};
    if (windowSums) {
      inputs.append({windowSums, wZero});
      finalMaps.push_back(AffineMap::get(
          4, 0, {d(0), d(2), d(3), d(1).floorDiv(outPerGroup)}, ctx));
      finalMaps.push_back(perChannelZero ? AffineMap::get(4, 0, {d(1)}, ctx)
                                         : AffineMap::get(4, 0, {}, ctx));
    }
    Value bias = adaptor.getBias();
    if (bias) {
      inputs.push_back(bias);
      finalMaps.push_back(AffineMap::get(4, 0, {d(1)}, ctx));
    }
    finalMaps.push_back(rewriter.getMultiDimIdentityMap(4));
    SmallVector<IteratorType> parallel(4, IteratorType::parallel);
    auto result = linalg::GenericOp::create(
        rewriter, loc, type, inputs, init, finalMaps, parallel,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value acc = arith::SubIOp::create(
              b, l, args[0],
              arith::MulIOp::create(b, l, widen(b, l, args[2], unsignedX),
                                    args[1]));
          size_t next = 3;
          if (windowSums) {
            acc = arith::SubIOp::create(
                b, l, acc,
                arith::MulIOp::create(b, l, widen(b, l, args[4], unsignedW),
                                      args[3]));
            next = 5;
          }
          if (bias)
            acc = arith::AddIOp::create(b, l, acc, args[next]);
          linalg::YieldOp::create(b, l, acc);
        });
    rewriter.replaceOp(op, result.getResult(0));
    return success();
  }
};

/// The integer matrix product over (batch..., m, n, k); operands' batch
/// dimensions broadcast as numpy's.
struct MatmulIntegerLowering : OpConversionPattern<cnn::MatmulIntegerOp> {
  MatmulIntegerLowering(MLIRContext *ctx, unsigned dotProductBits)
      : OpConversionPattern(ctx), dotProductBits(dotProductBits) {}
  unsigned dotProductBits;

  /// A uint8 [M, K] by constant int8 [K, N] product on the vpdpbusd kernel:
  /// the 1x1 convolution of one row of M pixels, with the zero points as
  /// corrections (xz * column sums of w - wz, wz * row sums of x) as the
  /// convolution's.
  Value onDotProducts(cnn::MatmulIntegerOp op, OpAdaptor adaptor,
                      ConversionPatternRewriter &rewriter) const {
    auto lhsType = op.getLhs().getType();
    auto rhsType = op.getRhs().getType();
    if (!dotProductBits || lhsType.getRank() != 2 || rhsType.getRank() != 2 ||
        !isUnsigned(lhsType) || isUnsigned(rhsType))
      return {};
    std::optional<std::vector<char>> rhs = constantBytes(op.getRhs());
    if (!rhs)
      return {};
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    int64_t m = lhsType.getDimSize(0), k = lhsType.getDimSize(1),
            n = rhsType.getDimSize(1);
    DotProductConvolution conv{std::vector<char>(rhs->size()), n, k, 1, 1, 1,
                               1, m};
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < n; ++j)
        conv.weights[j * k + i] = (*rhs)[i * n + j];
    Value lhs = signless(rewriter, loc, adaptor.getLhs());
    Value image = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({1, 1, m, k}, rewriter.getI8Type()),
        lhs, SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
    Value products4 =
        dotProductProducts(rewriter, loc, conv, image, dotProductBits);
    Type i32 = rewriter.getI32Type();
    Value products = tensor::CollapseShapeOp::create(
        rewriter, loc, RankedTensorType::get({m, n}, i32), products4,
        SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
    using utils::IteratorType;
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    auto zeros = [&](ArrayRef<int64_t> shape) {
      return int32Zeros(rewriter, loc, shape);
    };
    Value rhsValue = signless(rewriter, loc, adaptor.getRhs());
    Value lhsZero = signless(rewriter, loc, adaptor.getLhsZeroPoint());
    Value rhsZero = signless(rewriter, loc, adaptor.getRhsZeroPoint());
    bool perColumn = cast<RankedTensorType>(rhsZero.getType()).getRank() == 1;
    // Column sums of (w - wz): (k | n) -> n.
    Value columnSums = reduceGeneric(
        rewriter, loc, ValueRange{rhsValue, rhsZero}, zeros({n}),
        {AffineMap::get(2, 0, {d(1), d(0)}, ctx),
         perColumn ? AffineMap::get(2, 0, {d(0)}, ctx)
                   : AffineMap::get(2, 0, {}, ctx),
         AffineMap::get(2, 0, {d(0)}, ctx)},
        {IteratorType::parallel, IteratorType::reduction},
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value w = arith::SubIOp::create(b, l, widen(b, l, args[0], false),
                                          widen(b, l, args[1], false));
          return arith::AddIOp::create(b, l, args[2], w);
        });
    bool zeroRhsZero = isZeroConstant(op.getRhsZeroPoint());
    Value rowSums;
    if (!zeroRhsZero)
      rowSums = reduceGeneric(
          rewriter, loc, ValueRange{lhs}, zeros({m}),
          {AffineMap::get(2, 0, {d(0), d(1)}, ctx),
           AffineMap::get(2, 0, {d(0)}, ctx)},
          {IteratorType::parallel, IteratorType::reduction},
          [&](OpBuilder &b, Location l, ValueRange args) {
            return arith::AddIOp::create(b, l, args[1],
                                         widen(b, l, args[0], true));
          });
    SmallVector<Value> inputs{products, columnSums, lhsZero};
    SmallVector<AffineMap> maps{AffineMap::get(2, 0, {d(0), d(1)}, ctx),
                                AffineMap::get(2, 0, {d(1)}, ctx),
                                AffineMap::get(2, 0, {}, ctx)};
    if (rowSums) {
      inputs.append({rowSums, rhsZero});
      maps.push_back(AffineMap::get(2, 0, {d(0)}, ctx));
      maps.push_back(perColumn ? AffineMap::get(2, 0, {d(1)}, ctx)
                               : AffineMap::get(2, 0, {}, ctx));
    }
    Value bias = adaptor.getBias();
    if (bias) {
      inputs.push_back(bias);
      maps.push_back(AffineMap::get(2, 0, {d(1)}, ctx));
    }
    maps.push_back(rewriter.getMultiDimIdentityMap(2));
    Value init = tensor::EmptyOp::create(rewriter, loc, {m, n}, i32);
    SmallVector<IteratorType> parallel(2, IteratorType::parallel);
    return linalg::GenericOp::create(
               rewriter, loc, op.getType(), inputs, init, maps, parallel,
               [&](OpBuilder &b, Location l, ValueRange args) {
                 Value acc = arith::SubIOp::create(
                     b, l, args[0],
                     arith::MulIOp::create(b, l, widen(b, l, args[2], true),
                                           args[1]));
                 size_t next = 3;
                 if (rowSums) {
                   acc = arith::SubIOp::create(
                       b, l, acc,
                       arith::MulIOp::create(b, l, widen(b, l, args[4], false),
                                             args[3]));
                   next = 5;
                 }
                 if (bias)
                   acc = arith::AddIOp::create(b, l, acc, args[next]);
                 linalg::YieldOp::create(b, l, acc);
               })
        .getResult(0);
  }

  LogicalResult
  matchAndRewrite(cnn::MatmulIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (Value result = onDotProducts(op, adaptor, rewriter)) {
      rewriter.replaceOp(op, result);
      return success();
    }
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank(), loops = rank + 1;
    int64_t batch = rank - 2;
    AffineExpr m = getAffineDimExpr(batch, ctx),
               n = getAffineDimExpr(batch + 1, ctx),
               k = getAffineDimExpr(batch + 2, ctx);
    // An operand's batch dimensions, aligned at the right of the result's,
    // with size-1 dimensions read at 0.
    auto operandMap = [&](RankedTensorType operand, AffineExpr row,
                          AffineExpr column) {
      int64_t operandBatch = operand.getRank() - 2;
      SmallVector<AffineExpr> exprs;
      for (int64_t i = 0; i < operandBatch; ++i) {
        int64_t d = batch - operandBatch + i;
        if (operand.getDimSize(i) == 1 && type.getDimSize(d) != 1)
          exprs.push_back(getAffineConstantExpr(0, ctx));
        else
          exprs.push_back(getAffineDimExpr(d, ctx));
      }
      exprs.push_back(row);
      exprs.push_back(column);
      return AffineMap::get(loops, 0, exprs, ctx);
    };
    Value rhsZero = signless(rewriter, loc, adaptor.getRhsZeroPoint());
    SmallVector<AffineExpr> resultExprs;
    for (int64_t i = 0; i < rank; ++i)
      resultExprs.push_back(getAffineDimExpr(i, ctx));
    SmallVector<AffineMap> maps{
        operandMap(op.getLhs().getType(), m, k),
        operandMap(op.getRhs().getType(), k, n),
        AffineMap::get(loops, 0, {}, ctx),
        cast<RankedTensorType>(rhsZero.getType()).getRank() == 0
            ? AffineMap::get(loops, 0, {}, ctx)
            : AffineMap::get(loops, 0, {n}, ctx),
        AffineMap::get(loops, 0, resultExprs, ctx)};
    using utils::IteratorType;
    SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
    iterators.push_back(IteratorType::reduction);
    Value init =
        integerAccumulator(rewriter, loc, type, adaptor.getBias(), rank - 1);
    bool unsignedLhs = isUnsigned(op.getLhs().getType());
    bool unsignedRhs = isUnsigned(op.getRhs().getType());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type,
        ValueRange{signless(rewriter, loc, adaptor.getLhs()),
                   signless(rewriter, loc, adaptor.getRhs()),
                   signless(rewriter, loc, adaptor.getLhsZeroPoint()),
                   rhsZero},
        init, maps, iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(
              b, l, multiplyAccumulate(b, l, args, unsignedLhs, unsignedRhs));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void cnnc::lowering::populateQuantizationLowerings(
    RewritePatternSet &patterns, unsigned dotProductBits) {
  patterns.add<QuantizeLowering, DequantizeLowering, RequantizeLowering,
               CastLowering>(patterns.getContext());
  patterns.add<ConvIntegerLowering, MatmulIntegerLowering>(
      patterns.getContext(), dotProductBits);
}
