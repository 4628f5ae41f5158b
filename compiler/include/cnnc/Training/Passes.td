//===- Passes.td - cnnc's training passes ------------------*- tablegen -*-===//

#ifndef CNNC_TRAINING_PASSES_TD
#define CNNC_TRAINING_PASSES_TD

include "mlir/Pass/PassBase.td"

def GenerateTrainStep : Pass<"cnnc-generate-train-step", "mlir::ModuleOp"> {
  let summary = "Generate the train step, evaluation and initial state of a "
                "model";
  let description = [{
    From the model's function (one input, one output: the logits) and its
    constants, writes three more public functions, each marked with its role
    in `cnnc.entry`:

    * `NAME_initial_state() -> (state...)`: the trainable parameters (every
      float constant used as a convolution's or matmul's weight or bias, or
      as a batch norm's scale or bias) with the model's values, the batch
      norms' running statistics, and the optimizer's slots as zeros;
    * `NAME_train_step(state..., input, labels, hyper, key) -> (loss,
      logits, new state...)`: batch norms in training form (batch statistics,
      running statistics updated with momentum 0.9), dropout as a
      multiplication by `cnn.dropout_mask` drawn from `key`, the loss on the
      logits (`softmax_cross_entropy` with mean reduction and
      `label-smoothing`, against int32 class labels, or `mse_loss` against a
      target of the logits' type), the backward graph of the loss, and the
      optimizer's update of every parameter;
    * `NAME_evaluate(parameters and statistics..., input) -> logits`: the
      model as written, with the state's parameters.

    `hyper` is a tensor<8xf32>: learning rate, momentum, weight decay, beta1,
    beta2, epsilon, 1 / (1 - beta1^t), 1 / sqrt(1 - beta2^t) (t: the
    step, from 1). `sgd` keeps one
    momentum buffer per parameter (PyTorch's SGD: `b = momentum * b + g +
    wd * p; p -= lr * b`); `adam` (L2 weight decay in the gradient) and
    `adamw` (decoupled decay, `p *= 1 - lr * wd`) keep two moments.

    The functions carry the state's layout in `cnnc.state`: one entry
    (name, kind: parameter, statistic or slot) per state tensor, in the
    order of the arguments. The model's function itself is kept: it is the
    inference with the model's own weights.
  }];
  let options = [
    Option<"loss", "loss", "cnnc::cnn::LossKind",
           "cnnc::cnn::LossKind::CrossEntropy", "The loss on the logits",
           [{::llvm::cl::values(
             clEnumValN(cnnc::cnn::LossKind::CrossEntropy, "cross_entropy",
                        "softmax cross-entropy against int32 class labels"),
             clEnumValN(cnnc::cnn::LossKind::MSE, "mse",
                        "mean squared error against a target"))}]>,
    Option<"labelSmoothing", "label-smoothing", "double", "0.0",
           "Label smoothing of the cross-entropy, in [0, 1]">,
    Option<"optimizer", "optimizer", "cnnc::cnn::OptimizerKind",
           "cnnc::cnn::OptimizerKind::SGD", "The parameter update",
           [{::llvm::cl::values(
             clEnumValN(cnnc::cnn::OptimizerKind::SGD, "sgd",
                        "SGD with momentum"),
             clEnumValN(cnnc::cnn::OptimizerKind::Adam, "adam",
                        "Adam, L2 weight decay in the gradient"),
             clEnumValN(cnnc::cnn::OptimizerKind::AdamW, "adamw",
                        "Adam with decoupled weight decay"))}]>,
  ];
  let dependentDialects = ["cnnc::cnn::CNNDialect", "mlir::func::FuncDialect"];
}

def Differentiate : Pass<"cnnc-differentiate", "mlir::func::FuncOp"> {
  let summary = "Return the gradients of a scalar function with its value";
  let description = [{
    A function whose only result is a 0-d float tensor (a loss) gets, after
    it, the gradient of that result with respect to each of its float
    arguments, as more results: `f(x, w) -> l` becomes
    `f(x, w) -> (l, dl/dx, dl/dw)`. The reverse-mode differentiation that
    the train step uses, on its own: how the gradient rules are checked
    against finite differences (test/training/gradcheck.py).
  }];
  let dependentDialects = ["cnnc::cnn::CNNDialect"];
}

#endif // CNNC_TRAINING_PASSES_TD
