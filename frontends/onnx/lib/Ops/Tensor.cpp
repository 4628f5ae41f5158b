//===- Tensor.cpp - Reshape, Transpose, Concat, Slice, Pad, Gather, ... ---===//
//
// Data movement. On tensors known at compile time (weights, shapes) each op
// is evaluated here; on computed tensors it becomes a cnn op. Reshape,
// Flatten, Squeeze and Unsqueeze are all cnn.reshape.
//
//===----------------------------------------------------------------------===//

#include "Ops.h"

#include "../HostTensors.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "mlir/Dialect/Traits.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace cnnc::onnx {
namespace {

/// Defines output 0 as input 0 in `shape`.
LogicalResult reshapeTo(NodeImporter &node, llvm::ArrayRef<int64_t> shape) {
  for (int64_t dim : shape)
    if (dim > (int64_t(1) << 40))
      return node.error() << "cannot reshape to " << formatShape(shape)
                          << ": dimension " << dim << " is too large",
             failure();
  if (host::countElements(shape) != host::countElements(node.inputShape(0)))
    return node.error() << "cannot reshape " << formatShape(node.inputShape(0))
                        << " (" << host::countElements(node.inputShape(0))
                        << " elements) to " << formatShape(shape) << " ("
                        << host::countElements(shape) << " elements)",
           failure();
  if (const Tensor *input = node.constantInput(0)) {
    node.setConstantOutput(0, host::reshape(*input, shape));
    return success();
  }
  FailureOr<Value> x = node.anyInput(0);
  if (failed(x))
    return failure();
  return node.setResult(node.reshape(*x, shape));
}

/// ONNX Reshape's shape: 0 copies the input dimension (unless allowzero),
/// one -1 is inferred.
LogicalResult convertReshape(NodeImporter &node) {
  bool attrShape = node.opset() < 5;
  if (failed(node.expectInputs(attrShape ? 1 : 2, attrShape ? 1 : 2)))
    return failure();
  FailureOr<int64_t> allowZero = node.getInt("allowzero", 0);
  if (failed(allowZero))
    return failure();
  std::vector<int64_t> requested;
  if (attrShape) {
    FailureOr<llvm::SmallVector<int64_t>> shape = node.getInts("shape");
    if (failed(shape))
      return failure();
    requested.assign(shape->begin(), shape->end());
  } else if (!node.constantInput(1)) {
    // A shape input bound at run time: the declared output shape says it.
    if (std::optional<llvm::SmallVector<int64_t, 4>> declared =
            node.declaredOutputShape(0))
      return reshapeTo(node, *declared);
    (void)node.requireConstant(1, "shape"); // Says how to bind it.
    return failure();
  } else {
    FailureOr<std::vector<int64_t>> shape = node.requireInts(1, "shape");
    if (failed(shape))
      return failure();
    requested = *shape;
  }

  llvm::ArrayRef<int64_t> input = node.inputShape(0);
  llvm::SmallVector<int64_t> shape;
  int64_t inferred = -1, known = 1;
  for (auto [i, dim] : llvm::enumerate(requested)) {
    if (dim == 0 && !*allowZero) {
      if (i >= input.size())
        return node.error() << "shape " << formatShape(requested)
                            << " copies dimension " << i << " of "
                            << formatShape(input) << ", which has no such "
                            << "dimension",
               failure();
      dim = input[i];
    } else if (dim == -1) {
      if (inferred >= 0)
        return node.error() << "shape " << formatShape(requested)
                            << " has more than one -1",
               failure();
      inferred = i;
      shape.push_back(1);
      continue;
    } else if (dim < -1) {
      return node.error() << "shape " << formatShape(requested)
                          << " has the invalid dimension " << dim,
             failure();
    }
    shape.push_back(dim);
    if (dim != 0 && known > (int64_t(1) << 62) / dim)
      return node.error() << "shape " << formatShape(requested)
                          << " is too large",
             failure();
    known *= dim;
  }
  if (inferred >= 0) {
    int64_t total = host::countElements(input);
    if (known == 0 || total % known != 0)
      return node.error() << "cannot reshape " << formatShape(input) << " ("
                          << total << " elements) to "
                          << formatShape(requested),
             failure();
    shape[inferred] = total / known;
  }
  return reshapeTo(node, shape);
}

LogicalResult convertFlatten(NodeImporter &node) {
  if (failed(node.expectInputs(1, 1)))
    return failure();
  FailureOr<int64_t> axisAttr = node.getInt("axis", 1);
  if (failed(axisAttr))
    return failure();
  llvm::ArrayRef<int64_t> input = node.inputShape(0);
  int64_t rank = input.size();
  if (*axisAttr < -rank || *axisAttr > rank)
    return node.error() << "axis " << *axisAttr << " is out of range for rank "
                        << rank << " (expected " << -rank << " to " << rank
                        << ")",
           failure();
  int64_t axis = *axisAttr < 0 ? *axisAttr + rank : *axisAttr;
  return reshapeTo(node, {host::countElements(input.take_front(axis)),
                          host::countElements(input.drop_front(axis))});
}

/// Squeeze and Unsqueeze's axes: an attribute before opset 13, an input
/// from 13 on. `present` is false when none are given.
FailureOr<std::vector<int64_t>> readAxes(NodeImporter &node, bool &present) {
  if (node.opset() < 13) {
    present = node.hasAttr("axes");
    FailureOr<llvm::SmallVector<int64_t>> axes = node.getInts("axes");
    if (failed(axes))
      return failure();
    return std::vector<int64_t>(axes->begin(), axes->end());
  }
  present = node.hasInput(1);
  if (!present)
    return std::vector<int64_t>();
  return node.requireInts(1, "axes");
}

/// Axes given as a graph input bound at run time: the declared output shape
/// says what they do. Returns true when it handled the node.
std::optional<LogicalResult> reshapeToDeclared(NodeImporter &node) {
  if (node.opset() < 13 || !node.hasInput(1) || node.constantInput(1))
    return std::nullopt;
  if (std::optional<llvm::SmallVector<int64_t, 4>> declared =
          node.declaredOutputShape(0))
    return reshapeTo(node, *declared);
  return std::nullopt;
}

LogicalResult convertSqueeze(NodeImporter &node) {
  if (failed(node.expectInputs(1, node.opset() < 13 ? 1 : 2)))
    return failure();
  if (std::optional<LogicalResult> done = reshapeToDeclared(node))
    return *done;
  bool present;
  FailureOr<std::vector<int64_t>> axes = readAxes(node, present);
  if (failed(axes))
    return failure();
  llvm::ArrayRef<int64_t> input = node.inputShape(0);
  int64_t rank = input.size();
  llvm::SmallVector<bool> drop(rank, false);
  if (!present) {
    for (int64_t d = 0; d < rank; ++d)
      drop[d] = input[d] == 1;
  }
  for (int64_t axis : *axes) {
    FailureOr<int64_t> a = node.normalizeAxis(axis, rank, "axis");
    if (failed(a))
      return failure();
    if (input[*a] != 1)
      return node.error() << "cannot squeeze dimension " << *a << " of "
                          << formatShape(input) << ": its size is " << input[*a]
                          << ", not 1",
             failure();
    drop[*a] = true;
  }
  llvm::SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d)
    if (!drop[d])
      shape.push_back(input[d]);
  return reshapeTo(node, shape);
}

