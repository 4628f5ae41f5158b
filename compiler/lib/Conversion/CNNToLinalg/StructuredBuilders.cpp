//===- StructuredBuilders.cpp - Builders shared by the lowerings ----------===//

#include "StructuredBuilders.h"
#include "cnnc/Dialect/Kernel/IR/Epilogue.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace cnnc;
using namespace cnnc::lowering;

namespace cnnc::lowering {

Value floatConstant(OpBuilder &b, Location loc, Type type, double value) {
  return cnnk::floatConstant(b, loc, type, value);
}

/// The identity-or-broadcast map reading an operand of `shape` for a result
/// of rank `rank` (numpy rules: trailing alignment, size-1 dimensions
/// repeat).
AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> shape,
                       ArrayRef<int64_t> resultShape) {
  int64_t rank = resultShape.size();
  int64_t lead = rank - static_cast<int64_t>(shape.size());
  SmallVector<AffineExpr> exprs;
  for (auto [i, dim] : llvm::enumerate(shape)) {
    if (dim == 1 && resultShape[lead + i] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(lead + i, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// A linalg.generic computing `fn` elementwise over the broadcast inputs.
Value elementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                  ValueRange inputs,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> fn) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(
        broadcastMap(ctx, cast<RankedTensorType>(input.getType()).getShape(),
                     resultType.getShape()));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType());
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, init, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, fn(nb, nloc, args.drop_back()));
      });
  return generic.getResult(0);
}

/// `value` with its dimensions permuted: result dimension i is `value`'s
/// dimension permutation[i].
Value permute(OpBuilder &b, Location loc, Value value,
              ArrayRef<int64_t> permutation) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (int64_t d : permutation)
    shape.push_back(type.getDimSize(d));
  Value empty =
      tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  return linalg::TransposeOp::create(b, loc, value, empty, permutation)
      .getResult()[0];
}

/// `input` padded with `value`: `low` and `high` per dimension.
Value padWith(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
              ArrayRef<int64_t> high, double value) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  return padWithScalar(b, loc, input, low, high,
                       floatConstant(b, loc, type.getElementType(), value));
}

Value padWithScalar(OpBuilder &b, Location loc, Value input,
                    ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                    Value padding) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape;
  for (auto [d, dim] : llvm::enumerate(type.getShape()))
    shape.push_back(dim + low[d] + high[d]);
  SmallVector<OpFoldResult> lowPads, highPads;
  for (auto [l, h] : llvm::zip(low, high)) {
    lowPads.push_back(b.getIndexAttr(l));
    highPads.push_back(b.getIndexAttr(h));
  }
  return tensor::PadOp::create(b, loc, type.clone(shape), input, lowPads,
                               highPads, padding);
}

/// The accumulator of a convolution: zeros, or the bias broadcast along the
/// channel dimension.
Value accumulator(OpBuilder &b, Location loc, RankedTensorType type,
                  Value bias, int64_t channelDim) {
  if (!bias) {
    Value empty =
        tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
    Value zero = floatConstant(b, loc, type.getElementType(), 0.0);
    return linalg::FillOp::create(b, loc, zero, empty).getResult(0);
  }
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (d != channelDim)
      dims.push_back(d);
  Value empty =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  return linalg::BroadcastOp::create(b, loc, bias, empty, dims).getResult()[0];
}

void splitPads(ArrayRef<int64_t> pads, int64_t rank, int64_t firstSpatial,
               SmallVectorImpl<int64_t> &low, SmallVectorImpl<int64_t> &high) {
  int64_t spatial = pads.size() / 2;
  low.assign(rank, 0);
  high.assign(rank, 0);
  for (int64_t i = 0; i < spatial; ++i) {
    low[firstSpatial + i] = pads[i];
    high[firstSpatial + i] = pads[spatial + i];
  }
}

/// [N, C, W...] -> [N, C, 1, W...]: a 1-D window op as a 2-D one of height 1.
SmallVector<int64_t> withUnitHeight(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> result(shape.take_front(2));
  result.push_back(1);
  llvm::append_range(result, shape.drop_front(2));
  return result;
}

