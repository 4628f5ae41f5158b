//===- CNNOps.cpp - Result-type inference and verifiers of cnn ops --------===//
//
// Each op either infers its result type (and reports why it cannot, which
// is how an invalid op is diagnosed: the verifier runs the inference) or,
// when its result type is written out, verifies it. Attribute ranges that
// ODS can state (positive strides, non-negative pads) are checked by ODS
// before any of this runs. The data movement ops are in
// CNNDataMovementOps.cpp.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "OpDiagnostics.h"
#include "WindowInference.h"
#include "cnnc/Dialect/CNN/IR/ShapeArithmetic.h"
#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;
using namespace cnnc::cnn::detail;

LogicalResult cnnc::cnn::detail::verifyWindowArity(const Diagnoser &fail,
                                                   size_t spatial,
                                                   const Window &window) {
  auto check = [&](ArrayRef<int64_t> values, size_t expected,
                   StringRef name) -> LogicalResult {
    if (values.size() == expected)
      return success();
    return fail("expected ", expected, " values in '", name, "', got ",
                values.size());
  };
  if (failed(check(window.kernel, spatial, "kernel")) ||
      failed(check(window.strides, spatial, "strides")) ||
      failed(check(window.dilations, spatial, "dilations")) ||
      failed(check(window.pads, 2 * spatial, "pads")))
    return failure();
  return success();
}

/// The spatial output sizes of a convolution or pooling window over an
/// [N, C, D1..Dk] input, or an error naming the dimension the dilated
/// kernel does not fit in.
/// Sizes beyond this are refused: they would overflow any element count.
static constexpr int64_t kMaxDimSize = int64_t(1) << 62;

FailureOr<SmallVector<int64_t>> cnnc::cnn::detail::windowOutputSizes(const Diagnoser &fail,
                                                         RankedTensorType input,
                                                         const Window &window,
                                                         bool ceilMode) {
  size_t spatial = input.getRank() - 2;
  SmallVector<int64_t> sizes;
  for (size_t i = 0; i < spatial; ++i) {
    shape::Padding padding{window.pads[i], window.pads[i + spatial]};
    int64_t size = shape::windowOutputSize(
        input.getDimSize(i + 2), window.kernel[i], window.strides[i],
        window.dilations[i], padding, ceilMode);
    if (size <= 0)
      return fail(
          "expected the padded input (", input.getDimSize(i + 2), " + ",
          padding.begin, " + ", padding.end, ") to hold the dilated kernel (",
          shape::dilatedKernelSize(window.kernel[i], window.dilations[i]),
          ") in spatial dimension ", i);
    if (size >= kMaxDimSize)
      return fail("expected an output size below 2^62 in spatial dimension ", i,
                  ", got ", size, " (the pads are too large)");
    sizes.push_back(size);
  }
  return sizes;
}

/// Checks the rank of an [N, C, D1..Dk] activation with k in [minSpatial,
/// 3] spatial dimensions.
static LogicalResult verifyActivationRank(const Diagnoser &fail,
                                          RankedTensorType type,
                                          int64_t minSpatial) {
  int64_t rank = type.getRank();
  if (rank >= 2 + minSpatial && rank <= 5)
    return success();
  return fail("expected an input of rank ", 2 + minSpatial,
              " to 5 ([N, C, spatial...]), got ", type);
}

/// Checks a per-channel parameter: rank 1, size `channels`, element type of
/// the input.
static LogicalResult verifyChannelParameter(const Diagnoser &fail,
                                            StringRef name,
                                            RankedTensorType type,
                                            int64_t channels,
                                            Type elementType) {
  if (type.getRank() != 1 || type.getDimSize(0) != channels)
    return fail("expected '", name, "' of shape [", channels,
                "] (the input's channels), got ", type);
  if (type.getElementType() != elementType)
    return fail("expected '", name, "' to have element type ", elementType,
                ", got ", type);
  return success();
}

