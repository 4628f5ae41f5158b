//===- CNNDataMovementOps.cpp - Types of the cnn ops that move data -------===//
//
// concat, reshape, transpose, slice, pad and resize: ops that rearrange
// elements without computing on them. As in CNNOps.cpp, inferring ops
// verify by running their inference.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "OpDiagnostics.h"

#include "llvm/Support/CheckedArithmetic.h"

#include <cmath>

using namespace mlir;
using namespace cnnc::cnn;
using namespace cnnc::cnn::detail;

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  Diagnoser fail(loc, getOperationName());
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return fail("expected at least one input");
  auto first = tensorType(inputs.front());
  int64_t rank = first.getRank();
  uint64_t axis = adaptor.getAxis();
  if (axis >= static_cast<uint64_t>(rank))
    return fail("expected 'axis' (", axis, ") to be below the rank (", rank,
                ")");
  SmallVector<int64_t> shape(first.getShape());
  for (auto [index, value] : llvm::enumerate(inputs.drop_front())) {
    auto type = tensorType(value);
    if (type.getElementType() != first.getElementType() ||
        type.getRank() != rank)
      return fail("expected input ", index + 1, " (", type,
                  ") to have the rank and element type of input 0 (", first,
                  ")");
    for (int64_t d = 0; d < rank; ++d) {
      if (d == static_cast<int64_t>(axis))
        continue;
      if (type.getDimSize(d) != shape[d])
        return fail("expected input ", index + 1, " ", type,
                    " to match input 0 ", first,
                    " in every dimension but the axis, differs in ", d);
    }
    shape[axis] += type.getDimSize(axis);
  }
  types.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult ReshapeOp::verify() {
  auto input = getInput().getType();
  auto result = getResult().getType();
  if (input.getElementType() != result.getElementType())
    return emitOpError("expected the result to keep the element type ")
           << input.getElementType() << ", got " << result;
  if (input.getNumElements() != result.getNumElements())
    return emitOpError("expected the result to have as many elements (")
           << result.getNumElements() << ") as the input ("
           << input.getNumElements() << ")";
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  Diagnoser fail(loc, getOperationName());
  auto input = tensorType(adaptor.getInput());
  ArrayRef<int64_t> permutation = adaptor.getPermutation();
  if (static_cast<int64_t>(permutation.size()) != input.getRank())
    return fail("expected a permutation of ", input.getRank(),
                " dimensions, got ", shapeString(permutation));
  SmallVector<bool> seen(permutation.size(), false);
  SmallVector<int64_t> shape;
  for (int64_t dim : permutation) {
    if (dim >= input.getRank() || seen[dim])
      return fail("expected a permutation of ", input.getRank(),
                  " dimensions, got ", shapeString(permutation));
    seen[dim] = true;
    shape.push_back(input.getDimSize(dim));
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  Diagnoser fail(loc, getOperationName());
  auto input = tensorType(adaptor.getInput());
  ArrayRef<int64_t> offsets = adaptor.getOffsets();
  ArrayRef<int64_t> sizes = adaptor.getSizes();
  ArrayRef<int64_t> strides = adaptor.getStrides();
  int64_t rank = input.getRank();
  if (static_cast<int64_t>(offsets.size()) != rank ||
      static_cast<int64_t>(sizes.size()) != rank ||
      static_cast<int64_t>(strides.size()) != rank)
    return fail("expected ", rank,
                " offsets, sizes and strides (one per dimension)");
  for (int64_t d = 0; d < rank; ++d) {
    if (strides[d] == 0)
      return fail("expected non-zero strides, got 0 in dimension ", d);
    if (sizes[d] == 0)
      continue;
    int64_t dim = input.getDimSize(d);
    std::optional<int64_t> step = llvm::checkedMul(sizes[d] - 1, strides[d]);
    std::optional<int64_t> last =
        step ? llvm::checkedAdd(offsets[d], *step) : std::nullopt;
    if (!last)
      return fail("expected the slice to stay inside dimension ", d,
                  " of size ", dim, ", it reads from ", offsets[d], " ",
                  sizes[d], " elements ", strides[d], " apart");
    if (offsets[d] >= dim || *last < 0 || *last >= dim)
      return fail("expected the slice to stay inside dimension ", d,
                  " of size ", dim, ", it reads ", offsets[d], " to ", *last);
  }
  types.push_back(RankedTensorType::get(sizes, input.getElementType()));
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  Diagnoser fail(loc, getOperationName());
  auto input = tensorType(adaptor.getInput());
  ArrayRef<int64_t> pads = adaptor.getPads();
  int64_t rank = input.getRank();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return fail("expected ", 2 * rank, " values in 'pads', got ", pads.size());
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t dim = input.getDimSize(d);
    int64_t begin = pads[d], end = pads[d + rank];
    if (adaptor.getMode() == PadMode::Reflect && (begin >= dim || end >= dim))
      return fail("expected reflect pads smaller than dimension ", d, " (size ",
                  dim, "), got ", begin, " and ", end);
    if (adaptor.getMode() == PadMode::Edge && dim == 0 && begin + end > 0)
      return fail("expected edge padding of a non-empty dimension, ", d,
                  " is empty");
    std::optional<int64_t> size = llvm::checkedAdd(dim, begin);
    if (size)
      size = llvm::checkedAdd(*size, end);
    if (!size)
      return fail("expected pads that keep dimension ", d,
                  " within int64, got ", begin, " and ", end);
    shape.push_back(*size);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ResizeOp::verify() {
  auto input = getInput().getType();
  auto result = getResult().getType();
  ArrayRef<float> scales = getScales();
  if (result.getElementType() != input.getElementType() ||
      result.getRank() != input.getRank())
    return emitOpError("expected a result of the input's rank and element "
                       "type, got ")
           << result;
  if (static_cast<int64_t>(scales.size()) != input.getRank())
    return emitOpError("expected ")
           << input.getRank() << " scales (one per dimension), got "
           << scales.size();
  for (int64_t d = 0; d < input.getRank(); ++d) {
    if (!(scales[d] > 0.0f))
      return emitOpError("expected positive scales, got ")
             << number(scales[d]) << " in dimension " << d;
    double expected = static_cast<double>(input.getDimSize(d)) * scales[d];
    if (std::abs(expected - static_cast<double>(result.getDimSize(d))) >= 1.0)
      return emitOpError("expected dimension ")
             << d << " of the result to be " << input.getDimSize(d) << " x "
             << number(scales[d]) << ", got " << result.getDimSize(d);
  }
  return success();
}

LogicalResult ConcatOp::verify() { return verifyByInference(*this); }
LogicalResult TransposeOp::verify() { return verifyByInference(*this); }
LogicalResult SliceOp::verify() { return verifyByInference(*this); }
LogicalResult PadOp::verify() { return verifyByInference(*this); }
