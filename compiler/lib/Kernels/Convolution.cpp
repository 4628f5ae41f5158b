//===- Convolution.cpp - A bufferized convolution, as the kernels see it --===//

#include "Convolution.h"
#include "cnnc/Dialect/CNN/IR/ConstantElements.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace cnnc::kernels {

namespace {

/// Where a memref lives: the buffer it views and the byte range in it.
struct Extent {
  Value root;
  int64_t begin = 0, end = 0; // bytes; end 0: all of it.
};

Extent extentOf(Value value) {
  // A reshape covers the bytes of what it reshapes; a subview some of
  // them (taken as all of them).
  while (Operation *op = value.getDefiningOp()) {
    if (!isa<memref::ExpandShapeOp, memref::CollapseShapeOp,
             memref::SubViewOp>(op))
      break;
    value = op->getOperand(0);
  }
  auto type = cast<MemRefType>(value.getType());
  if (auto view = value.getDefiningOp<memref::ViewOp>()) {
    std::optional<int64_t> shift = getConstantIntValue(view.getByteShift());
    if (shift && type.hasStaticShape())
      return {view.getSource(), *shift,
              *shift + type.getNumElements() *
                           ((type.getElementTypeBitWidth() + 7) / 8)};
  }
  return {value};
}

/// A buffer of its own: an argument, a global, a fresh allocation.
bool isDistinctBuffer(Value root) {
  return isa<BlockArgument>(root) ||
         root.getDefiningOp<memref::GetGlobalOp>() ||
         root.getDefiningOp<memref::AllocOp>();
}

/// Whether two memrefs may share bytes: views of one buffer whose ranges
/// meet, or anything this cannot tell apart.
bool mayOverlap(Value a, Value b) {
  if (a == b)
    return true;
  Extent x = extentOf(a), y = extentOf(b);
  if (x.root != y.root)
    return !(isDistinctBuffer(x.root) && isDistinctBuffer(y.root));
  if (!x.end || !y.end)
    return true;
  return x.begin < y.end && y.begin < x.end;
}

/// The op before `op` that is not free of memory effects (a view of the
/// weights, a constant): the last one that may have written its operands.
Operation *previousEffect(Operation *op) {
  Operation *previous = op->getPrevNode();
  while (previous && isMemoryEffectFree(previous))
    previous = previous->getPrevNode();
  return previous;
}

/// The op after `op` that is not free of memory effects (the view that
/// an epilogue writes, a constant): the first that may read its results.
Operation *nextEffect(Operation *op) {
  Operation *next = op->getNextNode();
  while (next && isMemoryEffectFree(next))
    next = next->getNextNode();
  return next;
}

/// Whether `op` writes every element of `buffer` without reading it: a
/// fill or a broadcast into it.
bool overwritesAll(Operation *op, Value buffer) {
  if (auto fill = dyn_cast<linalg::FillOp>(op))
    return fill.getOutputs()[0] == buffer;
  if (auto broadcast = dyn_cast<linalg::BroadcastOp>(op))
    return broadcast.getInit() == buffer;
  return false;
}

/// The elementwise op right after `op` that reads its output, when the
/// kernel can apply it before its stores: identity maps over the output's
/// shape, scalar arith and math in its body. Unless it writes in place,
/// nothing after it may read the convolution's output before writing all
/// of it (the output then never holds the sums), and its result must not
/// land on what the convolution still reads.
linalg::GenericOp matchEpilogue(linalg::LinalgOp op, const Convolution &conv) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(nextEffect(op));
  if (!generic || !generic.hasPureBufferSemantics() ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return nullptr;
  auto outputType = cast<MemRefType>(conv.output.getType());
  bool readsOutput = false;
  for (OpOperand &operand : generic->getOpOperands()) {
    if (!generic.getMatchingIndexingMap(&operand).isIdentity() ||
        cast<MemRefType>(operand.get().getType()).getShape() !=
            outputType.getShape())
      return nullptr;
    readsOutput |= operand.get() == conv.output && generic.isDpsInput(&operand);
  }
  if (!readsOutput)
    return nullptr;
  for (Operation &inner : generic.getRegion().front().without_terminator())
    if (inner.getNumRegions() ||
        !isa<arith::ArithDialect, math::MathDialect>(inner.getDialect()) ||
        !llvm::all_of(inner.getResultTypes(),
                      [](Type t) { return t.isIntOrFloat(); }))
      return nullptr;
  Value result = generic.getDpsInits()[0];
  if (result == conv.output)
    return generic;
  if (mayOverlap(result, conv.input) || mayOverlap(result, conv.filter))
    return nullptr;
  // Whatever uses the convolution's output after the epilogue must write
  // all of it first (the workspace reuses the buffer for a later layer).
  Operation *nextUse = nullptr;
  for (Operation *user : conv.output.getUsers()) {
    if (user == op || user == generic)
      continue;
    if (user->getBlock() != op->getBlock())
      return nullptr;
    if (user->isBeforeInBlock(op))
      continue;
    if (!nextUse || user->isBeforeInBlock(nextUse))
      nextUse = user;
  }
  if (nextUse && !overwritesAll(nextUse, conv.output))
    return nullptr;
  return generic;
}

/// The broadcast of a bias along the channels into the output right before
/// `op` (views and constants between them aside).
linalg::BroadcastOp matchBias(linalg::LinalgOp op, const Convolution &conv) {
  auto broadcast = dyn_cast_or_null<linalg::BroadcastOp>(previousEffect(op));
  int64_t rank = cast<MemRefType>(conv.output.getType()).getRank();
  SmallVector<int64_t> leading = llvm::to_vector(llvm::seq<int64_t>(0, rank - 1));
  if (!broadcast || broadcast.getInit() != conv.output ||
      !broadcast.hasPureBufferSemantics() ||
      broadcast.getDimensions() != ArrayRef<int64_t>(leading))
    return nullptr;
  return broadcast;
}

/// The fill of the output with a constant right before `op` (views and
/// constants between them aside).
linalg::FillOp matchFill(linalg::LinalgOp op, const Convolution &conv) {
  auto fill = dyn_cast_or_null<linalg::FillOp>(previousEffect(op));
  if (!fill || fill.getOutputs()[0] != conv.output ||
      !fill.hasPureBufferSemantics() ||
      !fill.getInputs()[0].getDefiningOp<arith::ConstantOp>())
    return nullptr;
  return fill;
}

int64_t intAttr(Operation *op, StringRef name, unsigned i) {
  return cast<DenseIntElementsAttr>(op->getAttr(name)).getValues<int64_t>()[i];
}

/// The mask of the first `lanes` lanes of `type`.
Value laneMask(OpBuilder &b, Location loc, VectorType type, int64_t lanes) {
  auto maskType = VectorType::get(type.getShape(), b.getI1Type());
  return vector::ConstantMaskOp::create(b, loc, maskType,
                                        ArrayRef<int64_t>{lanes});
}

/// The activations the kernel reads and writes: the input, the output and
/// the epilogue's operands, each once.
SmallVector<Value> activationsOf(const Convolution &conv) {
  SmallVector<Value> activations{conv.input, conv.output};
  if (linalg::GenericOp epilogue = conv.epilogue)
    for (Value operand : epilogue->getOperands())
      if (!llvm::is_contained(activations, operand))
        activations.push_back(operand);
  return activations;
}

} // namespace

