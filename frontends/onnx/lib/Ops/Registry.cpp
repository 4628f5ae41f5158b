//===- Registry.cpp - The table of op converters --------------------------===//

#include "Ops.h"

namespace cnnc::onnx {

const ConverterTable &converters() {
  static const ConverterTable table = [] {
    ConverterTable t;
    addActivationOps(t);
    addConvolutionOps(t);
    addElementwiseOps(t);
    addMatmulOps(t);
    addNormalizationOps(t);
    addPassThroughOps(t);
    addPoolingOps(t);
    addQuantizationOps(t);
    addReductionOps(t);
    addResizeOps(t);
    addShapeOps(t);
    addTensorOps(t);
    return t;
  }();
  return table;
}

} // namespace cnnc::onnx
