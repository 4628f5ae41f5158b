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

} // namespace cnnc::transforms

#endif // CNNC_LIB_TRANSFORMS_CONSTANTTENSORS_H