Value Convolution::loadVector(OpBuilder &b, Location loc, VectorType type,
                              Value memref, ValueRange indices) const {
  if (!validLanes)
    return vector::LoadOp::create(b, loc, type, memref, indices);
  Value zero = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, b.getF32FloatAttr(0)));
  return vector::MaskedLoadOp::create(b, loc, type, memref, indices,
                                      laneMask(b, loc, type, validLanes),
                                      zero);
}

void Convolution::storeVector(OpBuilder &b, Location loc, Value value,
                              Value memref, ValueRange indices) const {
  if (!validLanes) {
    vector::StoreOp::create(b, loc, value, memref, indices);
    return;
  }
  auto type = cast<VectorType>(value.getType());
  vector::MaskedStoreOp::create(b, loc, memref, indices,
                                laneMask(b, loc, type, validLanes), value);
}

Value Convolution::initialValue(OpBuilder &b, Location loc, VectorType type,
                                Value channel, ValueRange indices) const {
  if (bias)
    return loadVector(b, loc, type, linalg::BroadcastOp(bias).getInput(),
                      ValueRange{channel});
  if (fill)
    return vector::BroadcastOp::create(b, loc, type,
                                       linalg::FillOp(fill).getInputs()[0]);
  return loadVector(b, loc, type, viewOf(output), indices);
}

