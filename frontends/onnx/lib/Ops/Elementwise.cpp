//===- Elementwise.cpp - Arithmetic, comparisons and math functions -------===//
//
// Arithmetic on floating-point tensors becomes cnn.binary / cnn.unary. When
// every input is known at compile time and the result is an integer tensor
// or small (shape arithmetic: `Gather(Shape(x)) * 2`), it is evaluated here.
//
//===----------------------------------------------------------------------===//

#include "Ops.h"

#include "../HostTensors.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "mlir/Dialect/Traits.h"

#include <cmath>

using namespace mlir;

namespace cnnc::onnx {
namespace {

/// Results of at most this many elements computed from constants are
/// evaluated during the import; larger ones are left to the graph passes.
constexpr int64_t kMaxHostElements = 64;

/// The broadcast shape of the inputs, or an error showing them.
FailureOr<llvm::SmallVector<int64_t>> broadcastShape(NodeImporter &node) {
  llvm::SmallVector<int64_t> shape;
  for (size_t i = 0; i < node.numInputs(); ++i) {
    llvm::SmallVector<int64_t> next;
    if (!OpTrait::util::getBroadcastedShape(shape, node.inputShape(i), next)) {
      auto diag = node.error() << "input shapes do not broadcast:";
      for (size_t j = 0; j < node.numInputs(); ++j)
        diag << " " << formatShape(node.inputShape(j));
      return failure();
    }
    shape = std::move(next);
  }
  return shape;
}

/// Whether the node can be computed on the host: all inputs known, and an
/// integer result or a small one.
bool evaluateOnHost(NodeImporter &node, llvm::ArrayRef<int64_t> shape,
                    ElementType resultType) {
  for (size_t i = 0; i < node.numInputs(); ++i)
    if (!node.constantInput(i))
      return false;
  int64_t count = host::countElements(shape);
  if (count > host::kMaxElements)
    return false;
  return isInteger(resultType) || count <= kMaxHostElements;
}

llvm::SmallVector<const Tensor *> constantInputs(NodeImporter &node) {
  llvm::SmallVector<const Tensor *> inputs;
  for (size_t i = 0; i < node.numInputs(); ++i)
    inputs.push_back(node.constantInput(i));
  return inputs;
}

/// Before opset 7, arithmetic broadcast only B, and only when `broadcast`
/// is set: B's shape is placed in A's from `axis` (default: the trailing
/// dimensions) and must stretch to A's. Returns B's shape aligned to A's
/// rank.
FailureOr<llvm::SmallVector<int64_t>> legacyOperandShape(NodeImporter &node) {
  FailureOr<int64_t> broadcast = node.getInt("broadcast", 0);
  if (failed(broadcast))
    return failure();
  llvm::ArrayRef<int64_t> a = node.inputShape(0), b = node.inputShape(1);
  if (*broadcast == 0) {
    if (a != b)
      return node.error() << "the operands have shapes " << formatShape(a)
                          << " and " << formatShape(b)
                          << ", which differ, and 'broadcast' is not set",
             failure();
    return llvm::SmallVector<int64_t>(b);
  }
  int64_t rankA = a.size(), rankB = b.size();
  FailureOr<int64_t> axis = node.getInt("axis", rankA - rankB);
  if (failed(axis))
    return failure();
  if (*axis < 0 || *axis + rankB > rankA)
    return node.error() << "attribute 'axis' (" << *axis
                        << ") does not place shape " << formatShape(b)
                        << " inside shape " << formatShape(a),
           failure();
  llvm::SmallVector<int64_t> shape(b);
  shape.append(rankA - *axis - rankB, 1);
  for (int64_t d = 0; d < rankB; ++d)
    if (b[d] != 1 && b[d] != a[*axis + d])
      return node.error() << "shape " << formatShape(b)
                          << " does not stretch to shape " << formatShape(a)
                          << " from axis " << *axis,
             failure();
  return shape;
}

/// Integer arithmetic wraps around (two's complement) instead of
/// overflowing, so that no input makes the importer's behaviour undefined.
int64_t wrap(uint64_t value) { return static_cast<int64_t>(value); }

int64_t integerBinary(cnn::BinaryKind kind, int64_t a, int64_t b) {
  auto ua = static_cast<uint64_t>(a), ub = static_cast<uint64_t>(b);
  switch (kind) {
  case cnn::BinaryKind::Add:
    return wrap(ua + ub);
  case cnn::BinaryKind::Sub:
    return wrap(ua - ub);
  case cnn::BinaryKind::Mul:
    return wrap(ua * ub);
  case cnn::BinaryKind::Div:
    if (b == 0)
      return 0;
    if (b == -1)
      return wrap(0 - ua);
    return a / b;
  case cnn::BinaryKind::Max:
    return std::max(a, b);
  case cnn::BinaryKind::Min:
    return std::min(a, b);
  case cnn::BinaryKind::Pow: {
    if (b < 0)
      return a == 1 ? 1 : (a == -1 ? (b % 2 ? -1 : 1) : 0);
    uint64_t result = 1, base = ua;
    for (uint64_t e = ub; e; e >>= 1, base *= base)
      if (e & 1)
        result *= base;
    return wrap(result);
  }
  }
  return 0;
}

/// The inputs combined left to right by `kind`, as cnn.binary ops. Before
/// opset 7, the second is first reshaped to `legacyShape`.
FailureOr<Value>
combineInputs(NodeImporter &node, cnn::BinaryKind kind,
              std::optional<llvm::ArrayRef<int64_t>> legacyShape) {
  FailureOr<Value> acc = node.input(0);
  for (size_t i = 1; i < node.numInputs() && succeeded(acc); ++i) {
    FailureOr<Value> rhs = node.input(i);
    if (succeeded(rhs) && legacyShape)
      rhs = node.reshape(*rhs, *legacyShape);
    if (failed(rhs))
      return failure();
    acc = node.createInferred<cnn::BinaryOp>(kind, *acc, *rhs);
  }
  return acc;
}

/// Pow with an exponent of another element type (an integer exponent of a
/// float base): the exponent, known at compile time, converted to the
/// base's type.
LogicalResult convertMixedPow(NodeImporter &node) {
  FailureOr<const Tensor *> exponent = node.requireConstant(1, "exponent");
  FailureOr<Value> base = node.input(0);
  if (failed(exponent) || failed(base))
    return failure();
  FailureOr<Value> converted =
      node.constant(host::cast(**exponent, node.inputType(0)));
  if (failed(converted))
    return failure();
  return node.setResult(node.createInferred<cnn::BinaryOp>(cnn::BinaryKind::Pow,
                                                           *base, *converted));
}

/// Add, Sub, Mul, Div, Pow and the variadic Max, Min, Sum (folded left to
/// right).
LogicalResult convertBinary(NodeImporter &node, cnn::BinaryKind kind,
                            bool variadic) {
  if (failed(node.expectInputs(variadic ? 1 : 2, variadic ? SIZE_MAX : 2)))
    return failure();
  ElementType type = node.inputType(0);
  if (kind == cnn::BinaryKind::Pow && isFloatingPoint(type) &&
      node.inputType(1) != type)
    return convertMixedPow(node);
  for (size_t i = 1; i < node.numInputs(); ++i)
    if (node.inputType(i) != type)
      return node.error() << "expected inputs of one element type, got "
                          << elementTypeName(type) << " and "
                          << elementTypeName(node.inputType(i)),
             failure();

  std::optional<llvm::SmallVector<int64_t>> legacyShape;
  FailureOr<llvm::SmallVector<int64_t>> shape =
      llvm::SmallVector<int64_t>(node.inputShape(0));
  if (!variadic && node.opset() < 7) {
    FailureOr<llvm::SmallVector<int64_t>> aligned = legacyOperandShape(node);
    if (failed(aligned))
      return failure();
    legacyShape = *aligned;
  } else {
    shape = broadcastShape(node);
  }
  if (failed(shape))
    return failure();
  llvm::SmallVector<const Tensor *> inputs = constantInputs(node);
  Tensor alignedOperand;
  if (legacyShape && inputs[1]) {
    alignedOperand = host::reshape(*inputs[1], *legacyShape);
    inputs[1] = &alignedOperand;
  }
  if (evaluateOnHost(node, *shape, type)) {
    if (isInteger(type)) {
      if (kind == cnn::BinaryKind::Div)
        for (size_t i = 1; i < node.numInputs(); ++i)
          for (int64_t v : node.constantInput(i)->toInts())
            if (v == 0)
              return node.error() << "integer division by zero", failure();
      node.setConstantOutput(
          0,
          host::mapInts(inputs, *shape, type, [&](llvm::ArrayRef<int64_t> v) {
            int64_t acc = v[0];
            for (int64_t x : v.drop_front())
              acc = integerBinary(kind, acc, x);
            return acc;
          }));
    } else {
      node.setConstantOutput(
          0,
          host::mapFloats(inputs, *shape, type, [&](llvm::ArrayRef<double> v) {
            double acc = v[0];
            for (double x : v.drop_front())
              acc = cnn::evaluateBinary(kind, acc, x);
            return acc;
          }));
    }
    return success();
  }

  return node.setResult(combineInputs(
      node, kind,
      legacyShape ? std::optional<llvm::ArrayRef<int64_t>>(*legacyShape)
                  : std::nullopt));
}

/// Mean: the sum of the inputs divided by their count.
LogicalResult convertMeanOp(NodeImporter &node) {
  if (failed(node.expectInputs(1, SIZE_MAX)))
    return failure();
  FailureOr<llvm::SmallVector<int64_t>> shape = broadcastShape(node);
  if (failed(shape))
    return failure();
  ElementType type = node.inputType(0);
  double n = static_cast<double>(node.numInputs());
  if (evaluateOnHost(node, *shape, type) && isFloatingPoint(type)) {
    node.setConstantOutput(0,
                           host::mapFloats(constantInputs(node), *shape, type,
                                           [&](llvm::ArrayRef<double> v) {
                                             double sum = 0;
                                             for (double x : v)
                                               sum += x;
                                             return sum / n;
                                           }));
    return success();
  }
  FailureOr<Value> acc =
      combineInputs(node, cnn::BinaryKind::Add, std::nullopt);
  if (failed(acc))
    return failure();
  if (node.numInputs() > 1) {
    FailureOr<Value> divisor = node.constant(Tensor::fromFloats(type, {}, {n}));
    if (failed(divisor))
      return failure();
    acc = node.createInferred<cnn::BinaryOp>(cnn::BinaryKind::Div, *acc,
                                             *divisor);
    if (failed(acc))
      return failure();
  }
  node.setOutput(0, *acc);
  return success();
}

LogicalResult convertUnary(NodeImporter &node, cnn::UnaryKind kind) {
  if (failed(node.expectInputs(1, 1)))
    return failure();
  ElementType type = node.inputType(0);
  if (evaluateOnHost(node, node.inputShape(0), type)) {
    const Tensor &x = *node.constantInput(0);
    if (isInteger(type) &&
        (kind == cnn::UnaryKind::Neg || kind == cnn::UnaryKind::Abs)) {
      node.setConstantOutput(
          0, host::mapInts({&x}, x.shape, type, [&](llvm::ArrayRef<int64_t> v) {
            uint64_t magnitude = static_cast<uint64_t>(v[0]);
            bool negate = kind == cnn::UnaryKind::Neg || v[0] < 0;
            return negate ? wrap(0 - magnitude) : v[0];
          }));
      return success();
    }
    if (isFloatingPoint(type)) {
      node.setConstantOutput(0, host::mapFloats({&x}, x.shape, type,
                                                [&](llvm::ArrayRef<double> v) {
                                                  return cnn::evaluateUnary(kind, v[0]);
                                                }));
      return success();
    }
  }
  FailureOr<Value> x = node.input(0);
  if (failed(x))
    return failure();
  return node.setResult(node.create<cnn::UnaryOp>(x->getType(), kind, *x));
}

/// Floor, Ceil, comparisons, Not and Where, which real models use only in
/// shape arithmetic: they must be computable at compile time.
LogicalResult convertShapeOnly(NodeImporter &node, size_t minInputs,
                               size_t maxInputs) {
  if (failed(node.expectInputs(minInputs, maxInputs)))
    return failure();
  for (size_t i = 0; i < node.numInputs(); ++i)
    if (failed(node.requireConstant(i, "operand")))
      return failure();
  FailureOr<llvm::SmallVector<int64_t>> shape = broadcastShape(node);
  if (failed(shape))
    return failure();
  if (host::countElements(*shape) > host::kMaxElements)
    return node.error() << "the result " << formatShape(*shape)
                        << " is too large to compute at compile time",
           failure();
  llvm::StringRef op = node.node().opType;
  llvm::SmallVector<const Tensor *> inputs = constantInputs(node);
  if (op == "Floor" || op == "Ceil") {
    bool floor = op == "Floor";
    node.setConstantOutput(0, host::mapFloats(inputs, *shape, node.inputType(0),
                                              [&](llvm::ArrayRef<double> v) {
                                                return floor ? std::floor(v[0])
                                                             : std::ceil(v[0]);
                                              }));
    return success();
  }
  if (op == "Not") {
    node.setConstantOutput(
        0, host::mapInts(inputs, *shape, ElementType::Bool,
                         [](llvm::ArrayRef<int64_t> v) { return !v[0]; }));
    return success();
  }
  if (op == "Where") {
    ElementType type = node.inputType(1);
    if (node.inputType(2) != type)
      return node.error() << "expected X and Y of one element type, got "
                          << elementTypeName(type) << " and "
                          << elementTypeName(node.inputType(2)),
             failure();
    if (isFloatingPoint(type))
      node.setConstantOutput(0, host::mapFloats(inputs, *shape, type,
                                                [](llvm::ArrayRef<double> v) {
                                                  return v[0] != 0 ? v[1]
                                                                   : v[2];
                                                }));
    else
      node.setConstantOutput(
          0, host::mapInts(inputs, *shape, type, [](llvm::ArrayRef<int64_t> v) {
            return v[0] != 0 ? v[1] : v[2];
          }));
    return success();
  }
  // Comparisons: exact in int64 for integers, in double for floats.
  if (node.inputType(0) != node.inputType(1))
    return node.error() << "expected operands of one element type, got "
                        << elementTypeName(node.inputType(0)) << " and "
                        << elementTypeName(node.inputType(1)),
           failure();
  auto compare = [&](auto a, auto b) -> int64_t {
    if (op == "Equal")
      return a == b;
    if (op == "Less")
      return a < b;
    return a > b;
  };
  if (isInteger(node.inputType(0)))
    node.setConstantOutput(0, host::mapInts(inputs, *shape, ElementType::Bool,
                                            [&](llvm::ArrayRef<int64_t> v) {
                                              return compare(v[0], v[1]);
                                            }));
  else
    node.setConstantOutput(0,
                           host::mapFloats(inputs, *shape, ElementType::Bool,
                                           [&](llvm::ArrayRef<double> v) {
                                             return double(compare(v[0], v[1]));
                                           }));
  return success();
}

template <cnn::BinaryKind Kind, bool Variadic>
LogicalResult convertBinaryOp(NodeImporter &node) {
  return convertBinary(node, Kind, Variadic);
}

template <cnn::UnaryKind Kind>
LogicalResult convertUnaryOp(NodeImporter &node) {
  return convertUnary(node, Kind);
}

template <size_t MinInputs, size_t MaxInputs>
LogicalResult convertShapeOnlyOp(NodeImporter &node) {
  return convertShapeOnly(node, MinInputs, MaxInputs);
}

} // namespace

void addElementwiseOps(ConverterTable &table) {
  using Kind = cnn::BinaryKind;
  table["Add"] = convertBinaryOp<Kind::Add, false>;
  table["Sub"] = convertBinaryOp<Kind::Sub, false>;
  table["Mul"] = convertBinaryOp<Kind::Mul, false>;
  table["Div"] = convertBinaryOp<Kind::Div, false>;
  table["Pow"] = convertBinaryOp<Kind::Pow, false>;
  table["Max"] = convertBinaryOp<Kind::Max, true>;
  table["Min"] = convertBinaryOp<Kind::Min, true>;
  table["Sum"] = convertBinaryOp<Kind::Add, true>;
  table["Mean"] = convertMeanOp;
  using Unary = cnn::UnaryKind;
  table["Exp"] = convertUnaryOp<Unary::Exp>;
  table["Log"] = convertUnaryOp<Unary::Log>;
  table["Sqrt"] = convertUnaryOp<Unary::Sqrt>;
  table["Neg"] = convertUnaryOp<Unary::Neg>;
  table["Abs"] = convertUnaryOp<Unary::Abs>;
  table["Reciprocal"] = convertUnaryOp<Unary::Reciprocal>;
  table["Round"] = convertUnaryOp<Unary::Round>;
  table["Floor"] = convertShapeOnlyOp<1, 1>;
  table["Ceil"] = convertShapeOnlyOp<1, 1>;
  table["Not"] = convertShapeOnlyOp<1, 1>;
  table["Equal"] = convertShapeOnlyOp<2, 2>;
  table["Less"] = convertShapeOnlyOp<2, 2>;
  table["Greater"] = convertShapeOnlyOp<2, 2>;
  table["Where"] = convertShapeOnlyOp<3, 3>;
}

} // namespace cnnc::onnx
