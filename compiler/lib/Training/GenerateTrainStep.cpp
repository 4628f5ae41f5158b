//===- GenerateTrainStep.cpp - cnnc-generate-train-step -------------------===//
//
// Finds the model function, then builds its initial state, evaluation and
// train step (TrainStepBuilder.h). See Passes.td for the interface.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Training/Passes.h"

#include "TrainStepBuilder.h"
#include "cnnc/Dialect/CNN/IR/CompilerAttributes.h"

namespace cnnc {
#define GEN_PASS_DEF_GENERATETRAINSTEP
#include "cnnc/Training/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;
using namespace cnnc::training;

namespace {

struct GenerateTrainStepPass
    : cnnc::impl::GenerateTrainStepBase<GenerateTrainStepPass> {
  using Base::Base;
  void runOnOperation() override;
};

void GenerateTrainStepPass::runOnOperation() {
  ModuleOp module = getOperation();
  if (!(labelSmoothing >= 0.0 && labelSmoothing <= 1.0)) {
    module.emitError() << "label smoothing must be in [0, 1], got "
                       << labelSmoothing;
    return signalPassFailure();
  }
  func::FuncOp model;
  for (auto function : module.getOps<func::FuncOp>()) {
    if (function.isExternal() || function.isPrivate() ||
        function->hasAttr(cnnc::attrs::kEntry))
      continue;
    if (model) {
      module.emitError() << "the module has two models, '" << model.getName()
                         << "' and '" << function.getName() << "'";
      return signalPassFailure();
    }
    model = function;
  }
  if (!model) {
    module.emitError() << "the module has no model function to train";
    return signalPassFailure();
  }
  if (model.getNumArguments() != 1 || model.getNumResults() != 1) {
    model.emitError() << "training needs a model with one input and one "
                         "output (the logits); this one has "
                      << model.getNumArguments() << " inputs and "
                      << model.getNumResults() << " outputs";
    return signalPassFailure();
  }
  FailureOr<TrainState> tensors = collectState(model, optimizer);
  if (failed(tensors))
    return signalPassFailure();
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  buildInitialState(model, *tensors, b);
  buildEvaluate(model, *tensors, b);
  if (failed(buildTrainStep(model, *tensors, loss, labelSmoothing, optimizer,
                            b)))
    return signalPassFailure();
  model.walk([](cnn::ConstantOp c) { c->removeAttr(cnnc::attrs::kStateIndex); });
}

} // namespace
