//===- NodeImporter.cpp - Inputs, attributes and outputs of a node --------===//

#include "NodeImporter.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"
#include "cnnc/Dialect/CNN/IR/ConstantElements.h"
#include "cnnc/Dialect/CNN/IR/ElementTypes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;

namespace cnnc::onnx {

std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  return "[" +
         llvm::join(llvm::map_range(
                        shape, [](int64_t d) { return std::to_string(d); }),
                    ", ") +
         "]";
}

Type convertElementType(MLIRContext *context, ElementType type) {
  return mlirTypeOf(static_cast<cnnc_element_type>(type), context);
}

FailureOr<Value> createConstant(OpBuilder &builder, Location loc,
                                const Tensor &tensor) {
  Type element = convertElementType(builder.getContext(), tensor.type);
  if (!element)
    return emitError(loc) << "constant '" << tensor.name
                          << "' has element type "
                          << elementTypeName(tensor.type)
                          << ", which cnnc does not support",
           failure();
  auto type = RankedTensorType::get(tensor.shape, element);
  ElementsAttr value;
  if (tensor.type == ElementType::Bool) {
    // i1 literals are bit-packed: built from the bytes' truth values.
    llvm::SmallVector<bool> bits;
    for (int64_t i = 0, count = tensor.numElements(); i < count; ++i)
      bits.push_back(tensor.intAt(i) != 0);
    value = DenseElementsAttr::get(type, bits);
  } else {
    value = cnn::constantElements(
        type, llvm::ArrayRef<char>(tensor.bytes.data(), tensor.bytes.size()),
        tensor.name);
  }
  return cnn::ConstantOp::create(builder, loc, value).getResult();
}

FailureOr<Value> ImportState::materialize(ValueState &value,
                                          llvm::StringRef name, Location loc) {
  if (value.value)
    return value.value;
  if (!value.constant) {
    return emitError(loc) << "graph input '" << name << "' has element type "
                          << elementTypeName(value.type)
                          << " and is used as data; cnnc computes on floating "
                             "point tensors (bind it to a value with --const "
                          << name << "=FILE.pb if it is a shape or axes)",
           failure();
  }
  if (Value shared = constantOps.lookup(value.constant.get())) {
    value.value = shared;
    return shared;
  }
  // Constants are created at the top of the function, so that every later
  // node can use them.
  OpBuilder::InsertionGuard guard(builder);
  Block *block = builder.getInsertionBlock();
  builder.setInsertionPointToStart(block);
  while (builder.getInsertionPoint() != block->end() &&
         isa<cnn::ConstantOp>(*builder.getInsertionPoint()))
    builder.setInsertionPointAfter(&*builder.getInsertionPoint());
  // A constant is located at the value it defines: an initializer's name,
  // or the output of the node that computed it.
  Location fileLoc = loc;
  while (auto named = dyn_cast<NameLoc>(fileLoc))
    fileLoc = named.getChildLoc();
  Location at = NameLoc::get(builder.getStringAttr(name), fileLoc);
  FailureOr<Value> created = createConstant(builder, at, *value.constant);
  if (failed(created))
    return failure();
  value.value = *created;
  constantOps[value.constant.get()] = *created;
  return *created;
}

//===----------------------------------------------------------------------===//
// Inputs
//===----------------------------------------------------------------------===//

size_t NodeImporter::numInputs() const {
  size_t count = onnxNode.inputs.size();
  while (count > 0 && onnxNode.inputs[count - 1].empty())
    --count;
  return count;
}

bool NodeImporter::hasInput(size_t i) const {
  return i < onnxNode.inputs.size() && !onnxNode.inputs[i].empty();
}

LogicalResult NodeImporter::expectInputs(size_t min, size_t max) {
  size_t count = numInputs();
  if (count >= min && count <= max) {
    // Every input of a variadic op is required.
    for (size_t i = 0; i < (max == SIZE_MAX ? count : min); ++i)
      if (!hasInput(i))
        return error() << "input " << i << " is required but omitted",
               failure();
    return success();
  }
  auto diag = error() << "expected ";
  if (min == max)
    diag << min;
  else if (max == SIZE_MAX)
    diag << "at least " << min;
  else
    diag << min << " to " << max;
  bool one = min == 1 && (max == 1 || max == SIZE_MAX);
  diag << " input" << (one ? "" : "s") << ", got " << count;
  return failure();
}

LogicalResult NodeImporter::expectOneElementType() {
  ElementType type = inputType(0);
  for (size_t i = 1; i < numInputs(); ++i)
    if (hasInput(i) && inputType(i) != type)
      return error() << "expected inputs of one element type, got "
                     << elementTypeName(type) << " (input 0, '"
                     << onnxNode.inputs[0] << "') and "
                     << elementTypeName(inputType(i)) << " (input " << i
                     << ", '" << onnxNode.inputs[i] << "')",
             failure();
  return success();
}