LogicalResult convertUnsqueeze(NodeImporter &node) {
  if (failed(node.expectInputs(node.opset() < 13 ? 1 : 2,
                               node.opset() < 13 ? 1 : 2)))
    return failure();
  if (std::optional<LogicalResult> done = reshapeToDeclared(node))
    return *done;
  bool present;
  FailureOr<std::vector<int64_t>> axes = readAxes(node, present);
  if (failed(axes))
    return failure();
  llvm::ArrayRef<int64_t> input = node.inputShape(0);
  int64_t rank = input.size() + axes->size();
  llvm::SmallVector<bool> inserted(rank, false);
  for (int64_t axis : *axes) {
    FailureOr<int64_t> a = node.normalizeAxis(axis, rank, "axis");
    if (failed(a))
      return failure();
    if (inserted[*a])
      return node.error() << "axis " << axis << " is listed twice", failure();
    inserted[*a] = true;
  }
  llvm::SmallVector<int64_t> shape;
  size_t next = 0;
  for (int64_t d = 0; d < rank; ++d)
    shape.push_back(inserted[d] ? 1 : input[next++]);
  return reshapeTo(node, shape);
}

LogicalResult convertTranspose(NodeImporter &node) {
  if (failed(node.expectInputs(1, 1)))
    return failure();
  int64_t rank = node.inputRank(0);
  llvm::SmallVector<int64_t> reversed;
  for (int64_t d = rank - 1; d >= 0; --d)
    reversed.push_back(d);
  FailureOr<llvm::SmallVector<int64_t>> perm = node.getInts("perm", reversed);
  if (failed(perm))
    return failure();
  llvm::SmallVector<bool> seen(rank, false);
  bool valid = static_cast<int64_t>(perm->size()) == rank;
  for (int64_t p : *perm) {
    valid &= p >= 0 && p < rank && !seen[std::clamp<int64_t>(p, 0, rank - 1)];
    if (valid)
      seen[p] = true;
  }
  if (!valid)
    return node.error() << "attribute 'perm' " << formatShape(*perm)
                        << " is not a permutation of the " << rank
                        << " dimensions",
           failure();
  if (const Tensor *input = node.constantInput(0)) {
    node.setConstantOutput(0, host::transpose(*input, *perm));
    return success();
  }
  FailureOr<Value> x = node.anyInput(0);
  if (failed(x))
    return failure();
  return node.setResult(node.createInferred<cnn::TransposeOp>(*x, *perm));
}

