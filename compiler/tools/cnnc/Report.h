//===- Report.h - cnnc compile --report -------------------------*- C++ -*-===//
//
// What the graph passes made of a model: per op of the optimized graph, the
// ONNX nodes it was fused from, its layout, shape and FLOPs; and the
// totals: ops before and after, FLOPs, arena and weight bytes.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TOOLS_CNNC_REPORT_H
#define CNNC_TOOLS_CNNC_REPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace cnnc {

struct ReportRow {
  std::string op;                 // "conv+residual+relu"
  std::vector<std::string> nodes; // "conv1 (Conv)"
  std::string layout;             // "NCHW"
  std::string kernel;             // "tile 14x32/16", "loops", "-"
  std::string shape;              // "1x64x56x56"
  int64_t flops = 0;
};

/// One convolution or matrix product of a model `--quantize` compiled.
struct LayerPrecision {
  std::vector<std::string> nodes; // "conv1 (Conv)"
  bool int8 = false;
  /// The signal-to-quantization-noise ratio of the layer's output in the
  /// int8 model against the float model's, in dB, over the calibration
  /// samples (int8 layers only; infinite where they are equal).
  double sqnr = 0;
};

/// What `--quantize=int8` made of the model, measured on the calibration
/// samples.
struct QuantizationReport {
  std::string method; // "minmax", "percentile 99.99", "entropy"
  int64_t samples = 0;
  /// 8, or 7 for a target whose kernel sums pairs of products in int16.
  int64_t weightBits = 8;
  std::vector<LayerPrecision> layers;
  /// The fraction of samples' rows whose top class the int8 model and the
  /// float model agree on (none when the output is not [N, classes]).
  std::optional<double> top1Agreement;
  int64_t rows = 0;
};

struct Report {
  /// N when cnnc-split-batch compiled the graph for one of N images.
  int64_t batchSplit = 1;
  int64_t opsBefore = 0;
  std::vector<ReportRow> rows;
  int64_t weightBytes = 0;
  std::optional<uint64_t> arenaBytes;
  std::optional<QuantizationReport> quantization;
};

/// "conv1 (Conv)" for each ONNX node location in `loc`, once each.
void collectNodes(mlir::Location loc, std::vector<std::string> &nodes);

/// The cnn ops of `module` that compute (not constants).
int64_t countGraphOps(mlir::ModuleOp module);

/// The kernel each cnnk op of `kernelStage` (a module compiled through the
/// kernel stage) will be, as cnnc-select-kernels recorded it on the op
/// ("winograd4 8x64/16", "direct 14x32/16", "loops"), by the op's location,
/// which is its graph op's.
using KernelChoices = llvm::DenseMap<mlir::Location, std::string>;
KernelChoices describeKernels(mlir::ModuleOp kernelStage);

/// The rows and weights of the optimized graph in `module`; each
/// convolution's and matrix product's kernel from `kernels` ("loops" for
/// those that have none).
void describeGraph(mlir::ModuleOp module, Report &report,
                   const KernelChoices &kernels);

void printReport(llvm::raw_ostream &os, const Report &report);

} // namespace cnnc

#endif // CNNC_TOOLS_CNNC_REPORT_H