//===----------------------------------------------------------------------===//
// ConvOp
//===----------------------------------------------------------------------===//

/// Checks the ranks of a convolution's [N, C, D1..Dk] input and its weight.
LogicalResult cnnc::cnn::detail::verifyConvRanks(const Diagnoser &fail,
                                     RankedTensorType input,
                                     RankedTensorType weight) {
  if (failed(verifyActivationRank(fail, input, 1)))
    return failure();
  if (weight.getRank() != input.getRank())
    return fail("expected a weight of rank ", input.getRank(),
                " (as the input), got ", weight);
  return success();
}

/// The shared part of convolution and transposed convolution once the ranks
/// hold: element types, groups and bias. `weightInputChannels` and
/// `channelsOut` are the channel counts the weight implies. The weight and
/// the bias have the input's element type, except in the integer
/// convolution, whose ODS types constrain them (`integer`).
LogicalResult
cnnc::cnn::detail::verifyConvOperands(const Diagnoser &fail, RankedTensorType input,
                           RankedTensorType weight, Value bias, int64_t groups,
                           int64_t weightInputChannels, int64_t channelsOut,
                           bool integer) {
  Type element = input.getElementType();
  if (!integer &&
      failed(verifySameElementType(fail, "weight", weight, element)))
    return failure();
  int64_t channelsIn = input.getDimSize(1);
  if (channelsIn % groups != 0)
    return fail("expected the input channels (", channelsIn,
                ") to be divisible by groups (", groups, ")");
  if (channelsOut % groups != 0)
    return fail("expected the output channels (", channelsOut,
                ") to be divisible by groups (", groups, ")");
  if (weightInputChannels * groups != channelsIn)
    return fail("expected the weight's input channels (", weightInputChannels,
                ") times groups (", groups, ") to equal the input channels (",
                channelsIn, ")");
  if (bias) {
    auto biasType = tensorType(bias);
    if (biasType.getRank() != 1 || biasType.getDimSize(0) != channelsOut)
      return fail("expected a bias of shape [", channelsOut,
                  "] (the output channels), got ", biasType);
    if (!integer &&
        failed(verifySameElementType(fail, "bias", biasType, element)))
      return failure();
  }
  return success();
}

RankedTensorType cnnc::cnn::detail::permuted(RankedTensorType type,
                                             ArrayRef<int64_t> permutation) {
  SmallVector<int64_t> shape;
  for (int64_t d : permutation)
    shape.push_back(type.getDimSize(d));
  return type.clone(shape);
}

/// Checks that a `layout nhwc` op is 2-D.
static LogicalResult verifyLayoutRank(const Diagnoser &fail,
                                      RankedTensorType input, Layout layout) {
  if (layout == Layout::NCHW || input.getRank() == 4)
    return success();
  return fail("expected a rank-4 input with layout nhwc, got ", input);
}

LogicalResult ConvOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  Diagnoser fail(loc, getOperationName());
  auto input = tensorType(adaptor.getInput());
  auto weight = tensorType(adaptor.getWeight());
  bool channelsLast = adaptor.getLayout() == Layout::NHWC;
  if (failed(verifyLayoutRank(fail, input, adaptor.getLayout())))
    return failure();
  if (channelsLast && weight.getRank() == 4) {
    // Checked as the channels-first convolution it is, transposed.
    input = permuted(input, kToChannelsFirst);
    weight = permuted(weight, kWeightToChannelsFirst);
  }
  int64_t groups = adaptor.getGroups();
  if (failed(verifyConvRanks(fail, input, weight)) ||
      failed(verifyConvOperands(fail, input, weight, adaptor.getBias(), groups,
                                weight.getDimSize(1), weight.getDimSize(0))))
    return failure();
  size_t spatial = input.getRank() - 2;
  Window window{weight.getShape().drop_front(2), adaptor.getStrides(),
                adaptor.getPads(), adaptor.getDilations()};
  if (failed(verifyWindowArity(fail, spatial, window)))
    return failure();

  FailureOr<SmallVector<int64_t>> sizes =
      windowOutputSizes(fail, input, window, /*ceilMode=*/false);
  if (failed(sizes))
    return failure();
  SmallVector<int64_t> shape{input.getDimSize(0), weight.getDimSize(0)};
  llvm::append_range(shape, *sizes);
  auto result = RankedTensorType::get(shape, input.getElementType());
  types.push_back(channelsLast ? permuted(result, kToChannelsLast) : result);
  return success();
}