LogicalResult convertConcat(NodeImporter &node) {
  if (failed(node.expectInputs(1, SIZE_MAX)))
    return failure();
  for (size_t i = 0; i < node.numInputs(); ++i)
    if (!node.hasInput(i))
      return node.error() << "input " << i << " is omitted", failure();
  if (node.opset() >= 4 && !node.hasAttr("axis"))
    return node.error() << "attribute 'axis' is required", failure();
  int64_t rank = node.inputRank(0);
  FailureOr<int64_t> axis = node.getAxis("axis", 1, rank);
  if (failed(axis))
    return failure();
  bool allConstant = true;
  for (size_t i = 0; i < node.numInputs(); ++i) {
    llvm::ArrayRef<int64_t> shape = node.inputShape(i);
    bool fits = static_cast<int64_t>(shape.size()) == rank &&
                node.inputType(i) == node.inputType(0);
    for (int64_t d = 0; fits && d < rank; ++d)
      fits = d == *axis || shape[d] == node.inputShape(0)[d];
    if (!fits) {
      auto diag = node.error() << "cannot concatenate along axis " << *axis
                               << " tensors of shapes";
      for (size_t j = 0; j < node.numInputs(); ++j)
        diag << " " << formatShape(node.inputShape(j)) << " ("
             << elementTypeName(node.inputType(j)) << ")";
      return failure();
    }
    allConstant &= node.constantInput(i) != nullptr;
  }
  if (allConstant) {
    int64_t count = 0;
    for (size_t i = 0; i < node.numInputs(); ++i)
      count += std::min(host::countElements(node.inputShape(i)),
                        host::kMaxElements + 1);
    if (count > host::kMaxElements)
      return node.error() << "the concatenation is too large to compute at "
                             "compile time",
             failure();
    llvm::SmallVector<const Tensor *> inputs;
    for (size_t i = 0; i < node.numInputs(); ++i)
      inputs.push_back(node.constantInput(i));
    node.setConstantOutput(0, host::concat(inputs, *axis));
    return success();
  }
  llvm::SmallVector<Value> values;
  for (size_t i = 0; i < node.numInputs(); ++i) {
    FailureOr<Value> value = node.anyInput(i);
    if (failed(value))
      return failure();
    values.push_back(*value);
  }
  return node.setResult(
      node.createInferred<cnn::ConcatOp>(values, static_cast<uint64_t>(*axis)));
}

