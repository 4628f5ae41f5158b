//===- Importer.h - ONNX models into the cnn dialect ------------*- C++ -*-===//
//
// Builds a func.func in the cnn dialect from an ONNX model: graph inputs
// become arguments, graph outputs results, initializers constants (dense
// resources, never printed element by element). Shape subgraphs (Shape,
// Gather, Concat, ...) are evaluated during the import, so the function is
// fully static.
//
// Every op is located at its node: NameLoc(node name, NameLoc(op type,
// FileLineColLoc(model file, 0, 0))); an unnamed node is named "#index".
// Constants and arguments are located at their value: NameLoc(value name,
// FileLineColLoc(model file, 0, 0)).
// Errors are emitted as MLIR diagnostics at those locations; see
// describeLocation().
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_FRONTEND_ONNX_IMPORTER_H
#define CNNC_FRONTEND_ONNX_IMPORTER_H

#include "cnnc/Frontend/ONNX/Model.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/OwningOpRef.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cnnc::onnx {

/// The newest opset of the default domain that the importer knows (ONNX 1.12).
constexpr int64_t kMaxOpset = 17;

struct ImportOptions {
  /// The name of the generated function.
  std::string functionName = "main";
  /// Shapes for graph inputs, replacing what the model declares
  /// (`--shape NAME=1x3x224x224`).
  std::map<std::string, llvm::SmallVector<int64_t, 4>> inputShapes;
  /// The value of every symbolic first dimension (`--batch N`).
  std::optional<int64_t> batch;
  /// Graph inputs bound to constants (`--const NAME=FILE.pb`); they are not
  /// arguments of the function.
  std::map<std::string, Tensor> constants;
};

/// Imports `model` into a new module. On failure the diagnostics have been
/// emitted through `context`'s handlers and the result is null; then
/// `wantedConstants`, when given, lists the graph inputs that a node needs
/// as compile-time constants (bind them and import again).
mlir::OwningOpRef<mlir::ModuleOp>
importModel(const Model &model, const ImportOptions &options,
            mlir::MLIRContext *context,
            std::vector<std::string> *wantedConstants = nullptr);

/// The location of `node` of the model in `path`.
mlir::Location nodeLocation(mlir::MLIRContext *context, llvm::StringRef path,
                            const Node &node);

/// "model.onnx: node 'conv1' (Conv)" for a node location, "model.onnx" for
/// a file location, or the empty string for any other location.
std::string describeLocation(mlir::Location location);

} // namespace cnnc::onnx

#endif // CNNC_FRONTEND_ONNX_IMPORTER_H
