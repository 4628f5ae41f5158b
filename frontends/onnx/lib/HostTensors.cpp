//===- HostTensors.cpp - Evaluating ops on tensors known at import --------===//

#include "HostTensors.h"

#include "llvm/ADT/STLExtras.h"

#include <cassert>
#include <cstdint>

namespace cnnc::onnx::host {

int64_t countElements(llvm::ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d == 0)
      return 0;
    count = count > INT64_MAX / d ? INT64_MAX : count * d;
  }
  return count;
}

llvm::SmallVector<int64_t, 4> stridesOf(llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t, 4> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// A tensor of `shape` whose element i is `input`'s element source(i).
static Tensor gatherBytes(const Tensor &input, llvm::ArrayRef<int64_t> shape,
                          llvm::function_ref<int64_t(int64_t)> source) {
  Tensor result;
  result.type = input.type;
  result.shape.assign(shape.begin(), shape.end());
  int64_t size = elementByteSize(input.type);
  int64_t count = result.numElements();
  result.bytes.resize(count * size);
  for (int64_t i = 0; i < count; ++i)
    std::memcpy(result.bytes.data() + i * size,
                input.bytes.data() + source(i) * size, size);
  return result;
}

/// Calls `fn` with the multi-index of every element of `shape`, in order.
static void forEachIndex(llvm::ArrayRef<int64_t> shape,
                         llvm::function_ref<void(llvm::ArrayRef<int64_t>)> fn) {
  int64_t count = countElements(shape);
  llvm::SmallVector<int64_t, 4> index(shape.size(), 0);
  for (int64_t n = 0; n < count; ++n) {
    fn(index);
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

Tensor reshape(const Tensor &input, llvm::ArrayRef<int64_t> shape) {
  Tensor result = input;
  result.shape.assign(shape.begin(), shape.end());
  return result;
}

Tensor transpose(const Tensor &input, llvm::ArrayRef<int64_t> permutation) {
  llvm::SmallVector<int64_t, 4> shape;
  for (int64_t p : permutation)
    shape.push_back(input.shape[p]);
  llvm::SmallVector<int64_t, 4> inStrides = stridesOf(input.shape);
  std::vector<int64_t> sources;
  sources.reserve(input.numElements());
  forEachIndex(shape, [&](llvm::ArrayRef<int64_t> index) {
    int64_t offset = 0;
    for (auto [d, p] : llvm::enumerate(permutation))
      offset += index[d] * inStrides[p];
    sources.push_back(offset);
  });
  return gatherBytes(input, shape, [&](int64_t i) { return sources[i]; });
}

Tensor slice(const Tensor &input, llvm::ArrayRef<int64_t> offsets,
             llvm::ArrayRef<int64_t> sizes, llvm::ArrayRef<int64_t> strides) {
  llvm::SmallVector<int64_t, 4> inStrides = stridesOf(input.shape);
  std::vector<int64_t> sources;
  forEachIndex(sizes, [&](llvm::ArrayRef<int64_t> index) {
    int64_t offset = 0;
    for (size_t d = 0; d < index.size(); ++d)
      offset += (offsets[d] + index[d] * strides[d]) * inStrides[d];
    sources.push_back(offset);
  });
  return gatherBytes(input, sizes, [&](int64_t i) { return sources[i]; });
}

Tensor concat(llvm::ArrayRef<const Tensor *> inputs, int64_t axis) {
  Tensor result;
  result.type = inputs.front()->type;
  result.shape = inputs.front()->shape;
  result.shape[axis] = 0;
  for (const Tensor *input : inputs)
    result.shape[axis] += input->shape[axis];
  int64_t size = elementByteSize(result.type);
  // Rows: the product of the dimensions before `axis`.
  int64_t rows = 1;
  for (int64_t d = 0; d < axis; ++d)
    rows *= result.shape[d];
  result.bytes.reserve(result.numElements() * size);
  for (int64_t row = 0; row < rows; ++row)
    for (const Tensor *input : inputs) {
      int64_t chunk = rows ? input->numElements() / rows * size : 0;
      result.bytes.append(input->bytes, row * chunk, chunk);
    }
  return result;
}

Tensor gather(const Tensor &data, llvm::ArrayRef<int64_t> indices,
              llvm::ArrayRef<int64_t> indicesShape, int64_t axis) {
  llvm::SmallVector<int64_t, 4> shape(data.shape.begin(),
                                      data.shape.begin() + axis);
  llvm::append_range(shape, indicesShape);
  shape.append(data.shape.begin() + axis + 1, data.shape.end());
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < data.rank(); ++d)
    inner *= data.shape[d];
  int64_t count = indices.size(), dim = data.shape[axis];
  return gatherBytes(data, shape, [&](int64_t i) {
    int64_t o = i / (count * inner), rest = i % (count * inner);
    int64_t k = rest / inner, j = rest % inner;
    return (o * dim + indices[k]) * inner + j;
  });
}

/// The offset in `input` of the element that `index` of the broadcast
/// result reads.
static int64_t broadcastSource(const Tensor &input,
                               llvm::ArrayRef<int64_t> strides,
                               llvm::ArrayRef<int64_t> index) {
  int64_t offset = 0;
  size_t lead = index.size() - input.shape.size();
  for (size_t d = 0; d < input.shape.size(); ++d)
    if (input.shape[d] != 1)
      offset += index[lead + d] * strides[d];
  return offset;
}

Tensor broadcastTo(const Tensor &input, llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t, 4> strides = stridesOf(input.shape);
  std::vector<int64_t> sources;
  forEachIndex(shape, [&](llvm::ArrayRef<int64_t> index) {
    sources.push_back(broadcastSource(input, strides, index));
  });
  return gatherBytes(input, shape, [&](int64_t i) { return sources[i]; });
}

Tensor cast(const Tensor &input, ElementType type) {
  if (input.type == ElementType::UInt64 && !isFloatingPoint(type) &&
      type != ElementType::Bool)
    return Tensor::fromInts(type, input.shape, input.toInts()); // Bits kept.
  if (isFloatingPoint(input.type) || isFloatingPoint(type) ||
      type == ElementType::Bool)
    return Tensor::fromFloats(type, input.shape, input.toFloats());
  return Tensor::fromInts(type, input.shape, input.toInts());
}

template <typename T, typename Read, typename Make>
static Tensor mapElements(llvm::ArrayRef<const Tensor *> inputs,
                          llvm::ArrayRef<int64_t> shape,
                          llvm::function_ref<T(llvm::ArrayRef<T>)> fn,
                          Read read, Make make) {
  llvm::SmallVector<llvm::SmallVector<int64_t, 4>> strides;
  for (const Tensor *input : inputs)
    strides.push_back(stridesOf(input->shape));
  std::vector<T> values;
  llvm::SmallVector<T, 3> operands(inputs.size());
  forEachIndex(shape, [&](llvm::ArrayRef<int64_t> index) {
    for (auto [k, input] : llvm::enumerate(inputs))
      operands[k] = read(*input, broadcastSource(*input, strides[k], index));
    values.push_back(fn(operands));
  });
  return make(values);
}

Tensor mapInts(llvm::ArrayRef<const Tensor *> inputs,
               llvm::ArrayRef<int64_t> shape, ElementType type,
               llvm::function_ref<int64_t(llvm::ArrayRef<int64_t>)> fn) {
  return mapElements<int64_t>(
      inputs, shape, fn, [](const Tensor &t, int64_t i) { return t.intAt(i); },
      [&](const std::vector<int64_t> &values) {
        return Tensor::fromInts(type, shape, values);
      });
}

Tensor mapFloats(llvm::ArrayRef<const Tensor *> inputs,
                 llvm::ArrayRef<int64_t> shape, ElementType type,
                 llvm::function_ref<double(llvm::ArrayRef<double>)> fn) {
  return mapElements<double>(
      inputs, shape, fn,
      [](const Tensor &t, int64_t i) { return t.floatAt(i); },
      [&](const std::vector<double> &values) {
        return Tensor::fromFloats(type, shape, values);
      });
}

} // namespace cnnc::onnx::host