/// A strided window of input 0 into output `output`.
LogicalResult sliceTo(NodeImporter &node, size_t output,
                      llvm::ArrayRef<int64_t> offsets,
                      llvm::ArrayRef<int64_t> sizes,
                      llvm::ArrayRef<int64_t> strides) {
  if (const Tensor *input = node.constantInput(0)) {
    node.setConstantOutput(output,
                           host::slice(*input, offsets, sizes, strides));
    return success();
  }
  FailureOr<Value> x = node.anyInput(0);
  if (failed(x))
    return failure();
  FailureOr<Value> result =
      node.createInferred<cnn::SliceOp>(*x, offsets, sizes, strides);
  if (failed(result))
    return failure();
  node.setOutput(output, *result);
  return success();
}

LogicalResult convertSlice(NodeImporter &node) {
  bool attrs = node.opset() < 10;
  if (failed(node.expectInputs(attrs ? 1 : 3, attrs ? 1 : 5)))
    return failure();
  llvm::ArrayRef<int64_t> input = node.inputShape(0);
  int64_t rank = input.size();
  std::vector<int64_t> starts, ends, axes, steps;
  if (attrs) {
    FailureOr<llvm::SmallVector<int64_t>> s = node.getInts("starts");
    FailureOr<llvm::SmallVector<int64_t>> e = node.getInts("ends");
    FailureOr<llvm::SmallVector<int64_t>> a = node.getInts("axes");
    if (failed(s) || failed(e) || failed(a))
      return failure();
    starts.assign(s->begin(), s->end());
    ends.assign(e->begin(), e->end());
    axes.assign(a->begin(), a->end());
  } else {
    FailureOr<std::vector<int64_t>> s = node.requireInts(1, "starts");
    FailureOr<std::vector<int64_t>> e =
        failed(s) ? FailureOr<std::vector<int64_t>>(failure())
                  : node.requireInts(2, "ends");
    if (failed(s) || failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (node.hasInput(3)) {
      FailureOr<std::vector<int64_t>> a = node.requireInts(3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (node.hasInput(4)) {
      FailureOr<std::vector<int64_t>> st = node.requireInts(4, "steps");
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return node.error() << "expected as many ends, axes and steps as starts ("
                        << starts.size() << "), got " << ends.size() << ", "
                        << axes.size() << " and " << steps.size(),
           failure();

  llvm::SmallVector<int64_t> offsets(rank, 0), sizes(input), strides(rank, 1);
  llvm::SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < starts.size(); ++i) {
    FailureOr<int64_t> axis = node.normalizeAxis(axes[i], rank, "axis");
    if (failed(axis))
      return failure();
    if (seen[*axis])
      return node.error() << "axis " << axes[i] << " is sliced twice",
             failure();
    seen[*axis] = true;
    int64_t dim = input[*axis], step = steps[i];
    if (step == 0)
      return node.error() << "step 0 on axis " << axes[i]
                          << ": steps must be non-zero",
             failure();
    // ONNX's clamping: negative indices count from the end, then starts and
    // ends are clamped to the dimension (one less for negative steps).
    auto resolve = [&](int64_t v) {
      if (v < 0)
        v = v < -dim ? -1 : v + dim;
      return v;
    };
    int64_t start = resolve(starts[i]), end = resolve(ends[i]);
    if (starts[i] < -dim)
      start = 0;
    int64_t size;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
      size = end > start ? (end - start - 1) / step + 1 : 0;
    } else {
      start = std::clamp<int64_t>(start, -1, dim - 1);
      end = ends[i] < -dim ? -1 : std::clamp<int64_t>(end, -1, dim - 1);
      // (end - start + 1) / step is exact without negating the step.
      size = start > end ? (end - start + 1) / step + 1 : 0;
    }
    offsets[*axis] = size > 0 ? start : 0;
    sizes[*axis] = size;
    strides[*axis] = size > 0 ? step : 1;
  }
  return sliceTo(node, 0, offsets, sizes, strides);
}

LogicalResult convertSplit(NodeImporter &node) {
  if (failed(node.expectInputs(1, node.opset() < 13 ? 1 : 2)))
    return failure();
  llvm::ArrayRef<int64_t> input = node.inputShape(0);
  int64_t rank = input.size();
  FailureOr<int64_t> axis = node.getAxis("axis", 0, rank);
  if (failed(axis))
    return failure();
  std::vector<int64_t> split;
  if (node.opset() < 13) {
    FailureOr<llvm::SmallVector<int64_t>> attr = node.getInts("split");
    if (failed(attr))
      return failure();
    split.assign(attr->begin(), attr->end());
  } else if (node.hasInput(1)) {
    FailureOr<std::vector<int64_t>> given = node.requireInts(1, "split");
    if (failed(given))
      return failure();
    split = *given;
  }
  int64_t outputs = node.numOutputs(), dim = input[*axis];
  if (split.empty()) {
    if (outputs == 0 || dim % outputs != 0)
      return node.error() << "cannot split dimension " << *axis << " (" << dim
                          << ") into " << outputs << " equal parts",
             failure();
    split.assign(outputs, dim / outputs);
  }
  int64_t total = 0;
  for (int64_t part : split) {
    if (part < 0)
      return node.error() << "split " << formatShape(split)
                          << " has a negative part",
             failure();
    total += part;
  }
  if (static_cast<int64_t>(split.size()) != outputs || total != dim)
    return node.error() << "split " << formatShape(split) << " does not divide "
                        << "dimension " << *axis << " (" << dim << ") into "
                        << outputs << " outputs",
           failure();
  int64_t offset = 0;
  for (int64_t i = 0; i < outputs; ++i) {
    llvm::SmallVector<int64_t> offsets(rank, 0), sizes(input), strides(rank, 1);
    offsets[*axis] = split[i] > 0 ? offset : 0;
    sizes[*axis] = split[i];
    if (node.outputUsed(i) && failed(sliceTo(node, i, offsets, sizes, strides)))
      return failure();
    offset += split[i];
  }
  return success();
}

LogicalResult convertPad(NodeImporter &node) {
  int64_t opset = node.opset();
  if (failed(node.expectInputs(opset < 11 ? 1 : 2, opset < 11 ? 1 : 3)))
    return failure();
  FailureOr<std::string> modeName = node.getString("mode", "constant");
  if (failed(modeName))
    return failure();
  std::optional<cnn::PadMode> mode =
      *modeName == "constant"  ? std::optional(cnn::PadMode::Constant)
      : *modeName == "reflect" ? std::optional(cnn::PadMode::Reflect)
      : *modeName == "edge"    ? std::optional(cnn::PadMode::Edge)
                               : std::nullopt;
  if (!mode)
    return node.error() << "mode '" << *modeName
                        << "' is not supported (constant, reflect and edge "
                           "are)",
           failure();
  std::vector<int64_t> pads;
  double value = 0;
  if (opset < 11) {
    FailureOr<llvm::SmallVector<int64_t>> attr =
        node.getInts(opset < 2 ? "paddings" : "pads");
    FailureOr<float> constant = node.getFloat("value", 0.0f);
    if (failed(attr) || failed(constant))
      return failure();
    pads.assign(attr->begin(), attr->end());
    value = *constant;
  } else {
    FailureOr<std::vector<int64_t>> given = node.requireInts(1, "pads");
    if (failed(given))
      return failure();
    pads = *given;
    if (node.hasInput(2)) {
      FailureOr<const Tensor *> constant =
          node.requireConstant(2, "constant_value");
      if (failed(constant))
        return failure();
      if ((*constant)->numElements() != 1)
        return node.error() << "expected a scalar constant_value, got shape "
                            << formatShape((*constant)->shape),
               failure();
      value = (*constant)->floatAt(0);
    }
  }
  llvm::ArrayRef<int64_t> input = node.inputShape(0);
  int64_t rank = input.size();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return node.error() << "expected " << 2 * rank
                        << " pads (a begin and an end per dimension), got "
                        << formatShape(pads),
           failure();

  // Negative pads crop: a slice first, then the padding.
  llvm::SmallVector<int64_t> offsets(rank, 0), sizes(input), strides(rank, 1);
  llvm::SmallVector<int64_t> padding(2 * rank, 0);
  bool crops = false;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t begin = pads[d], end = pads[d + rank];
    if (begin < 0 || end < 0) {
      crops = true;
      int64_t drop = std::max<int64_t>(0, -begin) + std::max<int64_t>(0, -end);
      if (drop > input[d])
        return node.error()
                   << "pads " << formatShape(pads) << " crop more "
                   << "than dimension " << d << " (" << input[d] << ") holds",
               failure();
      offsets[d] = std::max<int64_t>(0, -begin);
      sizes[d] = input[d] - drop;
    }
    padding[d] = std::max<int64_t>(0, begin);
    padding[d + rank] = std::max<int64_t>(0, end);
  }
  FailureOr<Value> x = node.input(0);
  if (failed(x))
    return failure();
  if (crops) {
    x = node.createInferred<cnn::SliceOp>(*x, offsets, sizes, strides);
    if (failed(x))
      return failure();
  }
  return node.setResult(node.createInferred<cnn::PadOp>(
      *mode, *x, padding, llvm::APFloat(static_cast<float>(value))));
}

LogicalResult convertGather(NodeImporter &node) {
  if (failed(node.expectInputs(2, 2)))
    return failure();
  llvm::ArrayRef<int64_t> data = node.inputShape(0);
  int64_t rank = data.size();
  FailureOr<int64_t> axis = node.getAxis("axis", 0, rank);
  if (failed(axis))
    return failure();
  FailureOr<const Tensor *> indicesTensor = node.requireConstant(1, "indices");
  if (failed(indicesTensor))
    return failure();
  if (!isInteger((*indicesTensor)->type))
    return node.error() << "expected integer indices, got "
                        << elementTypeName((*indicesTensor)->type),
           failure();
  std::vector<int64_t> indices = (*indicesTensor)->toInts();
  int64_t dim = data[*axis];
  for (int64_t &index : indices) {
    if (index < -dim || index >= dim)
      return node.error() << "index " << index << " is out of range for "
                          << "dimension " << *axis << " of "
                          << formatShape(data),
             failure();
    if (index < 0)
      index += dim;
  }
  llvm::ArrayRef<int64_t> indicesShape = (*indicesTensor)->shape;
  if (const Tensor *input = node.constantInput(0)) {
    // The result has the data's shape with the axis replaced by indices'.
    llvm::SmallVector<int64_t> outer(data);
    outer[*axis] = static_cast<int64_t>(indices.size());
    if (host::countElements(outer) > host::kMaxElements)
      return node.error() << "the gathered tensor is too large to compute "
                             "at compile time",
             failure();
    node.setConstantOutput(0,
                           host::gather(*input, indices, indicesShape, *axis));
    return success();
  }
  // A computed tensor: one slice per index, concatenated and reshaped; no
  // index is an empty slice.
  FailureOr<Value> x = node.anyInput(0);
  if (failed(x))
    return failure();
  if (indices.empty()) {
    llvm::SmallVector<int64_t> offsets(rank, 0), sizes(data), strides(rank, 1);
    sizes[*axis] = 0;
    FailureOr<Value> empty =
        node.createInferred<cnn::SliceOp>(*x, offsets, sizes, strides);
    if (failed(empty))
      return failure();
    llvm::SmallVector<int64_t> shape(data.take_front(*axis));
    llvm::append_range(shape, indicesShape);
    llvm::append_range(shape, data.drop_front(*axis + 1));
    return node.setResult(node.reshape(*empty, shape));
  }
  llvm::SmallVector<Value> parts;
  for (int64_t index : indices) {
    llvm::SmallVector<int64_t> offsets(rank, 0), sizes(data), strides(rank, 1);
    offsets[*axis] = index;
    sizes[*axis] = 1;
    FailureOr<Value> part =
        node.createInferred<cnn::SliceOp>(*x, offsets, sizes, strides);
    if (failed(part))
      return failure();
    parts.push_back(*part);
  }
  FailureOr<Value> gathered = parts.size() == 1
                                  ? FailureOr<Value>(parts.front())
                                  : node.createInferred<cnn::ConcatOp>(
                                        parts, static_cast<uint64_t>(*axis));
  if (failed(gathered))
    return failure();
  llvm::SmallVector<int64_t> shape(data.take_front(*axis));
  llvm::append_range(shape, indicesShape);
  llvm::append_range(shape, data.drop_front(*axis + 1));
  return node.setResult(node.reshape(*gathered, shape));
}

LogicalResult convertExpand(NodeImporter &node) {
  if (failed(node.expectInputs(2, 2)))
    return failure();
  FailureOr<std::vector<int64_t>> requested = node.requireInts(1, "shape");
  if (failed(requested))
    return failure();
  llvm::SmallVector<int64_t> shape;
  llvm::SmallVector<int64_t> target(requested->begin(), requested->end());
  if (llvm::any_of(target, [](int64_t d) { return d < 0; }) ||
      !OpTrait::util::getBroadcastedShape(node.inputShape(0), target, shape))
    return node.error() << "cannot expand " << formatShape(node.inputShape(0))
                        << " to " << formatShape(target),
           failure();
  if (const Tensor *input = node.constantInput(0)) {
    if (host::countElements(shape) > host::kMaxElements)
      return node.error() << "the expanded shape " << formatShape(shape)
                          << " is too large",
             failure();
    node.setConstantOutput(0, host::broadcastTo(*input, shape));
    return success();
  }
  // x * 1 broadcast to the shape: exact for every value.
  FailureOr<Value> x = node.input(0);
  if (failed(x))
    return failure();
  auto elementType = cast<RankedTensorType>(x->getType()).getElementType();
  auto onesType = RankedTensorType::get(target, elementType);
  Value ones = cnn::ConstantOp::create(
      node.builder(), node.loc(),
      DenseElementsAttr::get(onesType,
                             node.builder().getFloatAttr(elementType, 1.0)));
  return node.setResult(
      node.createInferred<cnn::BinaryOp>(cnn::BinaryKind::Mul, *x, ones));
}

} // namespace

void addTensorOps(ConverterTable &table) {
  table["Reshape"] = convertReshape;
  table["Flatten"] = convertFlatten;
  table["Squeeze"] = convertSqueeze;
  table["Unsqueeze"] = convertUnsqueeze;
  table["Transpose"] = convertTranspose;
  table["Concat"] = convertConcat;
  table["Slice"] = convertSlice;
  table["Split"] = convertSplit;
  table["Pad"] = convertPad;
  table["Gather"] = convertGather;
  table["Expand"] = convertExpand;
}

} // namespace cnnc::onnx