void Convolution::store(OpBuilder &b, Location loc, Value value,
                        ValueRange indices) const {
  Value destination = viewOf(output);
  if (linalg::GenericOp epilogue = this->epilogue) {
    // The epilogue's body on the vector: its other operands loaded at the
    // same indices, each scalar op applied to vectors.
    auto vectorType = cast<VectorType>(value.getType());
    Block &body = epilogue.getRegion().front();
    IRMapping mapping;
    for (OpOperand &operand : epilogue->getOpOperands()) {
      BlockArgument argument = body.getArgument(operand.getOperandNumber());
      if (argument.use_empty())
        continue;
      mapping.map(argument,
                  operand.get() == output && epilogue.isDpsInput(&operand)
                      ? value
                      : loadVector(b, loc, vectorType,
                                   viewOf(operand.get()), indices));
    }
    // Scalars from outside the body, as vectors.
    auto vectorOf = [&](Value scalar) {
      if (mapping.contains(scalar))
        return;
      auto type = VectorType::get(vectorType.getShape(), scalar.getType());
      mapping.map(scalar, vector::BroadcastOp::create(b, loc, type, scalar));
    };
    for (Operation &op : body.without_terminator()) {
      // A constant in the body: its splat.
      if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
        auto type = VectorType::get(vectorType.getShape(), constant.getType());
        mapping.map(constant.getResult(),
                    vector::BroadcastOp::create(
                        b, loc, type, b.clone(op)->getResult(0)));
        continue;
      }
      for (Value operand : op.getOperands())
        vectorOf(operand);
      Operation *vectorized = b.clone(op, mapping);
      for (Value result : vectorized->getResults())
        result.setType(
            VectorType::get(vectorType.getShape(), result.getType()));
    }
    value = mapping.lookup(body.getTerminator()->getOperand(0));
    destination = viewOf(epilogue.getDpsInits()[0]);
  }
  storeVector(b, loc, value, destination, indices);
}

