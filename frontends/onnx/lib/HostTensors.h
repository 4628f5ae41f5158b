//===- HostTensors.h - Evaluating ops on tensors known at import -*- C++
//-*-===//
//
// Shape subgraphs (Shape -> Gather -> Unsqueeze -> Concat -> Reshape) and
// data movement of constants are evaluated while importing, on the host, so
// they never reach the IR. These are the kernels: plain loops over the
// row-major bytes of Model.h's Tensor. Callers check shapes and arguments.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_FRONTEND_ONNX_HOSTTENSORS_H
#define CNNC_FRONTEND_ONNX_HOSTTENSORS_H

#include "cnnc/Frontend/ONNX/Model.h"

#include "llvm/ADT/STLFunctionalExtras.h"

namespace cnnc::onnx::host {

/// The most elements a tensor computed during the import may have (16 Mi):
/// larger results are refused with a message, so that a malformed model
/// cannot make the importer allocate without bound.
constexpr int64_t kMaxElements = int64_t(1) << 24;

/// The number of elements of `shape` (non-negative dimensions), saturated
/// at INT64_MAX instead of overflowing.
int64_t countElements(llvm::ArrayRef<int64_t> shape);

/// Row-major strides of `shape`, in elements.
llvm::SmallVector<int64_t, 4> stridesOf(llvm::ArrayRef<int64_t> shape);

Tensor reshape(const Tensor &input, llvm::ArrayRef<int64_t> shape);
Tensor transpose(const Tensor &input, llvm::ArrayRef<int64_t> permutation);
/// Element j of dimension d is input element offsets[d] + j * strides[d].
Tensor slice(const Tensor &input, llvm::ArrayRef<int64_t> offsets,
             llvm::ArrayRef<int64_t> sizes, llvm::ArrayRef<int64_t> strides);
Tensor concat(llvm::ArrayRef<const Tensor *> inputs, int64_t axis);
/// ONNX Gather with indices already in [0, dim).
Tensor gather(const Tensor &data, llvm::ArrayRef<int64_t> indices,
              llvm::ArrayRef<int64_t> indicesShape, int64_t axis);
/// `input` broadcast (numpy rules) to `shape`, which it must broadcast to.
Tensor broadcastTo(const Tensor &input, llvm::ArrayRef<int64_t> shape);
Tensor cast(const Tensor &input, ElementType type);

/// Elementwise `fn` over the broadcast of the inputs, computed in int64 for
/// integer results and in double for floating-point ones.
Tensor mapInts(llvm::ArrayRef<const Tensor *> inputs,
               llvm::ArrayRef<int64_t> shape, ElementType type,
               llvm::function_ref<int64_t(llvm::ArrayRef<int64_t>)> fn);
Tensor mapFloats(llvm::ArrayRef<const Tensor *> inputs,
                 llvm::ArrayRef<int64_t> shape, ElementType type,
                 llvm::function_ref<double(llvm::ArrayRef<double>)> fn);

} // namespace cnnc::onnx::host

#endif // CNNC_FRONTEND_ONNX_HOSTTENSORS_H
