//===- GradientRules.cpp - The gradient of each cnn op --------------------===//
//
// One rule per op of a training graph, written with cnn ops (and the
// gradient ops of the dialect where no forward op says it). Each rule is
// located at its forward op, so that a diagnostic, a --report row or a
// profile names the user's node. Rules see the forward graph as imported:
// no fused epilogues, channels first.
//
//===----------------------------------------------------------------------===//

#include "Autodiff.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace cnnc::training {

namespace {

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

/// Every axis of a rank-`rank` activation but the channels (1).
SmallVector<int64_t> allButChannels(int64_t rank) {
  SmallVector<int64_t> axes{0};
  for (int64_t d = 2; d < rank; ++d)
    axes.push_back(d);
  return axes;
}

/// [C] -> [C, 1, ...] so that it broadcasts along dimension 1 of a
/// rank-`rank` activation.
Value perChannel(GraphBuilder &gb, Value v, int64_t rank) {
  SmallVector<int64_t> shape{typeOf(v).getDimSize(0)};
  shape.append(rank - 2, 1);
  return gb.reshape(v, shape);
}

LogicalResult unsupported(Operation *op, StringRef what) {
  return op->emitError() << "cannot train through '" << op->getName()
                         << "': " << what;
}

LogicalResult conv(cnn::ConvOp op, Gradients &grads, GraphBuilder &gb) {
  if (op.getResidual() || op.getActivation())
    return unsupported(op, "it has a fused epilogue (differentiate the graph "
                           "before cnnc-fuse-epilogues)");
  if (op.getLayout() != cnn::Layout::NCHW)
    return unsupported(op, "it is channels-last (differentiate the graph "
                           "before cnnc-select-layout)");
  RankedTensorType inputType = op.getInput().getType();
  if (inputType.getRank() != 4)
    return unsupported(op, "only 2-D convolutions are differentiated");
  Value dy = grads.get(op.getResult());
  RankedTensorType weightType = op.getWeight().getType();
  ArrayRef<int64_t> strides = op.getStrides(), pads = op.getPads(),
                    dilations = op.getDilations();
  int64_t groups = op.getGroups();
  // Unit strides and dilations, one group: both gradients are convolutions
  // themselves, which the graph passes then treat as any other (channels
  // last, register-tiled kernels). Otherwise the gradient ops.
  auto isOne = [](int64_t v) { return v == 1; };
  bool unit = llvm::all_of(strides, isOne) && llvm::all_of(dilations, isOne) &&
              groups == 1;
  RankedTensorType dyType = typeOf(dy);
  auto convolve = [&](Value x, Value w, ArrayRef<int64_t> convPads) -> Value {
    return cnn::ConvOp::create(
        gb.b, gb.loc, x, w, Value(), Value(), gb.b.getDenseI64ArrayAttr({1, 1}),
        gb.b.getDenseI64ArrayAttr(convPads), gb.b.getDenseI64ArrayAttr({1, 1}),
        gb.b.getI64IntegerAttr(1), nullptr, nullptr, nullptr,
        cnn::LayoutAttr::get(gb.b.getContext(), cnn::Layout::NCHW));
  };
  const int64_t swapFirstTwo[] = {1, 0, 2, 3};
  if (grads.isActive(op.getInput())) {
    int64_t kh = weightType.getDimSize(2), kw = weightType.getDimSize(3);
    bool padsFit = pads[0] < kh && pads[2] < kh && pads[1] < kw && pads[3] < kw;
    Value dx;
    if (unit && padsFit) {
      // dx = conv(dy, w flipped in space with F and C swapped), padded by
      // the kernel's reach less the forward pads.
      Value flipped = cnn::SliceOp::create(
          gb.b, gb.loc, op.getWeight(), ArrayRef<int64_t>{0, 0, kh - 1, kw - 1},
          weightType.getShape(), ArrayRef<int64_t>{1, 1, -1, -1});
      dx = convolve(dy, gb.transpose(flipped, swapFirstTwo),
                    {kh - 1 - pads[0], kw - 1 - pads[1], kh - 1 - pads[2],
                     kw - 1 - pads[3]});
    } else {
      // The transposed convolution, with the output padding that gives
      // back the input's size (what the forward floor dropped).
      SmallVector<int64_t> outputPadding;
      for (int64_t i = 0; i < 2; ++i) {
        int64_t produced = strides[i] * (dyType.getDimSize(i + 2) - 1) +
                           dilations[i] * (weightType.getDimSize(i + 2) - 1) +
                           1 - pads[i] - pads[i + 2];
        outputPadding.push_back(inputType.getDimSize(i + 2) - produced);
      }
      dx = cnn::ConvTransposeOp::create(gb.b, gb.loc, inputType, dy,
                                        op.getWeight(), Value(), strides, pads,
                                        dilations, outputPadding, groups);
    }
    grads.accumulate(gb, op.getInput(), dx);
  }
  if (grads.isActive(op.getWeight())) {
    Value dw;
    if (unit) {
      // dw[f, c] = sum over n of x[n, c] (*) dy[n, f]: a convolution of the
      // input with the batch as channels, by dy as the kernel, [C, F, K..].
      Value perChannel = convolve(gb.transpose(op.getInput(), swapFirstTwo),
                                  gb.transpose(dy, swapFirstTwo), pads);
      dw = gb.transpose(perChannel, swapFirstTwo);
    } else {
      dw =
          cnn::ConvWeightGradOp::create(gb.b, gb.loc, weightType, op.getInput(),
                                        dy, strides, pads, dilations, groups);
    }
    grads.accumulate(gb, op.getWeight(), dw);
  }
  if (Value bias = op.getBias(); bias && grads.isActive(bias))
    grads.accumulate(gb, bias, gb.reduceSum(dy, {0, 2, 3}, false));
  return success();
}

LogicalResult matmul(cnn::MatmulOp op, Gradients &grads, GraphBuilder &gb) {
  if (op.getActivation())
    return unsupported(op, "it has a fused activation (differentiate the "
                           "graph before cnnc-fuse-epilogues)");
  Value a = op.getLhs(), bm = op.getRhs();
  if (typeOf(a).getRank() != 2 || typeOf(bm).getRank() != 2)
    return unsupported(op, "only 2-D matrix products are differentiated");
  Value dy = grads.get(op.getResult());
  bool ta = op.getTransposeLhs(), tb = op.getTransposeRhs();
  llvm::APFloat alpha = op.getAlpha(), one(1.0f);
  auto product = [&](Value l, Value r, bool tl, bool tr) -> Value {
    return cnn::MatmulOp::create(gb.b, gb.loc, l, r, Value(), tl, tr, alpha,
                                 one, nullptr, nullptr, nullptr);
  };
  // y = alpha op(A) op(B): dA = alpha dy op(B)^T (transposed back when A
  // is), dB = alpha op(A)^T dy (likewise).
  if (grads.isActive(a))
    grads.accumulate(
        gb, a, ta ? product(bm, dy, tb, true) : product(dy, bm, false, !tb));
  if (grads.isActive(bm))
    grads.accumulate(
        gb, bm, tb ? product(dy, a, true, ta) : product(a, dy, !ta, false));
  if (Value bias = op.getBias(); bias && grads.isActive(bias)) {
    Value db = gb.sumToShape(dy, typeOf(bias));
    double beta = op.getBeta().convertToDouble();
    if (beta != 1.0)
      db = gb.mul(db, gb.scalar(beta, typeOf(bias).getElementType()));
    grads.accumulate(gb, bias, db);
  }
  return success();
}

LogicalResult pool(cnn::PoolOp op, Gradients &grads, GraphBuilder &gb) {
  if (op.getLayout() != cnn::Layout::NCHW ||
      op.getInput().getType().getRank() != 4)
    return unsupported(op, "only channels-first 2-D pooling is differentiated");
  grads.accumulate(gb, op.getInput(),
                   cnn::PoolGradOp::create(
                       gb.b, gb.loc, op.getInput().getType(), op.getKind(),
                       op.getInput(), grads.get(op.getResult()), op.getKernel(),
                       op.getStrides(), op.getPads(), op.getDilations(),
                       op.getCeilMode(), op.getCountIncludePad()));
  return success();
}

/// A global pool is a pool whose window is the whole image.
LogicalResult globalPool(cnn::GlobalPoolOp op, Gradients &grads,
                         GraphBuilder &gb) {
  RankedTensorType type = op.getInput().getType();
  if (op.getLayout() != cnn::Layout::NCHW || type.getRank() != 4)
    return unsupported(op, "only channels-first 2-D pooling is differentiated");
  SmallVector<int64_t> kernel{type.getDimSize(2), type.getDimSize(3)};
  grads.accumulate(gb, op.getInput(),
                   cnn::PoolGradOp::create(
                       gb.b, gb.loc, type, op.getKind(), op.getInput(),
                       grads.get(op.getResult()), kernel,
                       ArrayRef<int64_t>{1, 1}, ArrayRef<int64_t>{0, 0, 0, 0},
                       ArrayRef<int64_t>{1, 1}));
  return success();
}

/// With x^ = (x - mean) * inv_std over M = N*H*W values per channel:
///   dbeta = sum dy, dgamma = sum dy * x^,
///   dx = gamma * inv_std / M * (M dy - dbeta - x^ dgamma).
LogicalResult batchNormTrain(cnn::BatchNormTrainOp op, Gradients &grads,
                             GraphBuilder &gb) {
  Value dy = grads.get(op.getResult());
  if (!dy)
    return success(); // Only the running statistics are used.
  Value x = op.getInput();
  RankedTensorType type = typeOf(x);
  int64_t rank = type.getRank();
  Type element = type.getElementType();
  SmallVector<int64_t> axes = allButChannels(rank);
  double count =
      static_cast<double>(type.getNumElements() / type.getDimSize(1));
  Value mean = perChannel(gb, op.getBatchMean(), rank);
  Value invStd = perChannel(gb, op.getBatchInvStd(), rank);
  Value normalized = gb.mul(gb.sub(x, mean), invStd);
  Value dbeta = gb.reduceSum(dy, axes, false);
  Value dgamma = gb.reduceSum(gb.mul(dy, normalized), axes, false);
  grads.accumulate(gb, op.getBias(), dbeta);
  grads.accumulate(gb, op.getScale(), dgamma);
  if (grads.isActive(x)) {
    Value factor = gb.mul(perChannel(gb, op.getScale(), rank),
                          gb.mul(invStd, gb.scalar(1.0 / count, element)));
    Value centered = gb.sub(gb.sub(gb.mul(dy, gb.scalar(count, element)),
                                   perChannel(gb, dbeta, rank)),
                            gb.mul(normalized, perChannel(gb, dgamma, rank)));
    grads.accumulate(gb, x, gb.mul(factor, centered));
  }
  return success();
}

LogicalResult unary(cnn::UnaryOp op, Gradients &grads, GraphBuilder &gb) {
  Value dy = grads.get(op.getResult()), x = op.getInput(), y = op.getResult();
  Type element = typeOf(x).getElementType();
  Value dx;
  switch (op.getKind()) {
  case cnn::UnaryKind::Exp:
    dx = gb.mul(dy, y);
    break;
  case cnn::UnaryKind::Log:
    dx = gb.div(dy, x);
    break;
  case cnn::UnaryKind::Sqrt:
    dx = gb.div(gb.mul(dy, gb.scalar(0.5, element)), y);
    break;
  case cnn::UnaryKind::Neg:
    dx = gb.unary(cnn::UnaryKind::Neg, dy);
    break;
  case cnn::UnaryKind::Reciprocal:
    dx = gb.unary(cnn::UnaryKind::Neg, gb.mul(dy, gb.mul(y, y)));
    break;
  case cnn::UnaryKind::Abs:
    // x / |x| is the sign, except at 0: y = |x|, dx = dy * x / max(y, tiny)
    // would need a max; abs is not a layer of the supported networks.
    return unsupported(op, "abs has no gradient rule");
  case cnn::UnaryKind::Round:
    // Zero almost everywhere: nothing flows back through a rounding.
    return success();
  }
  grads.accumulate(gb, x, dx);
  return success();
}

LogicalResult binary(cnn::BinaryOp op, Gradients &grads, GraphBuilder &gb) {
  Value dy = grads.get(op.getResult()), l = op.getLhs(), r = op.getRhs();
  Value dl, dr;
  switch (op.getKind()) {
  case cnn::BinaryKind::Add:
    dl = dy;
    dr = dy;
    break;
  case cnn::BinaryKind::Sub:
    dl = dy;
    dr = grads.isActive(r) ? gb.unary(cnn::UnaryKind::Neg, dy) : Value();
    break;
  case cnn::BinaryKind::Mul:
    dl = grads.isActive(l) ? gb.mul(dy, r) : Value();
    dr = grads.isActive(r) ? gb.mul(dy, l) : Value();
    break;
  case cnn::BinaryKind::Div:
    dl = grads.isActive(l) ? gb.div(dy, r) : Value();
    // d(l / r)/dr = -(l / r) / r.
    dr = grads.isActive(r) ? gb.unary(cnn::UnaryKind::Neg,
                                      gb.div(gb.mul(dy, op.getResult()), r))
                           : Value();
    break;
  default:
    return unsupported(op, "only add, sub, mul and div are differentiated");
  }
  if (dl && grads.isActive(l))
    grads.accumulate(gb, l, gb.sumToShape(dl, typeOf(l)));
  if (dr && grads.isActive(r))
    grads.accumulate(gb, r, gb.sumToShape(dr, typeOf(r)));
  return success();
}

LogicalResult concat(cnn::ConcatOp op, Gradients &grads, GraphBuilder &gb) {
  Value dy = grads.get(op.getResult());
  int64_t axis = op.getAxis(), offset = 0;
  RankedTensorType type = op.getType();
  for (Value input : op.getInputs()) {
    RankedTensorType inputType = typeOf(input);
    if (grads.isActive(input)) {
      SmallVector<int64_t> offsets(type.getRank(), 0),
          strides(type.getRank(), 1);
      offsets[axis] = offset;
      grads.accumulate(gb, input,
                       cnn::SliceOp::create(gb.b, gb.loc, dy, offsets,
                                            inputType.getShape(), strides));
    }
    offset += inputType.getDimSize(axis);
  }
  return success();
}

LogicalResult slice(cnn::SliceOp op, Gradients &grads, GraphBuilder &gb) {
  ArrayRef<int64_t> strides = op.getStrides();
  if (llvm::any_of(strides, [](int64_t s) { return s != 1; }))
    return unsupported(op, "only unit-stride slices are differentiated");
  RankedTensorType inputType = typeOf(op.getInput());
  SmallVector<int64_t> pads(op.getOffsets());
  for (int64_t d = 0; d < inputType.getRank(); ++d)
    pads.push_back(inputType.getDimSize(d) - op.getOffsets()[d] -
                   op.getSizes()[d]);
  grads.accumulate(
      gb, op.getInput(),
      cnn::PadOp::create(gb.b, gb.loc, inputType, cnn::PadMode::Constant,
                         grads.get(op.getResult()), pads, llvm::APFloat(0.0f)));
  return success();
}

LogicalResult pad(cnn::PadOp op, Gradients &grads, GraphBuilder &gb) {
  if (op.getMode() != cnn::PadMode::Constant)
    return unsupported(op, "only constant padding is differentiated");
  RankedTensorType inputType = typeOf(op.getInput());
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> offsets(op.getPads().take_front(rank)), strides(rank, 1);
  grads.accumulate(gb, op.getInput(),
                   cnn::SliceOp::create(gb.b, gb.loc, grads.get(op.getResult()),
                                        offsets, inputType.getShape(),
                                        strides));
  return success();
}

LogicalResult softmax(Operation *op, Gradients &grads, GraphBuilder &gb,
                      bool isLog, int64_t axis) {
  Value dy = grads.get(op->getResult(0)), y = op->getResult(0);
  Value dx;
  if (isLog) {
    // dx = dy - softmax(x) * sum(dy)
    Value probabilities = gb.unary(cnn::UnaryKind::Exp, y);
    dx = gb.sub(dy, gb.mul(probabilities, gb.reduceSum(dy, {axis}, true)));
  } else {
    // dx = y * (dy - sum(dy * y))
    dx = gb.mul(y, gb.sub(dy, gb.reduceSum(gb.mul(dy, y), {axis}, true)));
  }
  grads.accumulate(gb, op->getOperand(0), dx);
  return success();
}

LogicalResult reduce(cnn::ReduceOp op, Gradients &grads, GraphBuilder &gb) {
  if (op.getKind() == cnn::ReduceKind::Max ||
      op.getKind() == cnn::ReduceKind::Min)
    return unsupported(op, "a max or min reduction has no gradient rule");
  RankedTensorType inputType = typeOf(op.getInput());
  // The gradient with the reduced axes as 1, broadcast back.
  SmallVector<int64_t> kept(inputType.getShape());
  int64_t count = 1;
  for (int64_t axis : op.getAxes()) {
    kept[axis] = 1;
    count *= inputType.getDimSize(axis);
  }
  Type element = inputType.getElementType();
  double scale = op.getKind() == cnn::ReduceKind::Mean ? 1.0 / count : 1.0;
  Value dy = gb.reshape(grads.get(op.getResult()), kept);
  grads.accumulate(gb, op.getInput(),
                   gb.mul(dy, gb.splat(inputType.clone(element), scale)));
  return success();
}

LogicalResult mseLoss(cnn::MseLossOp op, Gradients &grads, GraphBuilder &gb) {
  // d/dp (p - t)^2 = 2 (p - t), over the count for `mean`.
  RankedTensorType type = typeOf(op.getPrediction());
  Type element = type.getElementType();
  double scale = op.getReduction() == cnn::LossReduction::Mean
                     ? 2.0 / static_cast<double>(type.getNumElements())
                     : 2.0;
  Value diff = gb.sub(op.getPrediction(), op.getTarget());
  Value g = gb.mul(gb.mul(diff, gb.scalar(scale, element)),
                   grads.get(op.getResult()));
  grads.accumulate(gb, op.getPrediction(), g);
  if (grads.isActive(op.getTarget()))
    grads.accumulate(gb, op.getTarget(), gb.unary(cnn::UnaryKind::Neg, g));
  return success();
}

} // namespace

