//===- LoadModel.h - The model a cnnc command reads -------------*- C++ -*-===//
//
// Every command of cnnc starts from a model file: an ONNX model (imported
// with the --shape, --batch and --const bindings) or a .mlir file in the cnn
// dialect. Errors are printed on stderr as
//   cnnc: error: FILE: node 'NAME' (OP): MESSAGE
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TOOLS_CNNC_LOADMODEL_H
#define CNNC_TOOLS_CNNC_LOADMODEL_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>
#include <vector>

namespace cnnc {

struct ModelBindings {
  std::vector<std::string> shapes;    // NAME=1x3x224x224
  std::vector<std::string> constants; // NAME=FILE.pb
  int64_t batch = 0;                  // 0: not given.
};

/// While alive, prints the context's diagnostics on stderr as
/// "cnnc: error: FILE: node 'NAME' (OP): MESSAGE" (ONNX node locations) or
/// "cnnc: error: FILE:LINE:COL: MESSAGE".
class DiagnosticPrinter {
public:
  explicit DiagnosticPrinter(mlir::MLIRContext &context);

private:
  static void print(mlir::Diagnostic &diag);
  mlir::ScopedDiagnosticHandler handler;
};

/// Reads `path`; null after printing the errors.
mlir::OwningOpRef<mlir::ModuleOp> loadModel(llvm::StringRef path,
                                            const ModelBindings &bindings,
                                            mlir::MLIRContext &context);

} // namespace cnnc

#endif // CNNC_TOOLS_CNNC_LOADMODEL_H
