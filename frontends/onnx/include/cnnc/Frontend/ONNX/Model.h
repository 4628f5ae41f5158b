//===- Model.h - An ONNX model, read into plain C++ -------------*- C++ -*-===//
//
// The parts of an ONNX ModelProto that cnnc imports, as plain structs: the
// reader (ModelReader.h) is the only code that sees protobuf, and everything
// after it (the importer, the fuzzer, `cnnc run`) works on these.
//
// Tensor data is kept as little-endian bytes in the element type's natural
// size, however the file stored it (raw_data, typed fields or an external
// data file).
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_FRONTEND_ONNX_MODEL_H
#define CNNC_FRONTEND_ONNX_MODEL_H

#include "cnnc/runtime.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace cnnc::onnx {

/// ONNX's TensorProto.DataType, with its numbering.
enum class ElementType : int32_t {
  Undefined = CNNC_ELEMENT_UNDEFINED,
  Float = CNNC_ELEMENT_FLOAT,
  UInt8 = CNNC_ELEMENT_UINT8,
  Int8 = CNNC_ELEMENT_INT8,
  UInt16 = CNNC_ELEMENT_UINT16,
  Int16 = CNNC_ELEMENT_INT16,
  Int32 = CNNC_ELEMENT_INT32,
  Int64 = CNNC_ELEMENT_INT64,
  String = CNNC_ELEMENT_STRING,
  Bool = CNNC_ELEMENT_BOOL,
  Float16 = CNNC_ELEMENT_FLOAT16,
  Double = CNNC_ELEMENT_DOUBLE,
  UInt32 = CNNC_ELEMENT_UINT32,
  UInt64 = CNNC_ELEMENT_UINT64,
  Complex64 = CNNC_ELEMENT_COMPLEX64,
  Complex128 = CNNC_ELEMENT_COMPLEX128,
  BFloat16 = CNNC_ELEMENT_BFLOAT16,
};

/// ONNX's name of an element type ("float", "int64", ...), or "type N" for a
/// number ONNX 1.12 does not define.
std::string elementTypeName(ElementType type);

/// Bytes per element, or 0 for types that cnnc does not hold as plain arrays
/// (string, complex, undefined).
int64_t elementByteSize(ElementType type);

bool isFloatingPoint(ElementType type);
bool isInteger(ElementType type); // Includes bool.
/// int8 or uint8: what quantized tensors are.
bool isQuantizedType(ElementType type);

/// A tensor with its data.
struct Tensor {
  std::string name;
  ElementType type = ElementType::Undefined;
  llvm::SmallVector<int64_t, 4> shape;
  std::string bytes;

  int64_t numElements() const;
  int64_t rank() const { return static_cast<int64_t>(shape.size()); }

  /// Element `i` converted to int64 (integer types, bool) or double (any
  /// numeric type).
  int64_t intAt(int64_t i) const;
  double floatAt(int64_t i) const;

  /// All elements as int64 / double.
  std::vector<int64_t> toInts() const;
  std::vector<double> toFloats() const;

  /// A tensor of `type` and `shape` from int64 / double values, converted to
  /// the element type.
  static Tensor fromInts(ElementType type, llvm::ArrayRef<int64_t> shape,
                         llvm::ArrayRef<int64_t> values);
  static Tensor fromFloats(ElementType type, llvm::ArrayRef<int64_t> shape,
                           llvm::ArrayRef<double> values);
};

/// A dimension of a declared shape: a number, a symbol (`N`) or unknown.
struct Dim {
  int64_t value = -1; // >= 0 when known.
  std::string symbol; // The dim_param, when there is one.
  bool isKnown() const { return value >= 0; }
};

/// A graph input, output or value_info entry.
struct ValueInfo {
  std::string name;
  ElementType type = ElementType::Undefined; // Undefined: no tensor type.
  bool hasShape = false;
  llvm::SmallVector<Dim, 4> dims;
};

struct Attribute {
  enum class Kind {
    Float,
    Int,
    String,
    Tensor,
    Graph,
    Floats,
    Ints,
    Strings,
    Tensors,
    Graphs,
    SparseTensor,
    SparseTensors,
    TypeProto,
    TypeProtos,
    Undefined,
  };
  std::string name;
  Kind kind = Kind::Undefined;
  float f = 0;
  int64_t i = 0;
  std::string s;
  std::shared_ptr<const onnx::Tensor> t;
  std::vector<float> floats;
  std::vector<int64_t> ints;
  std::vector<std::string> strings;

  /// "int", "ints", "tensor", ...: how ONNX spells the kind.
  static llvm::StringRef kindName(Kind kind);
};

struct Node {
  std::string name; // May be empty; see displayName().
  std::string opType;
  std::string domain;               // "" is the default domain, ai.onnx.
  std::vector<std::string> inputs;  // "" marks an omitted optional input.
  std::vector<std::string> outputs; // "" marks an omitted optional output.
  std::vector<Attribute> attributes;
  size_t index = 0; // Position in the graph's node list.

  const Attribute *attribute(llvm::StringRef attrName) const;
  /// The node's name, or "#index" when the model left it unnamed.
  std::string displayName() const;
};

struct Graph {
  std::string name;
  std::vector<Node> nodes;
  std::vector<std::shared_ptr<const Tensor>> initializers;
  std::vector<ValueInfo> inputs; // May include initializers (IR < 4).
  std::vector<ValueInfo> outputs;
  std::vector<ValueInfo> valueInfos;
};

struct OpsetImport {
  std::string domain;
  int64_t version = 0;
};

struct Model {
  std::string path; // The file it was read from, for messages.
  int64_t irVersion = 0;
  std::string producerName;
  std::string producerVersion;
  std::vector<OpsetImport> opsets;
  Graph graph;
};

} // namespace cnnc::onnx

#endif // CNNC_FRONTEND_ONNX_MODEL_H
