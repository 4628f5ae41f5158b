// RUN: cnnc-opt %s | cnnc-opt | FileCheck %s
// RUN: cnnc-opt %s --mlir-print-op-generic | cnnc-opt | FileCheck %s

// The gradient ops of the training path (CNNOps.td, "Gradients"), printed,
// parsed back and printed again, with and without their optional
// attributes.

// CHECK-LABEL: func.func @activation_grad
func.func @activation_grad(%x: tensor<8x16x14x14xf32>, %dy: tensor<8x16x14x14xf32>, %v: tensor<4x3xf64>, %dv: tensor<4x3xf64>) -> (tensor<8x16x14x14xf32>, tensor<8x16x14x14xf32>, tensor<4x3xf64>) {
  // CHECK: cnn.activation_grad relu %{{.*}}, %{{.*}} : tensor<8x16x14x14xf32>
  %0 = cnn.activation_grad relu %x, %dy : tensor<8x16x14x14xf32>
  // CHECK: cnn.activation_grad clip %{{.*}}, %{{.*}} {alpha = 0.000000e+00 : f32, beta = 6.000000e+00 : f32} : tensor<8x16x14x14xf32>
  %1 = cnn.activation_grad clip %x, %dy {alpha = 0.0 : f32, beta = 6.0 : f32} : tensor<8x16x14x14xf32>
  // CHECK: cnn.activation_grad leaky_relu %{{.*}}, %{{.*}} {alpha = 1.000000e-01 : f32} : tensor<4x3xf64>
  %2 = cnn.activation_grad leaky_relu %v, %dv {alpha = 0.1 : f32} : tensor<4x3xf64>
  return %0, %1, %2 : tensor<8x16x14x14xf32>, tensor<8x16x14x14xf32>, tensor<4x3xf64>
}

// CHECK-LABEL: func.func @conv_weight_grad
func.func @conv_weight_grad(%x: tensor<8x3x32x32xf32>, %dy: tensor<8x16x32x32xf32>, %g: tensor<2x4x9x9xf64>, %dg: tensor<2x6x3x3xf64>) -> (tensor<16x3x3x3xf32>, tensor<6x2x3x3xf64>) {
  // CHECK: cnn.conv_weight_grad %{{.*}}, %{{.*}} strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<8x3x32x32xf32>, tensor<8x16x32x32xf32>) -> tensor<16x3x3x3xf32>
  %0 = cnn.conv_weight_grad %x, %dy strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1
       : (tensor<8x3x32x32xf32>, tensor<8x16x32x32xf32>) -> tensor<16x3x3x3xf32>
  // Strided, dilated, asymmetrically padded and grouped.
  // CHECK: cnn.conv_weight_grad %{{.*}}, %{{.*}} strides [2, 3] pads [1, 0, 0, 2] dilations [2, 1] groups 2 : (tensor<2x4x9x9xf64>, tensor<2x6x3x3xf64>) -> tensor<6x2x3x3xf64>
  %1 = cnn.conv_weight_grad %g, %dg strides [2, 3] pads [1, 0, 0, 2] dilations [2, 1] groups 2
       : (tensor<2x4x9x9xf64>, tensor<2x6x3x3xf64>) -> tensor<6x2x3x3xf64>
  return %0, %1 : tensor<16x3x3x3xf32>, tensor<6x2x3x3xf64>
}

// CHECK-LABEL: func.func @pool_grad
func.func @pool_grad(%x: tensor<8x16x28x28xf32>, %dy: tensor<8x16x14x14xf32>, %a: tensor<1x2x6x6xf32>, %da: tensor<1x2x4x4xf32>) -> (tensor<8x16x28x28xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>) {
  // CHECK: cnn.pool_grad max %{{.*}}, %{{.*}} kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] : tensor<8x16x28x28xf32>, tensor<8x16x14x14xf32>
  %0 = cnn.pool_grad max %x, %dy kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1]
       : tensor<8x16x28x28xf32>, tensor<8x16x14x14xf32>
  // CHECK: cnn.pool_grad avg %{{.*}}, %{{.*}} kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] ceil_mode count_include_pad : tensor<1x2x6x6xf32>, tensor<1x2x4x4xf32>
  %1 = cnn.pool_grad avg %a, %da kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] ceil_mode count_include_pad
       : tensor<1x2x6x6xf32>, tensor<1x2x4x4xf32>
  // CHECK: cnn.pool_grad max %{{.*}}, %{{.*}} kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] ceil_mode : tensor<1x2x6x6xf32>, tensor<1x2x4x4xf32>
  %2 = cnn.pool_grad max %a, %da kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] ceil_mode
       : tensor<1x2x6x6xf32>, tensor<1x2x4x4xf32>
  return %0, %1, %2 : tensor<8x16x28x28xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>
}

// CHECK-LABEL: func.func @softmax_cross_entropy_grad
func.func @softmax_cross_entropy_grad(%logits: tensor<64x10xf32>, %labels: tensor<64xi32>, %dloss: tensor<f32>, %labels64: tensor<64xi64>, %dper: tensor<64xf32>) -> (tensor<64x10xf32>, tensor<64x10xf32>) {
  // CHECK: cnn.softmax_cross_entropy_grad %{{.*}}, %{{.*}}, %{{.*}} reduction mean {label_smoothing = 1.000000e-01 : f32} : (tensor<64x10xf32>, tensor<64xi32>, tensor<f32>) -> tensor<64x10xf32>
  %0 = cnn.softmax_cross_entropy_grad %logits, %labels, %dloss reduction mean {label_smoothing = 1.0e-01 : f32}
       : (tensor<64x10xf32>, tensor<64xi32>, tensor<f32>) -> tensor<64x10xf32>
  // The default smoothing (0) is not printed; `none` takes one gradient per
  // sample.
  // CHECK: cnn.softmax_cross_entropy_grad %{{.*}}, %{{.*}}, %{{.*}} reduction none : (tensor<64x10xf32>, tensor<64xi64>, tensor<64xf32>) -> tensor<64x10xf32>
  %1 = cnn.softmax_cross_entropy_grad %logits, %labels64, %dper reduction none
       : (tensor<64x10xf32>, tensor<64xi64>, tensor<64xf32>) -> tensor<64x10xf32>
  return %0, %1 : tensor<64x10xf32>, tensor<64x10xf32>
}

// CHECK-LABEL: func.func @dropout_mask
func.func @dropout_mask(%key: tensor<i64>) -> (tensor<8x4096xf32>, tensor<2x3xf64>) {
  // CHECK: cnn.dropout_mask %{{.*}} {ratio = 2.500000e-01 : f32, seed = 3 : i64} : tensor<i64> -> tensor<8x4096xf32>
  %0 = cnn.dropout_mask %key {ratio = 2.5e-01 : f32, seed = 3 : i64} : tensor<i64> -> tensor<8x4096xf32>
  // CHECK: cnn.dropout_mask %{{.*}} : tensor<i64> -> tensor<2x3xf64>
  %1 = cnn.dropout_mask %key : tensor<i64> -> tensor<2x3xf64>
  return %0, %1 : tensor<8x4096xf32>, tensor<2x3xf64>
}
