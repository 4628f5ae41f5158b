//===- ModelReader.cpp - ModelProto and TensorProto into plain structs ----===//
//
// The one file that includes protobuf. It checks everything the rest of cnnc
// relies on: element counts that fit in memory, data whose size matches the
// shape, external data files that stay inside the model's directory.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Frontend/ONNX/ModelReader.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "onnx/onnx_pb.h"

#include <limits>

namespace cnnc::onnx {
namespace {

namespace proto = ::onnx;

/// Tensors larger than this are refused rather than allocated (16 GiB).
constexpr int64_t kMaxTensorBytes = int64_t(1) << 34;

llvm::Error fail(llvm::StringRef path, const llvm::Twine &message) {
  return llvm::createStringError(
      std::make_error_code(std::errc::invalid_argument),
      (path + ": " + message).str());
}

/// Reads a whole TensorProto: from a model (`context` names it, external data
/// lives in `baseDir`) or a .pb file.
class TensorDecoder {
public:
  TensorDecoder(llvm::StringRef path, llvm::StringRef baseDir)
      : path(path), baseDir(baseDir) {}

  llvm::Expected<Tensor> decode(const proto::TensorProto &from,
                                const llvm::Twine &what) const;

private:
  llvm::Error readExternal(const proto::TensorProto &from,
                           const std::string &what, int64_t byteSize,
                           std::string &bytes) const;

