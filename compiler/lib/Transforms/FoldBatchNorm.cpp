//===- FoldBatchNorm.cpp - Inference batch norm into the conv before it ---===//

#include "cnnc/Transforms/Passes.h"

#include "ConstantTensors.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include <cmath>

namespace cnnc {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;
using namespace cnnc::transforms;

namespace {

/// Per channel, y = s * x + t.
struct ScaleShift {
  std::vector<float> scale, shift;
};

std::optional<ScaleShift> scaleShift(cnn::BatchNormOp norm) {
  std::optional<std::vector<float>> gamma = constantFloats(norm.getScale());
  std::optional<std::vector<float>> beta = constantFloats(norm.getBias());
  std::optional<std::vector<float>> mean = constantFloats(norm.getMean());
  std::optional<std::vector<float>> variance =
      constantFloats(norm.getVariance());
  if (!gamma || !beta || !mean || !variance)
    return std::nullopt;
  double epsilon = norm.getEpsilon().convertToDouble();
  ScaleShift result;
  for (size_t c = 0; c < gamma->size(); ++c) {
    double s = (*gamma)[c] / std::sqrt(double((*variance)[c]) + epsilon);
    result.scale.push_back(static_cast<float>(s));
    result.shift.push_back(
        static_cast<float>((*beta)[c] - double((*mean)[c]) * s));
  }
  return result;
}

/// Gives `producer` (a conv or matmul) the folded `weight` and `bias` as new
/// constants, and puts it in the batch norm's place.
void replaceWithFolded(Operation *producer, OpOperand &weightOperand,
                       MutableOperandRange biasOperand,
                       ArrayRef<float> weight, ArrayRef<float> bias,
                       cnn::BatchNormOp norm) {
  OpBuilder builder(producer);
  Location loc = FusedLoc::get(producer->getContext(),
                               {producer->getLoc(), norm.getLoc()});
  auto weightType = cast<RankedTensorType>(weightOperand.get().getType());
  Value newWeight = createFloatConstant(builder, loc, weightType, weight);
  Value newBias = createFloatConstant(
      builder, loc,
      RankedTensorType::get({static_cast<int64_t>(bias.size())},
                            weightType.getElementType()),
      bias);
  weightOperand.set(newWeight);
  if (biasOperand.empty())
    biasOperand.append(newBias);
  else
    biasOperand.assign(newBias);
  producer->setLoc(loc);
  norm.replaceAllUsesWith(producer->getResult(0));
  norm.erase();
}

/// conv(x, W * s, b * s + t), when the convolution can take it.
bool foldIntoConv(cnn::BatchNormOp norm, const ScaleShift &affine) {
  auto conv = norm.getInput().getDefiningOp<cnn::ConvOp>();
  if (!conv || !conv->hasOneUse() || conv.getResidual() ||
      conv.getActivation())
    return false;
  std::optional<std::vector<float>> weight = constantFloats(conv.getWeight());
  if (!weight)
    return false;
  std::optional<std::vector<float>> bias;
  if (conv.getBias()) {
    bias = constantFloats(conv.getBias());
    if (!bias)
      return false;
  }
  size_t channels = affine.scale.size();
  size_t perChannel = weight->size() / channels;
  for (size_t f = 0; f < channels; ++f)
    for (size_t i = 0; i < perChannel; ++i)
      (*weight)[f * perChannel + i] *= affine.scale[f];
  std::vector<float> newBias(channels);
  for (size_t f = 0; f < channels; ++f)
    newBias[f] = (bias ? (*bias)[f] * affine.scale[f] : 0.0f) + affine.shift[f];
  replaceWithFolded(conv, conv.getWeightMutable(), conv.getBiasMutable(),
                    *weight, newBias, norm);
  return true;
}

/// matmul(x, W) [N, C] then batch norm over C: W's C columns (rows, with
/// transpose_rhs) scaled, the bias beta * b * s + t, beta then 1.
bool foldIntoMatmul(cnn::BatchNormOp norm, const ScaleShift &affine) {
  auto matmul = norm.getInput().getDefiningOp<cnn::MatmulOp>();
  if (!matmul || !matmul->hasOneUse() || matmul.getActivation() ||
      matmul.getType().getRank() != 2)
    return false;
  auto rhsType = cast<RankedTensorType>(matmul.getRhs().getType());
  std::optional<std::vector<float>> weight = constantFloats(matmul.getRhs());
  if (rhsType.getRank() != 2 || !weight)
    return false;
  size_t channels = affine.scale.size();
  std::optional<std::vector<float>> bias;
  if (Value b = matmul.getBias()) {
    auto biasType = cast<RankedTensorType>(b.getType());
    bias = constantFloats(b);
    if (!bias || biasType.getRank() != 1 || bias->size() != channels)
      return false;
  }
  bool transposed = matmul.getTransposeRhs();
  int64_t rows = rhsType.getDimSize(0), columns = rhsType.getDimSize(1);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < columns; ++c)
      (*weight)[r * columns + c] *= affine.scale[transposed ? r : c];
  float beta = matmul.getBeta().convertToFloat();
  std::vector<float> newBias(channels);
  for (size_t c = 0; c < channels; ++c)
    newBias[c] = (bias ? beta * (*bias)[c] * affine.scale[c] : 0.0f) +
                 affine.shift[c];
  matmul.setBeta(llvm::APFloat(1.0f));
  replaceWithFolded(matmul, matmul.getRhsMutable(), matmul.getBiasMutable(),
                    *weight, newBias, norm);
  return true;
}

/// x * s + t with s and t shaped [C, 1...] to broadcast along dimension 1.
void toScaleShift(cnn::BatchNormOp norm, const ScaleShift &affine) {
  RankedTensorType type = norm.getType();
  SmallVector<int64_t> shape{static_cast<int64_t>(affine.scale.size())};
  for (int64_t d = 2; d < type.getRank(); ++d)
    shape.push_back(1);
  auto paramType = RankedTensorType::get(shape, type.getElementType());
  OpBuilder builder(norm);
  Location loc = norm.getLoc();
  Value scale = createFloatConstant(builder, loc, paramType, affine.scale);
  Value shift = createFloatConstant(builder, loc, paramType, affine.shift);
  Value scaled = cnn::BinaryOp::create(builder, loc, type,
                                       cnn::BinaryKind::Mul, norm.getInput(),
                                       scale);
  Value shifted = cnn::BinaryOp::create(builder, loc, type,
                                        cnn::BinaryKind::Add, scaled, shift);
  norm.replaceAllUsesWith(shifted);
  norm.erase();
}

struct FoldBatchNormPass : cnnc::impl::FoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    SmallVector<cnn::BatchNormOp> norms;
    getOperation().walk([&](cnn::BatchNormOp norm) { norms.push_back(norm); });
    for (cnn::BatchNormOp norm : norms) {
      std::optional<ScaleShift> affine = scaleShift(norm);
      if (!affine)
        continue;
      if (!foldIntoConv(norm, *affine) && !foldIntoMatmul(norm, *affine))
        toScaleShift(norm, *affine);
    }
  }
};

} // namespace