//===----------------------------------------------------------------------===//
// ConvTransposeOp
//===----------------------------------------------------------------------===//

LogicalResult ConvTransposeOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  Diagnoser fail(loc, getOperationName());
  auto input = tensorType(adaptor.getInput());
  auto weight = tensorType(adaptor.getWeight());
  int64_t groups = adaptor.getGroups();
  if (failed(verifyConvRanks(fail, input, weight)))
    return failure();
  if (weight.getDimSize(0) != input.getDimSize(1))
    return fail("expected the weight's dimension 0 (", weight.getDimSize(0),
                ") to equal the input channels (", input.getDimSize(1), ")");
  int64_t channelsOut = weight.getDimSize(1) * groups;
  if (failed(verifyConvOperands(fail, input, weight, adaptor.getBias(), groups,
                                weight.getDimSize(0) / groups, channelsOut)))
    return failure();
  size_t spatial = input.getRank() - 2;
  Window window{weight.getShape().drop_front(2), adaptor.getStrides(),
                adaptor.getPads(), adaptor.getDilations()};
  if (failed(verifyWindowArity(fail, spatial, window)))
    return failure();
  ArrayRef<int64_t> outputPadding = adaptor.getOutputPadding();
  if (outputPadding.size() != spatial)
    return fail("expected ", spatial, " values in 'output_padding', got ",
                outputPadding.size());

  SmallVector<int64_t> shape{input.getDimSize(0), channelsOut};
  for (size_t i = 0; i < spatial; ++i) {
    if (outputPadding[i] >= std::max(window.strides[i], window.dilations[i]))
      return fail("expected output_padding (", outputPadding[i],
                  ") to be smaller than the stride or the dilation in "
                  "spatial dimension ",
                  i);
    shape::Padding padding{window.pads[i], window.pads[i + spatial]};
    int64_t size = shape::transposedWindowOutputSize(
        input.getDimSize(i + 2), window.kernel[i], window.strides[i],
        window.dilations[i], padding, outputPadding[i]);
    if (size <= 0)
      return fail("expected a positive output size in spatial dimension ", i,
                  ", got ", size, " (the pads are too large)");
    shape.push_back(size);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// PoolOp, GlobalPoolOp
//===----------------------------------------------------------------------===//

LogicalResult PoolOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  Diagnoser fail(loc, getOperationName());
  auto input = tensorType(adaptor.getInput());
  if (failed(verifyActivationRank(fail, input, 1)) ||
      failed(verifyLayoutRank(fail, input, adaptor.getLayout())))
    return failure();
  bool channelsLast = adaptor.getLayout() == Layout::NHWC;
  if (channelsLast)
    input = permuted(input, kToChannelsFirst);
  if (adaptor.getCountIncludePad() && adaptor.getKind() != PoolKind::Avg)
    return fail("expected 'count_include_pad' only on an average pool");
  if (adaptor.getKind() != PoolKind::Max &&
      !isa<FloatType>(input.getElementType()))
    return fail("expected a float input for an average pool (only a max "
                "pool takes quantized integers), got ",
                adaptor.getInput().getType());
  size_t spatial = input.getRank() - 2;
  Window window{adaptor.getKernel(), adaptor.getStrides(), adaptor.getPads(),
                adaptor.getDilations()};
  if (failed(verifyWindowArity(fail, spatial, window)))
    return failure();

  for (size_t i = 0; i < spatial; ++i) {
    int64_t extent =
        shape::dilatedKernelSize(window.kernel[i], window.dilations[i]);
    int64_t begin = window.pads[i], end = window.pads[i + spatial];
    if (begin >= extent || end >= extent)
      return fail("expected pads smaller than the dilated kernel (", extent,
                  ") in spatial dimension ", i, ", got ", begin, " and ", end);
  }
  FailureOr<SmallVector<int64_t>> sizes =
      windowOutputSizes(fail, input, window, adaptor.getCeilMode());
  if (failed(sizes))
    return failure();
  // Every window must reach the input: one whose taps all fall in the
  // padding has no maximum and no element to average. (Beyond a million
  // taps per dimension only the first and last windows are checked.)
  for (size_t i = 0; i < spatial; ++i) {
    int64_t size = input.getDimSize(2 + i), outputs = (*sizes)[i];
    int64_t kernel = window.kernel[i], stride = window.strides[i];
    int64_t dilation = window.dilations[i], begin = window.pads[i];
    bool all = outputs * kernel <= (int64_t{1} << 20);
    for (int64_t o = 0; o < outputs; ++o) {
      if (!all && o != 0 && o != outputs - 1)
        continue;
      bool reaches = false;
      for (int64_t k = 0; k < kernel && !reaches; ++k) {
        int64_t tap = o * stride - begin + k * dilation;
        reaches = tap >= 0 && tap < size;
      }
      if (!reaches)
        return fail("expected every window to reach the input, but window ",
                    o, " of spatial dimension ", i,
                    " falls entirely in the padding");
    }
  }
  SmallVector<int64_t> shape(input.getShape().take_front(2));
  llvm::append_range(shape, *sizes);
  auto result = RankedTensorType::get(shape, input.getElementType());
  types.push_back(channelsLast ? permuted(result, kToChannelsLast) : result);
  return success();
}

