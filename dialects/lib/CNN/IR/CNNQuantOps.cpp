//===- CNNQuantOps.cpp - Verifiers of the quantization ops ----------------===//
//
// The rule that ODS cannot state for quantize, dequantize and requantize: a
// per-tensor scale is 0-D, a per-axis one 1-D of the size of dimension
// `axis`, and a scale known at compile time is positive and finite; and the
// result types of the integer convolution and matrix product, with the
// checks of their float forms (WindowInference.h).
//
//===----------------------------------------------------------------------===//

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "OpDiagnostics.h"
#include "WindowInference.h"

#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;
using namespace cnnc::cnn::detail;

/// Checks the scale (and, by the ODS traits, its zero point) of an op with
/// `input`, `scale` and an optional `axis`.
static LogicalResult verifyQuantParameters(Operation *op, Value input,
                                           Value scale,
                                           std::optional<uint64_t> axis) {
  auto inputType = tensorType(input);
  auto scaleType = tensorType(scale);
  if (!axis) {
    if (scaleType.getRank() != 0)
      return op->emitOpError("expected a 0-D scale without 'axis' (per "
                             "tensor), got ")
             << scaleType;
  } else {
    if (static_cast<int64_t>(*axis) >= inputType.getRank())
      return op->emitOpError("expected 'axis' to be below the input's rank (")
             << inputType.getRank() << "), got " << *axis;
    int64_t size = inputType.getDimSize(*axis);
    if (scaleType.getRank() != 1 || scaleType.getDimSize(0) != size)
      return op->emitOpError("expected a scale of shape [")
             << size << "] (dimension " << *axis << " of the input), got "
             << scaleType;
  }
  DenseElementsAttr values;
  if (matchPattern(scale, m_Constant(&values)))
    for (auto [i, value] : llvm::enumerate(values.getValues<APFloat>())) {
      double v = value.convertToDouble();
      if (!(v > 0) || std::isinf(v))
        return op->emitOpError("expected positive, finite scales, got ")
               << number(v) << " at index " << i;
    }
  return success();
}

LogicalResult QuantizeOp::verify() {
  return verifyQuantParameters(*this, getInput(), getScale(), getAxis());
}

LogicalResult DequantizeOp::verify() {
  return verifyQuantParameters(*this, getInput(), getScale(), getAxis());
}

LogicalResult RequantizeOp::verify() {
  if (tensorType(getZeroPoint()).getRank() != 0)
    return emitOpError("expected a 0-D zero point (the output's, per tensor), "
                       "got ")
           << getZeroPoint().getType();
  return verifyQuantParameters(*this, getInput(), getMultiplier(), getAxis());
}

//===----------------------------------------------------------------------===//
// ConvIntegerOp
//===----------------------------------------------------------------------===//

LogicalResult ConvIntegerOp::inferReturnTypes(MLIRContext *context,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &types) {
  Diagnoser fail(loc, getOperationName());
  auto input = tensorType(adaptor.getInput());
  auto weight = tensorType(adaptor.getWeight());
  if (input.getRank() != 4)
    return fail("expected a 2-D convolution (an input of rank 4), got ", input);
  // Checked as the channels-first convolution it is, transposed.
  bool channelsLast = adaptor.getLayout() == Layout::NHWC;
  if (channelsLast)
    input = permuted(input, kToChannelsFirst);
  int64_t groups = adaptor.getGroups();
  int64_t channelsOut = weight.getDimSize(0);
  if (failed(verifyConvRanks(fail, input, weight)) ||
      failed(verifyConvOperands(fail, input, weight, adaptor.getBias(), groups,
                                weight.getDimSize(1), channelsOut,
                                /*integer=*/true)))
    return failure();
  if (tensorType(adaptor.getInputZeroPoint()).getRank() != 0)
    return fail("expected a 0-D input zero point, got ",
                adaptor.getInputZeroPoint().getType());
  auto weightZero = tensorType(adaptor.getWeightZeroPoint());
  if (weightZero.getRank() != 0 &&
      !(weightZero.getRank() == 1 && weightZero.getDimSize(0) == channelsOut))
    return fail("expected a 0-D weight zero point or one of shape [",
                channelsOut, "] (per output channel), got ", weightZero);
  Window window{weight.getShape().drop_front(2), adaptor.getStrides(),
                adaptor.getPads(), adaptor.getDilations()};
  if (failed(verifyWindowArity(fail, 2, window)))
    return failure();
  FailureOr<SmallVector<int64_t>> sizes =
      windowOutputSizes(fail, input, window, /*ceilMode=*/false);
  if (failed(sizes))
    return failure();
  SmallVector<int64_t> shape{input.getDimSize(0), channelsOut};
  llvm::append_range(shape, *sizes);
  auto result = RankedTensorType::get(shape, IntegerType::get(context, 32));
  types.push_back(channelsLast ? permuted(result, kToChannelsLast) : result);
  return success();
}

LogicalResult MatmulIntegerOp::inferReturnTypes(MLIRContext *context,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  Diagnoser fail(loc, getOperationName());
  auto lhs = tensorType(adaptor.getLhs());
  auto rhs = tensorType(adaptor.getRhs());
  FailureOr<SmallVector<int64_t>> shape =
      matmulShape(fail, lhs, rhs, /*transposeLhs=*/false,
                  /*transposeRhs=*/false);
  if (failed(shape))
    return failure();
  if (tensorType(adaptor.getLhsZeroPoint()).getRank() != 0)
    return fail("expected a 0-D lhs zero point, got ",
                adaptor.getLhsZeroPoint().getType());
  auto rhsZero = tensorType(adaptor.getRhsZeroPoint());
  int64_t columns = shape->back();
  if (rhsZero.getRank() != 0 &&
      !(rhsZero.getRank() == 1 && rhsZero.getDimSize(0) == columns))
    return fail("expected a 0-D rhs zero point or one of shape [", columns,
                "] (per column), got ", rhsZero);
  if (Value bias = adaptor.getBias()) {
    auto biasType = tensorType(bias);
    if (biasType.getRank() != 1 || biasType.getDimSize(0) != columns)
      return fail("expected a bias of shape [", columns, "] (per column), got ",
                  biasType);
  }
  types.push_back(RankedTensorType::get(*shape, IntegerType::get(context, 32)));
  return success();
}

LogicalResult ConvIntegerOp::verify() { return verifyByInference(*this); }
LogicalResult MatmulIntegerOp::verify() { return verifyByInference(*this); }
