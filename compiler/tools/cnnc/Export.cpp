//===- Export.cpp - cnnc export: a model as an ONNX file ------------------===//

#include "Export.h"

#include "OutputFiles.h"

#include "cnnc/CodeGen/CodeGen.h"
#include "cnnc/Frontend/ONNX/Exporter.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

namespace cnnc {

namespace {
enum ExitCode { Success = 0, UserError = 2 };
} // namespace

int exportModelFile(const ExportCommandOptions &options) {
  std::unique_ptr<mlir::MLIRContext> context = createContext();
  mlir::OwningOpRef<mlir::ModuleOp> module =
      loadModel(options.model, options.bindings, *context);
  if (!module)
    return UserError;
  mlir::FailureOr<mlir::func::FuncOp> function;
  {
    DiagnosticPrinter printer(*context);
    function = findModelFunction(*module);
  }
  if (mlir::failed(function))
    return UserError;
  if (options.quantize) {
    DiagnosticPrinter printer(*context);
    if (int status = quantizeModel(*module, *options.quantize,
                                   options.pipeline, options.target))
      return status;
  }

  onnx::ExportOptions exportOptions;
  exportOptions.symbolicBatch = !options.fixedBatch;
  exportOptions.producerVersion = options.version;
  llvm::Expected<std::string> model =
      onnx::exportModel(*function, exportOptions);
  if (!model) {
    llvm::errs() << "cnnc: error: " << llvm::toString(model.takeError())
                 << "\n";
    return UserError;
  }
  if (mlir::failed(writeFilesAtomically({{options.output, std::move(*model)}})))
    return UserError;
  return Success;
}

} // namespace cnnc
