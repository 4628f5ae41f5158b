//===- dsl-fuzzer.cpp - libFuzzer target for the .cnn language ------------===//
//
// Feeds arbitrary text to the DSL's parser and elaborator. Any input may be
// rejected with a message; none may crash, hang, leak or touch memory out
// of bounds (ASan). Messages are swallowed.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Dialect/CNN/IR/CNNDialect.h"
#include "cnnc/Frontend/DSL/DSL.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::SourceMgr sources;
  sources.setDiagHandler([](const llvm::SMDiagnostic &, void *) {});
  sources.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.cnn"),
      llvm::SMLoc());
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.loadDialect<cnnc::cnn::CNNDialect, mlir::func::FuncDialect>();
  mlir::ScopedDiagnosticHandler quiet(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  cnnc::dsl::Options options;
  (void)cnnc::dsl::importModel(sources, context, options);
  return 0;
}
