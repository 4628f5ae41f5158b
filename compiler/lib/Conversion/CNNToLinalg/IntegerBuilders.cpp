//===- IntegerBuilders.cpp - What the int8 lowerings share ----------------===//

#include "IntegerBuilders.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace cnnc::lowering {

bool isUnsigned(Type type) {
  auto integer = dyn_cast<IntegerType>(getElementTypeOrSelf(type));
  return integer && integer.isUnsigned();
}

/// A scalar integer of signless type `type` widened to i32.
Value widen(OpBuilder &b, Location loc, Value value, bool isUnsignedSource) {
  Type i32 = b.getI32Type();
  if (value.getType() == i32)
    return value;
  if (isUnsignedSource)
    return arith::ExtUIOp::create(b, loc, i32, value);
  return arith::ExtSIOp::create(b, loc, i32, value);
}

/// `type` with its elements signless.
RankedTensorType signlessType(RankedTensorType type) {
  auto integer = dyn_cast<IntegerType>(type.getElementType());
  if (!integer || integer.isSignless())
    return type;
  return type.clone(IntegerType::get(type.getContext(), integer.getWidth()));
}

/// `value` as a tensor of signless elements (a bitcast when it is not).
Value signless(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  RankedTensorType target = signlessType(type);
  if (target == type)
    return value;
  return tensor::BitcastOp::create(b, loc, target, value);
}

/// `value` (signless) as a tensor of `type`.
Value retyped(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return tensor::BitcastOp::create(b, loc, type, value);
}

/// `input` (signless) padded with the scalar in the 0-D tensor `value`.
Value padWithValue(OpBuilder &b, Location loc, Value input,
                   ArrayRef<int64_t> low, ArrayRef<int64_t> high, Value value) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return input;
  return padWithScalar(b, loc, input, low, high,
                       tensor::ExtractOp::create(b, loc, value, ValueRange()));
}

/// Whether `value` is a constant whose elements are all zero.
bool isZeroConstant(Value value) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return false;
  return llvm::all_of(attr.getValues<APInt>(),
                      [](const APInt &v) { return v.isZero(); });
}

/// An int32 tensor of zeros: the start of a sum.
Value int32Zeros(OpBuilder &b, Location loc, ArrayRef<int64_t> shape) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, b.getI32Type());
  Value zero = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0));
  return linalg::FillOp::create(b, loc, zero, empty).getResult(0);
}

/// A parallel-and-reduction linalg.generic of `resultType` from `init`.
Value reduceGeneric(OpBuilder &b, Location loc, ValueRange inputs, Value init,
                    ArrayRef<AffineMap> maps,
                    ArrayRef<utils::IteratorType> iterators,
                    function_ref<Value(OpBuilder &, Location, ValueRange)> fn) {
  return linalg::GenericOp::create(
             b, loc, init.getType(), inputs, init, maps, iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(nb, nloc, fn(nb, nloc, args));
             })
      .getResult(0);
}

/// The bytes of the constant `value` (a cnn.constant, dense or a resource),
/// or none.
std::optional<std::vector<char>> constantBytes(Value value) {
  auto constant = value.getDefiningOp<cnn::ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto type = cast<RankedTensorType>(constant.getType());
  size_t size = type.getNumElements() * (type.getElementTypeBitWidth() / 8);
  Attribute attr = constant.getValue();
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    ArrayRef<char> raw = dense.getRawData();
    if (dense.isSplat()) {
      std::vector<char> bytes;
      for (size_t i = 0; i < size; i += raw.size())
        bytes.insert(bytes.end(), raw.begin(), raw.end());
      return bytes;
    }
    return std::vector<char>(raw.begin(), raw.end());
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      if (blob->getData().size() == size)
        return std::vector<char>(blob->getData().begin(),
                                 blob->getData().end());
  return std::nullopt;
}

} // namespace cnnc::lowering
