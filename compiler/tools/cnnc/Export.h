//===- Export.h - cnnc export: a model as an ONNX file ----------*- C++ -*-===//
//
// `cnnc export MODEL -o OUT.onnx` writes the model as it was written (no
// optimization pass runs) as an ONNX model that ONNX Runtime can run: a
// .cnn or .mlir model to share, or an ONNX model re-exported from cnnc's
// import of it.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TOOLS_CNNC_EXPORT_H
#define CNNC_TOOLS_CNNC_EXPORT_H

#include "LoadModel.h"

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
};

/// `cnnc export`: 0 when the file was written, 2 on a user error (a model
/// that does not load, an op ONNX cannot express, an output that cannot be
/// written); no file is left behind on failure.
int exportModelFile(const ExportCommandOptions &options);

} // namespace cnnc

#endif // CNNC_TOOLS_CNNC_EXPORT_H