LogicalResult GlobalPoolOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  Diagnoser fail(loc, getOperationName());
  auto input = tensorType(adaptor.getInput());
  if (failed(verifyActivationRank(fail, input, 1)) ||
      failed(verifyLayoutRank(fail, input, adaptor.getLayout())))
    return failure();
  SmallVector<int64_t> shape(input.getRank(), 1);
  int64_t channels = adaptor.getLayout() == Layout::NHWC ? 3 : 1;
  shape[0] = input.getDimSize(0);
  shape[channels] = input.getDimSize(channels);
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

/// Batch and instance normalization: an [N, C, ...] input and parameters of
/// shape [C].
static LogicalResult verifyNormalization(Operation *op, Value input,
                                         ValueRange parameters,
                                         ArrayRef<StringRef> names,
                                         int64_t minRank) {
  Diagnoser fail(op->getLoc(), op->getName().getStringRef());
  auto inputType = tensorType(input);
  if (inputType.getRank() < minRank)
    return fail("expected an input of rank ", minRank,
                " or more ([N, C, ...]), got ", inputType);
  for (auto [value, name] : llvm::zip_equal(parameters, names))
    if (failed(verifyChannelParameter(fail, name, tensorType(value),
                                      inputType.getDimSize(1),
                                      inputType.getElementType())))
      return failure();
  return success();
}

LogicalResult BatchNormOp::verify() {
  return verifyNormalization(*this, getInput(),
                             {getScale(), getBias(), getMean(), getVariance()},
                             {"scale", "bias", "mean", "variance"}, 2);
}

LogicalResult BatchNormTrainOp::verify() {
  float momentum = getMomentum().convertToFloat();
  if (!(momentum >= 0.0f && momentum <= 1.0f))
    return emitOpError("expected 'momentum' in [0, 1], got ")
           << number(momentum);
  return verifyNormalization(
      *this, getInput(),
      {getScale(), getBias(), getRunningMean(), getRunningVariance()},
      {"scale", "bias", "running_mean", "running_variance"}, 2);
}