std::optional<Convolution> describeConvolution(linalg::LinalgOp op) {
  bool depthwise = isa<linalg::DepthwiseConv2DNhwcHwcOp>(op);
  auto batchMatmul = dyn_cast<linalg::BatchMatmulOp>(op.getOperation());
  if (batchMatmul && batchMatmul.hasUserDefinedMaps())
    return std::nullopt;
  auto matmul = dyn_cast<linalg::MatmulOp>(op.getOperation());
  if (matmul && matmul.hasUserDefinedMaps())
    return std::nullopt;
  if (!depthwise && !batchMatmul && !matmul &&
      !isa<linalg::Conv2DNhwcHwcfOp>(op))
    return std::nullopt;
  if (!op.hasPureBufferSemantics())
    return std::nullopt;
  Value input = op.getDpsInputs()[0], filter = op.getDpsInputs()[1];
  Value output = op.getDpsInits()[0];
  for (Value value : {input, filter, output}) {
    auto type = cast<MemRefType>(value.getType());
    if (!type.hasStaticShape() || !type.getElementType().isF32())
      return std::nullopt;
  }
  ArrayRef<int64_t> in = cast<MemRefType>(input.getType()).getShape();
  ArrayRef<int64_t> out = cast<MemRefType>(output.getType()).getShape();
  ArrayRef<int64_t> w = cast<MemRefType>(filter.getType()).getShape();
  Convolution conv;
  conv.input = input;
  conv.filter = filter;
  conv.output = output;
  conv.depthwise = depthwise;
  if (matmul) {
    // [M, K] x [K, N]: one image of one row of M pixels, 1x1.
    conv.matmul = true;
    conv.batch = conv.height = conv.inputHeight = 1;
    conv.width = out[0];
    conv.channels = out[1];
    conv.inputWidth = in[0];
    conv.kernelH = conv.kernelW = 1;
    conv.strideH = conv.strideW = conv.dilationH = conv.dilationW = 1;
    conv.reduced = in[1];
  } else if (batchMatmul) {
    // [P, T, C] x [P, C, F]: P images of one row of T pixels, 1x1.
    conv.batchedFilter = true;
    conv.batch = out[0];
    conv.height = 1;
    conv.width = out[1];
    conv.channels = out[2];
    conv.inputHeight = 1;
    conv.inputWidth = in[1];
    conv.kernelH = conv.kernelW = 1;
    conv.strideH = conv.strideW = conv.dilationH = conv.dilationW = 1;
    conv.reduced = in[2];
  } else {
    conv.batch = out[0];
    conv.height = out[1];
    conv.width = out[2];
    conv.channels = out[3];
    conv.inputHeight = in[1];
    conv.inputWidth = in[2];
    conv.kernelH = w[0];
    conv.kernelW = w[1];
    conv.strideH = intAttr(op, "strides", 0);
    conv.strideW = intAttr(op, "strides", 1);
    conv.dilationH = intAttr(op, "dilations", 0);
    conv.dilationW = intAttr(op, "dilations", 1);
    conv.reduced = depthwise ? 1 : w[2];
  }
  conv.epilogue = matchEpilogue(op, conv);
  // The views and constants between the two (the epilogue's output, say)
  // move before the convolution, where its kernel will use them.
  if (conv.epilogue)
    while (op->getNextNode() != conv.epilogue.getOperation())
      op->getNextNode()->moveBefore(op);
  conv.bias = matchBias(op, conv);
  if (!conv.bias)
    conv.fill = matchFill(op, conv);
  return conv;
}