const ValueState &NodeImporter::inputState(size_t i) const {
  assert(hasInput(i) && "reading an omitted input");
  auto it = state.values.find(onnxNode.inputs[i]);
  assert(it != state.values.end() && "inputs are defined before the node");
  return it->second;
}

const Tensor *NodeImporter::constantInput(size_t i) const {
  if (!hasInput(i))
    return nullptr;
  return inputState(i).constant.get();
}

FailureOr<const Tensor *> NodeImporter::requireConstant(size_t i,
                                                        llvm::StringRef role) {
  if (const Tensor *tensor = constantInput(i))
    return tensor;
  if (!hasInput(i))
    return error() << "the " << role << " (input " << i
                   << ") is required but omitted",
           failure();
  const std::string &name = onnxNode.inputs[i];
  bool isGraphInput =
      llvm::any_of(state.model.graph.inputs,
                   [&](const ValueInfo &info) { return info.name == name; });
  auto diag = error() << "the " << role << " (input " << i << ", '" << name
                      << "') must be known at compile time";
  if (isGraphInput) {
    state.wantedAsConstant.insert(name);
    diag << ": it is a graph input; bind it with --const " << name
         << "=FILE.pb";
  } else {
    diag << ", but it is computed from the graph's inputs";
  }
  return failure();
}

FailureOr<std::vector<int64_t>>
NodeImporter::requireInts(size_t i, llvm::StringRef role) {
  FailureOr<const Tensor *> tensor = requireConstant(i, role);
  if (failed(tensor))
    return failure();
  if (!isInteger((*tensor)->type))
    return error() << "expected the " << role << " (input " << i
                   << ") to be an integer tensor, got "
                   << elementTypeName((*tensor)->type),
           failure();
  if ((*tensor)->rank() > 1)
    return error() << "expected the " << role << " (input " << i
                   << ") to be a 1-D tensor, got shape "
                   << formatShape((*tensor)->shape),
           failure();
  return (*tensor)->toInts();
}

FailureOr<Value> NodeImporter::anyInput(size_t i) {
  if (!hasInput(i))
    return error() << "input " << i << " is required but omitted", failure();
  const std::string &name = onnxNode.inputs[i];
  return state.materialize(state.values[name], name, location);
}

FailureOr<Value> NodeImporter::input(size_t i) {
  FailureOr<Value> value = anyInput(i);
  if (failed(value))
    return failure();
  if (!isFloatingPoint(inputType(i)))
    return error() << "expected input " << i << " ('" << onnxNode.inputs[i]
                   << "') to be a floating-point tensor, got element type "
                   << elementTypeName(inputType(i)),
           failure();
  return value;
}

FailureOr<int64_t> NodeImporter::getAxis(llvm::StringRef name,
                                         int64_t otherwise, int64_t rank) {
  FailureOr<int64_t> axis = getInt(name, otherwise);
  if (failed(axis))
    return failure();
  return normalizeAxis(*axis, rank, name);
}

