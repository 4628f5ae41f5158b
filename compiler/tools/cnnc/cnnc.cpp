//===- cnnc.cpp - The cnnc command line -----------------------------------===//
//
//   cnnc compile MODEL.onnx|MODEL.mlir -o FILE [--emit=cnn] [-O0..-O3]
//                [--shape NAME=1x3x224x224 | --batch N] [--const NAME=FILE.pb]
//
// Exit codes: 0 success, 2 user error (bad model, bad flag, unsupported
// request), 3 internal error. Output is written to a temporary file and
// renamed, so a failed run leaves no partial output.
//
//===----------------------------------------------------------------------===//

#include "LoadModel.h"

#include "cnnc/Conversion/Passes.h"
#include "cnnc/InitAll.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;

namespace {

enum ExitCode { Success = 0, UserError = 2, InternalError = 3 };

enum class Emit { CNN, Linalg, LLVM, Asm, Obj };

cl::SubCommand compileCommand("compile",
                              "Compile a model (an ONNX file, or a .mlir "
                              "file in the cnn dialect) and write the result");

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model>"),
                               cl::Required, cl::sub(compileCommand));
cl::opt<std::string> outputFile("o", cl::desc("Output file ('-' for stdout)"),
                                cl::value_desc("file"), cl::init("-"),
                                cl::sub(compileCommand));
cl::opt<Emit> emitKind(
    "emit", cl::desc("What to write"), cl::init(Emit::CNN),
    cl::values(clEnumValN(Emit::CNN, "cnn", "the optimized cnn dialect graph"),
               clEnumValN(Emit::Linalg, "linalg", "linalg on tensors"),
               clEnumValN(Emit::LLVM, "llvm", "LLVM IR"),
               clEnumValN(Emit::Asm, "asm", "assembly"),
               clEnumValN(Emit::Obj, "obj", "an object file and a C header")),
    cl::sub(compileCommand));
cl::list<std::string> shapeBindings(
    "shape", cl::desc("Static shape of a graph input with symbolic dimensions"),
    cl::value_desc("NAME=1x3x224x224"), cl::sub(compileCommand));
cl::opt<int64_t> batchSize("batch",
                           cl::desc("Value of every symbolic batch (first) "
                                    "dimension of the graph inputs"),
                           cl::value_desc("N"), cl::init(0),
                           cl::sub(compileCommand));
cl::list<std::string> constBindings(
    "const",
    cl::desc("Bind a graph input (a shape, axes, pads or scales) to the "
             "tensor in an ONNX TensorProto file"),
    cl::value_desc("NAME=FILE.pb"), cl::sub(compileCommand));

enum OptLevel { O0, O1, O2, O3 };

cl::opt<OptLevel> optLevel(cl::desc("Optimization level"), cl::init(O2),
                           cl::values(clEnumVal(O0, "no graph optimization"),
                                      clEnumVal(O1, "folding"),
                                      clEnumVal(O2, "the default"),
                                      clEnumVal(O3, "everything")),
                           cl::sub(compileCommand));

/// Writes `write`'s output to `path` through a temporary file that is
/// renamed into place only when everything succeeded.
mlir::LogicalResult
writeAtomically(llvm::StringRef path,
                llvm::function_ref<void(llvm::raw_ostream &)> write) {
  if (path == "-") {
    write(llvm::outs());
    llvm::outs().flush();
    return mlir::success();
  }
  llvm::Expected<llvm::sys::fs::TempFile> temp =
      llvm::sys::fs::TempFile::create(path + ".tmp-%%%%%%");
  if (!temp) {
    llvm::errs() << "cnnc: error: cannot write '" << path
                 << "': " << llvm::toString(temp.takeError()) << "\n";
    return mlir::failure();
  }
  {
    llvm::raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    write(os);
    os.flush();
    if (os.has_error()) {
      llvm::errs() << "cnnc: error: cannot write '" << path
                   << "': " << os.error().message() << "\n";
      os.clear_error();
      llvm::consumeError(temp->discard());
      return mlir::failure();
    }
  }
  if (llvm::Error error = temp->keep(path)) {
    llvm::errs() << "cnnc: error: cannot write '" << path
                 << "': " << llvm::toString(std::move(error)) << "\n";
    return mlir::failure();
  }
  return mlir::success();
}

int runCompile() {
  if (emitKind != Emit::CNN && emitKind != Emit::Linalg) {
    llvm::errs() << "cnnc: error: --emit="
                 << (emitKind == Emit::LLVM  ? "llvm"
                     : emitKind == Emit::Asm ? "asm"
                                             : "obj")
                 << " is not supported yet: code generation is not built; "
                    "use --emit=cnn or --emit=linalg\n";
    return UserError;
  }
  mlir::DialectRegistry registry;
  cnnc::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  // Messages name the op and its location; the op's IR is noise to users.
  context.printOpOnDiagnostic(false);
  cnnc::ModelBindings bindings{shapeBindings, constBindings, batchSize};
  if (batchSize < 0) {
    llvm::errs() << "cnnc: error: --batch must be positive, got " << batchSize
                 << "\n";
    return UserError;
  }
  mlir::OwningOpRef<mlir::ModuleOp> module =
      cnnc::loadModel(inputFile, bindings, context);
  if (!module)
    return UserError;

  cnnc::DiagnosticPrinter printer(context);
  mlir::PassManager pm(&context);
  if (optLevel != O0) {
    pm.addPass(mlir::createCanonicalizerPass());
    pm.addPass(mlir::createCSEPass());
  }
  if (emitKind == Emit::Linalg)
    pm.addNestedPass<mlir::func::FuncOp>(cnnc::createConvertCNNToLinalg());
  // A lowering that cannot handle an op reports it: a user error.
  if (mlir::failed(pm.run(*module)))
    return UserError;

  if (mlir::failed(writeAtomically(
          outputFile, [&](llvm::raw_ostream &os) { module->print(os); })))
    return UserError;
  return Success;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << "cnnc " CNNC_VERSION " (LLVM/MLIR " LLVM_VERSION_STRING ")\n";
  });
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "cnnc: a compiler for convolutional "
                                   "networks\n",
                                   &llvm::errs()))
    return UserError;
  if (compileCommand)
    return runCompile();
  llvm::errs() << "cnnc: error: expected a command; see 'cnnc --help'\n";
  return UserError;
}
