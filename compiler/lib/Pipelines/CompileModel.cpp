//===- CompileModel.cpp - The one compile driver --------------------------===//
//
// Before the pipeline: the model's interface, read off its function as the
// user wrote it (the pipeline may compile it for one image: cnnc.batch_split
// says so). Then the pipeline, once. After it: the functions the model and
// training consist of named after the model, and the planned workspaces, the
// batch split and the train step's state read off their attributes.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Pipelines/CompileModel.h"

#include "cnnc/Dialect/CNN/IR/CompilerAttributes.h"
#include "cnnc/Training/TrainStep.h"

#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;

namespace cnnc {

namespace {

/// The workspace bytes cnnc-plan-arena recorded on `function`.
FailureOr<uint64_t> workspaceOf(Operation *function) {
  auto bytes = function->getAttrOfType<IntegerAttr>(attrs::kWorkspaceSize);
  if (!bytes)
    return function->emitError() << "the workspace of '"
                                 << SymbolTable::getSymbolName(function)
                                 << "' was not planned";
  return bytes.getValue().getZExtValue();
}

/// Reads the interface's facts off the lowered `module` and names each
/// generated function after its role.
LogicalResult collectInterface(ModuleOp module, ModelInterface &model) {
  Operation *graph =
      SymbolTable::lookupSymbolIn(module, graphSymbol(model.name, "graph"));
  if (!graph)
    return module.emitError() << "the model's function was lost in lowering";
  if (auto split = graph->getAttrOfType<IntegerAttr>(attrs::kBatchSplit))
    model.batchSplit = split.getInt();
  FailureOr<uint64_t> workspace = workspaceOf(graph);
  if (failed(workspace))
    return failure();
  model.workspaceBytes = *workspace;

  SymbolTable symbols(module);
  SmallVector<std::pair<Operation *, StringAttr>> entries;
  for (Operation &op : module.getBody()->getOperations())
    if (auto role = op.getAttrOfType<StringAttr>(attrs::kEntry))
      entries.emplace_back(&op, role);
  if (entries.empty())
    return success();
  TrainingInterface training;
  for (auto [function, role] : entries) {
    if (failed(symbols.rename(function, graphSymbol(model.name, role))))
      return function->emitError() << "cannot name the " << role
                                   << " function after the model";
    FailureOr<uint64_t> bytes = workspaceOf(function);
    if (failed(bytes))
      return failure();
    if (role == training::kTrainStepEntry) {
      FailureOr<TrainingInterface> described = describeTraining(function);
      if (failed(described))
        return failure();
      uint64_t evaluate = training.evaluateWorkspaceBytes;
      uint64_t initial = training.initialStateWorkspaceBytes;
      training = std::move(*described);
      training.evaluateWorkspaceBytes = evaluate;
      training.initialStateWorkspaceBytes = initial;
      training.trainWorkspaceBytes = *bytes;
    } else if (role == training::kEvaluateEntry) {
      training.evaluateWorkspaceBytes = *bytes;
    } else if (role == training::kInitialStateEntry) {
      training.initialStateWorkspaceBytes = *bytes;
    } else {
      return function->emitError() << "unknown " << attrs::kEntry << " role '"
                                   << role << "'";
    }
  }
  if (training.state.empty())
    return module.emitError() << "training functions without a train step";
  model.training = std::move(training);
  return success();
}

} // namespace

FailureOr<ModelInterface> compileModel(ModuleOp module,
                                       const PipelineOptions &options,
                                       Stage last) {
  ModelInterface model;
  if (last == Stage::LLVMDialect) {
    FailureOr<func::FuncOp> function = findModelFunction(module);
    if (failed(function))
      return failure();
    FailureOr<ModelInterface> described =
        describeModel(*function, options.modelName);
    if (failed(described))
      return failure();
    model = std::move(*described);
    // The graph function's name is the model's own (a private symbol of
    // the object); training names its functions after it.
    function->setName(graphSymbol(options.modelName, "graph"));
  }

  PassManager pm(module.getContext());
  buildPipeline(pm, options, last);
  if (failed(pm.run(module)))
    return failure();
  if (last != Stage::LLVMDialect)
    return model;
  if (failed(collectInterface(module, model)))
    return failure();
  return model;
}

LogicalResult applyModelTrainingDefaults(ModuleOp module,
                                         PipelineOptions::Training &training,
                                         bool lossGiven, bool smoothingGiven) {
  if (auto loss = module->getAttrOfType<StringAttr>(attrs::kLoss);
      loss && !lossGiven) {
    std::optional<cnn::LossKind> kind = cnn::symbolizeLossKind(loss);
    if (!kind)
      return module.emitError()
             << "the model asks for the loss '" << loss.getValue()
             << "' (" << attrs::kLoss << "); expected cross_entropy or mse";
    training.loss = *kind;
  }
  if (auto smoothing = module->getAttrOfType<FloatAttr>(attrs::kLabelSmoothing);
      smoothing && !smoothingGiven)
    training.labelSmoothing = smoothing.getValueAsDouble();
  return success();
}

} // namespace cnnc
