//===- Quantization.cpp - Quantize, dequantize, requantize, cast ----------===//
//
// The int8 ops as linalg.generic on signless integers. A uint8 (`ui8`)
// operand is bitcast to i8 on the way in and the result back on the way
// out, so that the arithmetic is on signless types while the graph keeps
// its types; eraseSignedness() removes the casts once every op is lowered.
// Which extension (extui or extsi) reads an element follows from the cnn
// op's own operand type. The integer kernels are in IntegerKernels.cpp.
//
// Rounding is ONNX's: halves to even (math.roundeven), then the zero point
// is added and the sum saturated to the type's range, all in float, which
// holds every int8/uint8/int32 value that can survive the saturation.
//
//===----------------------------------------------------------------------===//

#include "IntegerBuilders.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::lowering;

namespace {

/// The range of a quantized element type.
std::pair<double, double> quantizedRange(Type type) {
  if (isUnsigned(type))
    return {0.0, 255.0};
  return {-128.0, 127.0};
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
    AffineMap map = parameterMap(getContext(), type.getRank(), op.getAxis());
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
    AffineMap map = parameterMap(getContext(), type.getRank(), op.getAxis());
    Value result = mapWithParameters(
        rewriter, loc, type, signless(rewriter, loc, adaptor.getInput()),
        {adaptor.getScale(), signless(rewriter, loc, adaptor.getZeroPoint())},
        {map, map}, [&](OpBuilder &b, Location l, ValueRange args) {
          Value difference =
              arith::SubIOp::create(b, l, widen(b, l, args[0], unsignedInput),
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
    Value zero =
        arith::ConstantOp::create(b, loc, b.getIntegerAttr(x.getType(), 0));
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
    Value result =
        mapWithParameters(rewriter, loc, signlessType(type),
                          signless(rewriter, loc, adaptor.getInput()), {}, {},
                          [&](OpBuilder &b, Location l, ValueRange args) {
                            return convertScalar(b, l, args[0], from, to);
                          });
    rewriter.replaceOp(op, retyped(rewriter, loc, result, type));
    return success();
  }
};

} // namespace

void cnnc::lowering::populateQuantizationLowerings(
    RewritePatternSet &patterns) {
  patterns.add<QuantizeLowering, DequantizeLowering, RequantizeLowering,
               CastLowering>(patterns.getContext());
}