LogicalResult InstanceNormOp::verify() {
  return verifyNormalization(*this, getInput(), {getScale(), getBias()},
                             {"scale", "bias"}, 3);
}

LogicalResult LrnOp::verify() {
  if (getInput().getType().getRank() < 3)
    return emitOpError(
               "expected an input of rank 3 or more ([N, C, ...]), got ")
           << getInput().getType();
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

/// Which of the (alpha, beta) parameters an activation kind takes.
static std::pair<bool, bool> activationParameters(ActivationKind kind) {
  switch (kind) {
  case ActivationKind::LeakyRelu:
  case ActivationKind::Elu:
    return {true, false};
  case ActivationKind::Clip:
  case ActivationKind::HardSigmoid:
  case ActivationKind::Selu:
    return {true, true};
  default:
    return {false, false};
  }
}

/// The (kind, alpha, beta) triple of an activation, standalone or fused:
/// the parameters the kind takes are present, the others absent. `prefix`
/// names the attributes ("" or "activation_").
static LogicalResult verifyActivation(Operation *op, ActivationKind kindValue,
                                      FloatAttr alpha, FloatAttr beta,
                                      StringRef prefix) {
  auto [takesAlpha, takesBeta] = activationParameters(kindValue);
  StringRef kind = stringifyActivationKind(kindValue);
  if (takesAlpha != static_cast<bool>(alpha))
    return op->emitOpError() << "expected " << kind
                             << (takesAlpha ? " to have" : " to have no")
                             << " '" << prefix << "alpha'";
  if (takesBeta != static_cast<bool>(beta))
    return op->emitOpError() << "expected " << kind
                             << (takesBeta ? " to have" : " to have no")
                             << " '" << prefix << "beta'";
  if (kindValue == ActivationKind::Clip &&
      alpha.getValueAsDouble() > beta.getValueAsDouble())
    return op->emitOpError()
           << "expected clip's lower bound (" << prefix
           << "alpha = " << number(alpha.getValueAsDouble())
           << ") to be at most its upper bound (" << prefix
           << "beta = " << number(beta.getValueAsDouble()) << ")";
  return success();
}

/// A fused activation's parameters need the activation.
template <typename OpTy>
static LogicalResult verifyFusedActivation(OpTy op) {
  std::optional<ActivationKind> kind = op.getActivation();
  if (!kind) {
    if (op.getActivationAlphaAttr() || op.getActivationBetaAttr())
      return op.emitOpError(
          "expected 'activation_alpha' and 'activation_beta' only with an "
          "'activation'");
    return success();
  }
  return verifyActivation(op, *kind, op.getActivationAlphaAttr(),
                          op.getActivationBetaAttr(), "activation_");
}

LogicalResult ActivationOp::verify() {
  return verifyActivation(*this, getKind(), getAlphaAttr(), getBetaAttr(), "");
}

LogicalResult PReluOp::verify() {
  auto input = getInput().getType();
  auto slope = getSlope().getType();
  if (slope.getElementType() != input.getElementType())
    return emitOpError("expected the slope to have element type ")
           << input.getElementType() << ", got " << slope;
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(input.getShape(), slope.getShape(),
                                          shape) ||
      ArrayRef<int64_t>(shape) != input.getShape())
    return emitOpError("expected the slope ")
           << slope << " to broadcast to the input's shape "
           << shapeString(input.getShape());
  return success();
}

LogicalResult DropoutOp::verify() {
  float ratio = getRatio().convertToFloat();
  if (!(ratio >= 0.0f && ratio < 1.0f))
    return emitOpError("expected 'ratio' in [0, 1), got ") << number(ratio);
  return success();
}