  llvm::StringRef path;
  llvm::StringRef baseDir;
};

llvm::Expected<Tensor>
TensorDecoder::decode(const proto::TensorProto &from,
                      const llvm::Twine &whatTwine) const {
  std::string what = whatTwine.str();
  Tensor tensor;
  tensor.name = from.name();
  if (!proto::TensorProto_DataType_IsValid(from.data_type()))
    return fail(path, what + " has the unknown element type " +
                          llvm::Twine(from.data_type()));
  tensor.type = static_cast<ElementType>(from.data_type());
  int64_t elementSize = elementByteSize(tensor.type);
  if (elementSize == 0)
    return fail(path, what + " has element type " +
                          elementTypeName(tensor.type) +
                          ", which cnnc does not support");

  int64_t count = 1;
  for (int64_t dim : from.dims()) {
    if (dim < 0)
      return fail(path, what + " has a negative dimension (" +
                            llvm::Twine(dim) + ")");
    if (llvm::MulOverflow(count, dim, count) || count > kMaxTensorBytes)
      return fail(path, what + " is too large");
    tensor.shape.push_back(dim);
  }
  int64_t byteSize = count * elementSize;
  if (byteSize > kMaxTensorBytes)
    return fail(path, what + " is too large");
  if (from.has_segment())
    return fail(path, what + " is segmented, which cnnc does not support");

  auto sizeMismatch = [&](int64_t have) {
    return fail(path, llvm::formatv(
                          "{0} has {1} elements of data, but its "
                          "shape [{2}] has {3}",
                          what, have,
                          llvm::join(llvm::map_range(tensor.shape,
                                                     [](int64_t d) {
                                                       return std::to_string(d);
                                                     }),
                                     ", "),
                          count)
                          .str());
  };

  if (from.data_location() == proto::TensorProto::EXTERNAL) {
    if (llvm::Error error = readExternal(from, what, byteSize, tensor.bytes))
      return std::move(error);
    return tensor;
  }
  if (from.has_raw_data()) {
    const std::string &raw = from.raw_data();
    if (static_cast<int64_t>(raw.size()) != byteSize) {
      if (static_cast<int64_t>(raw.size()) % elementSize != 0)
        return fail(path, llvm::formatv("{0} has {1} bytes of raw data, not "
                                        "a whole number of {2} elements",
                                        what, raw.size(),
                                        elementTypeName(tensor.type))
                              .str());
      return sizeMismatch(raw.size() / elementSize);
    }
    tensor.bytes = raw;
    return tensor;
  }

  // Typed fields: ONNX stores small integer types, bool and 16-bit floats in
  // int32_data, uint32 in uint64_data.
  auto copy = [&](const auto &field, auto convert) -> llvm::Error {
    if (field.size() != count)
      return sizeMismatch(field.size());
    tensor.bytes.resize(byteSize);
    for (int64_t i = 0; i < count; ++i) {
      auto value = convert(field.Get(i));
      std::memcpy(tensor.bytes.data() + i * elementSize, &value, elementSize);
    }
    return llvm::Error::success();
  };
  llvm::Error error = llvm::Error::success();
  switch (tensor.type) {
  case ElementType::Float:
    error = copy(from.float_data(), [](float v) { return v; });
    break;
  case ElementType::Double:
    error = copy(from.double_data(), [](double v) { return v; });
    break;
  case ElementType::Int64:
    error = copy(from.int64_data(), [](int64_t v) { return v; });
    break;
  case ElementType::UInt64:
    error = copy(from.uint64_data(), [](uint64_t v) { return v; });
    break;
  case ElementType::UInt32:
    error = copy(from.uint64_data(),
                 [](uint64_t v) { return static_cast<uint32_t>(v); });
    break;
  case ElementType::Int32:
    error = copy(from.int32_data(), [](int32_t v) { return v; });
    break;
  case ElementType::Int16:
    error = copy(from.int32_data(),
                 [](int32_t v) { return static_cast<int16_t>(v); });
    break;
  case ElementType::UInt16:
  case ElementType::Float16:
  case ElementType::BFloat16:
    error = copy(from.int32_data(),
                 [](int32_t v) { return static_cast<uint16_t>(v); });
    break;
  case ElementType::Int8:
    error = copy(from.int32_data(),
                 [](int32_t v) { return static_cast<int8_t>(v); });
    break;
  case ElementType::UInt8:
  case ElementType::Bool:
    error = copy(from.int32_data(),
                 [](int32_t v) { return static_cast<uint8_t>(v); });
    break;
  default:
    llvm_unreachable("element types without a byte size are refused above");
  }
  if (error)
    return std::move(error);
  return tensor;
}

/// The bytes [offset, offset + length) of `file`, which must be a regular
/// file (not a FIFO, a device or a directory: those would hang or exhaust
/// memory); `length` -1 reads to the end. Only those bytes are read. The
/// messages name the file as `kind` 'FILE' ("external data file"), or not
/// at all when `kind` is empty (the caller names it).
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readRegularFile(llvm::StringRef file, int64_t offset, int64_t length,
                llvm::StringRef kind) {
  std::string named = kind.empty() ? "" : (kind + " '" + file + "' ").str();
  auto failure = [&](const llvm::Twine &message) -> llvm::Error {
    return llvm::make_error<llvm::StringError>(
        message, std::make_error_code(std::errc::invalid_argument));
  };
  auto cannotRead = [&](std::error_code error) {
    return failure((kind.empty() ? llvm::Twine("cannot read")
                                 : "cannot read " + kind + " '" + file + "'") +
                   ": " + error.message());
  };
  llvm::sys::fs::file_status status;
  if (std::error_code error = llvm::sys::fs::status(file, status))
    return cannotRead(error);
  if (status.type() != llvm::sys::fs::file_type::regular_file)
    return failure(named + (kind.empty() ? "not" : "is not") +
                   " a regular file (a FIFO, a device or a directory)");
  int64_t size = static_cast<int64_t>(status.getSize());
  if (length < 0)
    length = size - std::min(offset, size);
  if (offset > size || length > size - offset)
    return failure(llvm::formatv("{0}has {1} bytes, too few for offset {2} "
                                 "and length {3}",
                                 named, size, offset, length)
                       .str());
  auto buffer = llvm::MemoryBuffer::getFileSlice(file, length, offset);
  if (!buffer)
    return cannotRead(buffer.getError());
  return std::move(*buffer);
}

/// True when `file` (symbolic links resolved) lies inside `dir` (resolved
/// too).
bool staysInside(llvm::StringRef file, llvm::StringRef dir) {
  llvm::SmallString<256> realFile, realDir;
  if (llvm::sys::fs::real_path(file, realFile) ||
      llvm::sys::fs::real_path(dir, realDir))
    return false;
  llvm::StringRef inside(realFile);
  return inside.size() > realDir.size() && inside.starts_with(realDir) &&
         llvm::sys::path::is_separator(inside[realDir.size()]);
}

llvm::Error TensorDecoder::readExternal(const proto::TensorProto &from,
                                        const std::string &what,
                                        int64_t byteSize,
                                        std::string &bytes) const {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const proto::StringStringEntryProto &entry : from.external_data()) {
    llvm::StringRef key = entry.key(), value = entry.value();
    if (key == "location") {
      location = value.str();
    } else if (key == "offset" || key == "length") {
      int64_t number;
      if (value.getAsInteger(10, number) || number < 0)
        return fail(path, what + ": external data " + key + " '" + value +
                              "' is not a non-negative integer");
      (key == "offset" ? offset : length) = number;
    }
  }
  if (location.empty())
    return fail(path, what + " is stored externally but names no location");
  // A NUL would end the path early for the system: 'w.bin\0../x' names
  // another file than the one checked here.
  if (location.find('\0') != std::string::npos)
    return fail(path, what + ": external data location '" +
                          llvm::StringRef(location.c_str()).str() +
                          "\\0...' contains a NUL character");
  if (llvm::sys::path::is_absolute(location) ||
      llvm::is_contained(llvm::make_range(llvm::sys::path::begin(location),
                                          llvm::sys::path::end(location)),
                         ".."))
    return fail(path, what + ": external data location '" + location +
                          "' must be a relative path inside the model's "
                          "directory");
  llvm::SmallString<256> file(baseDir);
  llvm::sys::path::append(file, location);
  // A symbolic link may not lead out of the model's directory (ONNX's
  // CVE-2022-25882 class).
  if (llvm::sys::fs::exists(file) && !staysInside(file, baseDir))
    return fail(path, what + ": external data location '" + location +
                          "' leads out of the model's directory (through a "
                          "symbolic link)");
  if (length >= 0 && length != byteSize)
    return fail(path, llvm::formatv("{0}: external data has {1} bytes, but "
                                    "the tensor's shape and type need {2}",
                                    what, length, byteSize)
                          .str());
  // Only the tensor's bytes are read (mapped, for a large file).
  auto buffer = readRegularFile(file, offset, length, "external data file");
  if (!buffer)
    return fail(path, what + ": " + llvm::toString(buffer.takeError()));
  length = static_cast<int64_t>((*buffer)->getBufferSize());
  if (length != byteSize)
    return fail(path, llvm::formatv("{0}: external data has {1} bytes, but "
                                    "the tensor's shape and type need {2}",
                                    what, length, byteSize)
                          .str());
  bytes.assign((*buffer)->getBufferStart(), length);
  return llvm::Error::success();
}

llvm::Expected<ValueInfo> convertValueInfo(const proto::ValueInfoProto &from,
                                           llvm::StringRef path) {
  ValueInfo info;
  info.name = from.name();
  if (!from.has_type())
    return info;
  const proto::TypeProto &type = from.type();
  if (type.value_case() != proto::TypeProto::kTensorType)
    return fail(path, "'" + info.name +
                          "' is not a tensor (sequences, maps and optional "
                          "values are not supported)");
  const proto::TypeProto_Tensor &tensorType = type.tensor_type();
  info.type = static_cast<ElementType>(tensorType.elem_type());
  if (!tensorType.has_shape())
    return info;
  info.hasShape = true;
  for (const proto::TensorShapeProto_Dimension &dim :
       tensorType.shape().dim()) {
    Dim d;
    if (dim.has_dim_value()) {
      if (dim.dim_value() < 0)
        return fail(path, "'" + info.name + "' has a negative dimension (" +
                              llvm::Twine(dim.dim_value()) + ")");
      d.value = dim.dim_value();
    } else if (dim.has_dim_param()) {
      d.symbol = dim.dim_param();
    }
    info.dims.push_back(std::move(d));
  }
  return info;
}

Attribute::Kind attributeKind(const proto::AttributeProto &from) {
  using Kind = Attribute::Kind;
  switch (from.type()) {
  case proto::AttributeProto::FLOAT:
    return Kind::Float;
  case proto::AttributeProto::INT:
    return Kind::Int;
  case proto::AttributeProto::STRING:
    return Kind::String;
  case proto::AttributeProto::TENSOR:
    return Kind::Tensor;
  case proto::AttributeProto::GRAPH:
    return Kind::Graph;
  case proto::AttributeProto::FLOATS:
    return Kind::Floats;
  case proto::AttributeProto::INTS:
    return Kind::Ints;
  case proto::AttributeProto::STRINGS:
    return Kind::Strings;
  case proto::AttributeProto::TENSORS:
    return Kind::Tensors;
  case proto::AttributeProto::GRAPHS:
    return Kind::Graphs;
  case proto::AttributeProto::SPARSE_TENSOR:
    return Kind::SparseTensor;
  case proto::AttributeProto::SPARSE_TENSORS:
    return Kind::SparseTensors;
  case proto::AttributeProto::TYPE_PROTO:
    return Kind::TypeProto;
  case proto::AttributeProto::TYPE_PROTOS:
    return Kind::TypeProtos;
  default:
    break;
  }
  // Models from before IR version 2 leave `type` unset: the field that is
  // present says what the attribute is.
  if (from.has_f())
    return Kind::Float;
  if (from.has_i())
    return Kind::Int;
  if (from.has_s())
    return Kind::String;
  if (from.has_t())
    return Kind::Tensor;
  if (from.has_g())
    return Kind::Graph;
  if (from.floats_size())
    return Kind::Floats;
  if (from.ints_size())
    return Kind::Ints;
  if (from.strings_size())
    return Kind::Strings;
  return Kind::Undefined;
}

llvm::Expected<Node> convertNode(const proto::NodeProto &from, size_t index,
                                 const TensorDecoder &decoder,
                                 llvm::StringRef path) {
  Node node;
  node.name = from.name();
  node.opType = from.op_type();
  node.domain = from.domain();
  node.index = index;
  node.inputs.assign(from.input().begin(), from.input().end());
  node.outputs.assign(from.output().begin(), from.output().end());
  for (const proto::AttributeProto &attr : from.attribute()) {
    Attribute converted;
    converted.name = attr.name();
    converted.kind = attributeKind(attr);
    converted.f = attr.f();
    converted.i = attr.i();
    converted.s = attr.s();
    converted.floats.assign(attr.floats().begin(), attr.floats().end());
    converted.ints.assign(attr.ints().begin(), attr.ints().end());
    converted.strings.assign(attr.strings().begin(), attr.strings().end());
    if (converted.kind == Attribute::Kind::Tensor) {
      llvm::Expected<Tensor> tensor = decoder.decode(
          attr.t(), "attribute '" + attr.name() + "' of node '" +
                        node.displayName() + "' (" + node.opType + ")");
      if (!tensor)
        return tensor.takeError();
      converted.t = std::make_shared<const Tensor>(std::move(*tensor));
    }
    node.attributes.push_back(std::move(converted));
  }
  return node;
}

llvm::Expected<Model> convertModel(const proto::ModelProto &from,
                                   llvm::StringRef path) {
  Model model;
  model.path = path.str();
  model.irVersion = from.ir_version();
  model.producerName = from.producer_name();
  model.producerVersion = from.producer_version();
  for (const proto::OperatorSetIdProto &opset : from.opset_import())
    model.opsets.push_back({opset.domain(), opset.version()});
  if (!from.has_graph())
    return fail(path, "not an ONNX model: it has no graph");

  llvm::SmallString<256> baseDir(path);
  llvm::sys::path::remove_filename(baseDir);
  if (baseDir.empty())
    baseDir = ".";
  TensorDecoder decoder(path, baseDir);

  const proto::GraphProto &graph = from.graph();
  Graph &to = model.graph;
  to.name = graph.name();
  for (const proto::TensorProto &initializer : graph.initializer()) {
    llvm::Expected<Tensor> tensor =
        decoder.decode(initializer, "initializer '" + initializer.name() + "'");
    if (!tensor)
      return tensor.takeError();
    to.initializers.push_back(
        std::make_shared<const Tensor>(std::move(*tensor)));
  }
  if (graph.sparse_initializer_size() != 0)
    return fail(path, "sparse initializers are not supported");
  for (auto [list, infos] : {std::pair{&to.inputs, &graph.input()},
                             std::pair{&to.outputs, &graph.output()},
                             std::pair{&to.valueInfos, &graph.value_info()}}) {
    for (const proto::ValueInfoProto &info : *infos) {
      llvm::Expected<ValueInfo> converted = convertValueInfo(info, path);
      if (!converted)
        return converted.takeError();
      list->push_back(std::move(*converted));
    }
  }
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    llvm::Expected<Node> converted = convertNode(node, index, decoder, path);
    if (!converted)
      return converted.takeError();
    to.nodes.push_back(std::move(*converted));
  }
  return model;
}

} // namespace

