//===- onnx-fuzzer.cpp - libFuzzer target for the ONNX frontend -----------===//
//
// Feeds arbitrary bytes to the model reader and, when they parse, imports
// the model into the cnn dialect. Any input may be rejected with a message;
// none may crash, hang, leak or touch memory out of bounds (ASan).
//
//===----------------------------------------------------------------------===//

#include "cnnc/Dialect/CNN/IR/CNNDialect.h"
#include "cnnc/Frontend/ONNX/Importer.h"
#include "cnnc/Frontend/ONNX/ModelReader.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  // External data would be looked up beside this (nonexistent) path.
  llvm::Expected<cnnc::onnx::Model> model =
      cnnc::onnx::parseModel(bytes, "/nonexistent/fuzz.onnx");
  if (!model) {
    llvm::consumeError(model.takeError());
    return 0;
  }
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.loadDialect<cnnc::cnn::CNNDialect, mlir::func::FuncDialect>();
  mlir::ScopedDiagnosticHandler quiet(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  cnnc::onnx::ImportOptions options;
  options.batch = 1;
  (void)cnnc::onnx::importModel(*model, options, &context);
  return 0;
}
