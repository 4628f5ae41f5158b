//===- ExportOps.cpp - Each cnn op as ONNX nodes --------------------------===//
//
// The ONNX nodes of every op the exporter supports (ExportGraph.h has the
// list of what Exporter.cpp calls); activations ONNX lacks become their
// formulas, attributes ONNX takes as inputs become small initializers.
//
//===----------------------------------------------------------------------===//

#include "ExportGraph.h"

namespace cnnc::onnx::exporter {

llvm::Error Exporter::exportConv(cnn::ConvOp op) {
  if (op.getLayout() != cnn::Layout::NCHW)
    return unsupported(op, "it has layout nhwc (export the graph as a "
                           "frontend writes it, channels first)");
  if (op.getResidual())
    return unsupported(op, "it has a fused residual (ONNX's Conv has none; "
                           "export the graph before fusion)");
  if (op.getActivation())
    return unsupported(op, "it has a fused activation (ONNX's Conv has "
                           "none; export the graph before fusion)");
  auto inputs = use(op->getOperands());
  if (!inputs)
    return inputs.takeError();
  auto weight = llvm::cast<mlir::RankedTensorType>(op.getWeight().getType());
  proto::NodeProto &node = define("Conv", *inputs, op.getResult());
  setInts(node, "kernel_shape", weight.getShape().drop_front(2));
  setInts(node, "strides", op.getStrides());
  setInts(node, "pads", op.getPads());
  setInts(node, "dilations", op.getDilations());
  setInt(node, "group", static_cast<int64_t>(op.getGroups()));
  return llvm::Error::success();
}

llvm::Error Exporter::exportPool(cnn::PoolOp op) {
  if (op.getLayout() != cnn::Layout::NCHW)
    return unsupported(op, "it has layout nhwc (export the graph as a "
                           "frontend writes it, channels first)");
  bool isMax = op.getKind() == cnn::PoolKind::Max;
  bool dilated = llvm::any_of(op.getDilations(),
                              [](int64_t dilation) { return dilation != 1; });
  if (!isMax && dilated)
    return unsupported(op, "a dilated average pool (AveragePool has no "
                           "dilations in opset " +
                               llvm::Twine(kExportOpset) + ")");
  llvm::Expected<std::string> input = use(op.getInput());
  if (!input)
    return input.takeError();
  proto::NodeProto &node =
      define(isMax ? "MaxPool" : "AveragePool", {*input}, op.getResult());
  setInts(node, "kernel_shape", op.getKernel());
  setInts(node, "strides", op.getStrides());
  setInts(node, "pads", op.getPads());
  if (isMax)
    setInts(node, "dilations", op.getDilations());
  if (op.getCeilMode())
    setInt(node, "ceil_mode", 1);
  if (op.getCountIncludePad())
    setInt(node, "count_include_pad", 1);
  return llvm::Error::success();
}

llvm::Error Exporter::exportActivation(cnn::ActivationOp op) {
  using Kind = cnn::ActivationKind;
  llvm::Expected<std::string> input = use(op.getInput());
  if (!input)
    return input.takeError();
  const std::string &x = *input;
  Value result = op.getResult();
  Type type = llvm::cast<mlir::ShapedType>(result.getType()).getElementType();
  double alpha = floatValue(op.getAlpha(), 0.0);
  double beta = floatValue(op.getBeta(), 0.0);
  // Scalars of the activation's formula, or the first error.
  llvm::Error error = llvm::Error::success();
  auto constant = [&](double value, llvm::StringRef suffix) -> std::string {
    llvm::Expected<std::string> name = scalar(value, type, suffix);
    if (!name) {
      if (!error)
        error = name.takeError();
      else
        llvm::consumeError(name.takeError());
      return "";
    }
    return *name;
  };

  switch (op.getKind()) {
  case Kind::Relu:
    define("Relu", {x}, result);
    break;
  case Kind::LeakyRelu:
    setFloat(define("LeakyRelu", {x}, result), "alpha", alpha);
    break;
  case Kind::Clip: {
    std::string min = constant(alpha, "min");
    std::string max = constant(beta, "max");
    define("Clip", {x, min, max}, result);
    break;
  }
  case Kind::Sigmoid:
    define("Sigmoid", {x}, result);
    break;
  case Kind::Tanh:
    define("Tanh", {x}, result);
    break;
  case Kind::HardSigmoid: {
    proto::NodeProto &node = define("HardSigmoid", {x}, result);
    setFloat(node, "alpha", alpha);
    setFloat(node, "beta", beta);
    break;
  }
  case Kind::HardSwish:
    define("HardSwish", {x}, result);
    break;
  case Kind::Elu:
    setFloat(define("Elu", {x}, result), "alpha", alpha);
    break;
  case Kind::Selu: {
    proto::NodeProto &node = define("Selu", {x}, result);
    setFloat(node, "alpha", alpha);
    setFloat(node, "gamma", beta);
    break;
  }
  case Kind::Softplus:
    define("Softplus", {x}, result);
    break;
  case Kind::Silu: {
    std::string sigmoid = temp("Sigmoid", "sigmoid", {x});
    define("Mul", {x, sigmoid}, result);
    break;
  }
  case Kind::Gelu: {
    // x * 0.5 * (1 + erf(x / sqrt(2))), as PyTorch exports it.
    std::string sqrt2 = constant(M_SQRT2, "sqrt2");
    std::string one = constant(1.0, "one");
    std::string half = constant(0.5, "half");
    std::string scaled = temp("Div", "div", {x, sqrt2});
    std::string erf = temp("Erf", "erf", {scaled});
    std::string shifted = temp("Add", "add", {erf, one});
    std::string product = temp("Mul", "mul", {x, shifted});
    define("Mul", {product, half}, result);
    break;
  }
  case Kind::GeluTanh: {
    // 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))).
    std::string coefficient = constant(0.044715, "coefficient");
    std::string scale = constant(std::sqrt(2.0 / M_PI), "sqrt_2_over_pi");
    std::string one = constant(1.0, "one");
    std::string half = constant(0.5, "half");
    std::string square = temp("Mul", "square", {x, x});
    std::string cube = temp("Mul", "cube", {square, x});
    std::string scaledCube = temp("Mul", "scale_cube", {cube, coefficient});
    std::string sum = temp("Add", "add_cube", {x, scaledCube});
    std::string inner = temp("Mul", "scale", {sum, scale});
    std::string tanh = temp("Tanh", "tanh", {inner});
    std::string shifted = temp("Add", "add_one", {tanh, one});
    std::string halfX = temp("Mul", "half_x", {half, x});
    define("Mul", {halfX, shifted}, result);
    break;
  }
  }
  return error;
}

llvm::Error Exporter::exportMatmul(cnn::MatmulOp op) {
  if (op.getActivation())
    return unsupported(op, "it has a fused activation (ONNX's Gemm and "
                           "MatMul have none; export the graph before "
                           "fusion)");
  llvm::Expected<std::string> lhs = use(op.getLhs());
  if (!lhs)
    return lhs.takeError();
  llvm::Expected<std::string> rhs = use(op.getRhs());
  if (!rhs)
    return rhs.takeError();
  std::optional<std::string> bias;
  if (op.getBias()) {
    llvm::Expected<std::string> name = use(op.getBias());
    if (!name)
      return name.takeError();
    bias = *name;
  }
  double alpha = floatValue(op.getAlpha());
  double beta = floatValue(op.getBeta());
  auto lhsType = llvm::cast<mlir::RankedTensorType>(op.getLhs().getType());
  auto rhsType = llvm::cast<mlir::RankedTensorType>(op.getRhs().getType());
  Type elementType = lhsType.getElementType();

  if (lhsType.getRank() == 2 && rhsType.getRank() == 2) {
    llvm::SmallVector<std::string, 3> inputs = {*lhs, *rhs};
    if (bias)
      inputs.push_back(*bias);
    proto::NodeProto &node = define("Gemm", inputs, op.getResult());
    if (alpha != 1.0)
      setFloat(node, "alpha", alpha);
    if (bias && beta != 1.0)
      setFloat(node, "beta", beta);
    if (op.getTransposeLhs())
      setInt(node, "transA", 1);
    if (op.getTransposeRhs())
      setInt(node, "transB", 1);
    return llvm::Error::success();
  }

  // Batched: MatMul, with Transpose, Mul and Add around it.
  auto transposed = [&](const std::string &value, int64_t rank,
                        llvm::StringRef suffix) {
    llvm::SmallVector<int64_t, 4> permutation =
        llvm::to_vector<4>(llvm::seq<int64_t>(0, rank));
    std::swap(permutation[rank - 1], permutation[rank - 2]);
    proto::NodeProto *node = nullptr;
    std::string output = temp("Transpose", suffix, {value}, &node);
    setInts(*node, "perm", permutation);
    return output;
  };
  std::string a = op.getTransposeLhs()
                      ? transposed(*lhs, lhsType.getRank(), "transpose_lhs")
                      : *lhs;
  std::string b = op.getTransposeRhs()
                      ? transposed(*rhs, rhsType.getRank(), "transpose_rhs")
                      : *rhs;
  bool scaled = alpha != 1.0;
  if (!scaled && !bias) {
    define("MatMul", {a, b}, op.getResult());
    return llvm::Error::success();
  }
  std::string product = temp("MatMul", "matmul", {a, b});
  if (scaled) {
    llvm::Expected<std::string> factor = scalar(alpha, elementType, "alpha");
    if (!factor)
      return factor.takeError();
    if (!bias) {
      define("Mul", {product, *factor}, op.getResult());
      return llvm::Error::success();
    }
    product = temp("Mul", "scale", {product, *factor});
  }
  std::string addend = *bias;
  if (beta != 1.0) {
    llvm::Expected<std::string> factor = scalar(beta, elementType, "beta");
    if (!factor)
      return factor.takeError();
    addend = temp("Mul", "scale_bias", {addend, *factor});
  }
  define("Add", {product, addend}, op.getResult());
  return llvm::Error::success();
}

llvm::Error Exporter::exportReshape(cnn::ReshapeOp op) {
  llvm::Expected<std::string> input = use(op.getInput());
  if (!input)
    return input.takeError();
  llvm::ArrayRef<int64_t> from =
      llvm::cast<mlir::RankedTensorType>(op.getInput().getType()).getShape();
  llvm::ArrayRef<int64_t> to =
      llvm::cast<mlir::RankedTensorType>(op.getType()).getShape();
  // [N, ...] -> [N, product of the rest]: a Flatten, which keeps N as it is.
  if (!from.empty() && to.size() == 2 && to[0] == from[0]) {
    int64_t rest = 1;
    for (int64_t dim : from.drop_front())
      rest *= dim;
    if (to[1] == rest) {
      setInt(define("Flatten", {*input}, op.getResult()), "axis", 1);
      return llvm::Error::success();
    }
  }
  llvm::SmallVector<int64_t, 4> shape(to.begin(), to.end());
  bool hasZero = llvm::is_contained(to, 0);
  // With a symbolic batch, a leading dimension that is the batch is copied
  // (0), one that folds the batch into it is inferred (-1).
  if (options.symbolicBatch && !hasZero && !from.empty() && !to.empty() &&
      from[0] > 0) {
    if (to[0] == from[0])
      shape[0] = 0;
    else if (to[0] % from[0] == 0)
      shape[0] = -1;
  }
  std::string shapeName = int64s(shape, "shape");
  proto::NodeProto &node =
      define("Reshape", {*input, shapeName}, op.getResult());
  if (hasZero)
    setInt(node, "allowzero", 1);
  return llvm::Error::success();
}

llvm::Error Exporter::exportReduce(cnn::ReduceOp op) {
  llvm::Expected<std::string> input = use(op.getInput());
  if (!input)
    return input.takeError();
  llvm::ArrayRef<int64_t> axes = op.getAxes();
  if (axes.empty()) {
    define("Identity", {*input}, op.getResult());
    return llvm::Error::success();
  }
  int64_t keepDims = op.getKeepDims() ? 1 : 0;
  switch (op.getKind()) {
  case cnn::ReduceKind::Sum: {
    // Opset 13 takes ReduceSum's axes as an input.
    std::string axesName = int64s(axes, "axes");
    setInt(define("ReduceSum", {*input, axesName}, op.getResult()), "keepdims",
           keepDims);
    break;
  }
  case cnn::ReduceKind::Mean:
  case cnn::ReduceKind::Max:
  case cnn::ReduceKind::Min: {
    proto::NodeProto &node = define(
        op.getKind() == cnn::ReduceKind::Mean  ? "ReduceMean"
        : op.getKind() == cnn::ReduceKind::Max ? "ReduceMax"
                                               : "ReduceMin",
        {*input}, op.getResult());
    setInts(node, "axes", axes);
    setInt(node, "keepdims", keepDims);
    break;
  }
  }
  return llvm::Error::success();
}

llvm::Error Exporter::exportPad(cnn::PadOp op) {
  llvm::Expected<std::string> input = use(op.getInput());
  if (!input)
    return input.takeError();
  std::string pads = int64s(op.getPads(), "pads");
  switch (op.getMode()) {
  case cnn::PadMode::Constant: {
    Type elementType =
        llvm::cast<mlir::ShapedType>(op.getType()).getElementType();
    llvm::Expected<std::string> value =
        scalar(floatValue(op.getValue()), elementType, "value");
    if (!value)
      return value.takeError();
    setString(define("Pad", {*input, pads, *value}, op.getResult()), "mode",
              "constant");
    break;
  }
  case cnn::PadMode::Reflect:
    setString(define("Pad", {*input, pads}, op.getResult()), "mode", "reflect");
    break;
  case cnn::PadMode::Edge:
    setString(define("Pad", {*input, pads}, op.getResult()), "mode", "edge");
    break;
  }
  return llvm::Error::success();
}

llvm::Error Exporter::exportSlice(cnn::SliceOp op) {
  llvm::Expected<std::string> input = use(op.getInput());
  if (!input)
    return input.takeError();
  llvm::ArrayRef<int64_t> shape =
      llvm::cast<mlir::RankedTensorType>(op.getInput().getType()).getShape();
  llvm::SmallVector<int64_t, 4> starts, ends, axes, steps;
  for (auto [dim, size] : llvm::enumerate(shape)) {
    int64_t offset = op.getOffsets()[dim];
    int64_t count = op.getSizes()[dim];
    int64_t stride = op.getStrides()[dim];
    if (offset == 0 && count == size && stride == 1)
      continue; // The whole dimension, whatever its size.
    int64_t last = offset + (count - 1) * stride;
    int64_t end;
    if (count == 0)
      end = offset;
    else if (stride > 0)
      end = last + 1;
    else // Reversed: an end before the first element is "before index 0".
      end = last > 0 ? last - 1 : std::numeric_limits<int64_t>::min();
    starts.push_back(offset);
    ends.push_back(end);
    axes.push_back(static_cast<int64_t>(dim));
    steps.push_back(stride);
  }
  if (axes.empty()) {
    define("Identity", {*input}, op.getResult());
    return llvm::Error::success();
  }
  std::string startsName = int64s(starts, "starts");
  std::string endsName = int64s(ends, "ends");
  std::string axesName = int64s(axes, "axes");
  std::string stepsName = int64s(steps, "steps");
  define("Slice", {*input, startsName, endsName, axesName, stepsName},
         op.getResult());
  return llvm::Error::success();
}

llvm::StringRef binaryOpType(cnn::BinaryKind kind) {
  switch (kind) {
  case cnn::BinaryKind::Add:
    return "Add";
  case cnn::BinaryKind::Sub:
    return "Sub";
  case cnn::BinaryKind::Mul:
    return "Mul";
  case cnn::BinaryKind::Div:
    return "Div";
  case cnn::BinaryKind::Max:
    return "Max";
  case cnn::BinaryKind::Min:
    return "Min";
  case cnn::BinaryKind::Pow:
    return "Pow";
  }
  llvm_unreachable("every binary kind has an ONNX op");
}

llvm::StringRef unaryOpType(cnn::UnaryKind kind) {
  switch (kind) {
  case cnn::UnaryKind::Exp:
    return "Exp";
  case cnn::UnaryKind::Log:
    return "Log";
  case cnn::UnaryKind::Sqrt:
    return "Sqrt";
  case cnn::UnaryKind::Neg:
    return "Neg";
  case cnn::UnaryKind::Abs:
    return "Abs";
  case cnn::UnaryKind::Reciprocal:
    return "Reciprocal";
  case cnn::UnaryKind::Round:
    return "Round";
  }
  llvm_unreachable("every unary kind has an ONNX op");
}

llvm::StringRef activationOpType(cnn::ActivationKind kind) {
  switch (kind) {
  case cnn::ActivationKind::Relu:
    return "Relu";
  case cnn::ActivationKind::LeakyRelu:
    return "LeakyRelu";
  case cnn::ActivationKind::Clip:
    return "Clip";
  case cnn::ActivationKind::Sigmoid:
    return "Sigmoid";
  case cnn::ActivationKind::HardSigmoid:
    return "HardSigmoid";
  case cnn::ActivationKind::HardSwish:
    return "HardSwish";
  case cnn::ActivationKind::Tanh:
    return "Tanh";
  case cnn::ActivationKind::Elu:
    return "Elu";
  case cnn::ActivationKind::Selu:
    return "Selu";
  case cnn::ActivationKind::Softplus:
    return "Softplus";
  case cnn::ActivationKind::Gelu:
    return "Gelu";
  case cnn::ActivationKind::GeluTanh:
    return "GeluTanh";
  case cnn::ActivationKind::Silu:
    return "Silu";
  }
  llvm_unreachable("every activation kind is named");
}

llvm::Error Exporter::exportOp(Operation *op) {
  // The default name of a node whose op has no location to name it.
  auto plain = [&](llvm::StringRef opType) -> llvm::Error {
    begin(op, opType);
    auto inputs = use(op->getOperands());
    if (!inputs)
      return inputs.takeError();
    define(opType, *inputs, op->getResult(0));
    return llvm::Error::success();
  };
  return llvm::TypeSwitch<Operation *, llvm::Error>(op)
      .Case([&](cnn::ConvOp conv) {
        begin(op, "Conv");
        return exportConv(conv);
      })
      .Case([&](cnn::PoolOp pool) {
        begin(op,
              pool.getKind() == cnn::PoolKind::Max ? "MaxPool" : "AveragePool");
        return exportPool(pool);
      })
      .Case([&](cnn::GlobalPoolOp pool) -> llvm::Error {
        if (pool.getLayout() != cnn::Layout::NCHW)
          return unsupported(op, "it has layout nhwc (export the graph as a "
                                 "frontend writes it, channels first)");
        return plain(pool.getKind() == cnn::PoolKind::Max
                         ? "GlobalMaxPool"
                         : "GlobalAveragePool");
      })
      .Case([&](cnn::BatchNormOp norm) -> llvm::Error {
        begin(op, "BatchNormalization");
        auto inputs = use(op->getOperands());
        if (!inputs)
          return inputs.takeError();
        setFloat(define("BatchNormalization", *inputs, norm.getResult()),
                 "epsilon", floatValue(norm.getEpsilon()));
        return llvm::Error::success();
      })
      .Case([&](cnn::BatchNormTrainOp norm) -> llvm::Error {
        for (Value statistic : op->getResults().drop_front())
          if (!statistic.use_empty())
            return unsupported(
                op, "its running or batch statistics are used (only the "
                    "normalized result has an ONNX inference form)");
        begin(op, "BatchNormalization");
        auto inputs = use(op->getOperands());
        if (!inputs)
          return inputs.takeError();
        setFloat(define("BatchNormalization", *inputs, norm.getResult()),
                 "epsilon", floatValue(norm.getEpsilon()));
        return llvm::Error::success();
      })
      .Case([&](cnn::ActivationOp activation) {
        begin(op, activationOpType(activation.getKind()));
        return exportActivation(activation);
      })
      .Case([&](cnn::DropoutOp dropout) -> llvm::Error {
        begin(op, "Dropout");
        llvm::Expected<std::string> input = use(dropout.getInput());
        if (!input)
          return input.takeError();
        llvm::Expected<std::string> ratio =
            scalar(floatValue(dropout.getRatio()),
                   mlir::Float32Type::get(op->getContext()), "ratio");
        if (!ratio)
          return ratio.takeError();
        define("Dropout", {*input, *ratio}, dropout.getResult());
        return llvm::Error::success();
      })
      .Case([&](cnn::MatmulOp matmul) {
        bool isGemm =
            llvm::cast<mlir::RankedTensorType>(matmul.getLhs().getType())
                    .getRank() == 2 &&
            llvm::cast<mlir::RankedTensorType>(matmul.getRhs().getType())
                    .getRank() == 2;
        begin(op, isGemm ? "Gemm" : "MatMul");
        return exportMatmul(matmul);
      })
      .Case([&](cnn::ReshapeOp reshape) {
        begin(op, "Reshape");
        return exportReshape(reshape);
      })
      .Case([&](cnn::BinaryOp binary) {
        return plain(binaryOpType(binary.getKind()));
      })
      .Case([&](cnn::UnaryOp unary) {
        return plain(unaryOpType(unary.getKind()));
      })
      .Case([&](cnn::ConcatOp concat) -> llvm::Error {
        begin(op, "Concat");
        auto inputs = use(concat.getInputs());
        if (!inputs)
          return inputs.takeError();
        setInt(define("Concat", *inputs, concat.getResult()), "axis",
               static_cast<int64_t>(concat.getAxis()));
        return llvm::Error::success();
      })
      .Case([&](cnn::TransposeOp transpose) -> llvm::Error {
        begin(op, "Transpose");
        llvm::Expected<std::string> input = use(transpose.getInput());
        if (!input)
          return input.takeError();
        setInts(define("Transpose", {*input}, transpose.getResult()), "perm",
                transpose.getPermutation());
        return llvm::Error::success();
      })
      .Case<cnn::SoftmaxOp, cnn::LogSoftmaxOp>(
          [&](auto softmax) -> llvm::Error {
            llvm::StringRef opType =
                llvm::isa<cnn::SoftmaxOp>(op) ? "Softmax" : "LogSoftmax";
            begin(op, opType);
            llvm::Expected<std::string> input = use(softmax.getInput());
            if (!input)
              return input.takeError();
            setInt(define(opType, {*input}, softmax.getResult()), "axis",
                   static_cast<int64_t>(softmax.getAxis()));
            return llvm::Error::success();
          })
      .Case([&](cnn::ReduceOp reduce) {
        begin(op, reduce.getKind() == cnn::ReduceKind::Sum    ? "ReduceSum"
                  : reduce.getKind() == cnn::ReduceKind::Mean ? "ReduceMean"
                  : reduce.getKind() == cnn::ReduceKind::Max  ? "ReduceMax"
                                                              : "ReduceMin");
        return exportReduce(reduce);
      })
      // The QDQ form: QuantizeLinear and DequantizeLinear with their
      // scale, zero point and axis, as ONNX Runtime's quantizer writes them.
      .Case<cnn::QuantizeOp, cnn::DequantizeOp>(
          [&](auto quantization) -> llvm::Error {
            llvm::StringRef opType = llvm::isa<cnn::QuantizeOp>(op)
                                         ? "QuantizeLinear"
                                         : "DequantizeLinear";
            begin(op, opType);
            auto inputs = use(op->getOperands());
            if (!inputs)
              return inputs.takeError();
            proto::NodeProto &node =
                define(opType, *inputs, quantization.getResult());
            if (std::optional<uint64_t> axis = quantization.getAxis())
              setInt(node, "axis", static_cast<int64_t>(*axis));
            return llvm::Error::success();
          })
      .Case([&](cnn::PadOp pad) {
        begin(op, "Pad");
        return exportPad(pad);
      })
      .Case([&](cnn::SliceOp slice) {
        begin(op, "Slice");
        return exportSlice(slice);
      })
      .Default([&](Operation *) { return unsupported(op); });
}

} // namespace cnnc::onnx::exporter
