//===- IntegerBuilders.h - What the int8 lowerings share --------*- C++ -*-===//
//
// The builders of the int8 lowerings (Quantization.cpp, IntegerKernels.cpp,
// DotProductKernel.cpp): signedness (a ui8 tensor is bitcast to i8 for the
// arithmetic and back; the sign chooses extui or extsi), int32 sums and
// reductions, the bytes of a constant, and the vpdpbusd kernel. Private to
// CNNToLinalg.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_CONVERSION_CNNTOLINALG_INTEGERBUILDERS_H
#define CNNC_CONVERSION_CNNTOLINALG_INTEGERBUILDERS_H

#include "StructuredBuilders.h"

#include <optional>
#include <vector>

namespace cnnc::lowering {

/// Whether `type` (or its elements) is an unsigned integer (uint8).
bool isUnsigned(mlir::Type type);

/// A scalar integer of signless type widened to i32, by its source's sign.
mlir::Value widen(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                  bool isUnsignedSource);

/// `type` with its elements signless.
mlir::RankedTensorType signlessType(mlir::RankedTensorType type);

/// `value` as a tensor of signless elements (a bitcast when it is not).
mlir::Value signless(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value);

/// `value` (signless) as a tensor of `type`.
mlir::Value retyped(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                    mlir::Type type);

/// `input` (signless) padded with the scalar in the 0-D tensor `value`.
mlir::Value padWithValue(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value input, llvm::ArrayRef<int64_t> low,
                         llvm::ArrayRef<int64_t> high, mlir::Value value);

/// Whether `value` is a constant whose elements are all zero.
bool isZeroConstant(mlir::Value value);

/// An int32 tensor of zeros: the start of a sum.
mlir::Value int32Zeros(mlir::OpBuilder &b, mlir::Location loc,
                       llvm::ArrayRef<int64_t> shape);

/// A linalg.generic of `init`'s type over `inputs` with `maps` and
/// `iterators`, `fn` its body (block arguments in, the yielded value out).
mlir::Value
reduceGeneric(mlir::OpBuilder &b, mlir::Location loc, mlir::ValueRange inputs,
              mlir::Value init, llvm::ArrayRef<mlir::AffineMap> maps,
              llvm::ArrayRef<mlir::utils::IteratorType> iterators,
              llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                             mlir::ValueRange)>
                  fn);

/// The bytes of the constant `value` (a cnn.constant, dense or a resource),
/// or none.
std::optional<std::vector<char>> constantBytes(mlir::Value value);

/// A one-group convolution for the vpdpbusd kernel (DotProductKernel.cpp):
/// its int8 weight as [F, C, KH, KW] bytes and its sizes.
struct DotProductConvolution {
  std::vector<char> weights;
  int64_t f, c, kh, kw;
  int64_t n, oh, ow;
  int64_t strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;
};

/// The instructions the kernel's step is: vpdpbusd, or vpmaddubsw (pairs
/// of u8 x s8 products summed into int16, saturating) then vpmaddwd by ones
/// (pairs of those into int32), `bits` wide.
struct DotProductStep {
  unsigned bits;
  bool vnni;
};

/// The step `conv` runs on with `instructions`: vpdpbusd where the target
/// has it; else vpmaddubsw where no pair of `conv`'s weights (input
/// channels 2k and 2k+1 of one output channel and tap) can reach beyond
/// int16 with any uint8 inputs, so that its saturation never happens; else
/// none (the generic loops).
std::optional<DotProductStep>
chooseDotProductStep(const Int8Instructions &instructions,
                     const DotProductConvolution &conv);

/// The requantization an int8 layer ends in, fused into the kernel's
/// store: saturate(round_half_even((sum + offset[f]) * multiplier[f]) +
/// zeroPoint) into [low, high], in float as cnn.requantize computes it
/// (Quantization.cpp), so the fused layer is exact to the unfused one.
/// `offset` (the bias and the input zero point's correction) and
/// `multiplier` have one entry per output channel.
struct StoreRequantization {
  std::vector<int32_t> offset;
  std::vector<float> multiplier;
  double zeroPoint, low, high;

  /// What a residual block does after: the requantized value dequantized,
  /// the other addend (`residual`, 8-bit, of the result's shape)
  /// dequantized and added, the activation, then quantized into
  /// [outLow, outHigh]: the float loop ONNX's QDQ residual add is, op for
  /// op (Quantization.cpp, Elementwise.cpp), fused too.
  struct Residual {
    mlir::Value residual; // signless
    bool residualUnsigned;
    int32_t selfZero, residualZero;
    float selfScale, residualScale, outScale;
    std::optional<cnn::ActivationKind> activation;
    mlir::FloatAttr alpha, beta;
    double outZero, outLow, outHigh;
  };
  std::optional<Residual> residual;
};

/// sum x * w of `conv` over the uint8 `input` (NHWC, padded) on `step`:
/// int32 [N, OH, OW, F], or with `channelsFirst` [N, F, OH, OW] (a view of
/// F rounded up to whole channel tiles); with `requantize` (channels last
/// only) the 8-bit [N, OH, OW, F] it ends in.
mlir::Value dotProductProducts(mlir::OpBuilder &b, mlir::Location loc,
                               const DotProductConvolution &conv,
                               mlir::Value input, DotProductStep step,
                               bool channelsFirst,
                               const StoreRequantization *requantize = nullptr);

} // namespace cnnc::lowering

#endif // CNNC_CONVERSION_CNNTOLINALG_INTEGERBUILDERS_H
