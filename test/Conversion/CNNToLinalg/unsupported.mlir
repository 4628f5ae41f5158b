// RUN: cnnc-opt %s --convert-cnn-to-linalg --split-input-file -verify-diagnostics

// Ops without a lowering are named, every one of them.
func.func @losses(%x: tensor<8x10xf32>, %labels: tensor<8xi64>) -> (tensor<f32>, tensor<f32>) {
  // expected-error@+1 {{'cnn.mse_loss' has no lowering to linalg yet}}
  %0 = cnn.mse_loss %x, %x reduction sum : (tensor<8x10xf32>, tensor<8x10xf32>) -> tensor<f32>
  // expected-error@+1 {{'cnn.softmax_cross_entropy' has no lowering to linalg yet}}
  %1 = cnn.softmax_cross_entropy %x, %labels reduction mean : (tensor<8x10xf32>, tensor<8xi64>) -> tensor<f32>
  return %0, %1 : tensor<f32>, tensor<f32>
}

// -----

// Lowered ops with forms not handled yet fail to legalize.
func.func @grouped_conv_3d(%x: tensor<1x2x4x4x4xf32>, %w: tensor<2x1x2x2x2xf32>) -> tensor<1x2x3x3x3xf32> {
  // expected-error@+1 {{failed to legalize operation 'cnn.conv' that was explicitly marked illegal}}
  %0 = cnn.conv %x, %w strides [1, 1, 1] pads [0, 0, 0, 0, 0, 0] dilations [1, 1, 1] groups 2 : (tensor<1x2x4x4x4xf32>, tensor<2x1x2x2x2xf32>) -> tensor<1x2x3x3x3xf32>
  return %0 : tensor<1x2x3x3x3xf32>
}
