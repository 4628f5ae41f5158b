//===- ModelInterface.cpp - What a compiled model exposes -----------------===//

#include "cnnc/CodeGen/CodeGen.h"
#include "cnnc/Dialect/CNN/IR/CompilerAttributes.h"
#include "cnnc/Dialect/CNN/IR/ElementTypes.h"

#include "cnnc/Training/TrainStep.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace cnnc {

namespace {

bool isCKeyword(llvm::StringRef word) {
  static const llvm::StringSet<> keywords = {
      "auto",     "break",    "case",     "char",       "const",
      "continue", "default",  "do",       "double",     "else",
      "enum",     "extern",   "float",    "for",        "goto",
      "if",       "inline",   "int",      "long",       "register",
      "restrict", "return",   "short",    "signed",     "sizeof",
      "static",   "struct",   "switch",   "typedef",    "union",
      "unsigned", "void",     "volatile", "while",      "_Bool",
      "bool",     "true",     "false",    "class",      "namespace",
      "template", "typename", "this",     "operator",   "new",
      "delete",   "private",  "public",   "protected",  "virtual",
      "friend",   "try",      "catch",    "throw",      "using",
      "export",   "explicit", "mutable",  "nullptr",    "constexpr",
      "decltype", "noexcept", "alignas",  "alignof",    "static_assert",
      "asm",      "typeid",   "char8_t",  "thread_local"};
  return keywords.contains(word);
}

FailureOr<TensorDescription> describeTensor(Operation *function, Type type,
                                            StringAttr name,
                                            llvm::StringRef kind,
                                            unsigned index) {
  auto tensor = dyn_cast_if_present<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return function->emitError()
           << "the " << kind << " " << index << " has type " << type
           << "; a compiled model needs tensors of static shape (bind "
              "symbolic dimensions with --shape or --batch)";
  TensorDescription description;
  if (tensor.getNumElements() == 0)
    return function->emitError()
           << "the " << kind << " " << index << " has type " << type
           << ", with no elements; cnnc does not compile models with empty "
              "inputs or outputs";
  if (name)
    description.name = name.str();
  else
    description.name = (kind + "_" + llvm::Twine(index)).str();
  description.elementType = elementTypeOf(tensor.getElementType());
  if (description.elementType == CNNC_ELEMENT_UNDEFINED)
    return function->emitError()
           << "the " << kind << " '" << description.name << "' has elements of "
           << tensor.getElementType() << ", which a C interface cannot carry";
  description.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  unsigned bits = tensor.getElementTypeBitWidth();
  description.bytes = static_cast<uint64_t>(tensor.getNumElements()) *
                      ((bits + 7) / 8);
  return description;
}

/// The `cnn.name` in an argument's or result's attributes.
StringAttr nameOf(DictionaryAttr attrs) {
  return attrs ? attrs.getAs<StringAttr>(cnnc::attrs::kName) : StringAttr();
}

} // namespace

bool isValidModelName(llvm::StringRef name) {
  if (name.empty() || isCKeyword(name))
    return false;
  if (!(llvm::isAlpha(name.front()) || name.front() == '_'))
    return false;
  return llvm::all_of(
      name, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

std::string modelNameFromPath(llvm::StringRef path) {
  std::string name = llvm::sys::path::stem(path).str();
  for (char &c : name)
    if (!(llvm::isAlnum(c) || c == '_'))
      c = '_';
  if (name.empty() || llvm::isDigit(name.front()) || isCKeyword(name))
    name = "_" + name;
  return name;
}

std::string graphSymbol(llvm::StringRef name, llvm::StringRef role) {
  return ("__cnnc_" + name + "_" + role).str();
}

FailureOr<func::FuncOp> findModelFunction(ModuleOp module) {
  func::FuncOp found;
  for (auto function : module.getOps<func::FuncOp>()) {
    // Training's generated functions come with the model.
    if (function.isExternal() || function.isPrivate() ||
        function->hasAttr(cnnc::attrs::kEntry))
      continue;
    if (found)
      return module.emitError()
             << "the module has two public functions, '" << found.getName()
             << "' and '" << function.getName()
             << "'; a compiled model has exactly one";
    found = function;
  }
  if (!found)
    return module.emitError()
           << "the module has no public function with a body: no model to "
              "compile";
  return found;
}

FailureOr<ModelInterface> describeModel(func::FuncOp function,
                                        llvm::StringRef name) {
  ModelInterface model;
  model.name = name.str();
  FunctionType type = function.getFunctionType();
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    FailureOr<TensorDescription> input = describeTensor(
        function, type.getInput(i), nameOf(function.getArgAttrDict(i)), "input",
        i);
    if (failed(input))
      return failure();
    model.inputs.push_back(*input);
  }
  for (unsigned i = 0; i < type.getNumResults(); ++i) {
    FailureOr<TensorDescription> output =
        describeTensor(function, type.getResult(i),
                       nameOf(function.getResultAttrDict(i)), "output", i);
    if (failed(output))
      return failure();
    model.outputs.push_back(*output);
  }
  if (model.outputs.empty())
    return function.emitError() << "the model has no outputs";
  return model;
}

FailureOr<TrainingInterface> describeTraining(Operation *trainStep) {
  TrainingInterface training;
  auto layout = trainStep->getAttrOfType<ArrayAttr>(cnnc::attrs::kState);
  auto labels = trainStep->getAttrOfType<DictionaryAttr>(cnnc::attrs::kLabels);
  if (!layout || !labels)
    return trainStep->emitError()
           << "the train step has no " << cnnc::attrs::kState << " layout or no "
           << cnnc::attrs::kLabels;
  uint64_t offset = 0;
  for (auto [i, attr] : llvm::enumerate(layout)) {
    auto entry = dyn_cast<DictionaryAttr>(attr);
    auto name = entry ? entry.getAs<StringAttr>("name") : StringAttr();
    auto kind = entry ? entry.getAs<StringAttr>("kind") : StringAttr();
    auto type = entry ? entry.getAs<TypeAttr>("type") : TypeAttr();
    auto tensor =
        type ? dyn_cast<RankedTensorType>(type.getValue()) : RankedTensorType();
    if (!name || !kind || !tensor || !tensor.hasStaticShape())
      return trainStep->emitError()
             << "state entry " << i << " of the train step is malformed";
    StateTensor state;
    state.name = name.str();
    state.kind = kind.str();
    state.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
    state.bytes = static_cast<uint64_t>(tensor.getNumElements()) *
                  ((tensor.getElementTypeBitWidth() + 7) / 8);
    state.offset = offset;
    offset += (state.bytes + 63) / 64 * 64;
    if (state.kind != training::kSlotKind)
      ++training.modelStateCount;
    training.state.push_back(std::move(state));
  }
  training.stateBytes = offset;
  auto labelsType = labels.getAs<TypeAttr>("type");
  FailureOr<TensorDescription> described = describeTensor(
      trainStep, labelsType ? labelsType.getValue() : Type(),
      labels.getAs<StringAttr>("name"), "labels", 0);
  if (failed(described))
    return failure();
  training.labels = *described;
  return training;
}

} // namespace cnnc
