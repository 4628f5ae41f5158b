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

#include "cnnc/Frontend/ONNX/Model.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cnnc {

struct ModelBindings {
  std::vector<std::string> shapes;    // NAME=1x3x224x224
  std::vector<std::string> constants; // NAME=FILE.pb
  int64_t batch = 0;                  // 0: not given.
  /// The values of graph inputs, known before compiling (`cnnc run`):
  /// integer ones (shapes, axes) become constants, the others fix their
  /// input's shape, and any that a node needs as a constant (Clip's bounds,
  /// Resize's scales) is bound as one.
  std::map<std::string, onnx::Tensor> values;
  /// The ONNX model, when the caller has read it already (`cnnc run` reads
  /// it to see its inputs); else loadModel reads the file.
  std::shared_ptr<const onnx::Model> model;
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

/// A context with every dialect cnnc uses; diagnostics name the op and its
/// location without printing the op (its IR is noise to users).
std::unique_ptr<mlir::MLIRContext> createContext();

/// What a model file is, by its name: ONNX (.onnx, or "-" for stdin), the
/// cnn dialect (.mlir), cnnc's language (.cnn).
enum class ModelFormat { ONNX, MLIR, CNN, Unknown };
ModelFormat detectModelFormat(llvm::StringRef path);

/// Reads `path`; null after printing the errors.
mlir::OwningOpRef<mlir::ModuleOp> loadModel(llvm::StringRef path,
                                            const ModelBindings &bindings,
                                            mlir::MLIRContext &context);

} // namespace cnnc

#endif // CNNC_TOOLS_CNNC_LOADMODEL_H