bool flattenPixels(OpBuilder &b, Location loc, Convolution &conv) {
  if (conv.matmul) {
    // Its rows are the pixels already: the views add the unit dimensions.
    for (Value value : activationsOf(conv)) {
      ArrayRef<int64_t> shape = cast<MemRefType>(value.getType()).getShape();
      conv.views[value] = memref::ExpandShapeOp::create(
          b, loc, SmallVector<int64_t>{1, shape[0], shape[1]}, value,
          SmallVector<ReassociationIndices>{{0, 1}, {2}});
    }
    ArrayRef<int64_t> weights =
        cast<MemRefType>(conv.filter.getType()).getShape();
    conv.filter = memref::ExpandShapeOp::create(
        b, loc, SmallVector<int64_t>{1, 1, weights[0], weights[1]},
        conv.filter, SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
    conv.flatPixels = true;
    return true;
  }
  if (conv.batchedFilter || conv.depthwise || conv.kernelH != 1 ||
      conv.kernelW != 1 || conv.strideH != 1 || conv.strideW != 1 ||
      conv.inputHeight != conv.height || conv.inputWidth != conv.width ||
      conv.height == 1)
    return false;
  SmallVector<Value> activations = activationsOf(conv);
  SmallVector<ReassociationIndices> pixels{{0}, {1, 2}, {3}};
  bool collapsible = llvm::all_of(activations, [&](Value value) {
    auto type = cast<MemRefType>(value.getType());
    return type.getRank() == 4 &&
           memref::CollapseShapeOp::isGuaranteedCollapsible(type, pixels);
  });
  if (collapsible) {
    for (Value value : activations)
      conv.views[value] =
          memref::CollapseShapeOp::create(b, loc, value, pixels).getResult();
    conv.flatPixels = true;
  } else {
    // A strided activation (a padded buffer's interior): the flat pixel
    // index is split into (row, column) once per pixel of the tile.
    conv.flatPixelRowLength = conv.width;
  }
  conv.width *= conv.height;
  conv.height = 1;
  conv.inputWidth *= conv.inputHeight;
  conv.inputHeight = 1;
  return true;
}

void eraseFused(RewriterBase &rewriter, const Convolution &conv) {
  if (conv.epilogue)
    rewriter.eraseOp(conv.epilogue);
  if (conv.bias)
    rewriter.eraseOp(conv.bias);
  if (conv.fill)
    rewriter.eraseOp(conv.fill);
}

memref::GetGlobalOp sourceGlobal(Value filter) {
  while (Operation *op = filter.getDefiningOp()) {
    if (auto get = dyn_cast<memref::GetGlobalOp>(op))
      return get;
    if (auto expand = dyn_cast<memref::ExpandShapeOp>(op))
      filter = expand.getSrc();
    else if (auto collapse = dyn_cast<memref::CollapseShapeOp>(op))
      filter = collapse.getSrc();
    else
      return nullptr;
  }
  return nullptr;
}

std::optional<std::vector<float>> globalFloats(memref::GlobalOp global) {
  if (!global.getConstant())
    return std::nullopt;
  Attribute value = global.getInitialValueAttr();
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(value)) {
    if (!dense.getElementType().isF32())
      return std::nullopt;
    auto values = dense.getValues<float>();
    return std::vector<float>(values.begin(), values.end());
  }
  if (auto resource = dyn_cast_if_present<DenseF32ResourceElementsAttr>(value))
    if (std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef())
      return std::vector<float>(data->begin(), data->end());
  return std::nullopt;
}

std::optional<std::vector<float>> constantFloats(SymbolTable &symbols,
                                                 Value filter) {
  memref::GetGlobalOp get = sourceGlobal(filter);
  auto global =
      get ? symbols.lookup<memref::GlobalOp>(get.getName()) : nullptr;
  std::optional<std::vector<float>> data =
      global ? globalFloats(global) : std::nullopt;
  if (!data || static_cast<int64_t>(data->size()) !=
                   cast<MemRefType>(filter.getType()).getNumElements())
    return std::nullopt;
  return data;
}

Value createConstantWeights(OpBuilder &b, Location loc, SymbolTable &symbols,
                            memref::GlobalOp near, StringRef suffix,
                            ArrayRef<float> data, ArrayRef<int64_t> shape) {
  auto size = static_cast<int64_t>(data.size());
  auto flatType = MemRefType::get({size}, b.getF32Type());
  memref::GlobalOp copy;
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(near);
    copy = memref::GlobalOp::create(
        b, loc, (near.getSymName() + suffix).str(),
        b.getStringAttr("private"), flatType,
        cnn::constantElements(RankedTensorType::get({size}, b.getF32Type()),
                              data, suffix.drop_front()),
        /*constant=*/true, b.getI64IntegerAttr(64));
    symbols.insert(copy);
  }
  Value flat = memref::GetGlobalOp::create(b, loc, flatType, copy.getSymName());
  ReassociationIndices all =
      llvm::to_vector<2>(llvm::seq<int64_t>(0, shape.size()));
  return memref::ExpandShapeOp::create(
      b, loc, MemRefType::get(shape, b.getF32Type()), flat,
      SmallVector<ReassociationIndices>{all});
}

void eraseDeadChain(Value value) {
  while (Operation *op = value.getDefiningOp()) {
    if (!op->use_empty() || !isa<memref::GetGlobalOp, memref::ExpandShapeOp,
                                 memref::CollapseShapeOp>(op))
      return;
    value = op->getNumOperands() ? op->getOperand(0) : Value();
    op->erase();
    if (!value)
      return;
  }
}

} // namespace cnnc::kernels
