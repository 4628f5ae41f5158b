//===- Optimizers.cpp - Parameter updates of the train step ---------------===//

#include "Optimizers.h"

#include "cnnc/Training/TrainStep.h"

using namespace mlir;

namespace cnnc::training {

SmallVector<StringRef, 2> slotSuffixes(Optimizer optimizer) {
  if (optimizer == Optimizer::SGD)
    return {".momentum"};
  return {".exp_avg", ".exp_avg_sq"};
}

SmallVector<Value> applyOptimizer(GraphBuilder &gb, Optimizer optimizer,
                                  Value hyper, Value p, Value g,
                                  ValueRange slots) {
  Type element = cast<RankedTensorType>(p.getType()).getElementType();
  auto h = [&](HyperParameter index) { return gb.element(hyper, index); };
  Value lr = h(kLearningRate), decay = h(kWeightDecay);
  if (optimizer == Optimizer::SGD) {
    // PyTorch's SGD (dampening 0): b = momentum * b + (g + wd * p);
    // p -= lr * b. With a zero initial buffer the first step is b = g.
    Value grad = gb.add(g, gb.mul(decay, p));
    Value buffer = gb.add(gb.mul(h(kMomentum), slots[0]), grad);
    return {gb.sub(p, gb.mul(lr, buffer)), buffer};
  }
  // Adam, as PyTorch computes it: m = b1 m + (1 - b1) g;
  // v = b2 v + (1 - b2) g^2; p -= lr / (1 - b1^t) * m /
  // (sqrt(v) / sqrt(1 - b2^t) + eps), the two corrections from the caller.
  Value one = gb.scalar(1.0, element);
  Value beta1 = h(kBeta1), beta2 = h(kBeta2);
  Value grad = g;
  if (optimizer == Optimizer::Adam)
    grad = gb.add(g, gb.mul(decay, p));
  else // AdamW decays the parameter itself.
    p = gb.mul(p, gb.sub(one, gb.mul(lr, decay)));
  Value m = gb.add(gb.mul(beta1, slots[0]), gb.mul(gb.sub(one, beta1), grad));
  Value v = gb.add(gb.mul(beta2, slots[1]),
                   gb.mul(gb.sub(one, beta2), gb.mul(grad, grad)));
  Value denominator =
      gb.add(gb.mul(gb.unary(cnn::UnaryKind::Sqrt, v), h(kBiasCorrection2)),
             h(kEpsilon));
  Value step = gb.mul(gb.mul(lr, h(kBiasCorrection1)), gb.div(m, denominator));
  return {gb.sub(p, step), m, v};
}

} // namespace cnnc::training
