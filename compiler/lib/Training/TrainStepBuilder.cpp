//===- TrainStepBuilder.cpp - Train step, evaluation, initial state -------===//
//
// The model's constants that training changes become arguments (the state),
// in three clones of the model's function: the initial state (the constants
// themselves), the evaluation (the model on a state) and the train step
// (training forms of batch norm and dropout, the loss, its gradients, the
// optimizer). cnnc-generate-train-step (GenerateTrainStep.cpp) calls these;
// Passes.td has the interface.
//
//===----------------------------------------------------------------------===//

#include "TrainStepBuilder.h"

#include "Autodiff.h"
#include "Optimizers.h"
#include "cnnc/Dialect/CNN/IR/CNNOps.h"
#include "cnnc/Training/TrainStep.h"
#include "cnnc/Dialect/CNN/IR/CompilerAttributes.h"

#include "mlir/IR/IRMapping.h"


using namespace mlir;
using namespace cnnc;

namespace cnnc::training {

namespace {



/// The name an importer gave a constant: the innermost name of its
/// location (the ONNX initializer's).
std::string constantName(cnn::ConstantOp op, size_t index) {
  Location loc = op.getLoc();
  if (auto fused = dyn_cast<FusedLoc>(loc);
      fused && !fused.getLocations().empty())
    loc = fused.getLocations().front();
  if (auto named = dyn_cast<NameLoc>(loc))
    return named.getName().str();
  return "state_" + std::to_string(index);
}

/// The float constant feeding `v`, if any.
cnn::ConstantOp floatConstant(Value v) {
  auto op = v ? v.getDefiningOp<cnn::ConstantOp>() : cnn::ConstantOp();
  if (op && isa<FloatType>(op.getType().getElementType()))
    return op;
  return {};
}


} // namespace

FailureOr<TrainState> collectState(func::FuncOp model,
                                   cnn::OptimizerKind optimizer) {
  TrainState tensors;
  llvm::SetVector<Operation *> parameters, statistics;
  auto addParameter = [&](Value v) {
    if (cnn::ConstantOp c = floatConstant(v))
      parameters.insert(c);
  };
  auto addStatistic = [&](Value v) {
    if (cnn::ConstantOp c = floatConstant(v))
      statistics.insert(c);
  };
  model.walk([&](Operation *op) {
    if (auto conv = dyn_cast<cnn::ConvOp>(op)) {
      addParameter(conv.getWeight());
      addParameter(conv.getBias());
    } else if (auto matmul = dyn_cast<cnn::MatmulOp>(op)) {
      addParameter(matmul.getRhs());
      addParameter(matmul.getBias());
    } else if (auto bn = dyn_cast<cnn::BatchNormOp>(op)) {
      addParameter(bn.getScale());
      addParameter(bn.getBias());
      addStatistic(bn.getMean());
      addStatistic(bn.getVariance());
    } else if (auto bn = dyn_cast<cnn::BatchNormTrainOp>(op)) {
      addParameter(bn.getScale());
      addParameter(bn.getBias());
      addStatistic(bn.getRunningMean());
      addStatistic(bn.getRunningVariance());
    }
  });
  for (Operation *op : statistics)
    if (parameters.contains(op))
      return op->emitError()
             << "this constant is both a trainable parameter and a batch "
                "norm's running statistic; training needs them apart";
  auto add = [&](Operation *op, StringRef kind) {
    auto constant = cast<cnn::ConstantOp>(op);
    size_t index = tensors.state.size();
    constant->setAttr(
        cnnc::attrs::kStateIndex,
        IntegerAttr::get(IntegerType::get(op->getContext(), 64), index));
    tensors.state.push_back(
        {constantName(constant, index), kind, constant.getType(), constant});
  };
  for (Operation *op : parameters)
    add(op, kParameterKind);
  for (Operation *op : statistics)
    add(op, kStatisticKind);
  if (parameters.empty())
    return model.emitError() << "the model has no trainable parameters (no "
                                "constant weight of a conv, matmul or batch "
                                "norm)";
  for (const StateEntry &entry : tensors.state) {
    if (entry.kind != kParameterKind)
      continue;
    for (StringRef suffix : slotSuffixes(optimizer))
      tensors.slots.push_back({entry.name + suffix.str(), kSlotKind, entry.type, {}});
  }
  return tensors;
}

/// A clone of `model` named `name` whose state constants are the first
/// arguments (parameters and statistics).
static func::FuncOp cloneWithState(func::FuncOp model, const TrainState &tensors,
                                   StringRef name) {
  func::FuncOp clone = model.clone();
  clone.setName(name);
  Block &body = clone.getBody().front();
  SmallVector<Type> types;
  SmallVector<Location> locs;
  for (const StateEntry &entry : tensors.state) {
    types.push_back(entry.type);
    locs.push_back(entry.constant->getLoc());
  }
  // State arguments first.
  SmallVector<unsigned> positions(tensors.state.size(), 0);
  SmallVector<DictionaryAttr> attrs;
  for (const StateEntry &entry : tensors.state)
    attrs.push_back(DictionaryAttr::get(
        model.getContext(),
        {NamedAttribute(StringAttr::get(model.getContext(), cnnc::attrs::kName),
                        StringAttr::get(model.getContext(), entry.name))}));
  (void)clone.insertArguments(positions, types, attrs, locs);
  SmallVector<Operation *> constants;
  clone.walk([&](cnn::ConstantOp c) {
    if (auto index = c->getAttrOfType<IntegerAttr>(cnnc::attrs::kStateIndex)) {
      c.replaceAllUsesWith(body.getArgument(index.getInt()));
      constants.push_back(c);
    }
  });
  for (Operation *op : constants)
    op->erase();
  return clone;
}

void buildInitialState(func::FuncOp model, const TrainState &tensors,
                       OpBuilder &b) {
  MLIRContext *ctx = model.getContext();
  SmallVector<Type> types;
  for (const StateEntry &entry : tensors.state)
    types.push_back(entry.type);
  for (const StateEntry &slot : tensors.slots)
    types.push_back(slot.type);
  auto function = func::FuncOp::create(
      b, model.getLoc(), (model.getName() + "_initial_state").str(),
      FunctionType::get(ctx, {}, types));
  function->setAttr(cnnc::attrs::kEntry, StringAttr::get(ctx, kInitialStateEntry));
  OpBuilder body = OpBuilder::atBlockBegin(function.addEntryBlock());
  SmallVector<Value> values;
  IRMapping mapping;
  for (const StateEntry &entry : tensors.state) {
    Operation *copy = body.clone(*entry.constant, mapping);
    copy->removeAttr(cnnc::attrs::kStateIndex);
    values.push_back(copy->getResult(0));
  }
  for (const StateEntry &slot : tensors.slots) {
    GraphBuilder gb(body, model.getLoc());
    values.push_back(gb.splat(slot.type, 0.0));
  }
  func::ReturnOp::create(body, model.getLoc(), values);
  for (unsigned i = 0; i < types.size(); ++i) {
    StringRef name = i < tensors.state.size() ? StringRef(tensors.state[i].name)
                                      : StringRef(tensors.slots[i - tensors.state.size()].name);
    function.setResultAttr(i, cnnc::attrs::kName, StringAttr::get(ctx, name));
  }
}

void buildEvaluate(func::FuncOp model, const TrainState &tensors, OpBuilder &b) {
  func::FuncOp function =
      cloneWithState(model, tensors, (model.getName() + "_evaluate").str());
  b.insert(function);
  function->setAttr(cnnc::attrs::kEntry,
                    StringAttr::get(model.getContext(), kEvaluateEntry));
  // Batch norms of a model imported in training form run on the running
  // statistics.
  function.walk([&](cnn::BatchNormTrainOp bn) {
    OpBuilder builder(bn);
    Value y = cnn::BatchNormOp::create(
        builder, bn.getLoc(), bn.getInput(), bn.getScale(), bn.getBias(),
        bn.getRunningMean(), bn.getRunningVariance(), bn.getEpsilonAttr());
    bn.getResult().replaceAllUsesWith(y);
    bn.getNewRunningMean().replaceAllUsesWith(bn.getRunningMean());
    bn.getNewRunningVariance().replaceAllUsesWith(bn.getRunningVariance());
  });
  function.walk([&](cnn::BatchNormTrainOp bn) {
    if (bn->use_empty())
      bn->erase();
  });
}

LogicalResult buildTrainStep(func::FuncOp model, const TrainState &tensors,
                             cnn::LossKind loss, double labelSmoothing,
                             cnn::OptimizerKind optimizer, OpBuilder &b) {
  MLIRContext *ctx = model.getContext();
  func::FuncOp function =
      cloneWithState(model, tensors, (model.getName() + "_train_step").str());
  b.insert(function);
  function->setAttr(cnnc::attrs::kEntry, StringAttr::get(ctx, kTrainStepEntry));
  Block &body = function.getBody().front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  Value logits = ret.getOperand(0);
  auto logitsType = cast<RankedTensorType>(logits.getType());
  bool crossEntropy = loss == cnn::LossKind::CrossEntropy;

  // Arguments after the state and the input: slots, labels, hyper, key.
  Location loc = model.getLoc();
  auto append = [&](Type type, StringRef name) {
    (void)function.insertArgument(
        function.getNumArguments(), type,
        DictionaryAttr::get(ctx,
                            {NamedAttribute(StringAttr::get(ctx, cnnc::attrs::kName),
                                            StringAttr::get(ctx, name))}),
        loc);
    return body.getArguments().back();
  };
  SmallVector<Value> slotArgs;
  for (const StateEntry &slot : tensors.slots)
    slotArgs.push_back(append(slot.type, slot.name));
  Type labelsType = crossEntropy
                        ? Type(RankedTensorType::get({logitsType.getDimSize(0)},
                                                     IntegerType::get(ctx, 32)))
                        : Type(logitsType);
  Value labels = append(labelsType, crossEntropy ? "labels" : "targets");
  Value hyper = append(
      RankedTensorType::get({kHyperParameterCount}, Float32Type::get(ctx)),
      "hyper");
  Value key =
      append(RankedTensorType::get({}, IntegerType::get(ctx, 64)), "key");

  // Training forms of batch norm and dropout.
  DenseMap<Value, Value> newStatistics;
  SmallVector<Operation *> toErase;
  int64_t dropoutIndex = 0;
  for (Operation &op : llvm::make_early_inc_range(body.without_terminator())) {
    OpBuilder builder(&op);
    if (auto bn = dyn_cast<cnn::BatchNormOp>(op)) {
      auto train = cnn::BatchNormTrainOp::create(
          builder, bn.getLoc(), bn.getInput(), bn.getScale(), bn.getBias(),
          bn.getMean(), bn.getVariance(), bn.getEpsilonAttr(),
          builder.getF32FloatAttr(0.9f), UnitAttr());
      bn.getResult().replaceAllUsesWith(train.getResult());
      newStatistics[bn.getMean()] = train.getNewRunningMean();
      newStatistics[bn.getVariance()] = train.getNewRunningVariance();
      bn->erase();
    } else if (auto bn = dyn_cast<cnn::BatchNormTrainOp>(op)) {
      // Running variances as PyTorch (where training-mode ONNX comes from)
      // keeps them: with the unbiased batch variance.
      bn.setPopulationRunningVariance(false);
      newStatistics[bn.getRunningMean()] = bn.getNewRunningMean();
      newStatistics[bn.getRunningVariance()] = bn.getNewRunningVariance();
    } else if (auto dropout = dyn_cast<cnn::DropoutOp>(op)) {
      uint64_t seed = static_cast<uint64_t>(dropout.getSeed()) * 1000003u +
                      static_cast<uint64_t>(dropoutIndex++);
      Value mask = cnn::DropoutMaskOp::create(builder, dropout.getLoc(),
                                              dropout.getType(), key,
                                              dropout.getRatio(), seed);
      Value dropped =
          cnn::BinaryOp::create(builder, dropout.getLoc(), cnn::BinaryKind::Mul,
                                dropout.getInput(), mask);
      dropout.getResult().replaceAllUsesWith(dropped);
      dropout->erase();
    }
  }

  // The loss.
  OpBuilder builder(ret);
  Value lossValue;
  if (crossEntropy) {
    if (logitsType.getRank() != 2)
      return model.emitError()
             << "training with the cross-entropy loss needs logits of shape "
                "[N, classes], but the model's output is "
             << logitsType;
    lossValue = cnn::SoftmaxCrossEntropyOp::create(
        builder, loc, logits, labels, cnn::LossReduction::Mean,
        llvm::APFloat(static_cast<float>(labelSmoothing)));
  } else {
    lossValue = cnn::MseLossOp::create(builder, loc, logits, labels,
                                       cnn::LossReduction::Mean);
  }

  // Its gradients with respect to the parameters.
  SmallVector<Operation *> forward;
  for (Operation &op : body.without_terminator())
    forward.push_back(&op);
  SmallVector<Value> parameters;
  for (size_t i = 0; i < tensors.state.size(); ++i)
    if (tensors.state[i].kind == kParameterKind)
      parameters.push_back(body.getArgument(i));
  FailureOr<SmallVector<Value>> gradients =
      differentiate(builder, forward, lossValue, parameters);
  if (failed(gradients))
    return failure();

  // The optimizer, and the new state in the order of the old.
  SmallVector<Value> newState, newSlots;
  size_t slotCount = slotSuffixes(optimizer).size();
  for (size_t i = 0, p = 0; i < tensors.state.size(); ++i) {
    Value old = body.getArgument(i);
    if (tensors.state[i].kind != kParameterKind) {
      Value updated = newStatistics.lookup(old);
      newState.push_back(updated ? updated : old);
      continue;
    }
    GraphBuilder gb(builder, tensors.state[i].constant->getLoc());
    ValueRange mySlots(
        ArrayRef<Value>(slotArgs).slice(p * slotCount, slotCount));
    SmallVector<Value> updated =
        applyOptimizer(gb, optimizer, hyper, old, (*gradients)[p], mySlots);
    newState.push_back(updated[0]);
    newSlots.append(updated.begin() + 1, updated.end());
    ++p;
  }
  SmallVector<Value> results{lossValue, logits};
  results.append(newState);
  results.append(newSlots);
  func::ReturnOp::create(builder, ret.getLoc(), results);
  ret->erase();
  SmallVector<Type> resultTypes;
  for (Value v : results)
    resultTypes.push_back(v.getType());
  function.setFunctionType(
      FunctionType::get(ctx, function.getArgumentTypes(), resultTypes));
  auto named = [&](StringRef name) {
    return DictionaryAttr::get(ctx,
                               {NamedAttribute(StringAttr::get(ctx, cnnc::attrs::kName),
                                               StringAttr::get(ctx, name))});
  };
  SmallVector<DictionaryAttr> resultAttrs{named("loss")};
  DictionaryAttr logitsAttrs = model.getResultAttrDict(0);
  resultAttrs.push_back(logitsAttrs ? logitsAttrs : named("logits"));
  for (const std::vector<StateEntry> *list : {&tensors.state, &tensors.slots})
    for (const StateEntry &entry : *list)
      resultAttrs.push_back(named(entry.name));
  function.setAllResultAttrs(resultAttrs);

  // The layout and the labels, for code generation: attributes that the
  // lowering keeps when the signature becomes pointers.
  auto entryOf = [&](StringRef name, StringRef kind, Type type) {
    SmallVector<NamedAttribute> fields{
        NamedAttribute(StringAttr::get(ctx, "name"), StringAttr::get(ctx, name)),
        NamedAttribute(StringAttr::get(ctx, "type"), TypeAttr::get(type))};
    if (!kind.empty())
      fields.push_back(
          NamedAttribute(StringAttr::get(ctx, "kind"), StringAttr::get(ctx, kind)));
    return DictionaryAttr::get(ctx, fields);
  };
  SmallVector<Attribute> layout;
  for (const std::vector<StateEntry> *list : {&tensors.state, &tensors.slots})
    for (const StateEntry &entry : *list)
      layout.push_back(entryOf(entry.name, entry.kind, entry.type));
  function->setAttr(cnnc::attrs::kState, ArrayAttr::get(ctx, layout));
  function->setAttr(cnnc::attrs::kLabels,
                    entryOf(crossEntropy ? "labels" : "targets", "",
                            labels.getType()));
  return success();
}

} // namespace cnnc::training
