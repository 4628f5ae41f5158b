//===- CNNQuantOps.cpp - Verifiers of the quantization ops ----------------===//
//
// The rule that ODS cannot state for quantize, dequantize and requantize: a
// per-tensor scale is 0-D, a per-axis one 1-D of the size of dimension
// `axis`, and a scale known at compile time is positive and finite. The
// integer convolution and matrix product infer their types in CNNOps.cpp,
// beside their float forms.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "OpDiagnostics.h"

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