LogicalResult differentiateOp(Operation *op, Gradients &grads,
                              OpBuilder &builder) {
  GraphBuilder gb(builder, op->getLoc());
  auto passThrough = [&](Value input, Value result, auto build) {
    if (grads.isActive(input))
      grads.accumulate(gb, input, build(grads.get(result)));
    return success();
  };
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](cnn::ConstantOp) { return success(); })
      .Case([&](cnn::ConvOp o) { return conv(o, grads, gb); })
      .Case([&](cnn::MatmulOp o) { return matmul(o, grads, gb); })
      .Case([&](cnn::PoolOp o) { return pool(o, grads, gb); })
      .Case([&](cnn::GlobalPoolOp o) { return globalPool(o, grads, gb); })
      .Case(
          [&](cnn::BatchNormTrainOp o) { return batchNormTrain(o, grads, gb); })
      .Case([&](cnn::ActivationOp o) {
        return passThrough(o.getInput(), o.getResult(), [&](Value dy) {
          return cnn::ActivationGradOp::create(
                     gb.b, gb.loc, o.getKind(), o.getInput(), dy,
                     o.getAlphaAttr(), o.getBetaAttr())
              .getResult();
        });
      })
      .Case([&](cnn::UnaryOp o) { return unary(o, grads, gb); })
      .Case([&](cnn::BinaryOp o) { return binary(o, grads, gb); })
      .Case([&](cnn::ReshapeOp o) {
        return passThrough(o.getInput(), o.getResult(), [&](Value dy) {
          return gb.reshape(dy, typeOf(o.getInput()).getShape());
        });
      })
      .Case([&](cnn::TransposeOp o) {
        return passThrough(o.getInput(), o.getResult(), [&](Value dy) {
          ArrayRef<int64_t> perm = o.getPermutation();
          SmallVector<int64_t> inverse(perm.size());
          for (size_t i = 0; i < perm.size(); ++i)
            inverse[perm[i]] = i;
          return gb.transpose(dy, inverse);
        });
      })
      .Case([&](cnn::ConcatOp o) { return concat(o, grads, gb); })
      .Case([&](cnn::SliceOp o) { return slice(o, grads, gb); })
      .Case([&](cnn::PadOp o) { return pad(o, grads, gb); })
      .Case([&](cnn::SoftmaxOp o) {
        return softmax(o, grads, gb, false, o.getAxis());
      })
      .Case([&](cnn::LogSoftmaxOp o) {
        return softmax(o, grads, gb, true, o.getAxis());
      })
      .Case([&](cnn::ReduceOp o) { return reduce(o, grads, gb); })
      .Case([&](cnn::SoftmaxCrossEntropyOp o) {
        return passThrough(o.getLogits(), o.getResult(), [&](Value dy) {
          return cnn::SoftmaxCrossEntropyGradOp::create(
                     gb.b, gb.loc, o.getLogits().getType(), o.getLogits(),
                     o.getLabels(), dy, o.getReduction(), o.getLabelSmoothing())
              .getResult();
        });
      })
      .Case([&](cnn::MseLossOp o) { return mseLoss(o, grads, gb); })
      .Default([&](Operation *other) {
        return unsupported(other, "it has no gradient rule");
      });
}

} // namespace cnnc::training
