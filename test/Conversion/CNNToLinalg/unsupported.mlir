// RUN: cnnc-opt %s --convert-cnn-to-linalg --split-input-file -verify-diagnostics

// Ops without a lowering are named, every one of them.
func.func @reduce_and_loss(%x: tensor<1x3x4x4xf32>) -> tensor<f32> {
  // expected-error@+1 {{'cnn.reduce' has no lowering to linalg yet}}
  %r = cnn.reduce sum %x axes [1] keep_dims : tensor<1x3x4x4xf32> -> tensor<1x1x4x4xf32>
  // expected-error@+1 {{'cnn.mse_loss' has no lowering to linalg yet}}
  %1 = cnn.mse_loss %r, %r reduction sum : (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

// Lowered ops with forms not handled yet fail to legalize.
func.func @grouped_conv_3d(%x: tensor<1x2x4x4x4xf32>, %w: tensor<2x1x2x2x2xf32>) -> tensor<1x2x3x3x3xf32> {
  // expected-error@+1 {{failed to legalize operation 'cnn.conv' that was explicitly marked illegal}}
  %0 = cnn.conv %x, %w strides [1, 1, 1] pads [0, 0, 0, 0, 0, 0] dilations [1, 1, 1] groups 2 : (tensor<1x2x4x4x4xf32>, tensor<2x1x2x2x2xf32>) -> tensor<1x2x3x3x3xf32>
  return %0 : tensor<1x2x3x3x3xf32>
}
