//===- Convolution.cpp - A bufferized kernel op, as the kernels see it ----===//

#include "Convolution.h"
#include "cnnc/Dialect/Kernel/IR/Epilogue.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace cnnc::kernels {

namespace {

/// The mask of the first `lanes` lanes of `type`.
Value laneMask(OpBuilder &b, Location loc, VectorType type, int64_t lanes) {
  auto maskType = VectorType::get(type.getShape(), b.getI1Type());
  return vector::ConstantMaskOp::create(b, loc, maskType,
                                        ArrayRef<int64_t>{lanes});
}

/// The activations the kernel reads and writes: the input, the output and
/// the residual, each once.
SmallVector<Value> activationsOf(const Convolution &conv) {
  SmallVector<Value> activations{conv.input, conv.output};
  if (conv.residual && !llvm::is_contained(activations, conv.residual))
    activations.push_back(conv.residual);
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
                                Value channel) const {
  if (bias)
    return loadVector(b, loc, type, bias, ValueRange{channel});
  return cnnk::floatConstant(b, loc, type, 0.0);
}

void Convolution::store(OpBuilder &b, Location loc, Value value,
                        ValueRange indices) const {
  Value added;
  if (residual)
    added = loadVector(b, loc, cast<VectorType>(value.getType()),
                       viewOf(residual), indices);
  value = cnnk::applyEpilogue(b, loc, value, added, activation,
                              activationAlpha, activationBeta);
  storeVector(b, loc, value, viewOf(output), indices);
}

std::optional<Convolution> describeConvolution(Operation *op) {
  auto conv2d = dyn_cast<cnnk::Conv2DOp>(op);
  auto product = dyn_cast<cnnk::MatmulOp>(op);
  if (!conv2d && !product)
    return std::nullopt;
  bool buffers = conv2d ? conv2d.hasBufferSemantics()
                        : product.hasBufferSemantics();
  if (!buffers)
    return std::nullopt;
  Value input = op->getOperand(0), filter = op->getOperand(1);
  Value output = conv2d ? conv2d.getInit() : product.getInit();
  bool depthwise = conv2d && conv2d.isDepthwise();
  bool matmul = product && cast<MemRefType>(output.getType()).getRank() == 2;
  bool batchMatmul = product && !matmul;
  ArrayRef<int64_t> in = cast<MemRefType>(input.getType()).getShape();
  ArrayRef<int64_t> out = cast<MemRefType>(output.getType()).getShape();
  ArrayRef<int64_t> w = cast<MemRefType>(filter.getType()).getShape();
  Convolution conv;
  conv.kernel = op;
  if (conv2d) {
    conv.bias = conv2d.getBias();
    conv.residual = conv2d.getResidual();
    conv.activation = conv2d.getActivation();
    conv.activationAlpha = conv2d.getActivationAlphaAttr();
    conv.activationBeta = conv2d.getActivationBetaAttr();
  } else {
    conv.bias = product.getBias();
    conv.residual = product.getResidual();
    conv.activation = product.getActivation();
    conv.activationAlpha = product.getActivationAlphaAttr();
    conv.activationBeta = product.getActivationBetaAttr();
  }
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
    conv.strideH = conv2d.getStrides()[0];
    conv.strideW = conv2d.getStrides()[1];
    conv.dilationH = conv2d.getDilations()[0];
    conv.dilationW = conv2d.getDilations()[1];
    conv.reduced = depthwise ? 1 : w[2];
  }
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

} // namespace cnnc::kernels
