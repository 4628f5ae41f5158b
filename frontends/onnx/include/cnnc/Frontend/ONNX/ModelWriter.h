//===- ModelWriter.h - Write trained ONNX models ----------------*- C++ -*-===//
//
// `cnnc train` writes its result as the model it was given, turned into an
// inference model: the trained values in place of the initializers, batch
// norms in inference form, dropout gone, and the input normalization that
// training applied done by the graph itself. Like the reader, the only
// other file that sees protobuf.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_FRONTEND_ONNX_MODELWRITER_H
#define CNNC_FRONTEND_ONNX_MODELWRITER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace cnnc::onnx {

/// The new value of an initializer (float32).
struct TrainedTensor {
  std::string name;
  const float *data = nullptr;
  int64_t count = 0;
};

/// (x - mean) / std on every element of the model's input.
struct InputNormalization {
  float mean = 0.0f;
  float std = 1.0f;
};

/// The model in `path` (an ONNX file exported in training or inference
/// form) as a serialized inference ModelProto: each of `tensors` replaces
/// the initializer of its name (which must exist, with as many float
/// elements); BatchNormalization keeps only its output Y and loses
/// training_mode; Dropout becomes Identity; with `normalization`, the
/// first graph input goes through Sub and Div before any node reads it.
llvm::Expected<std::string>
writeInferenceModel(llvm::StringRef path,
                    llvm::ArrayRef<TrainedTensor> tensors,
                    std::optional<InputNormalization> normalization);

/// The same from a serialized ModelProto (`name` names it in messages).
llvm::Expected<std::string>
rewriteInferenceModel(llvm::StringRef bytes, llvm::StringRef name,
                      llvm::ArrayRef<TrainedTensor> tensors,
                      std::optional<InputNormalization> normalization);

} // namespace cnnc::onnx

#endif // CNNC_FRONTEND_ONNX_MODELWRITER_H
