// RUN: cnnc-opt %s --cnnc-convert-cnn-to-linalg --split-input-file | FileCheck %s

// Cross-entropy: the row max, the sum of shifted exponentials and the row
// sum, then per row lse - (1 - s) x[label] - (s / C) sum; the mean last.
// CHECK-LABEL: func.func @cross_entropy
// CHECK:         linalg.generic {{.*}} ins(%arg0 : tensor<4x10xf32>) outs(%{{.*}} : tensor<4x1xf32>)
// CHECK:           arith.maximumf
// CHECK:           math.exp
// CHECK:           math.log
// CHECK:           arith.index_cast
// CHECK:           arith.maxsi
// CHECK:           arith.minsi
// CHECK:           tensor.extract %arg0
// CHECK:           arith.constant 0.899999976 : f32
// CHECK:           arith.constant 0.00999999977 : f32
// CHECK:         tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<4x1xf32> into tensor<4xf32>
// CHECK:         tensor.collapse_shape %{{.*}} [] : tensor<1xf32> into tensor<f32>
// CHECK:           arith.constant 2.500000e-01 : f32
func.func @cross_entropy(%x: tensor<4x10xf32>, %labels: tensor<4xi64>) -> tensor<f32> {
  %0 = cnn.softmax_cross_entropy %x, %labels reduction mean {label_smoothing = 1.0e-01 : f32} : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// MSE: squared differences, kept per element with `none`.
// CHECK-LABEL: func.func @mse_none
// CHECK:         linalg.generic
// CHECK:           arith.subf
// CHECK:           arith.mulf
// CHECK-NOT:     collapse_shape
func.func @mse_none(%p: tensor<2x3xf32>, %t: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = cnn.mse_loss %p, %t reduction none : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
