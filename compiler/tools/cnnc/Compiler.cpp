//===- Compiler.cpp - The steps that compile and run share ----------------===//

#include "Compiler.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace cnnc {

FailureOr<ModelInterface>
lowerModel(ModuleOp module, llvm::StringRef name,
           const PipelineOptions &options, Stage last,
           llvm::function_ref<void(ModuleOp)> afterGraph) {
  MLIRContext *context = module.getContext();
  ModelInterface model;
  func::FuncOp function;
  if (last == Stage::LLVMDialect) {
    FailureOr<func::FuncOp> found = findModelFunction(module);
    if (failed(found))
      return failure();
    function = *found;
    FailureOr<ModelInterface> described = describeModel(function, name);
    if (failed(described))
      return failure();
    model = std::move(*described);
    // A name of the model's own: the graph function becomes a private
    // symbol of the object, so two models never collide.
    function.setName(("__cnnc_" + name + "_graph").str());
  }

  PassManager graph(context);
  addGraphPasses(graph, options);
  if (failed(graph.run(module)))
    return failure();
  if (afterGraph)
    afterGraph(module);

  PassManager pm(context);
  if (last != Stage::CNN)
    addKernelPasses(pm, options);
  if (last == Stage::LLVMDialect)
    addBufferizationPasses(pm, options);
  if (failed(pm.run(module)))
    return failure();
  if (last != Stage::LLVMDialect)
    return model;

  auto size = function->getAttrOfType<IntegerAttr>("cnnc.workspace_size");
  if (!size)
    return function.emitError() << "the workspace was not planned";
  model.workspaceBytes = size.getValue().getZExtValue();

  PassManager code(context);
  addLLVMLoweringPasses(code, options);
  if (failed(code.run(module)))
    return failure();
  return model;
}

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

} // namespace cnnc
