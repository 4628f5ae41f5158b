//===- Calibrate.h - Post-training quantization ----------------*- C++ -*-===//
//
// `cnnc compile --quantize=int8 --calibration=SOURCE`: the float model's
// batch norms folded, the activations its convolutions and matmuls read and
// write measured by running the float model in-process over the samples,
// then the graph rewritten to its QDQ form (cnn/Transforms/QuantizeGraph.h),
// which the pipeline compiles onto the integer kernels.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TOOLS_CNNC_CALIBRATE_H
#define CNNC_TOOLS_CNNC_CALIBRATE_H

#include "Report.h"

#include "cnnc/CodeGen/CodeGen.h"
#include "cnnc/Pipelines/CompileModel.h"
#include "cnnc/Transforms/CalibrationRange.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace cnnc {

struct CalibrationOptions {
  /// A folder of input_N.pb files or of ONNX test-data folders
  /// (test_data_set_N/input_0.pb), or fashion-mnist[:DIR] (its training
  /// images, scaled to [0, 1]).
  std::string source;
  int64_t samples = 256;
  CalibrationMethod method = CalibrationMethod::MinMax;
  /// The percentile of |x| CalibrationMethod::Percentile clips at.
  double percentile = 99.99;
  /// ONNX node names of layers kept in float.
  std::vector<std::string> keepFloat;
};

/// Quantizes `module` (a float model) to int8 in place; with `report`, also
/// compiles the int8 model and measures it against the float one on the
/// samples (per layer SQNR, top-1 agreement). Returns Success, or the exit
/// code with the error printed.
int quantizeModel(mlir::ModuleOp module, const CalibrationOptions &options,
                  const PipelineOptions &pipeline, const TargetOptions &target,
                  QuantizationReport *report = nullptr);

} // namespace cnnc

#endif // CNNC_TOOLS_CNNC_CALIBRATE_H
