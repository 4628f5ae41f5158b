// RUN: cnnc-opt %s --convert-cnn-to-linalg --split-input-file -verify-diagnostics

// Ops without a lowering are named, every one of them.
func.func @losses(%x: tensor<8x10xf32>, %labels: tensor<8xi64>) -> (tensor<f32>, tensor<f32>) {
  // expected-error@+1 {{'cnn.mse_loss' has no lowering to linalg yet}}
  %0 = cnn.mse_loss %x, %x reduction sum : (tensor<8x10xf32>, tensor<8x10xf32>) -> tensor<f32>
  // expected-error@+1 {{'cnn.softmax_cross_entropy' has no lowering to linalg yet}}
  %1 = cnn.softmax_cross_entropy %x, %labels reduction mean : (tensor<8x10xf32>, tensor<8xi64>) -> tensor<f32>
  return %0, %1 : tensor<f32>, tensor<f32>
}
