//===- QuantizeGraph.h - Post-training quantization of a graph --*- C++ -*-===//
//
// The graph half of `cnnc compile --quantize=int8`: which activations a
// calibration measures, and the QDQ graph made from their ranges (uint8 per
// tensor, asymmetric; weights int8 per output channel, symmetric), the form
// ONNX Runtime's quantize_static writes, which cnnc-fold-quantization then
// turns into the integer kernels. The driver (tools/cnnc/Calibrate.cpp)
// runs the float model over the samples in between.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TRANSFORMS_QUANTIZEGRAPH_H
#define CNNC_TRANSFORMS_QUANTIZEGRAPH_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/ADT/StringSet.h"

namespace cnnc {

/// The range of values an activation took on the calibration samples.
struct TensorRange {
  float min = 0, max = 0;
};

/// The activations to measure in `function` (a cnn graph with batch norms
/// folded), in an order that only depends on the graph: the input and the
/// output of each convolution (2-D, NCHW) and matmul (2-D constant weight)
/// with a constant float weight, the output taken after a relu that is its
/// only user. Layers whose ONNX node is named in `keepFloat` are left out.
llvm::SmallVector<mlir::Value>
quantizationPoints(mlir::func::FuncOp function,
                   const llvm::StringSet<> &keepFloat);

/// A convolution or matrix product of a graph, and the activation that
/// carries its output when quantizationPoints quantizes it (null when the
/// layer stays in float: named in keepFloat, or of a form the integer
/// kernels do not take).
struct CalibratedLayer {
  mlir::Operation *op;
  mlir::Value output;
};
llvm::SmallVector<CalibratedLayer>
calibratedLayers(mlir::func::FuncOp function,
                 const llvm::StringSet<> &keepFloat);

/// Rewrites `function` into its QDQ form: each point quantized and
/// dequantized with the uint8 parameters of its range (widened to hold 0),
/// each quantized layer's weight int8 per output channel behind a
/// dequantize, symmetric in [-weightLimit, weightLimit]: 127, or 63 (7
/// bits, ONNX Runtime's reduce_range) for a target whose int8 kernel sums
/// pairs of products in int16 (vpmaddubsw), so that the sums never
/// saturate. `points` and `ranges` correspond.
void quantizeGraph(mlir::func::FuncOp function,
                   llvm::ArrayRef<mlir::Value> points,
                   llvm::ArrayRef<TensorRange> ranges,
                   const llvm::StringSet<> &keepFloat,
                   int64_t weightLimit = 127);

/// The uint8 scale and zero point of `range`, widened to hold 0 (ONNX
/// Runtime's asymmetric activations).
std::pair<float, int64_t> uint8Parameters(TensorRange range);

} // namespace cnnc

#endif // CNNC_TRANSFORMS_QUANTIZEGRAPH_H
