//===- LoadModel.cpp - The model a cnnc command reads ---------------------===//

#include "LoadModel.h"

#include "cnnc/Frontend/ONNX/Importer.h"
#include "cnnc/InitAll.h"
#include "cnnc/Frontend/ONNX/ModelReader.h"

#include "cnnc/Frontend/DSL/DSL.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

namespace cnnc {

DiagnosticPrinter::DiagnosticPrinter(mlir::MLIRContext &context)
    : handler(&context, [](mlir::Diagnostic &diag) {
        print(diag);
        return mlir::success();
      }) {}

void DiagnosticPrinter::print(mlir::Diagnostic &diag) {
  llvm::raw_ostream &os = llvm::errs();
  os << "cnnc: ";
  switch (diag.getSeverity()) {
  case mlir::DiagnosticSeverity::Error:
    os << "error: ";
    break;
  case mlir::DiagnosticSeverity::Warning:
    os << "warning: ";
    break;
  case mlir::DiagnosticSeverity::Note:
    os << "note: ";
    break;
  case mlir::DiagnosticSeverity::Remark:
    os << "remark: ";
    break;
  }
  std::string where = onnx::describeLocation(diag.getLocation());
  if (where.empty())
    if (auto file = llvm::dyn_cast<mlir::FileLineColLoc>(diag.getLocation()))
      where =
          (file.getFilename().getValue() + ":" + llvm::Twine(file.getLine()) +
           ":" + llvm::Twine(file.getColumn()))
              .str();
  if (!where.empty())
    os << where << ": ";
  os << diag.str() << "\n";
  for (mlir::Diagnostic &note : diag.getNotes())
    print(note);
}

std::unique_ptr<mlir::MLIRContext> createContext() {
  mlir::DialectRegistry registry;
  registerAllDialects(registry);
  auto context = std::make_unique<mlir::MLIRContext>(registry);
  context->printOpOnDiagnostic(false);
  return context;
}

namespace {

bool parseShape(llvm::StringRef text, llvm::SmallVector<int64_t, 4> &shape) {
  llvm::SmallVector<llvm::StringRef> parts;
  text.split(parts, 'x');
  for (llvm::StringRef part : parts) {
    int64_t dim;
    if (part.getAsInteger(10, dim) || dim <= 0)
      return false;
    shape.push_back(dim);
  }
  return !shape.empty();
}

mlir::OwningOpRef<mlir::ModuleOp> loadOnnx(llvm::StringRef path,
                                           const ModelBindings &bindings,
                                           mlir::MLIRContext &context) {
  onnx::ImportOptions options;
  bool ok = true;
  for (llvm::StringRef binding : bindings.shapes) {
    auto [name, shapeText] = binding.split('=');
    llvm::SmallVector<int64_t, 4> shape;
    if (name.empty() || !parseShape(shapeText, shape)) {
      llvm::errs() << "cnnc: error: --shape '" << binding
                   << "': expected NAME=DIMxDIMx... with positive "
                      "dimensions, e.g. input=1x3x224x224\n";
      ok = false;
      continue;
    }
    options.inputShapes[name.str()] = shape;
  }
  for (llvm::StringRef binding : bindings.constants) {
    auto [name, file] = binding.split('=');
    if (name.empty() || file.empty()) {
      llvm::errs() << "cnnc: error: --const '" << binding
                   << "': expected NAME=FILE.pb\n";
      ok = false;
      continue;
    }
    llvm::Expected<onnx::Tensor> tensor = onnx::readTensorFile(file);
    if (!tensor) {
      llvm::errs() << "cnnc: error: --const " << name << ": "
                   << llvm::toString(tensor.takeError()) << "\n";
      ok = false;
      continue;
    }
    options.constants[name.str()] = std::move(*tensor);
  }
  if (bindings.batch < 0) {
    llvm::errs() << "cnnc: error: --batch must be positive, got "
                 << bindings.batch << "\n";
    ok = false;
  }
  if (bindings.batch > 0)
    options.batch = bindings.batch;
  for (const auto &[name, tensor] : bindings.values) {
    if (onnx::isInteger(tensor.type))
      options.constants.try_emplace(name, tensor);
    else
      options.inputShapes.try_emplace(name, tensor.shape);
  }
  if (!ok)
    return nullptr;

  std::shared_ptr<const onnx::Model> model = bindings.model;
  if (!model) {
    llvm::Expected<onnx::Model> read = onnx::readModelFile(path);
    if (!read) {
      llvm::errs() << "cnnc: error: " << llvm::toString(read.takeError())
                   << "\n";
      return nullptr;
    }
    model = std::make_shared<const onnx::Model>(std::move(*read));
  }
  // Given values that a node needs as constants are bound, and the import
  // tried again; only the last attempt's diagnostics are printed.
  while (!bindings.values.empty()) {
    std::vector<std::string> wanted;
    {
      mlir::ScopedDiagnosticHandler quiet(
          &context, [](mlir::Diagnostic &) { return mlir::success(); });
      if (auto module = onnx::importModel(*model, options, &context, &wanted))
        return module;
    }
    bool bound = false;
    for (const std::string &name : wanted) {
      auto value = bindings.values.find(name);
      if (value != bindings.values.end() &&
          options.constants.try_emplace(name, value->second).second)
        bound = true;
    }
    if (!bound)
      break;
  }
  DiagnosticPrinter printer(context);
  return onnx::importModel(*model, options, &context);
}

/// Opens `path` as the main file of `sourceMgr`; false after printing why
/// it cannot.
bool openSource(llvm::StringRef path, llvm::SourceMgr &sourceMgr) {
  std::string message;
  auto buffer = mlir::openInputFile(path, &message);
  if (!buffer) {
    llvm::errs() << "cnnc: error: " << message << "\n";
    return false;
  }
  sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  return true;
}

mlir::OwningOpRef<mlir::ModuleOp> loadMlir(llvm::StringRef path,
                                           const ModelBindings &bindings,
                                           mlir::MLIRContext &context) {
  if (!bindings.shapes.empty() || !bindings.constants.empty() ||
      bindings.batch != 0) {
    llvm::errs() << "cnnc: error: --shape, --batch and --const apply to ONNX "
                    "models; '"
                 << path << "' is already static\n";
    return nullptr;
  }
  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  if (!openSource(path, sourceMgr))
    return nullptr;
  return mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
}

/// A model in the .cnn language: errors quote the line, with a caret.
mlir::OwningOpRef<mlir::ModuleOp> loadDsl(llvm::StringRef path,
                                          const ModelBindings &bindings,
                                          mlir::MLIRContext &context) {
  if (!bindings.shapes.empty() || !bindings.constants.empty()) {
    llvm::errs() << "cnnc: error: --shape and --const apply to ONNX models; "
                    "'"
                 << path << "' gives its input's shape (--batch sets N)\n";
    return nullptr;
  }
  llvm::SourceMgr sourceMgr;
  if (!openSource(path, sourceMgr))
    return nullptr;
  // The verifier's messages, should a built op be wrong, through the same
  // printer.
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  dsl::Options options;
  if (bindings.batch > 0)
    options.batch = bindings.batch;
  return dsl::importModel(sourceMgr, context, options);
}

} // namespace

ModelFormat detectModelFormat(llvm::StringRef path) {
  if (path.ends_with(".mlir"))
    return ModelFormat::MLIR;
  if (path.ends_with(".onnx") || path == "-")
    return ModelFormat::ONNX;
  if (path.ends_with(".cnn"))
    return ModelFormat::CNN;
  return ModelFormat::Unknown;
}

mlir::OwningOpRef<mlir::ModuleOp> loadModel(llvm::StringRef path,
                                            const ModelBindings &bindings,
                                            mlir::MLIRContext &context) {
  switch (detectModelFormat(path)) {
  case ModelFormat::MLIR:
    return loadMlir(path, bindings, context);
  case ModelFormat::ONNX:
    return loadOnnx(path, bindings, context);
  case ModelFormat::CNN:
    return loadDsl(path, bindings, context);
  case ModelFormat::Unknown:
    break;
  }
  llvm::errs() << "cnnc: error: '" << path
               << "': expected an ONNX model (.onnx), a model in cnnc's "
                  "language (.cnn) or one in the cnn dialect (.mlir)\n";
  return nullptr;
}

} // namespace cnnc
