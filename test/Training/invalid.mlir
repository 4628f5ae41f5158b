// RUN: not cnnc-opt %s --split-input-file --cnnc-generate-train-step 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not cnnc-opt %s --split-input-file --cnnc-generate-train-step="optimizer=rmsprop" 2>&1 | FileCheck %s --check-prefix=OPTIMIZER
// RUN: not cnnc-opt %s --split-input-file --cnnc-generate-train-step="loss=hinge" 2>&1 | FileCheck %s --check-prefix=LOSS
// RUN: not cnnc-opt %s --split-input-file --cnnc-generate-train-step="label-smoothing=1.5" 2>&1 | FileCheck %s --check-prefix=SMOOTHING
// RUN: not cnnc-opt %s --split-input-file --cnnc-differentiate 2>&1 | FileCheck %s --check-prefix=DIFF

// What cnnc-generate-train-step and cnnc-differentiate refuse, and where they
// say so. The loss and the optimizer are enum options, refused when the
// pipeline is parsed; the label smoothing is checked before the module
// (every piece reports it); the cnnc-differentiate cases are private functions, which
// cnnc-generate-train-step does not take for a model.

// OPTIMIZER: for the --optimizer option: Cannot find option named 'rmsprop'!
// LOSS: for the --loss option: Cannot find option named 'hinge'!
// SMOOTHING: error: label smoothing must be in [0, 1], got 1.500000e+00

// CHECK: invalid.mlir:[[@LINE+1]]:1: error: the model has no trainable parameters (no constant weight of a conv, matmul or batch norm)
func.func @no_parameters(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = cnn.activation relu %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK: invalid.mlir:[[@LINE+1]]:1: error: training needs a model with one input and one output (the logits); this one has 1 inputs and 2 outputs
func.func @two_outputs(%x: tensor<2x4xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %w = cnn.constant dense<0.5> : tensor<4x3xf32>
  %0 = cnn.matmul %x, %w : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  %1 = cnn.activation relu %0 : tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK: invalid.mlir:[[@LINE+1]]:1: error: training with the cross-entropy loss needs logits of shape [N, classes], but the model's output is 'tensor<2x4x36xf32>'
func.func @rank3_logits(%x: tensor<2x1x6x6xf32>) -> tensor<2x4x36xf32> {
  %w = cnn.constant dense<0.1> : tensor<4x1x3x3xf32>
  %0 = cnn.conv %x, %w strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<2x1x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<2x4x6x6xf32>
  %1 = cnn.reshape %0 : tensor<2x4x6x6xf32> -> tensor<2x4x36xf32>
  return %1 : tensor<2x4x36xf32>
}

// -----

// The backward pass reaches an op that has no gradient rule: the error is
// at that op.
func.func @no_rule(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = cnn.constant dense<0.5> : tensor<4x3xf32>
  %floor = cnn.constant dense<0.0> : tensor<2x3xf32>
  %0 = cnn.matmul %x, %w : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  // CHECK: invalid.mlir:[[@LINE+1]]:8: error: cannot train through 'cnn.binary': only add, sub, mul and div are differentiated
  %1 = cnn.binary max %0, %floor : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// A constant that is both a trainable parameter (a convolution's bias) and
// a batch norm's running statistic.
func.func @shared_constant(%x: tensor<2x1x6x6xf32>) -> tensor<2x4xf32> {
  %w = cnn.constant dense<0.1> : tensor<4x1x3x3xf32>
  // CHECK: invalid.mlir:[[@LINE+1]]:8: error: this constant is both a trainable parameter and a batch norm's running statistic; training needs them apart
  %b = cnn.constant dense<0.0> : tensor<4xf32>
  %one = cnn.constant dense<1.0> : tensor<4xf32>
  %0 = cnn.conv %x, %w, %b strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<2x1x6x6xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<2x4x6x6xf32>
  %1 = cnn.batch_norm %0, %one, %b, %b, %one : tensor<2x4x6x6xf32>, tensor<4xf32>
  %2 = cnn.global_pool avg %1 : tensor<2x4x6x6xf32> -> tensor<2x4x1x1xf32>
  %3 = cnn.reshape %2 : tensor<2x4x1x1xf32> -> tensor<2x4xf32>
  return %3 : tensor<2x4xf32>
}

// -----

// CHECK: error: the module has two models, 'first' and 'second'
func.func @first(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = cnn.constant dense<0.5> : tensor<4x3xf32>
  %0 = cnn.matmul %x, %w : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
func.func @second(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = cnn.constant dense<0.5> : tensor<4x3xf32>
  %0 = cnn.matmul %x, %w : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// cnnc-differentiate needs one 0-d float result. (cnnc-generate-train-step
// finds no model in the pieces that follow.)
// CHECK-COUNT-5: error: the module has no model function to train
// DIFF: invalid.mlir:[[@LINE+1]]:1: error: cnnc-differentiate expects a function with one result, a 0-d float tensor; got '(tensor<3xf32>) -> tensor<3xf32>'
func.func private @not_scalar(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = cnn.unary exp %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// DIFF: invalid.mlir:[[@LINE+1]]:1: error: cnnc-differentiate expects a function with one result, a 0-d float tensor; got '(tensor<3xf32>) -> (tensor<f32>, tensor<f32>)'
func.func private @two_results(%x: tensor<3xf32>) -> (tensor<f32>, tensor<f32>) {
  %0 = cnn.reduce sum %x axes [0] : tensor<3xf32> -> tensor<f32>
  return %0, %0 : tensor<f32>, tensor<f32>
}

// -----

// In cnnc-differentiate too, an op without a rule is named where it is.
func.func private @max_reduction(%x: tensor<3xf32>) -> tensor<f32> {
  // DIFF: invalid.mlir:[[@LINE+1]]:8: error: cannot train through 'cnn.reduce': a max or min reduction has no gradient rule
  %0 = cnn.reduce max %x axes [0] : tensor<3xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func private @binary_max(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<f32> {
  // DIFF: invalid.mlir:[[@LINE+1]]:8: error: cannot train through 'cnn.binary': only add, sub, mul and div are differentiated
  %0 = cnn.binary max %x, %y : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = cnn.reduce sum %0 axes [0] : tensor<3xf32> -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

func.func private @abs(%x: tensor<3xf32>) -> tensor<f32> {
  // DIFF: invalid.mlir:[[@LINE+1]]:8: error: cannot train through 'cnn.unary': abs has no gradient rule
  %0 = cnn.unary abs %x : tensor<3xf32>
  %1 = cnn.reduce sum %0 axes [0] : tensor<3xf32> -> tensor<f32>
  return %1 : tensor<f32>
}
