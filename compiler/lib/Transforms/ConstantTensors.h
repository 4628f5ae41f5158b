//===- ConstantTensors.h - cnn.constant values on the host ------*- C++ -*-===//
//
// What the graph passes need to compute with weights: a float32
// cnn.constant's elements (dense or a resource blob) and a new cnn.constant
// from computed ones (a resource blob beyond a few elements, as the ONNX
// importer makes them).
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_TRANSFORMS_CONSTANTTENSORS_H
#define CNNC_LIB_TRANSFORMS_CONSTANTTENSORS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

#include <optional>
#include <vector>

namespace cnnc::transforms {

/// The float32 elements of `value` when a cnn.constant defines it.
std::optional<std::vector<float>> constantFloats(mlir::Value value);

/// A cnn.constant of `type` (float32) holding `data`.
mlir::Value createFloatConstant(mlir::OpBuilder &builder, mlir::Location loc,
                                mlir::RankedTensorType type,
                                llvm::ArrayRef<float> data);

/// The elements of an integer cnn.constant (int8, uint8, int32, ...) as
/// int64, read with the element type's signedness.
std::optional<std::vector<int64_t>> constantInts(mlir::Value value);

/// A cnn.constant of the integer tensor type `type` holding `data`
/// (truncated to the element width).
mlir::Value createIntConstant(mlir::OpBuilder &builder, mlir::Location loc,
                              mlir::RankedTensorType type,
                              llvm::ArrayRef<int64_t> data);

} // namespace cnnc::transforms

#endif // CNNC_LIB_TRANSFORMS_CONSTANTTENSORS_H
