//===- Exporter.cpp - A cnn dialect function as an ONNX ModelProto --------===//
//
// One walk over the function in order: each cnn op becomes one ONNX node or
// a few (activations ONNX lacks are written as their formulas), constants
// become initializers when an op first reads them, and attributes that ONNX
// takes as inputs (Clip's bounds, Reshape's shape, Slice's starts, ...)
// become small initializers of their own.
//
//===----------------------------------------------------------------------===//

#include "ExportGraph.h"
#include "cnnc/Dialect/CNN/IR/CompilerAttributes.h"
#include "cnnc/Dialect/CNN/IR/ElementTypes.h"

namespace cnnc::onnx {
namespace exporter {

llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(
      std::make_error_code(std::errc::invalid_argument), message.str());
}

//===----------------------------------------------------------------------===//
// Locations
//===----------------------------------------------------------------------===//

/// What a node is named after: a NameLoc's name, or "file:line:col" (the
/// file's base name) of a FileLineColLoc; "" when the location says neither.
std::string locationName(Location location) {
  if (auto name = llvm::dyn_cast<mlir::NameLoc>(location))
    return name.getName().str();
  if (auto file = llvm::dyn_cast<mlir::FileLineColLoc>(location)) {
    if (file.getLine() == 0) // The whole file (an imported model).
      return "";
    return (llvm::sys::path::filename(file.getFilename().getValue()) + ":" +
            llvm::Twine(file.getLine()) + ":" + llvm::Twine(file.getColumn()))
        .str();
  }
  if (auto fused = llvm::dyn_cast<mlir::FusedLoc>(location)) {
    for (Location part : fused.getLocations())
      if (std::string name = locationName(part); !name.empty())
        return name;
    return "";
  }
  if (auto call = llvm::dyn_cast<mlir::CallSiteLoc>(location))
    return locationName(call.getCallee());
  if (auto opaque = llvm::dyn_cast<mlir::OpaqueLoc>(location))
    return locationName(opaque.getFallbackLocation());
  return "";
}

/// The name of a constant's NameLoc, "" when it has none.
std::string nameLocName(Location location) {
  if (auto name = llvm::dyn_cast<mlir::NameLoc>(location))
    return name.getName().str();
  if (auto fused = llvm::dyn_cast<mlir::FusedLoc>(location))
    for (Location part : fused.getLocations())
      if (std::string name = nameLocName(part); !name.empty())
        return name;
  return "";
}

/// Where an op is, for an error message: "model.onnx: node 'x' (Conv)" for
/// an imported node, "file:line:col" for a position in a text file,
/// "'name', file:line:col" or "'name'" for other named locations.
std::string describeForError(Location location) {
  // The ONNX importer's locations: names on a position of line 0.
  Location innermost = location;
  while (auto name = llvm::dyn_cast<mlir::NameLoc>(innermost))
    innermost = name.getChildLoc();
  if (auto file = llvm::dyn_cast<mlir::FileLineColLoc>(innermost);
      file && file.getLine() == 0)
    if (std::string text = describeLocation(location); !text.empty())
      return text;
  if (auto file = llvm::dyn_cast<mlir::FileLineColLoc>(location))
    return (file.getFilename().getValue() + ":" + llvm::Twine(file.getLine()) +
            ":" + llvm::Twine(file.getColumn()))
        .str();
  if (auto name = llvm::dyn_cast<mlir::NameLoc>(location)) {
    std::string text = "'" + name.getName().str() + "'";
    if (std::string child = describeForError(name.getChildLoc());
        !child.empty())
      text += ", " + child;
    return text;
  }
  if (auto fused = llvm::dyn_cast<mlir::FusedLoc>(location)) {
    for (Location part : fused.getLocations())
      if (std::string text = describeForError(part); !text.empty())
        return text;
    return "";
  }
  if (auto call = llvm::dyn_cast<mlir::CallSiteLoc>(location))
    return describeForError(call.getCallee());
  if (auto opaque = llvm::dyn_cast<mlir::OpaqueLoc>(location))
    return describeForError(opaque.getFallbackLocation());
  return "";
}

llvm::Error unsupported(Operation *op, const llvm::Twine &reason) {
  std::string where = describeForError(op->getLoc());
  std::string message =
      "cannot export '" + op->getName().getStringRef().str() + "' (at " +
      (where.empty() ? "an unknown location" : where) + ") to ONNX";
  std::string why = reason.str();
  if (!why.empty())
    message += ": " + why;
  return fail(message);
}

//===----------------------------------------------------------------------===//
// Types and tensors
//===----------------------------------------------------------------------===//

/// ONNX's TensorProto.DataType of `type` (the numbering is cnnc's own:
/// cnnc_element_type), if it has one.
std::optional<int> onnxElementType(Type type) {
  cnnc_element_type element = elementTypeOf(type);
  if (element == CNNC_ELEMENT_UNDEFINED)
    return std::nullopt;
  return element;
}

std::string typeName(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  type.print(os);
  return text;
}

/// The bytes of a scalar of float type `type` holding `value`.
std::optional<std::string> floatBytes(double value, Type type) {
  auto floatType = llvm::dyn_cast<mlir::FloatType>(type);
  if (!floatType || floatType.getWidth() % 8 != 0)
    return std::nullopt;
  llvm::APFloat converted(value);
  bool losesInfo = false;
  converted.convert(floatType.getFloatSemantics(),
                    llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  llvm::APInt bits = converted.bitcastToAPInt();
  std::string bytes(floatType.getWidth() / 8, '\0');
  for (size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<char>(bits.extractBitsAsZExtValue(8, 8 * i));
  return bytes;
}

//===----------------------------------------------------------------------===//
// Node attributes
//===----------------------------------------------------------------------===//

void setInts(proto::NodeProto &node, llvm::StringRef name,
             llvm::ArrayRef<int64_t> values) {
  proto::AttributeProto *attribute = node.add_attribute();
  attribute->set_name(name.str());
  attribute->set_type(proto::AttributeProto::INTS);
  for (int64_t value : values)
    attribute->add_ints(value);
}

void setInt(proto::NodeProto &node, llvm::StringRef name, int64_t value) {
  proto::AttributeProto *attribute = node.add_attribute();
  attribute->set_name(name.str());
  attribute->set_type(proto::AttributeProto::INT);
  attribute->set_i(value);
}

void setFloat(proto::NodeProto &node, llvm::StringRef name, double value) {
  proto::AttributeProto *attribute = node.add_attribute();
  attribute->set_name(name.str());
  attribute->set_type(proto::AttributeProto::FLOAT);
  attribute->set_f(static_cast<float>(value));
}

void setString(proto::NodeProto &node, llvm::StringRef name,
               llvm::StringRef value) {
  proto::AttributeProto *attribute = node.add_attribute();
  attribute->set_name(name.str());
  attribute->set_type(proto::AttributeProto::STRING);
  attribute->set_s(value.str());
}

double floatValue(std::optional<llvm::APFloat> value, double otherwise) {
  if (!value)
    return otherwise;
  llvm::APFloat converted = *value;
  bool losesInfo = false;
  converted.convert(llvm::APFloat::IEEEdouble(),
                    llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return converted.convertToDouble();
}

double floatValue(const llvm::APFloat &value) {
  return floatValue(std::optional<llvm::APFloat>(value), 0.0);
}

//===----------------------------------------------------------------------===//
// The exporter
//===----------------------------------------------------------------------===//

std::string uniqueName(llvm::StringSet<> &used,
                       llvm::StringMap<unsigned> &suffixes,
                       llvm::StringRef base) {
  if (used.insert(base).second)
    return base.str();
  unsigned &suffix = suffixes[base];
  while (true) {
    std::string candidate = (base + "_" + llvm::Twine(++suffix)).str();
    if (used.insert(candidate).second)
      return candidate;
  }
}

std::string Exporter::uniqueValueName(llvm::StringRef base) {
  return uniqueName(valueNames, valueSuffixes, base);
}

std::string Exporter::uniqueNodeName(llvm::StringRef base) {
  return uniqueName(nodeNames, nodeSuffixes, base);
}

llvm::Error Exporter::describeValue(proto::ValueInfoProto &info,
                                    llvm::StringRef name, Type type,
                                    Operation *where) {
  auto tensorType = llvm::dyn_cast<mlir::RankedTensorType>(type);
  if (!tensorType || !tensorType.hasStaticShape())
    return unsupported(where, "'" + name + "' is a " + typeName(type) +
                                  ", not a statically shaped tensor");
  std::optional<int> elementType = onnxElementType(tensorType.getElementType());
  if (!elementType)
    return unsupported(where, "'" + name + "' has element type " +
                                  typeName(tensorType.getElementType()) +
                                  ", which ONNX lacks");
  info.set_name(name.str());
  proto::TypeProto::Tensor *tensor = info.mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(*elementType);
  proto::TensorShapeProto *shape = tensor->mutable_shape();
  for (auto [index, dim] : llvm::enumerate(tensorType.getShape())) {
    proto::TensorShapeProto::Dimension *out = shape->add_dim();
    if (index == 0 && batch && dim == *batch)
      out->set_dim_param("batch");
    else
      out->set_dim_value(dim);
  }
  return llvm::Error::success();
}

llvm::Error
Exporter::declareInterface(llvm::SmallVectorImpl<std::string> &outputs) {
  mlir::FunctionType type = function.getFunctionType();
  Operation *where = function.getOperation();
  auto nameOf = [](mlir::DictionaryAttr attributes, llvm::StringRef role,
                   unsigned index) {
    if (attributes)
      if (auto name = attributes.getAs<mlir::StringAttr>(cnnc::attrs::kName))
        if (!name.getValue().empty())
          return name.getValue().str();
    return (role + "_" + llvm::Twine(index)).str();
  };

  if (options.symbolicBatch)
    for (Type input : type.getInputs())
      if (auto tensor = llvm::dyn_cast<mlir::RankedTensorType>(input);
          tensor && tensor.getRank() >= 1 && tensor.hasStaticShape()) {
        batch = tensor.getDimSize(0);
        break;
      }

  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    std::string name = nameOf(function.getArgAttrDict(i), "input", i);
    if (!valueNames.insert(name).second)
      return fail("cannot export the model to ONNX: two graph inputs are "
                  "named '" +
                  name + "'");
    if (llvm::Error error =
            describeValue(*graph.add_input(), name, type.getInput(i), where))
      return error;
    names[function.getArgument(i)] = name;
  }
  for (unsigned i = 0; i < type.getNumResults(); ++i) {
    std::string name = nameOf(function.getResultAttrDict(i), "output", i);
    if (!valueNames.insert(name).second)
      return fail("cannot export the model to ONNX: output " + llvm::Twine(i) +
                  " is named '" + name +
                  "', as another graph input or output is");
    if (llvm::Error error =
            describeValue(*graph.add_output(), name, type.getResult(i), where))
      return error;
    outputs.push_back(name);
  }
  return llvm::Error::success();
}

llvm::Expected<std::string> Exporter::use(Value value) {
  auto found = names.find(value);
  if (found != names.end())
    return found->second;
  if (auto constant = value.getDefiningOp<cnn::ConstantOp>()) {
    if (llvm::Error error = addConstant(constant))
      return std::move(error);
    return names.lookup(value);
  }
  // Ops are exported in order, so only a value of an op that is not in the
  // function's body can get here.
  return fail("cannot export the model to ONNX: a value is used before it "
              "is defined");
}

llvm::Expected<llvm::SmallVector<std::string, 4>>
Exporter::use(mlir::ValueRange values) {
  llvm::SmallVector<std::string, 4> used;
  for (Value value : values) {
    llvm::Expected<std::string> name = use(value);
    if (!name)
      return name.takeError();
    used.push_back(std::move(*name));
  }
  return used;
}

llvm::Error Exporter::addConstant(cnn::ConstantOp constant) {
  mlir::ElementsAttr value = constant.getValue();
  auto type = llvm::cast<mlir::ShapedType>(value.getType());
  Type elementType = type.getElementType();
  std::optional<int> dataType = onnxElementType(elementType);
  if (!dataType)
    return unsupported(constant, "its element type " + typeName(elementType) +
                                     " has no ONNX equivalent");
  int64_t count = type.getNumElements();

  std::string base = nameLocName(constant.getLoc());
  auto resource = llvm::dyn_cast<mlir::DenseResourceElementsAttr>(value);
  if (base.empty() && resource)
    base = resource.getRawHandle().getKey().str();
  if (base.empty())
    base = "constant";

  std::string bytes;
  if (elementType.isInteger(1)) {
    auto dense = llvm::dyn_cast<mlir::DenseElementsAttr>(value);
    if (!dense)
      return unsupported(constant, "a boolean constant must be a dense "
                                   "literal");
    bytes.reserve(count);
    for (bool element : dense.getValues<bool>())
      bytes.push_back(element ? 1 : 0);
  } else {
    size_t elementBytes = elementType.getIntOrFloatBitWidth() / 8;
    size_t size = static_cast<size_t>(count) * elementBytes;
    if (auto dense = llvm::dyn_cast<mlir::DenseElementsAttr>(value)) {
      llvm::ArrayRef<char> raw = dense.getRawData();
      if (dense.isSplat()) {
        bytes.reserve(size);
        for (int64_t i = 0; i < count; ++i)
          bytes.append(raw.data(), elementBytes);
      } else {
        bytes.assign(raw.begin(), raw.end());
      }
    } else if (resource) {
      const mlir::AsmResourceBlob *blob = resource.getRawHandle().getBlob();
      if (!blob)
        return unsupported(constant,
                           "its dense resource '" +
                               resource.getRawHandle().getKey() +
                               "' has no data (is it missing from the "
                               "file's dialect_resources?)");
      llvm::ArrayRef<char> data = blob->getData();
      bytes.assign(data.begin(), data.end());
    } else {
      return unsupported(constant, "its value is neither a dense literal nor a "
                                   "dense resource");
    }
    if (bytes.size() != size)
      return unsupported(constant, "its data is " + llvm::Twine(bytes.size()) +
                                       " bytes, not the " + llvm::Twine(size) +
                                       " of a " + typeName(type));
  }

  proto::TensorProto &tensor = *graph.add_initializer();
  std::string name = uniqueValueName(base);
  tensor.set_name(name);
  tensor.set_data_type(*dataType);
  for (int64_t dim : type.getShape())
    tensor.add_dims(dim);
  tensor.set_raw_data(std::move(bytes));
  names[constant.getResult()] = name;
  return llvm::Error::success();
}

llvm::Expected<std::string> Exporter::scalar(double value, Type type,
                                             llvm::StringRef suffix) {
  std::optional<std::string> bytes = floatBytes(value, type);
  std::optional<int> dataType = onnxElementType(type);
  if (!bytes || !dataType)
    return unsupported(current, "it needs a scalar of type " + typeName(type) +
                                    ", which is not a float type");
  std::string name = uniqueValueName((currentName + "/" + suffix).str());
  proto::TensorProto &tensor = *graph.add_initializer();
  tensor.set_name(name);
  tensor.set_data_type(*dataType);
  tensor.set_raw_data(*bytes);
  return name;
}

std::string Exporter::int64s(llvm::ArrayRef<int64_t> values,
                             llvm::StringRef suffix) {
  std::string name = uniqueValueName((currentName + "/" + suffix).str());
  proto::TensorProto &tensor = *graph.add_initializer();
  tensor.set_name(name);
  tensor.set_data_type(proto::TensorProto::INT64);
  tensor.add_dims(static_cast<int64_t>(values.size()));
  std::string bytes(values.size() * sizeof(int64_t), '\0');
  if (!values.empty())
    std::memcpy(bytes.data(), values.data(), bytes.size());
  tensor.set_raw_data(std::move(bytes));
  return name;
}

void Exporter::begin(Operation *op, llvm::StringRef defaultName) {
  current = op;
  currentName = locationName(op->getLoc());
  if (currentName.empty())
    currentName = defaultName.str();
}

proto::NodeProto &Exporter::addNode(llvm::StringRef opType,
                                    llvm::StringRef suffix,
                                    llvm::ArrayRef<std::string> inputs,
                                    const std::string &output) {
  proto::NodeProto &node = *graph.add_node();
  node.set_op_type(opType.str());
  node.set_name(uniqueNodeName(
      suffix.empty() ? currentName : currentName + "/" + suffix.str()));
  for (const std::string &input : inputs)
    node.add_input(input);
  node.add_output(output);
  return node;
}

std::string Exporter::temp(llvm::StringRef opType, llvm::StringRef suffix,
                           llvm::ArrayRef<std::string> inputs,
                           proto::NodeProto **node) {
  std::string output =
      uniqueValueName(currentName + "/" + suffix.str() + "_output");
  proto::NodeProto &created = addNode(opType, suffix, inputs, output);
  if (node)
    *node = &created;
  return output;
}

proto::NodeProto &Exporter::define(llvm::StringRef opType,
                                   llvm::ArrayRef<std::string> inputs,
                                   Value result) {
  auto output = outputNames.find(result);
  std::string name = output != outputNames.end()
                         ? output->second
                         : uniqueValueName(currentName + "_output");
  names[result] = name;
  return addNode(opType, "", inputs, name);
}

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

llvm::Error Exporter::run() {
  if (function.isExternal() || !function.getBody().hasOneBlock())
    return fail("cannot export '" + function.getName() +
                "' to ONNX: it has no body, or more than one block");
  llvm::SmallVector<std::string> outputs;
  if (llvm::Error error = declareInterface(outputs))
    return error;
  mlir::Block &body = function.getBody().front();
  auto ret = llvm::dyn_cast<mlir::func::ReturnOp>(body.getTerminator());
  if (!ret)
    return unsupported(body.getTerminator());

  // Results of ops that are graph outputs take the output's name; the
  // others (arguments, constants, a value returned twice) are copied to it.
  llvm::SmallVector<bool> copied(outputs.size(), true);
  for (auto [index, value] : llvm::enumerate(ret.getOperands())) {
    Operation *definition = value.getDefiningOp();
    if (!definition || llvm::isa<cnn::ConstantOp>(definition) ||
        outputNames.count(value))
      continue;
    outputNames[value] = outputs[index];
    copied[index] = false;
  }

  for (Operation &op : body.without_terminator()) {
    if (llvm::isa<cnn::ConstantOp>(op))
      continue; // An initializer when an op reads it.
    if (llvm::Error error = exportOp(&op))
      return error;
  }

  for (auto [index, value] : llvm::enumerate(ret.getOperands())) {
    if (!copied[index])
      continue;
    current = ret;
    currentName = outputs[index];
    llvm::Expected<std::string> name = use(value);
    if (!name)
      return name.takeError();
    addNode("Identity", "", {*name}, outputs[index]);
  }
  return llvm::Error::success();
}

} // namespace exporter

llvm::Expected<std::string> exportModel(mlir::func::FuncOp function,
                                        const ExportOptions &options) {
  using namespace exporter;
  proto::ModelProto model;
  model.set_ir_version(kExportIrVersion);
  model.set_producer_name("cnnc");
  if (!options.producerVersion.empty())
    model.set_producer_version(options.producerVersion);
  proto::OperatorSetIdProto *opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(kExportOpset);
  proto::GraphProto &graph = *model.mutable_graph();
  graph.set_name(function.getName().str());

  exporter::Exporter exporter(function, options, graph);
  if (llvm::Error error = exporter.run())
    return std::move(error);

  if (model.ByteSizeLong() >
      static_cast<size_t>(std::numeric_limits<int>::max()))
    return fail("cannot export the model to ONNX: it is larger than the 2 GiB "
                "that a single ONNX file can hold");
  std::string serialized;
  if (!model.SerializeToString(&serialized))
    return fail("cannot serialize the ONNX model");
  return serialized;
}

} // namespace cnnc::onnx