LogicalResult BinaryOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  Diagnoser fail(loc, getOperationName());
  auto lhs = tensorType(adaptor.getLhs());
  auto rhs = tensorType(adaptor.getRhs());
  if (lhs.getElementType() != rhs.getElementType())
    return fail("expected operands of one element type, got ", lhs, " and ",
                rhs);
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(lhs.getShape(), rhs.getShape(),
                                          shape))
    return fail("expected broadcastable shapes, got ",
                shapeString(lhs.getShape()), " and ",
                shapeString(rhs.getShape()));
  types.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

/// The shape of a batched matrix product of `lhs` and `rhs` (each transposed
/// in its last two dimensions when asked), or an error.
FailureOr<SmallVector<int64_t>>
cnnc::cnn::detail::matmulShape(const Diagnoser &fail, RankedTensorType lhs,
                    RankedTensorType rhs, bool transposeLhs,
                    bool transposeRhs) {
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return fail("expected operands of rank 2 or more, got ", lhs, " and ", rhs);
  int64_t lhsRank = lhs.getRank(), rhsRank = rhs.getRank();
  int64_t m = lhs.getDimSize(lhsRank - (transposeLhs ? 1 : 2));
  int64_t k = lhs.getDimSize(lhsRank - (transposeLhs ? 2 : 1));
  int64_t rhsK = rhs.getDimSize(rhsRank - (transposeRhs ? 1 : 2));
  int64_t n = rhs.getDimSize(rhsRank - (transposeRhs ? 2 : 1));
  if (k != rhsK)
    return fail("expected the contracted dimensions to agree, got ", k,
                " (lhs ", lhs, ") and ", rhsK, " (rhs ", rhs, ")");
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(lhs.getShape().drop_back(2),
                                          rhs.getShape().drop_back(2), shape))
    return fail("expected broadcastable batch dimensions, got ",
                shapeString(lhs.getShape().drop_back(2)), " and ",
                shapeString(rhs.getShape().drop_back(2)));
  shape.push_back(m);
  shape.push_back(n);
  return shape;
}

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  Diagnoser fail(loc, getOperationName());
  auto lhs = tensorType(adaptor.getLhs());
  auto rhs = tensorType(adaptor.getRhs());
  Type element = lhs.getElementType();
  if (failed(verifySameElementType(fail, "rhs", rhs, element)))
    return failure();
  FailureOr<SmallVector<int64_t>> product =
      matmulShape(fail, lhs, rhs, adaptor.getTransposeLhs(),
                  adaptor.getTransposeRhs());
  if (failed(product))
    return failure();
  SmallVector<int64_t> &shape = *product;
  if (Value bias = adaptor.getBias()) {
    auto biasType = tensorType(bias);
    if (failed(verifySameElementType(fail, "bias", biasType, element)))
      return failure();
    SmallVector<int64_t> broadcast;
    if (!OpTrait::util::getBroadcastedShape(shape, biasType.getShape(),
                                            broadcast) ||
        broadcast != shape)
      return fail("expected the bias ", biasType,
                  " to broadcast to the product's shape ", shapeString(shape));
  }
  types.push_back(RankedTensorType::get(shape, element));
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions and softmax
//===----------------------------------------------------------------------===//

