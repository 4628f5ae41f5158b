//===- Model.cpp - Element types and tensor data --------------------------===//

#include "cnnc/Frontend/ONNX/Model.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

#include <cassert>
#include <cmath>

namespace cnnc::onnx {

std::string elementTypeName(ElementType type) {
  switch (type) {
  case ElementType::Undefined:
    return "undefined";
  case ElementType::Float:
    return "float";
  case ElementType::UInt8:
    return "uint8";
  case ElementType::Int8:
    return "int8";
  case ElementType::UInt16:
    return "uint16";
  case ElementType::Int16:
    return "int16";
  case ElementType::Int32:
    return "int32";
  case ElementType::Int64:
    return "int64";
  case ElementType::String:
    return "string";
  case ElementType::Bool:
    return "bool";
  case ElementType::Float16:
    return "float16";
  case ElementType::Double:
    return "double";
  case ElementType::UInt32:
    return "uint32";
  case ElementType::UInt64:
    return "uint64";
  case ElementType::Complex64:
    return "complex64";
  case ElementType::Complex128:
    return "complex128";
  case ElementType::BFloat16:
    return "bfloat16";
  }
  return "type " + std::to_string(static_cast<int32_t>(type));
}

int64_t elementByteSize(ElementType type) {
  switch (type) {
  case ElementType::UInt8:
  case ElementType::Int8:
  case ElementType::Bool:
    return 1;
  case ElementType::UInt16:
  case ElementType::Int16:
  case ElementType::Float16:
  case ElementType::BFloat16:
    return 2;
  case ElementType::Float:
  case ElementType::Int32:
  case ElementType::UInt32:
    return 4;
  case ElementType::Int64:
  case ElementType::Double:
  case ElementType::UInt64:
    return 8;
  default:
    return 0;
  }
}

bool isQuantizedType(ElementType type) {
  return type == ElementType::UInt8 || type == ElementType::Int8;
}

bool isFloatingPoint(ElementType type) {
  return type == ElementType::Float || type == ElementType::Double ||
         type == ElementType::Float16 || type == ElementType::BFloat16;
}

bool isInteger(ElementType type) {
  return elementByteSize(type) != 0 && !isFloatingPoint(type);
}

int64_t Tensor::numElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

template <typename T> static T load(const std::string &bytes, int64_t i) {
  T value;
  std::memcpy(&value, bytes.data() + i * sizeof(T), sizeof(T));
  return value;
}

template <typename T> static void store(std::string &bytes, int64_t i, T v) {
  std::memcpy(bytes.data() + i * sizeof(T), &v, sizeof(T));
}

/// IEEE half and bfloat16 to float.
static float halfToFloat(uint16_t bits) {
  uint32_t sign = (bits & 0x8000u) << 16;
  uint32_t exponent = (bits >> 10) & 0x1f;
  uint32_t mantissa = bits & 0x3ff;
  if (exponent == 0x1f)
    return sign ? -(mantissa ? NAN : INFINITY) : (mantissa ? NAN : INFINITY);
  float magnitude = exponent == 0
                        ? std::ldexp(static_cast<float>(mantissa), -24)
                        : std::ldexp(static_cast<float>(mantissa | 0x400),
                                     static_cast<int>(exponent) - 25);
  return sign ? -magnitude : magnitude;
}

static float bfloatToFloat(uint16_t bits) {
  uint32_t word = static_cast<uint32_t>(bits) << 16;
  float value;
  std::memcpy(&value, &word, sizeof(value));
  return value;
}

int64_t Tensor::intAt(int64_t i) const {
  switch (type) {
  case ElementType::UInt8:
  case ElementType::Bool:
    return load<uint8_t>(bytes, i);
  case ElementType::Int8:
    return load<int8_t>(bytes, i);
  case ElementType::UInt16:
    return load<uint16_t>(bytes, i);
  case ElementType::Int16:
    return load<int16_t>(bytes, i);
  case ElementType::Int32:
    return load<int32_t>(bytes, i);
  case ElementType::UInt32:
    return load<uint32_t>(bytes, i);
  case ElementType::Int64:
    return load<int64_t>(bytes, i);
  case ElementType::UInt64:
    return static_cast<int64_t>(load<uint64_t>(bytes, i));
  default: {
    // Floating point: truncate toward zero as a C cast does, saturating.
    double value = floatAt(i);
    if (std::isnan(value))
      return 0;
    if (value >= 9.2233720368547758e18)
      return INT64_MAX;
    if (value <= -9.2233720368547758e18)
      return INT64_MIN;
    return static_cast<int64_t>(value);
  }
  }
}

double Tensor::floatAt(int64_t i) const {
  switch (type) {
  case ElementType::Float:
    return load<float>(bytes, i);
  case ElementType::Double:
    return load<double>(bytes, i);
  case ElementType::Float16:
    return halfToFloat(load<uint16_t>(bytes, i));
  case ElementType::BFloat16:
    return bfloatToFloat(load<uint16_t>(bytes, i));
  case ElementType::UInt64:
    return static_cast<double>(load<uint64_t>(bytes, i));
  default:
    return static_cast<double>(intAt(i));
  }
}

std::vector<int64_t> Tensor::toInts() const {
  std::vector<int64_t> values(numElements());
  for (int64_t i = 0, e = values.size(); i < e; ++i)
    values[i] = intAt(i);
  return values;
}

std::vector<double> Tensor::toFloats() const {
  std::vector<double> values(numElements());
  for (int64_t i = 0, e = values.size(); i < e; ++i)
    values[i] = floatAt(i);
  return values;
}

static uint16_t floatToHalf(float value) {
  // Round to nearest even through the bit pattern.
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  uint32_t sign = (bits >> 16) & 0x8000u;
  if (std::isnan(value))
    return static_cast<uint16_t>(sign | 0x7e00u);
  float magnitude = std::fabs(value);
  if (magnitude >= 65520.0f)
    return static_cast<uint16_t>(sign | 0x7c00u);
  if (magnitude < 6.103515625e-05f) { // Subnormal.
    auto mantissa =
        static_cast<uint32_t>(std::nearbyint(magnitude * 16777216.0f));
    return static_cast<uint16_t>(sign | mantissa);
  }
  int exponent;
  float fraction = std::frexp(magnitude, &exponent); // [0.5, 1)
  auto mantissa = static_cast<uint32_t>(std::nearbyint(fraction * 2048.0f));
  if (mantissa == 2048) {
    mantissa = 1024;
    ++exponent;
  }
  uint32_t biased = static_cast<uint32_t>(exponent + 14);
  return static_cast<uint16_t>(sign | (biased << 10) | (mantissa & 0x3ffu));
}

static uint16_t floatToBfloat(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  if (std::isnan(value))
    return static_cast<uint16_t>((bits >> 16) | 0x40u);
  uint32_t rounding = 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<uint16_t>((bits + rounding) >> 16);
}

static void storeInt(Tensor &tensor, int64_t i, int64_t value) {
  switch (tensor.type) {
  case ElementType::UInt8:
    return store<uint8_t>(tensor.bytes, i, static_cast<uint8_t>(value));
  case ElementType::Bool:
    return store<uint8_t>(tensor.bytes, i, value != 0);
  case ElementType::Int8:
    return store<int8_t>(tensor.bytes, i, static_cast<int8_t>(value));
  case ElementType::UInt16:
    return store<uint16_t>(tensor.bytes, i, static_cast<uint16_t>(value));
  case ElementType::Int16:
    return store<int16_t>(tensor.bytes, i, static_cast<int16_t>(value));
  case ElementType::Int32:
    return store<int32_t>(tensor.bytes, i, static_cast<int32_t>(value));
  case ElementType::UInt32:
    return store<uint32_t>(tensor.bytes, i, static_cast<uint32_t>(value));
  case ElementType::Int64:
    return store<int64_t>(tensor.bytes, i, value);
  case ElementType::UInt64:
    return store<uint64_t>(tensor.bytes, i, static_cast<uint64_t>(value));
  default:
    llvm_unreachable("not an integer element type");
  }
}

static void storeFloat(Tensor &tensor, int64_t i, double value) {
  switch (tensor.type) {
  case ElementType::Float:
    return store<float>(tensor.bytes, i, static_cast<float>(value));
  case ElementType::Double:
    return store<double>(tensor.bytes, i, value);
  case ElementType::Float16:
    return store<uint16_t>(tensor.bytes, i,
                           floatToHalf(static_cast<float>(value)));
  case ElementType::BFloat16:
    return store<uint16_t>(tensor.bytes, i,
                           floatToBfloat(static_cast<float>(value)));
  case ElementType::Bool:
    return store<uint8_t>(tensor.bytes, i, value != 0);
  default: {
    // To an integer: truncate toward zero, saturating; NaN becomes 0.
    int64_t integer = 0;
    if (value >= 9.2233720368547758e18)
      integer = INT64_MAX;
    else if (value <= -9.2233720368547758e18)
      integer = INT64_MIN;
    else if (!std::isnan(value))
      integer = static_cast<int64_t>(value);
    return storeInt(tensor, i, integer);
  }
  }
}

static Tensor allocate(ElementType type, llvm::ArrayRef<int64_t> shape) {
  Tensor tensor;
  tensor.type = type;
  tensor.shape.assign(shape.begin(), shape.end());
  assert(elementByteSize(type) > 0 && "allocating a non-numeric tensor");
  tensor.bytes.resize(tensor.numElements() * elementByteSize(type));
  return tensor;
}

Tensor Tensor::fromInts(ElementType type, llvm::ArrayRef<int64_t> shape,
                        llvm::ArrayRef<int64_t> values) {
  Tensor tensor = allocate(type, shape);
  assert(static_cast<int64_t>(values.size()) == tensor.numElements());
  for (auto [i, value] : llvm::enumerate(values)) {
    if (isFloatingPoint(type))
      storeFloat(tensor, i, static_cast<double>(value));
    else
      storeInt(tensor, i, value);
  }
  return tensor;
}

Tensor Tensor::fromFloats(ElementType type, llvm::ArrayRef<int64_t> shape,
                          llvm::ArrayRef<double> values) {
  Tensor tensor = allocate(type, shape);
  assert(static_cast<int64_t>(values.size()) == tensor.numElements());
  for (auto [i, value] : llvm::enumerate(values))
    storeFloat(tensor, i, value);
  return tensor;
}

llvm::StringRef Attribute::kindName(Kind kind) {
  switch (kind) {
  case Kind::Float:
    return "float";
  case Kind::Int:
    return "int";
  case Kind::String:
    return "string";
  case Kind::Tensor:
    return "tensor";
  case Kind::Graph:
    return "graph";
  case Kind::Floats:
    return "floats";
  case Kind::Ints:
    return "ints";
  case Kind::Strings:
    return "strings";
  case Kind::Tensors:
    return "tensors";
  case Kind::Graphs:
    return "graphs";
  case Kind::SparseTensor:
    return "sparse tensor";
  case Kind::SparseTensors:
    return "sparse tensors";
  case Kind::TypeProto:
    return "type";
  case Kind::TypeProtos:
    return "types";
  case Kind::Undefined:
    return "undefined";
  }
  return "undefined";
}

const Attribute *Node::attribute(llvm::StringRef attrName) const {
  for (const Attribute &attr : attributes)
    if (attr.name == attrName)
      return &attr;
  return nullptr;
}

std::string Node::displayName() const {
  return name.empty() ? "#" + std::to_string(index) : name;
}

} // namespace cnnc::onnx
