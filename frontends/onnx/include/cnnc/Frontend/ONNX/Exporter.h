//===- Exporter.h - A cnn dialect model as an ONNX file ---------*- C++ -*-===//
//
// `cnnc export` writes a model held in the cnn dialect (from a .mlir file,
// the DSL or an ONNX file) as an ONNX model that ONNX Runtime can run:
// opset 17, IR version 8, producer "cnnc". The graph is exported as a
// frontend writes it: channels first, no fused epilogues (convolutions and
// matmuls with a residual or an activation, and nhwc layouts, are refused).
//
// Graph inputs and outputs are named by the function's `cnn.name` argument
// and result attributes (input_N / output_N without one); constants become
// initializers (raw_data) named after their NameLoc location; nodes are
// named after their op's location (a NameLoc's name, or "file:line:col").
// Like the reader and the writer, the implementation sees protobuf; this
// header does not.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_FRONTEND_ONNX_EXPORTER_H
#define CNNC_FRONTEND_ONNX_EXPORTER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Error.h"

#include <string>

namespace cnnc::onnx {

/// The ONNX versions an export targets.
constexpr int64_t kExportOpset = 17;
constexpr int64_t kExportIrVersion = 8;

struct ExportOptions {
  /// Dimension 0 of the graph inputs and outputs becomes the symbolic
  /// dimension "batch" (where it is the first input's dimension 0); reshapes
  /// copy or infer it rather than fixing it. Shapes inside the graph are not
  /// recorded.
  bool symbolicBatch = true;
  /// ModelProto.producer_version (cnnc's version).
  std::string producerVersion;
};

/// `function` (in the cnn dialect, on statically shaped tensors) as a
/// serialized ModelProto. The error names the first op that cannot be
/// exported and its location: "cannot export 'cnn.lrn' (at LOC) to ONNX".
llvm::Expected<std::string> exportModel(mlir::func::FuncOp function,
                                        const ExportOptions &options);

} // namespace cnnc::onnx

#endif // CNNC_FRONTEND_ONNX_EXPORTER_H
