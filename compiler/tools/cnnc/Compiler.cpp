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
    function.setName(graphSymbol(name, "graph"));
  }

  PassManager graph(context);
  addGraphPasses(graph, options);
  if (failed(graph.run(module)))
    return failure();
  if (afterGraph)
    afterGraph(module);
  if (last == Stage::LLVMDialect) {
    // A batch compiled one image at a time.
    if (auto split =
            function->getAttrOfType<IntegerAttr>("cnnc.batch_split")) {
      model.batchSplit = split.getInt();
      function->removeAttr("cnnc.batch_split");
    }
    // The functions that training generated, named likewise.
    for (auto generated : module.getOps<func::FuncOp>()) {
      auto role = generated->getAttrOfType<StringAttr>("cnnc.entry");
      if (!role)
        continue;
      if (role.getValue() == "train_step") {
        FailureOr<TrainingInterface> training = describeTraining(generated);
        if (failed(training))
          return failure();
        model.training = std::move(*training);
      }
      generated.setName(graphSymbol(name, role.getValue()));
    }
  }

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
  if (model.training) {
    auto workspaceOf = [&](llvm::StringRef role) -> FailureOr<uint64_t> {
      auto generated =
          module.lookupSymbol<func::FuncOp>(graphSymbol(name, role));
      auto bytes = generated ? generated->getAttrOfType<IntegerAttr>(
                                   "cnnc.workspace_size")
                             : IntegerAttr();
      if (!bytes)
        return module.emitError() << "the " << role
                                  << " function's workspace was not planned";
      return bytes.getValue().getZExtValue();
    };
    FailureOr<uint64_t> train = workspaceOf("train_step");
    FailureOr<uint64_t> evaluate = workspaceOf("evaluate");
    FailureOr<uint64_t> initial = workspaceOf("initial_state");
    if (failed(train) || failed(evaluate) || failed(initial))
      return failure();
    model.training->trainWorkspaceBytes = *train;
    model.training->evaluateWorkspaceBytes = *evaluate;
    model.training->initialStateWorkspaceBytes = *initial;
  }

  PassManager code(context);
  addLLVMLoweringPasses(code, options);
  if (failed(code.run(module)))
    return failure();
  return model;
}

void applyModelTrainingDefaults(ModuleOp module,
                                PipelineOptions::Training &training,
                                bool lossGiven, bool smoothingGiven) {
  if (auto loss = module->getAttrOfType<StringAttr>("cnnc.loss");
      loss && !lossGiven)
    training.loss = loss.str();
  if (auto smoothing = module->getAttrOfType<FloatAttr>("cnnc.label_smoothing");
      smoothing && !smoothingGiven)
    training.labelSmoothing = smoothing.getValueAsDouble();
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
