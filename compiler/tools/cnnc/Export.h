//===- Export.h - cnnc export: a model as an ONNX file ----------*- C++ -*-===//
//
// `cnnc export MODEL -o OUT.onnx` writes the model as it was written (no
// optimization pass runs) as an ONNX model that ONNX Runtime can run: a
// .cnn or .mlir model to share, or an ONNX model re-exported from cnnc's
// import of it. `cnnc quantize MODEL --calibration=... -o OUT.onnx` writes
// its post-training int8 quantization in the QDQ form (batch norms folded),
// which ONNX Runtime runs and `cnnc compile` compiles back onto the same
// integer kernels.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TOOLS_CNNC_EXPORT_H
#define CNNC_TOOLS_CNNC_EXPORT_H

#include "Calibrate.h"
#include "LoadModel.h"

#include <optional>
#include <string>

namespace cnnc {

struct ExportCommandOptions {
  std::string model;
  /// The ONNX file ("-": stdout).
  std::string output;
  ModelBindings bindings;
  /// Keep the batch size of the model rather than a symbolic "batch".
  bool fixedBatch = false;
  /// ModelProto.producer_version.
  std::string version;
  /// `cnnc quantize`: the model is quantized to int8 first (calibrated by
  /// running it, compiled with `pipeline` for `target`), and written in the
  /// QDQ form.
  std::optional<CalibrationOptions> quantize;
  PipelineOptions pipeline;
  TargetOptions target;
};

/// `cnnc export`: 0 when the file was written, 2 on a user error (a model
/// that does not load, an op ONNX cannot express, an output that cannot be
/// written); no file is left behind on failure.
int exportModelFile(const ExportCommandOptions &options);

} // namespace cnnc

#endif // CNNC_TOOLS_CNNC_EXPORT_H
