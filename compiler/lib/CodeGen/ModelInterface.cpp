//===- ModelInterface.cpp - What a compiled model exposes -----------------===//

#include "cnnc/CodeGen/CodeGen.h"

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

/// ONNX's TensorProto.DataType of an element type; 0 when ONNX has none.
int onnxElementType(Type type) {
  if (type.isF32())
    return 1;
  if (type.isF16())
    return 10;
  if (type.isBF16())
    return 16;
  if (type.isF64())
    return 11;
  auto integer = dyn_cast<IntegerType>(type);
  if (!integer)
    return 0;
  bool isUnsigned = integer.isUnsigned();
  switch (integer.getWidth()) {
  case 1:
    return 9;
  case 8:
    return isUnsigned ? 2 : 3;
  case 16:
    return isUnsigned ? 4 : 5;
  case 32:
    return isUnsigned ? 12 : 6;
  case 64:
    return isUnsigned ? 13 : 7;
  default:
    return 0;
  }
}

FailureOr<TensorDescription> describeTensor(Operation *function, Type type,
                                            DictionaryAttr attrs,
                                            llvm::StringRef kind,
                                            unsigned index) {
  auto tensor = dyn_cast<RankedTensorType>(type);
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
  if (auto name = attrs ? attrs.getAs<StringAttr>("cnn.name") : StringAttr())
    description.name = name.str();
  else
    description.name = (kind + "_" + llvm::Twine(index)).str();
  description.elementType = onnxElementType(tensor.getElementType());
  if (description.elementType == 0)
    return function->emitError()
           << "the " << kind << " '" << description.name << "' has elements of "
           << tensor.getElementType() << ", which a C interface cannot carry";
  description.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  unsigned bits = tensor.getElementTypeBitWidth();
  description.bytes = static_cast<uint64_t>(tensor.getNumElements()) *
                      ((bits + 7) / 8);
  return description;
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
        function->hasAttr("cnnc.entry"))
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
        function, type.getInput(i), function.getArgAttrDict(i), "input", i);
    if (failed(input))
      return failure();
    model.inputs.push_back(*input);
  }
  for (unsigned i = 0; i < type.getNumResults(); ++i) {
    FailureOr<TensorDescription> output =
        describeTensor(function, type.getResult(i),
                       function.getResultAttrDict(i), "output", i);
    if (failed(output))
      return failure();
    model.outputs.push_back(*output);
  }
  if (model.outputs.empty())
    return function.emitError() << "the model has no outputs";
  return model;
}

FailureOr<TrainingInterface> describeTraining(func::FuncOp trainStep) {
  TrainingInterface training;
  auto layout = trainStep->getAttrOfType<ArrayAttr>("cnnc.state");
  if (!layout)
    return trainStep.emitError() << "the train step has no cnnc.state layout";
  FunctionType type = trainStep.getFunctionType();
  // Arguments: parameters and statistics, the input, slots, labels, hyper,
  // key.
  size_t count = layout.size();
  size_t slots = 0;
  for (Attribute entry : layout)
    if (cast<DictionaryAttr>(entry).getAs<StringAttr>("kind").getValue() ==
        "slot")
      ++slots;
  training.modelStateCount = count - slots;
  if (type.getNumInputs() != count + 4 || type.getNumResults() != count + 2)
    return trainStep.emitError()
           << "the train step's signature does not match its state layout";
  uint64_t offset = 0;
  for (size_t i = 0; i < count; ++i) {
    auto entry = cast<DictionaryAttr>(layout[i]);
    unsigned argument = i < training.modelStateCount ? i : i + 1;
    auto tensor = cast<RankedTensorType>(type.getInput(argument));
    StateTensor state;
    state.name = entry.getAs<StringAttr>("name").str();
    state.kind = entry.getAs<StringAttr>("kind").str();
    state.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
    state.bytes = static_cast<uint64_t>(tensor.getNumElements()) *
                  ((tensor.getElementTypeBitWidth() + 7) / 8);
    state.offset = offset;
    offset += (state.bytes + 63) / 64 * 64;
    training.state.push_back(std::move(state));
  }
  training.stateBytes = offset;
  FailureOr<TensorDescription> labels =
      describeTensor(trainStep, type.getInput(count + 1),
                     trainStep.getArgAttrDict(count + 1), "input", count + 1);
  if (failed(labels))
    return failure();
  training.labels = *labels;
  return training;
}

} // namespace cnnc
