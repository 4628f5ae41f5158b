//===- Report.h - cnnc compile --report -------------------------*- C++ -*-===//
//
// What the graph passes made of a model: per op of the optimized graph, the
// ONNX nodes it was fused from, its layout, shape and FLOPs; and the
// totals: ops before and after, FLOPs, arena and weight bytes.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TOOLS_CNNC_REPORT_H
#define CNNC_TOOLS_CNNC_REPORT_H

#include "cnnc/Kernels/ConvolutionAlgorithm.h"

#include "mlir/IR/BuiltinOps.h"
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

struct Report {
  /// N when cnnc-split-batch compiled the graph for one of N images.
  int64_t batchSplit = 1;
  int64_t opsBefore = 0;
  std::vector<ReportRow> rows;
  int64_t weightBytes = 0;
  std::optional<uint64_t> arenaBytes;
};

/// The cnn ops of `module` that compute (not constants).
int64_t countGraphOps(mlir::ModuleOp module);

/// The rows and weights of the optimized graph in `module`; the
/// convolutions' algorithms and kernels as cnnc-convolution-algorithms and
/// cnnc-register-tile-convolutions choose them for `vectorBits`-bit vectors
/// (0: none) and the --conv-algorithm `convolutionAlgorithm` (Auto: the
/// cost model's choice).
void describeGraph(mlir::ModuleOp module, Report &report, unsigned vectorBits,
                   AlgorithmChoice convolutionAlgorithm);

void printReport(llvm::raw_ostream &os, const Report &report);

} // namespace cnnc

#endif // CNNC_TOOLS_CNNC_REPORT_H
