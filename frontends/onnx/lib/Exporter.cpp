//===- Exporter.cpp - A cnn dialect function as an ONNX ModelProto --------===//
//
// One walk over the function in order: each cnn op becomes one ONNX node or
// a few (activations ONNX lacks are written as their formulas), constants
// become initializers when an op first reads them, and attributes that ONNX
// takes as inputs (Clip's bounds, Reshape's shape, Slice's starts, ...)
// become small initializers of their own.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Frontend/ONNX/Exporter.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"
#include "cnnc/Frontend/ONNX/Importer.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Path.h"

#include "onnx/onnx_pb.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace cnnc::onnx {
namespace {

namespace proto = ::onnx;
using mlir::Location;
using mlir::Operation;
using mlir::Type;
using mlir::Value;

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

llvm::Error unsupported(Operation *op, const llvm::Twine &reason = "") {
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

std::optional<int> onnxElementType(Type type) {
  if (type.isF32())
    return proto::TensorProto::FLOAT;
  if (type.isF64())
    return proto::TensorProto::DOUBLE;
  if (type.isF16())
    return proto::TensorProto::FLOAT16;
  if (type.isBF16())
    return proto::TensorProto::BFLOAT16;
  if (auto integer = llvm::dyn_cast<mlir::IntegerType>(type)) {
    bool isUnsigned = integer.isUnsigned();
    switch (integer.getWidth()) {
    case 1:
      return proto::TensorProto::BOOL;
    case 8:
      return isUnsigned ? proto::TensorProto::UINT8 : proto::TensorProto::INT8;
    case 16:
      return isUnsigned ? proto::TensorProto::UINT16
                        : proto::TensorProto::INT16;
    case 32:
      return isUnsigned ? proto::TensorProto::UINT32
                        : proto::TensorProto::INT32;
    case 64:
      return isUnsigned ? proto::TensorProto::UINT64
                        : proto::TensorProto::INT64;
    default:
      break;
    }
  }
  return std::nullopt;
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

class Exporter {
public:
  Exporter(mlir::func::FuncOp function, const ExportOptions &options,
           proto::GraphProto &graph)
      : function(function), options(options), graph(graph) {}

  llvm::Error run();

private:
  // Names.
  std::string uniqueValueName(llvm::StringRef base);
  std::string uniqueNodeName(llvm::StringRef base);
  llvm::Error declareInterface(llvm::SmallVectorImpl<std::string> &outputs);
  llvm::Error describeValue(proto::ValueInfoProto &info, llvm::StringRef name,
                            Type type, Operation *where);

  // Values.
  /// The ONNX name of an operand; a constant becomes an initializer when an
  /// op first reads it.
  llvm::Expected<std::string> use(Value value);
  llvm::Expected<llvm::SmallVector<std::string, 4>>
  use(mlir::ValueRange values);
  llvm::Error addConstant(cnn::ConstantOp constant);
  /// A scalar (rank 0) initializer of float type `type`, named after the
  /// op being exported.
  llvm::Expected<std::string> scalar(double value, Type type,
                                     llvm::StringRef suffix);
  /// A 1-D int64 initializer.
  std::string int64s(llvm::ArrayRef<int64_t> values, llvm::StringRef suffix);

  // Nodes of the op being exported.
  void begin(Operation *op, llvm::StringRef defaultName);
  proto::NodeProto &addNode(llvm::StringRef opType, llvm::StringRef suffix,
                            llvm::ArrayRef<std::string> inputs,
                            const std::string &output);
  /// A node whose output is an intermediate value of the op.
  std::string temp(llvm::StringRef opType, llvm::StringRef suffix,
                   llvm::ArrayRef<std::string> inputs,
                   proto::NodeProto **node = nullptr);
  /// The node that computes `result`.
  proto::NodeProto &define(llvm::StringRef opType,
                           llvm::ArrayRef<std::string> inputs, Value result);

  // Ops.
  llvm::Error exportOp(Operation *op);
  llvm::Error exportConv(cnn::ConvOp op);
  llvm::Error exportPool(cnn::PoolOp op);
  llvm::Error exportActivation(cnn::ActivationOp op);
  llvm::Error exportMatmul(cnn::MatmulOp op);
  llvm::Error exportReshape(cnn::ReshapeOp op);
  llvm::Error exportReduce(cnn::ReduceOp op);
  llvm::Error exportPad(cnn::PadOp op);
  llvm::Error exportSlice(cnn::SliceOp op);

  mlir::func::FuncOp function;
  const ExportOptions &options;
  proto::GraphProto &graph;

  llvm::StringSet<> valueNames, nodeNames;
  /// Name counters, so that a base used many times is uniqued in one step.
  llvm::StringMap<unsigned> valueSuffixes, nodeSuffixes;
  llvm::DenseMap<Value, std::string> names;
  /// Op results that are graph outputs: their ONNX names.
  llvm::DenseMap<Value, std::string> outputNames;
  /// The symbolic batch, when dimension 0 of the interface is one.
  std::optional<int64_t> batch;

  Operation *current = nullptr;
  std::string currentName;
};

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
      if (auto name = attributes.getAs<mlir::StringAttr>("cnn.name"))
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

llvm::Error Exporter::exportConv(cnn::ConvOp op) {
  if (op.getLayout() != cnn::Layout::NCHW)
    return unsupported(op, "it has layout nhwc (export the graph as a "
                           "frontend writes it, channels first)");
  if (op.getResidual())
    return unsupported(op, "it has a fused residual (ONNX's Conv has none; "
                           "export the graph before fusion)");
  if (op.getActivation())
    return unsupported(op, "it has a fused activation (ONNX's Conv has "
                           "none; export the graph before fusion)");
  auto inputs = use(op->getOperands());
  if (!inputs)
    return inputs.takeError();
  auto weight = llvm::cast<mlir::RankedTensorType>(op.getWeight().getType());
  proto::NodeProto &node = define("Conv", *inputs, op.getResult());
  setInts(node, "kernel_shape", weight.getShape().drop_front(2));
  setInts(node, "strides", op.getStrides());
  setInts(node, "pads", op.getPads());
  setInts(node, "dilations", op.getDilations());
  setInt(node, "group", static_cast<int64_t>(op.getGroups()));
  return llvm::Error::success();
}

llvm::Error Exporter::exportPool(cnn::PoolOp op) {
  if (op.getLayout() != cnn::Layout::NCHW)
    return unsupported(op, "it has layout nhwc (export the graph as a "
                           "frontend writes it, channels first)");
  bool isMax = op.getKind() == cnn::PoolKind::Max;
  bool dilated = llvm::any_of(op.getDilations(),
                              [](int64_t dilation) { return dilation != 1; });
  if (!isMax && dilated)
    return unsupported(op, "a dilated average pool (AveragePool has no "
                           "dilations in opset " +
                               llvm::Twine(kExportOpset) + ")");
  llvm::Expected<std::string> input = use(op.getInput());
  if (!input)
    return input.takeError();
  proto::NodeProto &node =
      define(isMax ? "MaxPool" : "AveragePool", {*input}, op.getResult());
  setInts(node, "kernel_shape", op.getKernel());
  setInts(node, "strides", op.getStrides());
  setInts(node, "pads", op.getPads());
  if (isMax)
    setInts(node, "dilations", op.getDilations());
  if (op.getCeilMode())
    setInt(node, "ceil_mode", 1);
  if (op.getCountIncludePad())
    setInt(node, "count_include_pad", 1);
  return llvm::Error::success();
}

llvm::Error Exporter::exportActivation(cnn::ActivationOp op) {
  using Kind = cnn::ActivationKind;
  llvm::Expected<std::string> input = use(op.getInput());
  if (!input)
    return input.takeError();
  const std::string &x = *input;
  Value result = op.getResult();
  Type type = llvm::cast<mlir::ShapedType>(result.getType()).getElementType();
  double alpha = floatValue(op.getAlpha(), 0.0);
  double beta = floatValue(op.getBeta(), 0.0);
  // Scalars of the activation's formula, or the first error.
  llvm::Error error = llvm::Error::success();
  auto constant = [&](double value, llvm::StringRef suffix) -> std::string {
    llvm::Expected<std::string> name = scalar(value, type, suffix);
    if (!name) {
      if (!error)
        error = name.takeError();
      else
        llvm::consumeError(name.takeError());
      return "";
    }
    return *name;
  };

  switch (op.getKind()) {
  case Kind::Relu:
    define("Relu", {x}, result);
    break;
  case Kind::LeakyRelu:
    setFloat(define("LeakyRelu", {x}, result), "alpha", alpha);
    break;
  case Kind::Clip: {
    std::string min = constant(alpha, "min");
    std::string max = constant(beta, "max");
    define("Clip", {x, min, max}, result);
    break;
  }
  case Kind::Sigmoid:
    define("Sigmoid", {x}, result);
    break;
  case Kind::Tanh:
    define("Tanh", {x}, result);
    break;
  case Kind::HardSigmoid: {
    proto::NodeProto &node = define("HardSigmoid", {x}, result);
    setFloat(node, "alpha", alpha);
    setFloat(node, "beta", beta);
    break;
  }
  case Kind::HardSwish:
    define("HardSwish", {x}, result);
    break;
  case Kind::Elu:
    setFloat(define("Elu", {x}, result), "alpha", alpha);
    break;
  case Kind::Selu: {
    proto::NodeProto &node = define("Selu", {x}, result);
    setFloat(node, "alpha", alpha);
    setFloat(node, "gamma", beta);
    break;
  }
  case Kind::Softplus:
    define("Softplus", {x}, result);
    break;
  case Kind::Silu: {
    std::string sigmoid = temp("Sigmoid", "sigmoid", {x});
    define("Mul", {x, sigmoid}, result);
    break;
  }
  case Kind::Gelu: {
    // x * 0.5 * (1 + erf(x / sqrt(2))), as PyTorch exports it.
    std::string sqrt2 = constant(M_SQRT2, "sqrt2");
    std::string one = constant(1.0, "one");
    std::string half = constant(0.5, "half");
    std::string scaled = temp("Div", "div", {x, sqrt2});
    std::string erf = temp("Erf", "erf", {scaled});
    std::string shifted = temp("Add", "add", {erf, one});
    std::string product = temp("Mul", "mul", {x, shifted});
    define("Mul", {product, half}, result);
    break;
  }
  case Kind::GeluTanh: {
    // 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))).
    std::string coefficient = constant(0.044715, "coefficient");
    std::string scale = constant(std::sqrt(2.0 / M_PI), "sqrt_2_over_pi");
    std::string one = constant(1.0, "one");
    std::string half = constant(0.5, "half");
    std::string square = temp("Mul", "square", {x, x});
    std::string cube = temp("Mul", "cube", {square, x});
    std::string scaledCube = temp("Mul", "scale_cube", {cube, coefficient});
    std::string sum = temp("Add", "add_cube", {x, scaledCube});
    std::string inner = temp("Mul", "scale", {sum, scale});
    std::string tanh = temp("Tanh", "tanh", {inner});
    std::string shifted = temp("Add", "add_one", {tanh, one});
    std::string halfX = temp("Mul", "half_x", {half, x});
    define("Mul", {halfX, shifted}, result);
    break;
  }
  }
  return error;
}

llvm::Error Exporter::exportMatmul(cnn::MatmulOp op) {
  if (op.getActivation())
    return unsupported(op, "it has a fused activation (ONNX's Gemm and "
                           "MatMul have none; export the graph before "
                           "fusion)");
  llvm::Expected<std::string> lhs = use(op.getLhs());
  if (!lhs)
    return lhs.takeError();
  llvm::Expected<std::string> rhs = use(op.getRhs());
  if (!rhs)
    return rhs.takeError();
  std::optional<std::string> bias;
  if (op.getBias()) {
    llvm::Expected<std::string> name = use(op.getBias());
    if (!name)
      return name.takeError();
    bias = *name;
  }
  double alpha = floatValue(op.getAlpha());
  double beta = floatValue(op.getBeta());
  auto lhsType = llvm::cast<mlir::RankedTensorType>(op.getLhs().getType());
  auto rhsType = llvm::cast<mlir::RankedTensorType>(op.getRhs().getType());
  Type elementType = lhsType.getElementType();

  if (lhsType.getRank() == 2 && rhsType.getRank() == 2) {
    llvm::SmallVector<std::string, 3> inputs = {*lhs, *rhs};
    if (bias)
      inputs.push_back(*bias);
    proto::NodeProto &node = define("Gemm", inputs, op.getResult());
    if (alpha != 1.0)
      setFloat(node, "alpha", alpha);
    if (bias && beta != 1.0)
      setFloat(node, "beta", beta);
    if (op.getTransposeLhs())
      setInt(node, "transA", 1);
    if (op.getTransposeRhs())
      setInt(node, "transB", 1);
    return llvm::Error::success();
  }

  // Batched: MatMul, with Transpose, Mul and Add around it.
  auto transposed = [&](const std::string &value, int64_t rank,
                        llvm::StringRef suffix) {
    llvm::SmallVector<int64_t, 4> permutation =
        llvm::to_vector<4>(llvm::seq<int64_t>(0, rank));
    std::swap(permutation[rank - 1], permutation[rank - 2]);
    proto::NodeProto *node = nullptr;
    std::string output = temp("Transpose", suffix, {value}, &node);
    setInts(*node, "perm", permutation);
    return output;
  };
  std::string a = op.getTransposeLhs()
                      ? transposed(*lhs, lhsType.getRank(), "transpose_lhs")
                      : *lhs;
  std::string b = op.getTransposeRhs()
                      ? transposed(*rhs, rhsType.getRank(), "transpose_rhs")
                      : *rhs;
  bool scaled = alpha != 1.0;
  if (!scaled && !bias) {
    define("MatMul", {a, b}, op.getResult());
    return llvm::Error::success();
  }
  std::string product = temp("MatMul", "matmul", {a, b});
  if (scaled) {
    llvm::Expected<std::string> factor = scalar(alpha, elementType, "alpha");
    if (!factor)
      return factor.takeError();
    if (!bias) {
      define("Mul", {product, *factor}, op.getResult());
      return llvm::Error::success();
    }
    product = temp("Mul", "scale", {product, *factor});
  }
  std::string addend = *bias;
  if (beta != 1.0) {
    llvm::Expected<std::string> factor = scalar(beta, elementType, "beta");
    if (!factor)
      return factor.takeError();
    addend = temp("Mul", "scale_bias", {addend, *factor});
  }
  define("Add", {product, addend}, op.getResult());
  return llvm::Error::success();
}

llvm::Error Exporter::exportReshape(cnn::ReshapeOp op) {
  llvm::Expected<std::string> input = use(op.getInput());
  if (!input)
    return input.takeError();
  llvm::ArrayRef<int64_t> from =
      llvm::cast<mlir::RankedTensorType>(op.getInput().getType()).getShape();
  llvm::ArrayRef<int64_t> to =
      llvm::cast<mlir::RankedTensorType>(op.getType()).getShape();
  // [N, ...] -> [N, product of the rest]: a Flatten, which keeps N as it is.
  if (!from.empty() && to.size() == 2 && to[0] == from[0]) {
    int64_t rest = 1;
    for (int64_t dim : from.drop_front())
      rest *= dim;
    if (to[1] == rest) {
      setInt(define("Flatten", {*input}, op.getResult()), "axis", 1);
      return llvm::Error::success();
    }
  }
  llvm::SmallVector<int64_t, 4> shape(to.begin(), to.end());
  bool hasZero = llvm::is_contained(to, 0);
  // With a symbolic batch, a leading dimension that is the batch is copied
  // (0), one that folds the batch into it is inferred (-1).
  if (options.symbolicBatch && !hasZero && !from.empty() && !to.empty() &&
      from[0] > 0) {
    if (to[0] == from[0])
      shape[0] = 0;
    else if (to[0] % from[0] == 0)
      shape[0] = -1;
  }
  std::string shapeName = int64s(shape, "shape");
  proto::NodeProto &node =
      define("Reshape", {*input, shapeName}, op.getResult());
  if (hasZero)
    setInt(node, "allowzero", 1);
  return llvm::Error::success();
}

llvm::Error Exporter::exportReduce(cnn::ReduceOp op) {
  llvm::Expected<std::string> input = use(op.getInput());
  if (!input)
    return input.takeError();
  llvm::ArrayRef<int64_t> axes = op.getAxes();
  if (axes.empty()) {
    define("Identity", {*input}, op.getResult());
    return llvm::Error::success();
  }
  int64_t keepDims = op.getKeepDims() ? 1 : 0;
  switch (op.getKind()) {
  case cnn::ReduceKind::Sum: {
    // Opset 13 takes ReduceSum's axes as an input.
    std::string axesName = int64s(axes, "axes");
    setInt(define("ReduceSum", {*input, axesName}, op.getResult()), "keepdims",
           keepDims);
    break;
  }
  case cnn::ReduceKind::Mean:
  case cnn::ReduceKind::Max: {
    proto::NodeProto &node = define(
        op.getKind() == cnn::ReduceKind::Mean ? "ReduceMean" : "ReduceMax",
        {*input}, op.getResult());
    setInts(node, "axes", axes);
    setInt(node, "keepdims", keepDims);
    break;
  }
  }
  return llvm::Error::success();
}

llvm::Error Exporter::exportPad(cnn::PadOp op) {
  llvm::Expected<std::string> input = use(op.getInput());
  if (!input)
    return input.takeError();
  std::string pads = int64s(op.getPads(), "pads");
  switch (op.getMode()) {
  case cnn::PadMode::Constant: {
    Type elementType =
        llvm::cast<mlir::ShapedType>(op.getType()).getElementType();
    llvm::Expected<std::string> value =
        scalar(floatValue(op.getValue()), elementType, "value");
    if (!value)
      return value.takeError();
    setString(define("Pad", {*input, pads, *value}, op.getResult()), "mode",
              "constant");
    break;
  }
  case cnn::PadMode::Reflect:
    setString(define("Pad", {*input, pads}, op.getResult()), "mode", "reflect");
    break;
  case cnn::PadMode::Edge:
    setString(define("Pad", {*input, pads}, op.getResult()), "mode", "edge");
    break;
  }
  return llvm::Error::success();
}

llvm::Error Exporter::exportSlice(cnn::SliceOp op) {
  llvm::Expected<std::string> input = use(op.getInput());
  if (!input)
    return input.takeError();
  llvm::ArrayRef<int64_t> shape =
      llvm::cast<mlir::RankedTensorType>(op.getInput().getType()).getShape();
  llvm::SmallVector<int64_t, 4> starts, ends, axes, steps;
  for (auto [dim, size] : llvm::enumerate(shape)) {
    int64_t offset = op.getOffsets()[dim];
    int64_t count = op.getSizes()[dim];
    int64_t stride = op.getStrides()[dim];
    if (offset == 0 && count == size && stride == 1)
      continue; // The whole dimension, whatever its size.
    int64_t last = offset + (count - 1) * stride;
    int64_t end;
    if (count == 0)
      end = offset;
    else if (stride > 0)
      end = last + 1;
    else // Reversed: an end before the first element is "before index 0".
      end = last > 0 ? last - 1 : std::numeric_limits<int64_t>::min();
    starts.push_back(offset);
    ends.push_back(end);
    axes.push_back(static_cast<int64_t>(dim));
    steps.push_back(stride);
  }
  if (axes.empty()) {
    define("Identity", {*input}, op.getResult());
    return llvm::Error::success();
  }
  std::string startsName = int64s(starts, "starts");
  std::string endsName = int64s(ends, "ends");
  std::string axesName = int64s(axes, "axes");
  std::string stepsName = int64s(steps, "steps");
  define("Slice", {*input, startsName, endsName, axesName, stepsName},
         op.getResult());
  return llvm::Error::success();
}

llvm::StringRef binaryOpType(cnn::BinaryKind kind) {
  switch (kind) {
  case cnn::BinaryKind::Add:
    return "Add";
  case cnn::BinaryKind::Sub:
    return "Sub";
  case cnn::BinaryKind::Mul:
    return "Mul";
  case cnn::BinaryKind::Div:
    return "Div";
  case cnn::BinaryKind::Max:
    return "Max";
  case cnn::BinaryKind::Min:
    return "Min";
  case cnn::BinaryKind::Pow:
    return "Pow";
  }
  llvm_unreachable("every binary kind has an ONNX op");
}

llvm::StringRef unaryOpType(cnn::UnaryKind kind) {
  switch (kind) {
  case cnn::UnaryKind::Exp:
    return "Exp";
  case cnn::UnaryKind::Log:
    return "Log";
  case cnn::UnaryKind::Sqrt:
    return "Sqrt";
  case cnn::UnaryKind::Neg:
    return "Neg";
  case cnn::UnaryKind::Abs:
    return "Abs";
  case cnn::UnaryKind::Reciprocal:
    return "Reciprocal";
  }
  llvm_unreachable("every unary kind has an ONNX op");
}

llvm::StringRef activationOpType(cnn::ActivationKind kind) {
  switch (kind) {
  case cnn::ActivationKind::Relu:
    return "Relu";
  case cnn::ActivationKind::LeakyRelu:
    return "LeakyRelu";
  case cnn::ActivationKind::Clip:
    return "Clip";
  case cnn::ActivationKind::Sigmoid:
    return "Sigmoid";
  case cnn::ActivationKind::HardSigmoid:
    return "HardSigmoid";
  case cnn::ActivationKind::HardSwish:
    return "HardSwish";
  case cnn::ActivationKind::Tanh:
    return "Tanh";
  case cnn::ActivationKind::Elu:
    return "Elu";
  case cnn::ActivationKind::Selu:
    return "Selu";
  case cnn::ActivationKind::Softplus:
    return "Softplus";
  case cnn::ActivationKind::Gelu:
    return "Gelu";
  case cnn::ActivationKind::GeluTanh:
    return "GeluTanh";
  case cnn::ActivationKind::Silu:
    return "Silu";
  }
  llvm_unreachable("every activation kind is named");
}

llvm::Error Exporter::exportOp(Operation *op) {
  // The default name of a node whose op has no location to name it.
  auto plain = [&](llvm::StringRef opType) -> llvm::Error {
    begin(op, opType);
    auto inputs = use(op->getOperands());
    if (!inputs)
      return inputs.takeError();
    define(opType, *inputs, op->getResult(0));
    return llvm::Error::success();
  };
  return llvm::TypeSwitch<Operation *, llvm::Error>(op)
      .Case([&](cnn::ConvOp conv) {
        begin(op, "Conv");
        return exportConv(conv);
      })
      .Case([&](cnn::PoolOp pool) {
        begin(op,
              pool.getKind() == cnn::PoolKind::Max ? "MaxPool" : "AveragePool");
        return exportPool(pool);
      })
      .Case([&](cnn::GlobalPoolOp pool) -> llvm::Error {
        if (pool.getLayout() != cnn::Layout::NCHW)
          return unsupported(op, "it has layout nhwc (export the graph as a "
                                 "frontend writes it, channels first)");
        return plain(pool.getKind() == cnn::PoolKind::Max
                         ? "GlobalMaxPool"
                         : "GlobalAveragePool");
      })
      .Case([&](cnn::BatchNormOp norm) -> llvm::Error {
        begin(op, "BatchNormalization");
        auto inputs = use(op->getOperands());
        if (!inputs)
          return inputs.takeError();
        setFloat(define("BatchNormalization", *inputs, norm.getResult()),
                 "epsilon", floatValue(norm.getEpsilon()));
        return llvm::Error::success();
      })
      .Case([&](cnn::BatchNormTrainOp norm) -> llvm::Error {
        for (Value statistic : op->getResults().drop_front())
          if (!statistic.use_empty())
            return unsupported(
                op, "its running or batch statistics are used (only the "
                    "normalized result has an ONNX inference form)");
        begin(op, "BatchNormalization");
        auto inputs = use(op->getOperands());
        if (!inputs)
          return inputs.takeError();
        setFloat(define("BatchNormalization", *inputs, norm.getResult()),
                 "epsilon", floatValue(norm.getEpsilon()));
        return llvm::Error::success();
      })
      .Case([&](cnn::ActivationOp activation) {
        begin(op, activationOpType(activation.getKind()));
        return exportActivation(activation);
      })
      .Case([&](cnn::DropoutOp dropout) -> llvm::Error {
        begin(op, "Dropout");
        llvm::Expected<std::string> input = use(dropout.getInput());
        if (!input)
          return input.takeError();
        llvm::Expected<std::string> ratio =
            scalar(floatValue(dropout.getRatio()),
                   mlir::Float32Type::get(op->getContext()), "ratio");
        if (!ratio)
          return ratio.takeError();
        define("Dropout", {*input, *ratio}, dropout.getResult());
        return llvm::Error::success();
      })
      .Case([&](cnn::MatmulOp matmul) {
        bool isGemm =
            llvm::cast<mlir::RankedTensorType>(matmul.getLhs().getType())
                    .getRank() == 2 &&
            llvm::cast<mlir::RankedTensorType>(matmul.getRhs().getType())
                    .getRank() == 2;
        begin(op, isGemm ? "Gemm" : "MatMul");
        return exportMatmul(matmul);
      })
      .Case([&](cnn::ReshapeOp reshape) {
        begin(op, "Reshape");
        return exportReshape(reshape);
      })
      .Case([&](cnn::BinaryOp binary) {
        return plain(binaryOpType(binary.getKind()));
      })
      .Case([&](cnn::UnaryOp unary) {
        return plain(unaryOpType(unary.getKind()));
      })
      .Case([&](cnn::ConcatOp concat) -> llvm::Error {
        begin(op, "Concat");
        auto inputs = use(concat.getInputs());
        if (!inputs)
          return inputs.takeError();
        setInt(define("Concat", *inputs, concat.getResult()), "axis",
               static_cast<int64_t>(concat.getAxis()));
        return llvm::Error::success();
      })
      .Case([&](cnn::TransposeOp transpose) -> llvm::Error {
        begin(op, "Transpose");
        llvm::Expected<std::string> input = use(transpose.getInput());
        if (!input)
          return input.takeError();
        setInts(define("Transpose", {*input}, transpose.getResult()), "perm",
                transpose.getPermutation());
        return llvm::Error::success();
      })
      .Case<cnn::SoftmaxOp, cnn::LogSoftmaxOp>(
          [&](auto softmax) -> llvm::Error {
            llvm::StringRef opType =
                llvm::isa<cnn::SoftmaxOp>(op) ? "Softmax" : "LogSoftmax";
            begin(op, opType);
            llvm::Expected<std::string> input = use(softmax.getInput());
            if (!input)
              return input.takeError();
            setInt(define(opType, {*input}, softmax.getResult()), "axis",
                   static_cast<int64_t>(softmax.getAxis()));
            return llvm::Error::success();
          })
      .Case([&](cnn::ReduceOp reduce) {
        begin(op, reduce.getKind() == cnn::ReduceKind::Sum    ? "ReduceSum"
                  : reduce.getKind() == cnn::ReduceKind::Mean ? "ReduceMean"
                                                              : "ReduceMax");
        return exportReduce(reduce);
      })
      .Case([&](cnn::PadOp pad) {
        begin(op, "Pad");
        return exportPad(pad);
      })
      .Case([&](cnn::SliceOp slice) {
        begin(op, "Slice");
        return exportSlice(slice);
      })
      .Default([&](Operation *) { return unsupported(op); });
}

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

} // namespace

llvm::Expected<std::string> exportModel(mlir::func::FuncOp function,
                                        const ExportOptions &options) {
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

  Exporter exporter(function, options, graph);
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
