//===- KernelOps.cpp - cnnk.conv2d and cnnk.matmul ------------------------===//
//
// Shapes checked against each other, memory effects on memrefs, and
// bufferization: the inputs (input, filter, bias, residual) are read, the
// init is written whole and never read, the result is the init's buffer.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Dialect/Kernel/IR/KernelOps.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace cnnc::cnnk;

#define GET_OP_CLASSES
#include "cnnc/Dialect/Kernel/IR/KernelOps.cpp.inc"

namespace {

ArrayRef<int64_t> shapeOf(Value value) {
  return cast<ShapedType>(value.getType()).getShape();
}

std::string shapeString(ArrayRef<int64_t> shape) {
  std::string text = "[";
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(shape, os);
  os << "]";
  return text;
}

/// What both ops check: every operand a tensor, or every one a memref; a
/// tensor result of the init's type exactly when on tensors; the residual
/// of the init's shape; the bias [channels].
LogicalResult verifyCommon(Operation *op, Value init, Value bias,
                           Value residual, int64_t channels) {
  bool buffers = isa<MemRefType>(init.getType());
  for (Value operand : op->getOperands())
    if (isa<MemRefType>(operand.getType()) != buffers)
      return op->emitOpError("operands must be all tensors or all memrefs");
  if (buffers && op->getNumResults())
    return op->emitOpError("on memrefs has no result");
  if (!buffers &&
      (op->getNumResults() != 1 || op->getResult(0).getType() != init.getType()))
    return op->emitOpError("on tensors returns one tensor of the init's type");
  if (bias && shapeOf(bias) != ArrayRef<int64_t>{channels})
    return op->emitOpError("bias must be [")
           << channels << "] (one per output channel), got "
           << shapeString(shapeOf(bias));
  if (residual && shapeOf(residual) != shapeOf(init))
    return op->emitOpError("residual must have the init's shape ")
           << shapeString(shapeOf(init)) << ", got "
           << shapeString(shapeOf(residual));
  return success();
}

/// Memory effects on memrefs: reads of every operand but the init, one
/// write of the init.
template <typename OpT>
void kernelEffects(
    OpT op,
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  if (!op.hasBufferSemantics())
    return;
  for (OpOperand &operand : op->getOpOperands()) {
    if (op.isDpsInit(&operand))
      effects.emplace_back(MemoryEffects::Write::get(), &operand,
                           SideEffects::DefaultResource::get());
    else
      effects.emplace_back(MemoryEffects::Read::get(), &operand,
                           SideEffects::DefaultResource::get());
  }
}

/// Bufferization of both ops: the inputs (input or lhs, filter or rhs,
/// bias, residual) are read, the init is written whole and never read (no
/// copy into it), and the result is the init's buffer.
template <typename OpT>
struct KernelBufferization
    : bufferization::DstBufferizableOpInterfaceExternalModel<
          KernelBufferization<OpT>, OpT> {
  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand,
                              const bufferization::AnalysisState &) const {
    return !cast<DestinationStyleOpInterface>(op).isDpsInit(&operand);
  }

  /// The same op (its properties: segments, strides, recorded choice) on
  /// the buffers, without a result.
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const bufferization::BufferizationOptions &options,
                          bufferization::BufferizationState &state) const {
    SmallVector<Value> buffers;
    for (Value operand : op->getOperands()) {
      FailureOr<Value> buffer =
          bufferization::getBuffer(rewriter, operand, options, state);
      if (failed(buffer))
        return failure();
      buffers.push_back(*buffer);
    }
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(op);
    OperationState bufferized(op->getLoc(), op->getName(), buffers,
                              TypeRange{});
    bufferized.useProperties(cast<OpT>(op).getProperties());
    bufferized.addAttributes(llvm::to_vector(op->getDiscardableAttrs()));
    rewriter.create(bufferized);
    bufferization::replaceOpWithBufferizedValues(rewriter, op,
                                                 buffers.back());
    return success();
  }
};

} // namespace

//===----------------------------------------------------------------------===//
// cnnk.conv2d
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::verify() {
  ArrayRef<int64_t> in = shapeOf(getInput()), w = shapeOf(getFilter()),
                    out = shapeOf(getInit());
  if (in.size() != 4 || out.size() != 4)
    return emitOpError("input and init must be [N, H, W, C]");
  if (w.size() != 4 && w.size() != 3)
    return emitOpError("filter must be [KH, KW, C, F], or [KH, KW, C] for a "
                       "depthwise convolution; got ")
           << shapeString(w);
  if (getStrides().size() != 2 || getDilations().size() != 2)
    return emitOpError("takes 2 strides and 2 dilations");
  bool depthwise = w.size() == 3;
  int64_t channels = depthwise ? w[2] : w[3];
  if (w[2] != in[3])
    return emitOpError("filter has ")
           << w[2] << " input channels, the input " << in[3];
  int64_t expected[4] = {in[0], 0, 0, channels};
  for (int i = 0; i < 2; ++i) {
    int64_t reach = getDilations()[i] * (w[i] - 1) + 1;
    if (in[1 + i] < reach)
      return emitOpError("input is smaller than the filter's reach");
    expected[1 + i] = (in[1 + i] - reach) / getStrides()[i] + 1;
  }
  if (out != ArrayRef<int64_t>(expected))
    return emitOpError("init must be ")
           << shapeString(expected) << " for this input and filter, got "
           << shapeString(out);
  return verifyCommon(*this, getInit(), getBias(), getResidual(), channels);
}

void Conv2DOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  kernelEffects(*this, effects);
}


//===----------------------------------------------------------------------===//
// cnnk.matmul
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::verify() {
  ArrayRef<int64_t> a = shapeOf(getLhs()), b = shapeOf(getRhs()),
                    out = shapeOf(getInit());
  if (a.size() != b.size() || a.size() != out.size() ||
      (a.size() != 2 && a.size() != 3))
    return emitOpError("operands must be all [M, K], [K, N], [M, N] or all "
                       "batched [B, M, K], [B, K, N], [B, M, N]");
  size_t r = a.size();
  if (r == 3 && (a[0] != b[0] || a[0] != out[0]))
    return emitOpError("batch sizes differ: ")
           << a[0] << ", " << b[0] << ", " << out[0];
  if (a[r - 1] != b[r - 2])
    return emitOpError("contracts ")
           << a[r - 1] << " columns of the lhs with " << b[r - 2]
           << " rows of the rhs";
  if (out[r - 2] != a[r - 2] || out[r - 1] != b[r - 1])
    return emitOpError("init must be [")
           << a[r - 2] << ", " << b[r - 1] << "] per product, got "
           << shapeString(out);
  return verifyCommon(*this, getInit(), getBias(), getResidual(), b[r - 1]);
}

void MatmulOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  kernelEffects(*this, effects);
}


void cnnc::cnnk::attachBufferizationModels(MLIRContext &ctx) {
  Conv2DOp::attachInterface<KernelBufferization<Conv2DOp>>(ctx);
  MatmulOp::attachInterface<KernelBufferization<MatmulOp>>(ctx);
}
