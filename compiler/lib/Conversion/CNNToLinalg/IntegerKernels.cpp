//===- IntegerKernels.cpp - The integer convolution and matrix product ----===//
//
// cnn.conv_integer and cnn.matmul_integer in int32, with the zero points as
// corrections of a plain product of bytes (see ConvIntegerLowering), the
// product on the u8 x s8 kernel (DotProductKernel.cpp) where the target has
// the instructions for it.
//
//===----------------------------------------------------------------------===//

#include "IntegerBuilders.h"

#include "cnnc/Dialect/CNN/IR/ConstantElements.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <cstring>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::lowering;

namespace {

/// The int32 accumulator of an integer kernel: the bias broadcast along
/// `channelDim`, or zeros.
Value integerAccumulator(OpBuilder &b, Location loc, RankedTensorType type,
                         Value bias, int64_t channelDim) {
  Value init =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
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

/// products - xz * weightSums - wz * windowSums + bias, one element: the end
/// of the integer convolution and matrix product. `args` are products,
/// weight sums, xz, then (with `windowSums`) window sums and wz, then (with
/// `bias`) the bias.
Value correctedSum(OpBuilder &b, Location l, ValueRange args, bool unsignedX,
                   bool unsignedW, bool windowSums, bool bias) {
  Value acc = arith::SubIOp::create(
      b, l, args[0],
      arith::MulIOp::create(b, l, widen(b, l, args[2], unsignedX), args[1]));
  size_t next = 3;
  if (windowSums) {
    acc = arith::SubIOp::create(
        b, l, acc,
        arith::MulIOp::create(b, l, widen(b, l, args[4], unsignedW), args[3]));
    next = 5;
  }
  if (bias)
    acc = arith::AddIOp::create(b, l, acc, args[next]);
  return acc;
}

/// A 0-D zero point known at compile time, read by its type's signedness.
std::optional<int32_t> constantZeroPoint(Value zero) {
  std::optional<std::vector<char>> bytes = constantBytes(zero);
  if (!bytes || bytes->size() != 1)
    return std::nullopt;
  return isUnsigned(zero.getType()) ? int32_t(uint8_t((*bytes)[0]))
                                    : int32_t(int8_t((*bytes)[0]));
}

/// The requantization that `op` (channels last, its weight zero point
/// zero) ends in, to fuse into the kernel's store: when its one user is a
/// cnn.requantize along its channels or per tensor and the zero points, the
/// bias and the multiplier are constants. `weightSums` are the weight's
/// sums per output channel.
std::optional<StoreRequantization>
fusedRequantization(cnn::ConvIntegerOp op, ArrayRef<int32_t> weightSums) {
  if (!op->hasOneUse())
    return std::nullopt;
  auto requantize = dyn_cast<cnn::RequantizeOp>(*op->user_begin());
  int64_t channels = weightSums.size();
  if (!requantize || (requantize.getAxis() && *requantize.getAxis() != 3))
    return std::nullopt;
  std::optional<int32_t> xz = constantZeroPoint(op.getInputZeroPoint());
  std::optional<int32_t> yz = constantZeroPoint(requantize.getZeroPoint());
  std::optional<std::vector<char>> multiplier =
      constantBytes(requantize.getMultiplier());
  std::optional<std::vector<char>> bias;
  if (op.getBias() && !(bias = constantBytes(op.getBias())))
    return std::nullopt;
  if (!xz || !yz || !multiplier ||
      (bias && bias->size() != size_t(channels) * 4))
    return std::nullopt;
  size_t scales = multiplier->size() / 4;
  if (scales != 1 && scales != size_t(channels))
    return std::nullopt;
  bool unsignedY = isUnsigned(requantize.getType());
  StoreRequantization result;
  result.zeroPoint = *yz;
  result.low = unsignedY ? 0.0 : -128.0;
  result.high = unsignedY ? 255.0 : 127.0;
  int32_t inputZero = *xz;
  for (int64_t f = 0; f < channels; ++f) {
    int32_t b = 0;
    if (bias)
      std::memcpy(&b, bias->data() + 4 * f, 4);
    // The int32 arithmetic the unfused correction does: wrapping alike.
    result.offset.push_back(int32_t(uint32_t(b) -
                                    uint32_t(inputZero) *
                                        uint32_t(weightSums[f])));
    float m;
    std::memcpy(&m, multiplier->data() + 4 * (scales == 1 ? 0 : f), 4);
    result.multiplier.push_back(m);
  }
  return result;
}

/// A per-tensor quantization parameter pair known at compile time: the
/// scale and the zero point.
std::optional<std::pair<float, int32_t>> constantParameters(Value scale,
                                                            Value zero) {
  std::optional<std::vector<char>> s = constantBytes(scale);
  std::optional<int32_t> z = constantZeroPoint(zero);
  if (!s || s->size() != 4 || !z)
    return std::nullopt;
  float value;
  std::memcpy(&value, s->data(), 4);
  return std::make_pair(value, *z);
}

/// The residual block that follows `requantize` when it is ONNX's QDQ
/// form, quantize(act?(dequantize(requantize) + dequantize(x))) with x an
/// 8-bit tensor of the same shape, every parameter per tensor and constant,
/// each intermediate used once: what the kernel's store then computes, the
/// ops it replaces (the quantize last) and x.
struct ResidualChain {
  StoreRequantization::Residual residual;
  SmallVector<Operation *> ops;
  cnn::BinaryOp add;
  Value other;
};
/// Marks the add of a residual block a kernel's store took: the other
/// addend's kernel, lowered after, must not take it too (an erased op may
/// stay in the IR until the conversion ends).
constexpr llvm::StringLiteral kTakenByKernel = "cnnc.taken_by_kernel";

std::optional<ResidualChain> fusedResidual(cnn::RequantizeOp requantize) {
  auto oneUser = [](Operation *op) -> Operation * {
    return op->hasOneUse() ? *op->user_begin() : nullptr;
  };
  ResidualChain chain;
  chain.ops.push_back(requantize);
  auto self = dyn_cast_or_null<cnn::DequantizeOp>(oneUser(requantize));
  if (!self || self.getAxis())
    return std::nullopt;
  auto add = dyn_cast_or_null<cnn::BinaryOp>(oneUser(self));
  if (!add || add.getKind() != cnn::BinaryKind::Add ||
      add->hasAttr(kTakenByKernel) ||
      add.getLhs().getType() != add.getRhs().getType())
    return std::nullopt;
  Value otherValue = add.getLhs() == self.getResult() ? add.getRhs()
                                                      : add.getLhs();
  auto other = otherValue.getDefiningOp<cnn::DequantizeOp>();
  if (!other || other == self || other.getAxis() ||
      other.getInput().getType().getShape() !=
          requantize.getType().getShape())
    return std::nullopt;
  Operation *next = oneUser(add);
  auto activation = dyn_cast_or_null<cnn::ActivationOp>(next);
  if (activation)
    next = oneUser(activation);
  auto quantize = dyn_cast_or_null<cnn::QuantizeOp>(next);
  if (!quantize || quantize.getAxis())
    return std::nullopt;
  bool otherUnsigned = isUnsigned(other.getInput().getType());
  bool outUnsigned = isUnsigned(quantize.getType());
  auto selfParameters =
      constantParameters(self.getScale(), self.getZeroPoint());
  auto otherParameters =
      constantParameters(other.getScale(), other.getZeroPoint());
  auto outParameters =
      constantParameters(quantize.getScale(), quantize.getZeroPoint());
  if (!selfParameters || !otherParameters || !outParameters)
    return std::nullopt;
  StoreRequantization::Residual &r = chain.residual;
  r.residualUnsigned = otherUnsigned;
  std::tie(r.selfScale, r.selfZero) = *selfParameters;
  std::tie(r.residualScale, r.residualZero) = *otherParameters;
  int32_t outZero;
  std::tie(r.outScale, outZero) = *outParameters;
  r.outZero = outZero;
  r.outLow = outUnsigned ? 0.0 : -128.0;
  r.outHigh = outUnsigned ? 255.0 : 127.0;
  if (activation) {
    r.activation = activation.getKind();
    r.alpha = activation.getAlphaAttr();
    r.beta = activation.getBetaAttr();
    chain.ops.append({self, add, activation, quantize});
  } else {
    chain.ops.append({self, add, quantize});
  }
  chain.add = add;
  chain.other = other.getInput();
  return chain;
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
/// generic adds the corrections and writes the result's layout (NCHW, or
/// NHWC with `layout nhwc`, whose input is NHWC too).
struct ConvIntegerLowering : OpConversionPattern<cnn::ConvIntegerOp> {
  ConvIntegerLowering(MLIRContext *ctx, Int8Instructions instructions)
      : OpConversionPattern(ctx), instructions(instructions) {}
  Int8Instructions instructions;
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
    // The input padded with its zero point, NHWC (`input`) and, for the
    // depthwise loops, NCHW (`channelsFirstInput`): with `layout nhwc` the
    // input and the result are channels last already.
    bool channelsLast = op.getLayout() == cnn::Layout::NHWC;
    SmallVector<int64_t> low, high;
    splitPads(op.getPads(), 4, channelsLast ? 1 : 2, low, high);
    Value padded =
        padWithValue(rewriter, loc, signless(rewriter, loc, adaptor.getInput()),
                     low, high, xZero);
    auto transposed = [&](Value value) {
      return permute(rewriter, loc, value, cnn::kToChannelsLast);
    };
    Value input = channelsLast ? padded : transposed(padded);
    auto channelsFirstInput = [&]() {
      return channelsLast
                 ? permute(rewriter, loc, padded, cnn::kToChannelsFirst)
                 : padded;
    };
    Value weight =
        transposed(signless(rewriter, loc, adaptor.getWeight())); // FKKC
    Value wZero = signless(rewriter, loc, adaptor.getWeightZeroPoint());
    bool perChannelZero =
        cast<RankedTensorType>(wZero.getType()).getRank() != 0;

    // The result's dimensions, and the final loop's over them (n, f, oh, ow
    // as affine dimensions, in the result's order).
    int64_t n = type.getDimSize(0);
    int64_t channels = type.getDimSize(channelsLast ? 3 : 1);
    int64_t oh = type.getDimSize(channelsLast ? 1 : 2);
    int64_t ow = type.getDimSize(channelsLast ? 2 : 3);
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
    std::vector<int32_t> sums;
    if (constantWeight && constantWeightZero) {
      int64_t perChannel = constantWeight->size() / channels;
      sums.assign(channels, 0);
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
    // The kernel writes its products in the result's layout: the
    // corrections then read and write contiguously.
    bool productsChannelsFirst = false;
    if (unsignedX && !unsignedW && groups == 1 && constantWeight) {
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
      std::optional<DotProductStep> step =
          chooseDotProductStep(instructions, conv);
      // A layer that ends in a requantization ends in the kernel's store:
      // the int32 sums never reach memory.
      std::optional<StoreRequantization> requantization;
      if (step && channelsLast && isZeroConstant(op.getWeightZeroPoint()))
        requantization = fusedRequantization(op, sums);
      if (requantization) {
        auto requantize = cast<cnn::RequantizeOp>(*op->user_begin());
        // A residual block's add after it ends there too. The kernel then
        // goes where the block's quantize was, after the other addend.
        SmallVector<Operation *> replaced{requantize};
        if (std::optional<ResidualChain> chain = fusedResidual(requantize)) {
          replaced = chain->ops;
          rewriter.modifyOpInPlace(chain->add, [&] {
            chain->add->setAttr(kTakenByKernel, rewriter.getUnitAttr());
          });
          rewriter.setInsertionPoint(replaced.back());
          chain->residual.residual = signless(rewriter, loc, chain->other);
          requantization->residual = chain->residual;
        }
        Operation *last = replaced.back();
        Value bytes = dotProductProducts(rewriter, loc, conv, input, *step,
                                         /*channelsFirst=*/false,
                                         &*requantization);
        rewriter.replaceOp(
            last, retyped(rewriter, loc, bytes,
                          cast<RankedTensorType>(last->getResult(0).getType())));
        for (Operation *dead : llvm::reverse(ArrayRef(replaced).drop_back()))
          rewriter.eraseOp(dead);
        rewriter.eraseOp(op);
        return success();
      }
      if (step) {
        products = dotProductProducts(rewriter, loc, conv, input, *step,
                                      /*channelsFirst=*/!channelsLast);
        productsChannelsFirst = !channelsLast;
      }
    }
    auto multiplyAdd = [&](OpBuilder &b, Location l, ValueRange args) {
      Value product = arith::MulIOp::create(b, l, widen(b, l, args[0], unsignedX),
                                            widen(b, l, args[1], unsignedW));
      return arith::AddIOp::create(b, l, args[2], product);
    };
    if (!products && groups == channels && inPerGroup == 1 && channelsLast) {
      // Depthwise, channels last: over (n, oh, ow | kh, kw | f) the
      // channels innermost, where input, weight ([KH, KW, C], transposed at
      // compile time when constant) and result are all contiguous: a loop
      // LLVM vectorizes.
      int64_t kh = weightType.getDimSize(2), kw = weightType.getDimSize(3);
      Value taps;
      auto tapsType = RankedTensorType::get({kh, kw, channels},
                                            rewriter.getI8Type());
      if (constantWeight) {
        std::vector<char> bytes(constantWeight->size());
        for (int64_t f = 0; f < channels; ++f)
          for (int64_t t = 0; t < kh * kw; ++t)
            bytes[t * channels + f] = (*constantWeight)[f * kh * kw + t];
        taps = arith::ConstantOp::create(
            rewriter, loc,
            cnn::constantElements(tapsType, bytes, "depthwise_int8"));
      } else {
        taps = tensor::CollapseShapeOp::create(
            rewriter, loc, tapsType,
            permute(rewriter, loc,
                    signless(rewriter, loc, adaptor.getWeight()),
                    ArrayRef<int64_t>{2, 3, 1, 0}),
            SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
      }
      SmallVector<AffineMap> depthwiseMaps{
          AffineMap::get(6, 0,
                         {d(0), d(1) * strides[0] + d(3) * dilations[0],
                          d(2) * strides[1] + d(4) * dilations[1], d(5)},
                         ctx),
          AffineMap::get(6, 0, {d(3), d(4), d(5)}, ctx),
          AffineMap::get(6, 0, {d(0), d(1), d(2), d(5)}, ctx)};
      SmallVector<IteratorType> depthwiseIterators{
          IteratorType::parallel,  IteratorType::parallel,
          IteratorType::parallel,  IteratorType::reduction,
          IteratorType::reduction, IteratorType::parallel};
      products = reduceGeneric(rewriter, loc, ValueRange{input, taps},
                               zeros({n, oh, ow, channels}), depthwiseMaps,
                               depthwiseIterators, multiplyAdd);
    }
    if (!products && groups == channels && inPerGroup == 1) {
      // Depthwise: channels first over (n, f, oh | kh, kw | ow) on the
      // NCHW input, the output width innermost: a loop that walks input and
      // output contiguously with a loop-invariant weight, which LLVM
      // vectorizes (channels innermost, the [F, 1, KH, KW] weight would be
      // gathered).
      SmallVector<AffineMap> depthwiseMaps{
          AffineMap::get(6, 0,
                         {d(0), d(1), d(2) * strides[0] + d(3) * dilations[0],
                          d(5) * strides[1] + d(4) * dilations[1]},
                         ctx),
          AffineMap::get(6, 0,
                         {d(1), getAffineConstantExpr(0, ctx), d(3), d(4)},
                         ctx),
          AffineMap::get(6, 0, {d(0), d(1), d(2), d(5)}, ctx)};
      SmallVector<IteratorType> depthwiseIterators{
          IteratorType::parallel,  IteratorType::parallel,
          IteratorType::parallel,  IteratorType::reduction,
          IteratorType::reduction, IteratorType::parallel};
      products = reduceGeneric(
          rewriter, loc,
          ValueRange{channelsFirstInput(),
                     signless(rewriter, loc, adaptor.getWeight())},
          zeros({n, channels, oh, ow}), depthwiseMaps, depthwiseIterators,
          multiplyAdd);
      productsChannelsFirst = true;
    }
    if (!products)
      products =
          reduceGeneric(rewriter, loc, ValueRange{input, weight},
                        zeros({n, oh, ow, channels}), maps, iterators,
                        multiplyAdd);

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
      weightSums =
          reduceGeneric(rewriter, loc, ValueRange{weight, wZero},
                        zeros({channels}), weightMaps, weightIterators,
                        [&](OpBuilder &b, Location l, ValueRange args) {
                          Value w = arith::SubIOp::create(
                              b, l, widen(b, l, args[0], unsignedW),
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
      windowSums =
          reduceGeneric(rewriter, loc, ValueRange{input, window},
                        zeros({n, oh, ow, groups}), windowMaps, iterators,
                        [&](OpBuilder &b, Location l, ValueRange args) {
                          return arith::AddIOp::create(
                              b, l, args[2], widen(b, l, args[0], unsignedX));
                        });
    }

    // acc = products - xz * weightSums[f] - wz[f] * windowSums + bias, in
    // the result's layout, its dimensions the loop's in their order.
    AffineExpr bN = d(0), bF = d(channelsLast ? 3 : 1),
               bH = d(channelsLast ? 1 : 2), bW = d(channelsLast ? 2 : 3);
    auto map = [&](ArrayRef<AffineExpr> exprs) {
      return AffineMap::get(4, 0, exprs, ctx);
    };
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(), i32);
    SmallVector<Value> inputs{products, weightSums, xZero};
    SmallVector<AffineMap> finalMaps{
        productsChannelsFirst ? map({bN, bF, bH, bW}) : map({bN, bH, bW, bF}),
        map({bF}), map({})};
    if (windowSums) {
      inputs.append({windowSums, wZero});
      finalMaps.push_back(map({bN, bH, bW, bF.floorDiv(outPerGroup)}));
      finalMaps.push_back(perChannelZero ? map({bF}) : map({}));
    }
    Value bias = adaptor.getBias();
    if (bias) {
      inputs.push_back(bias);
      finalMaps.push_back(map({bF}));
    }
    finalMaps.push_back(rewriter.getMultiDimIdentityMap(4));
    SmallVector<IteratorType> parallel(4, IteratorType::parallel);
    auto result = linalg::GenericOp::create(
        rewriter, loc, type, inputs, init, finalMaps, parallel,
        [&](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(
              b, l,
              correctedSum(b, l, args, unsignedX, unsignedW,
                           static_cast<bool>(windowSums),
                           static_cast<bool>(bias)));
        });
    rewriter.replaceOp(op, result.getResult(0));
    return success();
  }
};

/// The integer matrix product over (batch..., m, n, k); operands' batch
/// dimensions broadcast as numpy's.
struct MatmulIntegerLowering : OpConversionPattern<cnn::MatmulIntegerOp> {
  MatmulIntegerLowering(MLIRContext *ctx, Int8Instructions instructions)
      : OpConversionPattern(ctx), instructions(instructions) {}
  Int8Instructions instructions;

  /// A uint8 [M, K] by constant int8 [K, N] product on the u8 x s8 kernel:
  /// the 1x1 convolution of one row of M pixels, with the zero points as
  /// corrections (xz * column sums of w - wz, wz * row sums of x) as the
  /// convolution's.
  Value onDotProducts(cnn::MatmulIntegerOp op, OpAdaptor adaptor,
                      ConversionPatternRewriter &rewriter) const {
    auto lhsType = op.getLhs().getType();
    auto rhsType = op.getRhs().getType();
    if ((!instructions.dotProductBits && !instructions.multiplyAddBits) ||
        lhsType.getRank() != 2 || rhsType.getRank() != 2 ||
        !isUnsigned(lhsType) || isUnsigned(rhsType))
      return {};
    std::optional<std::vector<char>> rhs = constantBytes(op.getRhs());
    if (!rhs)
      return {};
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    int64_t m = lhsType.getDimSize(0), k = lhsType.getDimSize(1),
            n = rhsType.getDimSize(1);
    DotProductConvolution conv{
        std::vector<char>(rhs->size()), n, k, 1, 1, 1, 1, m};
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < n; ++j)
        conv.weights[j * k + i] = (*rhs)[i * n + j];
    std::optional<DotProductStep> step =
        chooseDotProductStep(instructions, conv);
    if (!step)
      return {};
    Value lhs = signless(rewriter, loc, adaptor.getLhs());
    Value image = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({1, 1, m, k}, rewriter.getI8Type()), lhs,
        SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
    Value products4 = dotProductProducts(rewriter, loc, conv, image, *step,
                                         /*channelsFirst=*/false);
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
      rowSums = reduceGeneric(rewriter, loc, ValueRange{lhs}, zeros({m}),
                              {AffineMap::get(2, 0, {d(0), d(1)}, ctx),
                               AffineMap::get(2, 0, {d(0)}, ctx)},
                              {IteratorType::parallel, IteratorType::reduction},
                              [&](OpBuilder &b, Location l, ValueRange args) {
                                return arith::AddIOp::create(
                                    b, l, args[1], widen(b, l, args[0], true));
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
                 linalg::YieldOp::create(
                     b, l,
                     correctedSum(b, l, args, /*unsignedX=*/true,
                                  /*unsignedW=*/false,
                                  static_cast<bool>(rowSums),
                                  static_cast<bool>(bias)));
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
                   signless(rewriter, loc, adaptor.getLhsZeroPoint()), rhsZero},
        init, maps, iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(
              b, l, multiplyAccumulate(b, l, args, unsignedLhs, unsignedRhs));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void cnnc::lowering::populateIntegerKernelLowerings(
    RewritePatternSet &patterns, Int8Instructions instructions) {
  patterns.add<ConvIntegerLowering, MatmulIntegerLowering>(
      patterns.getContext(), instructions);
}
