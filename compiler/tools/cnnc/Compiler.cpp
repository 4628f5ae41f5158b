//===- Compiler.cpp - The steps that compile, run and train share ---------===//

#include "Compiler.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace cnnc {

llvm::Expected<std::string> generateCode(ModuleOp module,
                                         const ModelInterface &model,
                                         llvm::TargetMachine &machine,
                                         unsigned optLevel, Artifact artifact) {
  llvm::LLVMContext llvmContext;
  llvm::Expected<std::unique_ptr<llvm::Module>> llvmModule =
      translateModel(module, model, machine, optLevel, llvmContext);
  if (!llvmModule)
    return llvmModule.takeError();
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  if (artifact == Artifact::LLVMIR) {
    (*llvmModule)->print(os, nullptr);
    return bytes;
  }
  llvm::SmallString<0> buffer;
  llvm::raw_svector_ostream stream(buffer);
  if (llvm::Error error = emitMachineCode(
          **llvmModule, machine,
          artifact == Artifact::Object ? llvm::CodeGenFileType::ObjectFile
                                       : llvm::CodeGenFileType::AssemblyFile,
          stream))
    return std::move(error);
  return std::string(buffer.str());
}

void setTargetWidths(PipelineOptions &pipeline,
                     const llvm::TargetMachine &machine) {
  pipeline.vectorBits = vectorRegisterBits(machine);
  pipeline.int8DotProductBits = int8DotProductBits(machine);
  pipeline.int8MultiplyAddBits = int8MultiplyAddBits(machine);
}

int compileAndLoad(ModuleOp module, PipelineOptions pipeline,
                   const TargetOptions &target, InProcessModel &out,
                   llvm::function_ref<int(const ModelInterface &)> check) {
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(target);
  if (!machine) {
    llvm::errs() << "cnnc: error: " << llvm::toString(machine.takeError())
                 << "\n";
    return UserError;
  }
  setTargetWidths(pipeline, **machine);
  FailureOr<ModelInterface> model = compileModel(module, pipeline);
  // A lowering that cannot handle an op reports it: a user error.
  if (failed(model))
    return UserError;
  if (check)
    if (int status = check(*model))
      return status;
  llvm::Expected<std::string> object = generateCode(
      module, *model, **machine, target.optLevel, Artifact::Object);
  if (!object) {
    llvm::errs() << "cnnc: error: " << llvm::toString(object.takeError())
                 << "\n";
    return UserError;
  }
  llvm::Expected<std::unique_ptr<LoadedModel>> loaded =
      LoadedModel::load(*object, model->name);
  if (!loaded) {
    llvm::errs() << "cnnc: internal error: cannot load the compiled model: "
                 << llvm::toString(loaded.takeError()) << "\n";
    return InternalError;
  }
  out.interface = std::move(*model);
  out.loaded = std::move(*loaded);
  return Success;
}

} // namespace cnnc
