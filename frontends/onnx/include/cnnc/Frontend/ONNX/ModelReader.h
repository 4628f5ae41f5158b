//===- ModelReader.h - Read ONNX files --------------------------*- C++ -*-===//
//
// Reads ONNX ModelProto and TensorProto files into the plain structs of
// Model.h, and writes TensorProto files. This is the only part of cnnc that
// sees protobuf. Every failure is an llvm::Error whose message names the
// file and says what is wrong; no input, however malformed, crashes the
// reader.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_FRONTEND_ONNX_MODELREADER_H
#define CNNC_FRONTEND_ONNX_MODELREADER_H

#include "cnnc/Frontend/ONNX/Model.h"

#include "llvm/Support/Error.h"

namespace cnnc::onnx {

/// Reads the model in `path`, with external tensor data from files beside it.
llvm::Expected<Model> readModelFile(llvm::StringRef path);

/// Parses a serialized ModelProto. `path` names it in messages; external data
/// is looked up in `path`'s directory.
llvm::Expected<Model> parseModel(llvm::StringRef bytes, llvm::StringRef path);

/// Reads a serialized TensorProto (the .pb files of the ONNX test data).
llvm::Expected<Tensor> readTensorFile(llvm::StringRef path);

/// `tensor` as a serialized TensorProto (raw_data, little-endian), named
/// `tensor.name`: what `cnnc run --output-dir` writes.
std::string serializeTensor(const Tensor &tensor);

} // namespace cnnc::onnx

#endif // CNNC_FRONTEND_ONNX_MODELREADER_H