llvm::Expected<Model> parseModel(llvm::StringRef bytes, llvm::StringRef path) {
  if (bytes.empty())
    return fail(path, "the file is empty, not an ONNX model");
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    return fail(path, "the file is larger than protobuf can read (2 GiB); "
                      "store the weights as external data");
  proto::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return fail(path, "not an ONNX model, or a truncated one (it does not "
                      "parse as an ONNX ModelProto)");
  return convertModel(model, path);
}

llvm::Expected<Model> readModelFile(llvm::StringRef path) {
  if (path == "-") {
    auto buffer = llvm::MemoryBuffer::getSTDIN();
    if (!buffer)
      return fail(path, "cannot read: " + buffer.getError().message());
    return parseModel((*buffer)->getBuffer(), path);
  }
  auto buffer = readRegularFile(path, 0, -1, "");
  if (!buffer)
    return fail(path, llvm::toString(buffer.takeError()));
  return parseModel((*buffer)->getBuffer(), path);
}

llvm::Expected<Tensor> readTensorFile(llvm::StringRef path) {
  auto buffer = readRegularFile(path, 0, -1, "");
  if (!buffer)
    return fail(path, llvm::toString(buffer.takeError()));
  llvm::StringRef bytes = (*buffer)->getBuffer();
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    return fail(path, "the file is larger than protobuf can read (2 GiB)");
  proto::TensorProto tensor;
  if (!tensor.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return fail(path, "not an ONNX TensorProto, or a truncated one");
  llvm::SmallString<256> baseDir(path);
  llvm::sys::path::remove_filename(baseDir);
  if (baseDir.empty())
    baseDir = ".";
  return TensorDecoder(path, baseDir).decode(tensor, "the tensor");
}

std::string serializeTensor(const Tensor &tensor) {
  proto::TensorProto proto;
  proto.set_name(tensor.name);
  proto.set_data_type(static_cast<int32_t>(tensor.type));
  for (int64_t dim : tensor.shape)
    proto.add_dims(dim);
  proto.set_raw_data(tensor.bytes);
  return proto.SerializeAsString();
}

} // namespace cnnc::onnx