LogicalResult ReduceOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  Diagnoser fail(loc, getOperationName());
  auto input = tensorType(adaptor.getInput());
  ArrayRef<int64_t> axes = adaptor.getAxes();
  if (axes.empty())
    return fail("expected at least one axis");
  for (auto [index, axis] : llvm::enumerate(axes)) {
    if (axis >= input.getRank())
      return fail("expected axes below the rank (", input.getRank(), "), got ",
                  axis);
    if (index > 0 && axes[index - 1] >= axis)
      return fail("expected strictly increasing axes, got ", shapeString(axes));
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < input.getRank(); ++d) {
    if (!llvm::is_contained(axes, d))
      shape.push_back(input.getDimSize(d));
    else if (adaptor.getKeepDims())
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

static LogicalResult verifySoftmaxAxis(Operation *op, RankedTensorType type,
                                       uint64_t axis) {
  if (axis < static_cast<uint64_t>(type.getRank()))
    return success();
  return op->emitOpError("expected 'axis' (")
         << axis << ") to be below the rank (" << type.getRank() << ")";
}

LogicalResult SoftmaxOp::verify() {
  return verifySoftmaxAxis(*this, getInput().getType(), getAxis());
}

LogicalResult LogSoftmaxOp::verify() {
  return verifySoftmaxAxis(*this, getInput().getType(), getAxis());
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

/// The type of a loss: a scalar when reduced, else one value per sample.
static Type lossType(LossReduction reduction, ArrayRef<int64_t> perSample,
                     Type element) {
  if (reduction == LossReduction::None)
    return RankedTensorType::get(perSample, element);
  return RankedTensorType::get({}, element);
}

LogicalResult SoftmaxCrossEntropyOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  Diagnoser fail(loc, getOperationName());
  auto logits = tensorType(adaptor.getLogits());
  auto labels = tensorType(adaptor.getLabels());
  if (logits.getRank() != 2)
    return fail("expected logits of shape [N, C], got ", logits);
  if (labels.getRank() != 1 || labels.getDimSize(0) != logits.getDimSize(0))
    return fail("expected labels of shape [", logits.getDimSize(0),
                "] (one per sample), got ", labels);
  float smoothing = adaptor.getLabelSmoothing().convertToFloat();
  if (!(smoothing >= 0.0f && smoothing <= 1.0f))
    return fail("expected 'label_smoothing' in [0, 1], got ",
                number(smoothing));
  types.push_back(lossType(adaptor.getReduction(), logits.getDimSize(0),
                           logits.getElementType()));
  return success();
}

LogicalResult MseLossOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  Diagnoser fail(loc, getOperationName());
  auto prediction = tensorType(adaptor.getPrediction());
  auto target = tensorType(adaptor.getTarget());
  if (prediction != target)
    return fail("expected the target to have the prediction's type ",
                prediction, ", got ", target);
  types.push_back(lossType(adaptor.getReduction(), prediction.getShape(),
                           prediction.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Verifiers of the ops that infer their result type
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::verify() {
  if (failed(verifyByInference(*this)) || failed(verifyFusedActivation(*this)))
    return failure();
  if (Value residual = getResidual(); residual &&
                                      residual.getType() != getType())
    return emitOpError("expected the residual to have the result's type ")
           << getType() << ", got " << residual.getType();
  return success();
}
LogicalResult ConvTransposeOp::verify() { return verifyByInference(*this); }
LogicalResult PoolOp::verify() { return verifyByInference(*this); }
LogicalResult GlobalPoolOp::verify() { return verifyByInference(*this); }
LogicalResult BinaryOp::verify() { return verifyByInference(*this); }
LogicalResult MatmulOp::verify() {
  if (failed(verifyByInference(*this)))
    return failure();
  return verifyFusedActivation(*this);
}
LogicalResult ReduceOp::verify() { return verifyByInference(*this); }
LogicalResult SoftmaxCrossEntropyOp::verify() {
  return verifyByInference(*this);
}
LogicalResult MseLossOp::verify() { return verifyByInference(*this); }

//===----------------------------------------------------------------------===//
// Gradients
//===----------------------------------------------------------------------===//

LogicalResult ActivationGradOp::verify() {
  return verifyActivation(*this, getKind(), getAlphaAttr(), getBetaAttr(), "");
}

/// Checks that `gradOutput` has the shape of the 2-D, NCHW window op's
/// result: [N, `channels`, windows...] over `input`.
static LogicalResult verifyWindowGradient(const Diagnoser &fail,
                                          RankedTensorType input,
                                          RankedTensorType gradOutput,
                                          int64_t channels,
                                          const Window &window, bool ceilMode) {
  if (input.getRank() != 4)
    return fail("expected a rank-4 input [N, C, H, W], got ", input);
  if (gradOutput.getElementType() != input.getElementType())
    return fail("expected 'grad_output' to have element type ",
                input.getElementType(), ", got ", gradOutput);
  if (failed(verifyWindowArity(fail, 2, window)))
    return failure();
  FailureOr<SmallVector<int64_t>> sizes =
      windowOutputSizes(fail, input, window, ceilMode);
  if (failed(sizes))
    return failure();
  SmallVector<int64_t> expected{input.getDimSize(0), channels};
  llvm::append_range(expected, *sizes);
  if (gradOutput.getShape() != ArrayRef<int64_t>(expected))
    return fail("expected 'grad_output' of shape ", shapeString(expected),
                " (the forward op's result), got ", gradOutput);
  return success();
}

LogicalResult ConvWeightGradOp::verify() {
  Diagnoser fail(getLoc(), getOperationName());
  RankedTensorType input = getInput().getType();
  RankedTensorType weight = getType();
  int64_t groups = getGroups();
  if (weight.getRank() != 4)
    return fail("expected a rank-4 result [F, C / groups, KH, KW], got ",
                weight);
  if (weight.getElementType() != input.getElementType())
    return fail("expected a result of element type ", input.getElementType(),
                ", got ", weight);
  if (input.getRank() == 4 &&
      (weight.getDimSize(0) % groups != 0 ||
       weight.getDimSize(1) * groups != input.getDimSize(1)))
    return fail("expected a result [F, C / groups, KH, KW] with F divisible "
                "by groups (",
                groups, ") and C = ", input.getDimSize(1), ", got ", weight);
  Window window{weight.getShape().drop_front(2), getStrides(), getPads(),
                getDilations()};
  return verifyWindowGradient(fail, input, getGradOutput().getType(),
                              weight.getDimSize(0), window,
                              /*ceilMode=*/false);
}

LogicalResult PoolGradOp::verify() {
  Diagnoser fail(getLoc(), getOperationName());
  RankedTensorType input = getInput().getType();
  if (getCountIncludePad() && getKind() != PoolKind::Avg)
    return fail("expected 'count_include_pad' only on an average pool");
  Window window{getKernel(), getStrides(), getPads(), getDilations()};
  if (input.getRank() != 4)
    return fail("expected a rank-4 input [N, C, H, W], got ", input);
  return verifyWindowGradient(fail, input, getGradOutput().getType(),
                              input.getDimSize(1), window, getCeilMode());
}

LogicalResult SoftmaxCrossEntropyGradOp::verify() {
  Diagnoser fail(getLoc(), getOperationName());
  RankedTensorType logits = getLogits().getType();
  RankedTensorType labels = getLabels().getType();
  if (logits.getRank() != 2)
    return fail("expected logits of shape [N, C], got ", logits);
  if (labels.getRank() != 1 || labels.getDimSize(0) != logits.getDimSize(0))
    return fail("expected labels of shape [", logits.getDimSize(0),
                "] (one per sample), got ", labels);
  float smoothing = getLabelSmoothing().convertToFloat();
  if (!(smoothing >= 0.0f && smoothing <= 1.0f))
    return fail("expected 'label_smoothing' in [0, 1], got ",
                number(smoothing));
  Type expected = lossType(getReduction(), logits.getDimSize(0),
                           logits.getElementType());
  if (getGrad().getType() != expected)
    return fail("expected 'grad' of type ", expected,
                " (the loss's), got ", getGrad().getType());
  return success();
}

LogicalResult DropoutMaskOp::verify() {
  float ratio = getRatio().convertToFloat();
  if (!(ratio >= 0.0f && ratio < 1.0f))
    return emitOpError("expected 'ratio' in [0, 1), got ") << number(ratio);
  return success();
}

#define GET_OP_CLASSES
#include "cnnc/Dialect/CNN/IR/CNNOps.cpp.inc"
