//===- Activations.cpp - Relu, Clip, Sigmoid, ... and PRelu ---------------===//
//
// Every ONNX activation becomes one cnn.activation with its kind and the
// (alpha, beta) parameters in the dialect's convention.
//
//===----------------------------------------------------------------------===//

#include "Ops.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include <cfloat>
#include <cmath>

using namespace mlir;

namespace cnnc::onnx {
namespace {

LogicalResult activation(NodeImporter &node, cnn::ActivationKind kind,
                         std::optional<float> alpha = std::nullopt,
                         std::optional<float> beta = std::nullopt) {
  FailureOr<Value> x = node.input(0);
  if (failed(x))
    return failure();
  Builder &b = node.builder();
  FloatAttr alphaAttr = alpha ? b.getF32FloatAttr(*alpha) : FloatAttr();
  FloatAttr betaAttr = beta ? b.getF32FloatAttr(*beta) : FloatAttr();
  return node.setResult(node.create<cnn::ActivationOp>(x->getType(), kind, *x,
                                                       alphaAttr, betaAttr));
}

/// An activation without parameters.
template <cnn::ActivationKind Kind>
LogicalResult convertPlain(NodeImporter &node) {
  if (failed(node.expectInputs(1, 1)))
    return failure();
  return activation(node, Kind);
}

/// An activation with float attributes `alphaName` (and `betaName`).
template <cnn::ActivationKind Kind>
LogicalResult convertWithAttrs(NodeImporter &node, llvm::StringRef alphaName,
                               float alphaDefault,
                               llvm::StringRef betaName = "",
                               float betaDefault = 0) {
  if (failed(node.expectInputs(1, 1)))
    return failure();
  FailureOr<float> alpha = node.getFloat(alphaName, alphaDefault);
  if (failed(alpha))
    return failure();
  if (betaName.empty())
    return activation(node, Kind, *alpha);
  FailureOr<float> beta = node.getFloat(betaName, betaDefault);
  if (failed(beta))
    return failure();
  return activation(node, Kind, *alpha, *beta);
}

/// Clip's bound: an attribute before opset 11, an optional scalar input
/// known at compile time from 11 on.
FailureOr<float> clipBound(NodeImporter &node, size_t input,
                           llvm::StringRef name, float otherwise) {
  if (node.opset() < 11)
    return node.getFloat(name, otherwise);
  if (!node.hasInput(input))
    return otherwise;
  FailureOr<const Tensor *> bound = node.requireConstant(input, name);
  if (failed(bound))
    return failure();
  if ((*bound)->numElements() != 1)
    return node.error() << "expected the " << name << " (input " << input
                        << ") to be a scalar, got shape "
                        << formatShape((*bound)->shape),
           failure();
  return static_cast<float>((*bound)->floatAt(0));
}

LogicalResult convertClip(NodeImporter &node) {
  if (failed(node.expectInputs(1, node.opset() < 11 ? 1 : 3)))
    return failure();
  // Before opset 11 the bounds default to the float range; from 11 on a
  // missing bound does not clip.
  float lowest = node.opset() < 11 ? -FLT_MAX : -INFINITY;
  float highest = node.opset() < 11 ? FLT_MAX : INFINITY;
  FailureOr<float> min = clipBound(node, 1, "min", lowest);
  FailureOr<float> max = clipBound(node, 2, "max", highest);
  if (failed(min) || failed(max))
    return failure();
  // min(max(x, lo), hi) with lo > hi is hi everywhere.
  float lower = *min > *max ? *max : *min;
  return activation(node, cnn::ActivationKind::Clip, lower, *max);
}

LogicalResult convertPRelu(NodeImporter &node) {
  if (failed(node.expectInputs(2, 2)))
    return failure();
  FailureOr<Value> x = node.input(0), slope = node.input(1);
  if (failed(x) || failed(slope))
    return failure();
  return node.setResult(node.create<cnn::PReluOp>(x->getType(), *x, *slope));
}

} // namespace

void addActivationOps(ConverterTable &table) {
  using Kind = cnn::ActivationKind;
  table["Relu"] = convertPlain<Kind::Relu>;
  table["Sigmoid"] = convertPlain<Kind::Sigmoid>;
  table["Tanh"] = convertPlain<Kind::Tanh>;
  table["HardSwish"] = convertPlain<Kind::HardSwish>;
  table["Softplus"] = convertPlain<Kind::Softplus>;
  table["LeakyRelu"] = [](NodeImporter &node) {
    return convertWithAttrs<Kind::LeakyRelu>(node, "alpha", 0.01f);
  };
  table["Elu"] = [](NodeImporter &node) {
    return convertWithAttrs<Kind::Elu>(node, "alpha", 1.0f);
  };
  table["Selu"] = [](NodeImporter &node) {
    return convertWithAttrs<Kind::Selu>(node, "alpha",
                                        1.67326319217681884765625f, "gamma",
                                        1.05070102214813232421875f);
  };
  table["HardSigmoid"] = [](NodeImporter &node) {
    return convertWithAttrs<Kind::HardSigmoid>(node, "alpha", 0.2f, "beta",
                                               0.5f);
  };
  table["Clip"] = convertClip;
  table["PRelu"] = convertPRelu;
}

} // namespace cnnc::onnx