FailureOr<int64_t> NodeImporter::normalizeAxis(int64_t axis, int64_t rank,
                                               llvm::StringRef what) {
  if (axis < -rank || axis >= rank)
    return error() << what << " " << axis << " is out of range for rank "
                   << rank << " (expected " << -rank << " to " << rank - 1
                   << ")",
           failure();
  return axis < 0 ? axis + rank : axis;
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

const Attribute *NodeImporter::attrOfKind(llvm::StringRef name,
                                          llvm::ArrayRef<Attribute::Kind> kinds,
                                          bool &wrongKind) {
  wrongKind = false;
  const Attribute *attr = onnxNode.attribute(name);
  if (!attr || llvm::is_contained(kinds, attr->kind))
    return attr;
  wrongKind = true;
  error() << "attribute '" << name << "' must be of kind "
          << Attribute::kindName(kinds.front()) << ", got "
          << Attribute::kindName(attr->kind);
  return nullptr;
}

FailureOr<int64_t> NodeImporter::getInt(llvm::StringRef name,
                                        int64_t otherwise) {
  bool wrong;
  const Attribute *attr = attrOfKind(name, {Attribute::Kind::Int}, wrong);
  if (wrong)
    return failure();
  return attr ? attr->i : otherwise;
}

FailureOr<float> NodeImporter::getFloat(llvm::StringRef name, float otherwise) {
  bool wrong;
  const Attribute *attr =
      attrOfKind(name, {Attribute::Kind::Float, Attribute::Kind::Int}, wrong);
  if (wrong)
    return failure();
  if (!attr)
    return otherwise;
  return attr->kind == Attribute::Kind::Float ? attr->f
                                              : static_cast<float>(attr->i);
}

FailureOr<std::string> NodeImporter::getString(llvm::StringRef name,
                                               llvm::StringRef otherwise) {
  bool wrong;
  const Attribute *attr = attrOfKind(name, {Attribute::Kind::String}, wrong);
  if (wrong)
    return failure();
  return attr ? attr->s : otherwise.str();
}

FailureOr<llvm::SmallVector<int64_t>>
NodeImporter::getInts(llvm::StringRef name, llvm::ArrayRef<int64_t> otherwise) {
  bool wrong;
  // An empty list may arrive without a kind in old models.
  const Attribute *attr = attrOfKind(
      name, {Attribute::Kind::Ints, Attribute::Kind::Undefined}, wrong);
  if (wrong)
    return failure();
  if (!attr)
    return llvm::SmallVector<int64_t>(otherwise);
  return llvm::SmallVector<int64_t>(attr->ints.begin(), attr->ints.end());
}

FailureOr<llvm::SmallVector<float>>
NodeImporter::getFloats(llvm::StringRef name, llvm::ArrayRef<float> otherwise) {
  bool wrong;
  const Attribute *attr = attrOfKind(
      name, {Attribute::Kind::Floats, Attribute::Kind::Undefined}, wrong);
  if (wrong)
    return failure();
  if (!attr)
    return llvm::SmallVector<float>(otherwise);
  return llvm::SmallVector<float>(attr->floats.begin(), attr->floats.end());
}

FailureOr<const Tensor *> NodeImporter::getTensor(llvm::StringRef name) {
  bool wrong;
  const Attribute *attr = attrOfKind(name, {Attribute::Kind::Tensor}, wrong);
  if (wrong)
    return failure();
  if (!attr)
    return error() << "attribute '" << name << "' is required", failure();
  return attr->t.get();
}

LogicalResult NodeImporter::rejectAttr(llvm::StringRef name,
                                       llvm::StringRef why) {
  if (!hasAttr(name))
    return success();
  return error() << "attribute '" << name << "' is not supported: " << why,
         failure();
}

//===----------------------------------------------------------------------===//
// Outputs
//===----------------------------------------------------------------------===//

bool NodeImporter::outputUsed(size_t i) const {
  return i < onnxNode.outputs.size() && !onnxNode.outputs[i].empty() &&
         state.used.contains(onnxNode.outputs[i]);
}

std::optional<llvm::SmallVector<int64_t, 4>>
NodeImporter::declaredOutputShape(size_t i) {
  if (i >= onnxNode.outputs.size())
    return std::nullopt;
  auto it = state.declared.find(onnxNode.outputs[i]);
  if (it == state.declared.end() || !it->second->hasShape)
    return std::nullopt;
  llvm::SmallVector<int64_t, 4> shape;
  for (const Dim &dim : it->second->dims) {
    if (!dim.isKnown())
      return std::nullopt;
    shape.push_back(dim.value);
  }
  return shape;
}

void NodeImporter::setOutput(size_t i, Value value) {
  if (i >= onnxNode.outputs.size() || onnxNode.outputs[i].empty())
    return;
  auto type = cast<RankedTensorType>(value.getType());
  ValueState &out = state.values[onnxNode.outputs[i]];
  out.value = value;
  out.shape.assign(type.getShape().begin(), type.getShape().end());
  // The element type follows the input's ONNX type where the IR type does
  // not say it (signed and unsigned integers are both signless).
  cnnc_element_type element = elementTypeOf(type.getElementType());
  out.type = element == CNNC_ELEMENT_UNDEFINED
                 ? ElementType::Int8
                 : static_cast<ElementType>(element);
}

void NodeImporter::setConstantOutput(size_t i, Tensor tensor) {
  setConstantOutput(i, std::make_shared<const Tensor>(std::move(tensor)));
}

void NodeImporter::setConstantOutput(size_t i,
                                     std::shared_ptr<const Tensor> tensor) {
  if (i >= onnxNode.outputs.size() || onnxNode.outputs[i].empty())
    return;
  ValueState &out = state.values[onnxNode.outputs[i]];
  out.type = tensor->type;
  out.shape.assign(tensor->shape.begin(), tensor->shape.end());
  if (tensor->name.empty()) {
    auto named = std::make_shared<Tensor>(*tensor);
    named->name = onnxNode.outputs[i];
    tensor = std::move(named);
  }
  out.constant = std::move(tensor);
}

std::optional<size_t> NodeImporter::undefinedOutput() const {
  for (size_t i = 0; i < onnxNode.outputs.size(); ++i) {
    if (!outputUsed(i))
      continue;
    const ValueState &out = state.values[onnxNode.outputs[i]];
    if (!out.value && !out.constant)
      return i;
  }
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Building ops
//===----------------------------------------------------------------------===//

FailureOr<Value> NodeImporter::eraseAndFail(Operation *op) {
  op->erase();
  return failure();
}

FailureOr<Value> NodeImporter::verified(Operation *op) {
  if (failed(mlir::verify(op, /*verifyRecursively=*/false)))
    return eraseAndFail(op);
  return op->getResult(0);
}

FailureOr<Value> NodeImporter::reshape(Value value,
                                       llvm::ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  return create<cnn::ReshapeOp>(type.clone(shape), value);
}

} // namespace cnnc::onnx