/// The 2-D strides, dilations or kernel of a 1-D window: 1 along the height.
SmallVector<int64_t> prependOne(ArrayRef<int64_t> values) {
  SmallVector<int64_t> result{1};
  llvm::append_range(result, values);
  return result;
}

SmallVector<int64_t> unitHeightPads(ArrayRef<int64_t> pads) {
  return {0, pads[0], 0, pads[1]};
}

Value unitHeight(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  return cnn::ReshapeOp::create(
      b, loc, type.clone(withUnitHeight(type.getShape())), value);
}

LogicalResult lowerAsUnitHeight(Operation *op, ValueRange operands,
                                ConversionPatternRewriter &rewriter) {
  Location loc = op->getLoc();
  SmallVector<Value> reshaped;
  for (Value operand : operands)
    reshaped.push_back(cast<RankedTensorType>(operand.getType()).getRank() == 3
                           ? unitHeight(rewriter, loc, operand)
                           : operand);
  // The window's attributes gain their height entry; the rest stay.
  NamedAttrList attributes;
  for (NamedAttribute attribute : op->getAttrs()) {
    auto values = dyn_cast<DenseI64ArrayAttr>(attribute.getValue());
    StringRef name = attribute.getName().strref();
    if (values && name == "pads")
      attributes.append(name, rewriter.getDenseI64ArrayAttr(
                                  unitHeightPads(values.asArrayRef())));
    else if (values && llvm::is_contained(
                           {"strides", "dilations", "kernel", "output_padding"},
                           name))
      attributes.append(name, rewriter.getDenseI64ArrayAttr(
                                  prependOne(values.asArrayRef())));
    else
      attributes.append(attribute);
  }
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  OperationState state(loc, op->getName(), reshaped,
                       TypeRange{resultType.clone(
                           withUnitHeight(resultType.getShape()))},
                       attributes);
  Operation *twoD = rewriter.create(state);
  rewriter.replaceOpWithNewOp<cnn::ReshapeOp>(op, resultType,
                                              twoD->getResult(0));
  return success();
}

/// A reduction of `input` over `reduced` dimensions into a tensor that keeps
/// them with size 1: `combine(element, accumulator)` from `initial`.
Value reduceKeepingDims(
    OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> reduced,
    double initial,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<int64_t> shape(type.getShape());
  SmallVector<AffineExpr> exprs;
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  for (int64_t d = 0; d < rank; ++d) {
    bool isReduced = llvm::is_contained(reduced, d);
    if (isReduced) {
      shape[d] = 1;
      iterators[d] = utils::IteratorType::reduction;
    }
    exprs.push_back(isReduced ? getAffineConstantExpr(0, ctx)
                              : getAffineDimExpr(d, ctx));
  }
  Type element = type.getElementType();
  Value empty = tensor::EmptyOp::create(b, loc, shape, element);
  Value init = linalg::FillOp::create(
                   b, loc, floatConstant(b, loc, element, initial), empty)
                   .getResult(0);
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank),
                              AffineMap::get(rank, 0, exprs, ctx)};
  return linalg::GenericOp::create(
             b, loc, type.clone(shape), input, init, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, combine(nb, l, args[0], args[1]));
             })
      .getResult(0);
}

Value epilogue(OpBuilder &b, Location loc, Value result, Value residual,
               std::optional<cnn::ActivationKind> kind, FloatAttr alpha,
               FloatAttr beta) {
  if (!residual && !kind)
    return result;
  auto type = cast<RankedTensorType>(result.getType());
  SmallVector<Value> inputs{result};
  if (residual)
    inputs.push_back(residual);
  return elementwise(b, loc, type, inputs,
                     [&](OpBuilder &nb, Location l, ValueRange args) {
                       return cnnk::applyEpilogue(
                           nb, l, args[0], residual ? args[1] : Value(), kind,
                           alpha, beta);
                     });
}

} // namespace cnnc::lowering
