// RUN: cnnc-opt %s | cnnc-opt | FileCheck %s
// RUN: cnnc-opt %s --mlir-print-op-generic | cnnc-opt | FileCheck %s

// Every cnn op once, printed, parsed back and printed again.

// CHECK-LABEL: func.func @constant
func.func @constant() -> (tensor<2x2xf32>, tensor<3xi64>) {
  // CHECK: cnn.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
  %0 = cnn.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  // CHECK: cnn.constant dense<[1, 3, 224]> : tensor<3xi64>
  %1 = cnn.constant dense<[1, 3, 224]> : tensor<3xi64>
  return %0, %1 : tensor<2x2xf32>, tensor<3xi64>
}

// CHECK-LABEL: func.func @constant_resource
func.func @constant_resource() -> tensor<2xf32> {
  // CHECK: cnn.constant dense_resource<weight> : tensor<2xf32>
  %0 = cnn.constant dense_resource<weight> : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// CHECK-LABEL: func.func @conv
func.func @conv(%x: tensor<1x3x224x224xf32>, %w: tensor<64x3x7x7xf32>, %b: tensor<64xf32>) -> tensor<1x64x112x112xf32> {
  // CHECK: cnn.conv %{{.*}}, %{{.*}}, %{{.*}} strides [2, 2] pads [3, 3, 3, 3] dilations [1, 1] groups 1 : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
  %0 = cnn.conv %x, %w, %b strides [2, 2] pads [3, 3, 3, 3] dilations [1, 1] groups 1
       : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
  return %0 : tensor<1x64x112x112xf32>
}

// CHECK-LABEL: func.func @conv_depthwise_no_bias
func.func @conv_depthwise_no_bias(%x: tensor<1x32x56x56xf32>, %w: tensor<32x1x3x3xf32>) -> tensor<1x32x28x28xf32> {
  // CHECK: cnn.conv %{{.*}}, %{{.*}} strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] groups 32 : (tensor<1x32x56x56xf32>, tensor<32x1x3x3xf32>) -> tensor<1x32x28x28xf32>
  %0 = cnn.conv %x, %w strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] groups 32
       : (tensor<1x32x56x56xf32>, tensor<32x1x3x3xf32>) -> tensor<1x32x28x28xf32>
  return %0 : tensor<1x32x28x28xf32>
}

// CHECK-LABEL: func.func @conv_1d_3d
func.func @conv_1d_3d(%x: tensor<1x4x10xf32>, %w: tensor<8x4x3xf32>, %v: tensor<1x2x5x5x5xf64>, %k: tensor<2x2x3x3x3xf64>) -> (tensor<1x8x4xf32>, tensor<1x2x3x3x3xf64>) {
  // CHECK: cnn.conv {{.*}} strides [2] pads [0, 0] dilations [1] groups 1 : (tensor<1x4x10xf32>, tensor<8x4x3xf32>) -> tensor<1x8x4xf32>
  %0 = cnn.conv %x, %w strides [2] pads [0, 0] dilations [1] groups 1
       : (tensor<1x4x10xf32>, tensor<8x4x3xf32>) -> tensor<1x8x4xf32>
  // CHECK: cnn.conv {{.*}} strides [1, 1, 1] pads [0, 0, 0, 0, 0, 0] dilations [1, 1, 1] groups 1 : (tensor<1x2x5x5x5xf64>, tensor<2x2x3x3x3xf64>) -> tensor<1x2x3x3x3xf64>
  %1 = cnn.conv %v, %k strides [1, 1, 1] pads [0, 0, 0, 0, 0, 0] dilations [1, 1, 1] groups 1
       : (tensor<1x2x5x5x5xf64>, tensor<2x2x3x3x3xf64>) -> tensor<1x2x3x3x3xf64>
  return %0, %1 : tensor<1x8x4xf32>, tensor<1x2x3x3x3xf64>
}

// CHECK-LABEL: func.func @conv_transpose
func.func @conv_transpose(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x8x8xf32> {
  // CHECK: cnn.conv_transpose %{{.*}}, %{{.*}}, %{{.*}} strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] output_padding [1, 1] groups 1 : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x8x8xf32>
  %0 = cnn.conv_transpose %x, %w, %b strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] output_padding [1, 1] groups 1
       : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x8x8xf32>
  return %0 : tensor<1x2x8x8xf32>
}

// A max pool of a quantized tensor (uint8 or int8) keeps its type.
// CHECK-LABEL: func.func @pool_quantized
func.func @pool_quantized(%x: tensor<1x8x8x16xui8>, %y: tensor<1x4x6x6xi8>) -> (tensor<1x4x4x16xui8>, tensor<1x4x3x3xi8>) {
  // CHECK: cnn.pool max %{{.*}} kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] layout nhwc : tensor<1x8x8x16xui8> -> tensor<1x4x4x16xui8>
  %0 = cnn.pool max %x kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] layout nhwc : tensor<1x8x8x16xui8> -> tensor<1x4x4x16xui8>
  // CHECK: cnn.pool max %{{.*}} kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] : tensor<1x4x6x6xi8> -> tensor<1x4x3x3xi8>
  %1 = cnn.pool max %y kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] : tensor<1x4x6x6xi8> -> tensor<1x4x3x3xi8>
  return %0, %1 : tensor<1x4x4x16xui8>, tensor<1x4x3x3xi8>
}

// CHECK-LABEL: func.func @pool
func.func @pool(%x: tensor<1x64x112x112xf32>, %y: tensor<1x1x6x6xf32>, %z: tensor<1x3x32xf32>) -> (tensor<1x64x56x56xf32>, tensor<1x1x3x3xf32>, tensor<1x3x16xf32>) {
  // CHECK: cnn.pool max %{{.*}} kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
  %0 = cnn.pool max %x kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1]
       : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
  // CHECK: cnn.pool avg %{{.*}} kernel [3, 3] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] ceil_mode count_include_pad : tensor<1x1x6x6xf32> -> tensor<1x1x3x3xf32>
  %1 = cnn.pool avg %y kernel [3, 3] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] ceil_mode count_include_pad
       : tensor<1x1x6x6xf32> -> tensor<1x1x3x3xf32>
  // CHECK: cnn.pool avg %{{.*}} kernel [2] strides [2] pads [0, 0] dilations [1] : tensor<1x3x32xf32> -> tensor<1x3x16xf32>
  %2 = cnn.pool avg %z kernel [2] strides [2] pads [0, 0] dilations [1]
       : tensor<1x3x32xf32> -> tensor<1x3x16xf32>
  return %0, %1, %2 : tensor<1x64x56x56xf32>, tensor<1x1x3x3xf32>, tensor<1x3x16xf32>
}

// Channels-last 2-D convolution and pooling.
// CHECK-LABEL: func.func @channels_last
func.func @channels_last(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x2x6xf32>, %b: tensor<6xf32>) -> (tensor<1x4x4x6xf32>, tensor<1x1x1x6xf32>) {
  // CHECK: cnn.conv %{{.*}}, %{{.*}}, %{{.*}} strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 2 activation relu layout nhwc : (tensor<1x8x8x4xf32>, tensor<3x3x2x6xf32>, tensor<6xf32>) -> tensor<1x8x8x6xf32>
  %0 = cnn.conv %x, %w, %b strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 2 activation relu layout nhwc : (tensor<1x8x8x4xf32>, tensor<3x3x2x6xf32>, tensor<6xf32>) -> tensor<1x8x8x6xf32>
  // CHECK: cnn.pool max %{{.*}} kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] layout nhwc : tensor<1x8x8x6xf32> -> tensor<1x4x4x6xf32>
  %1 = cnn.pool max %0 kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] layout nhwc : tensor<1x8x8x6xf32> -> tensor<1x4x4x6xf32>
  // CHECK: cnn.global_pool avg %{{.*}} layout nhwc : tensor<1x4x4x6xf32> -> tensor<1x1x1x6xf32>
  %2 = cnn.global_pool avg %1 layout nhwc : tensor<1x4x4x6xf32> -> tensor<1x1x1x6xf32>
  return %1, %2 : tensor<1x4x4x6xf32>, tensor<1x1x1x6xf32>
}

// CHECK-LABEL: func.func @global_pool
func.func @global_pool(%x: tensor<1x512x7x7xf32>) -> (tensor<1x512x1x1xf32>, tensor<1x512x1x1xf32>) {
  // CHECK: cnn.global_pool avg %{{.*}} : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
  %0 = cnn.global_pool avg %x : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
  // CHECK: cnn.global_pool max %{{.*}} : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
  %1 = cnn.global_pool max %x : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
  return %0, %1 : tensor<1x512x1x1xf32>, tensor<1x512x1x1xf32>
}

// CHECK-LABEL: func.func @batch_norm
func.func @batch_norm(%x: tensor<8x16x14x14xf32>, %c: tensor<16xf32>) -> (tensor<8x16x14x14xf32>, tensor<8x16x14x14xf32>, tensor<16xf32>) {
  // CHECK: cnn.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f32} : tensor<8x16x14x14xf32>, tensor<16xf32>
  %0 = cnn.batch_norm %x, %c, %c, %c, %c {epsilon = 1.0e-3 : f32} : tensor<8x16x14x14xf32>, tensor<16xf32>
  // CHECK: cnn.batch_norm_train %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {momentum = 8.000000e-01 : f32} : tensor<8x16x14x14xf32>, tensor<16xf32>
  %1:5 = cnn.batch_norm_train %x, %c, %c, %c, %c {momentum = 0.8 : f32} : tensor<8x16x14x14xf32>, tensor<16xf32>
  // CHECK: cnn.batch_norm_train %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {population_running_variance} : tensor<8x16x14x14xf32>, tensor<16xf32>
  %2:5 = cnn.batch_norm_train %x, %c, %c, %c, %c {population_running_variance} : tensor<8x16x14x14xf32>, tensor<16xf32>
  return %0, %1#0, %1#1 : tensor<8x16x14x14xf32>, tensor<8x16x14x14xf32>, tensor<16xf32>
}

// CHECK-LABEL: func.func @instance_norm_lrn
func.func @instance_norm_lrn(%x: tensor<2x3x4x5xf32>, %c: tensor<3xf32>) -> (tensor<2x3x4x5xf32>, tensor<2x3x4x5xf32>) {
  // CHECK: cnn.instance_norm %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x3x4x5xf32>, tensor<3xf32>
  %0 = cnn.instance_norm %x, %c, %c : tensor<2x3x4x5xf32>, tensor<3xf32>
  // CHECK: cnn.lrn %{{.*}} {bias = 2.000000e+00 : f32, size = 5 : i64} : tensor<2x3x4x5xf32>
  %1 = cnn.lrn %x {size = 5, bias = 2.0 : f32} : tensor<2x3x4x5xf32>
  return %0, %1 : tensor<2x3x4x5xf32>, tensor<2x3x4x5xf32>
}

// CHECK-LABEL: func.func @activations
func.func @activations(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // CHECK: cnn.activation relu %{{.*}} : tensor<4x8xf32>
  %0 = cnn.activation relu %x : tensor<4x8xf32>
  // CHECK: cnn.activation leaky_relu %{{.*}} {alpha = 0.00999999977 : f32} : tensor<4x8xf32>
  %1 = cnn.activation leaky_relu %0 {alpha = 0.01 : f32} : tensor<4x8xf32>
  // CHECK: cnn.activation clip %{{.*}} {alpha = 0.000000e+00 : f32, beta = 6.000000e+00 : f32} : tensor<4x8xf32>
  %2 = cnn.activation clip %1 {alpha = 0.0 : f32, beta = 6.0 : f32} : tensor<4x8xf32>
  // CHECK: cnn.activation sigmoid
  %3 = cnn.activation sigmoid %2 : tensor<4x8xf32>
  // CHECK: cnn.activation hard_sigmoid %{{.*}} {alpha = 2.000000e-01 : f32, beta = 5.000000e-01 : f32}
  %4 = cnn.activation hard_sigmoid %3 {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<4x8xf32>
  // CHECK: cnn.activation hard_swish
  %5 = cnn.activation hard_swish %4 : tensor<4x8xf32>
  // CHECK: cnn.activation tanh
  %6 = cnn.activation tanh %5 : tensor<4x8xf32>
  // CHECK: cnn.activation elu %{{.*}} {alpha = 1.000000e+00 : f32}
  %7 = cnn.activation elu %6 {alpha = 1.0 : f32} : tensor<4x8xf32>
  // CHECK: cnn.activation selu %{{.*}} {alpha = 1.67326319 : f32, beta = 1.05070102 : f32}
  %8 = cnn.activation selu %7 {alpha = 1.67326319 : f32, beta = 1.05070102 : f32} : tensor<4x8xf32>
  // CHECK: cnn.activation softplus
  %9 = cnn.activation softplus %8 : tensor<4x8xf32>
  // CHECK: cnn.activation gelu
  %10 = cnn.activation gelu %9 : tensor<4x8xf32>
  // CHECK: cnn.activation gelu_tanh
  %11 = cnn.activation gelu_tanh %10 : tensor<4x8xf32>
  // CHECK: cnn.activation silu
  %12 = cnn.activation silu %11 : tensor<4x8xf32>
  return %12 : tensor<4x8xf32>
}

// CHECK-LABEL: func.func @prelu
func.func @prelu(%x: tensor<1x16x8x8xf32>, %s: tensor<16x1x1xf32>) -> tensor<1x16x8x8xf32> {
  // CHECK: cnn.prelu %{{.*}}, %{{.*}} : tensor<1x16x8x8xf32>, tensor<16x1x1xf32>
  %0 = cnn.prelu %x, %s : tensor<1x16x8x8xf32>, tensor<16x1x1xf32>
  return %0 : tensor<1x16x8x8xf32>
}

// CHECK-LABEL: func.func @unary
func.func @unary(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // CHECK: cnn.unary exp
  %0 = cnn.unary exp %x : tensor<3x4xf32>
  // CHECK: cnn.unary log
  %1 = cnn.unary log %0 : tensor<3x4xf32>
  // CHECK: cnn.unary sqrt
  %2 = cnn.unary sqrt %1 : tensor<3x4xf32>
  // CHECK: cnn.unary neg
  %3 = cnn.unary neg %2 : tensor<3x4xf32>
  // CHECK: cnn.unary abs
  %4 = cnn.unary abs %3 : tensor<3x4xf32>
  // CHECK: cnn.unary reciprocal %{{.*}} : tensor<3x4xf32>
  %5 = cnn.unary reciprocal %4 : tensor<3x4xf32>
  return %5 : tensor<3x4xf32>
}

// CHECK-LABEL: func.func @binary
func.func @binary(%a: tensor<1x64x56x56xf32>, %b: tensor<64x1x1xf32>) -> tensor<1x64x56x56xf32> {
  // CHECK: cnn.binary add %{{.*}}, %{{.*}} : (tensor<1x64x56x56xf32>, tensor<64x1x1xf32>) -> tensor<1x64x56x56xf32>
  %0 = cnn.binary add %a, %b : (tensor<1x64x56x56xf32>, tensor<64x1x1xf32>) -> tensor<1x64x56x56xf32>
  // CHECK: cnn.binary sub
  %1 = cnn.binary sub %0, %b : (tensor<1x64x56x56xf32>, tensor<64x1x1xf32>) -> tensor<1x64x56x56xf32>
  // CHECK: cnn.binary mul
  %2 = cnn.binary mul %b, %1 : (tensor<64x1x1xf32>, tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  // CHECK: cnn.binary div
  %3 = cnn.binary div %2, %a : (tensor<1x64x56x56xf32>, tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  // CHECK: cnn.binary max
  %4 = cnn.binary max %3, %a : (tensor<1x64x56x56xf32>, tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  // CHECK: cnn.binary min
  %5 = cnn.binary min %4, %a : (tensor<1x64x56x56xf32>, tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  // CHECK: cnn.binary pow
  %6 = cnn.binary pow %5, %b : (tensor<1x64x56x56xf32>, tensor<64x1x1xf32>) -> tensor<1x64x56x56xf32>
  return %6 : tensor<1x64x56x56xf32>
}

// CHECK-LABEL: func.func @dropout
func.func @dropout(%x: tensor<8x4096xf32>) -> tensor<8x4096xf32> {
  // CHECK: cnn.dropout %{{.*}} {ratio = 2.500000e-01 : f32, seed = 7 : i64} : tensor<8x4096xf32>
  %0 = cnn.dropout %x {ratio = 0.25 : f32, seed = 7} : tensor<8x4096xf32>
  return %0 : tensor<8x4096xf32>
}

// CHECK-LABEL: func.func @matmul
func.func @matmul(%x: tensor<1x512xf32>, %w: tensor<1000x512xf32>, %b: tensor<1000xf32>, %p: tensor<2x1x3x4xf32>, %q: tensor<5x4x6xf32>) -> (tensor<1x1000xf32>, tensor<2x5x3x6xf32>) {
  // CHECK: cnn.matmul %{{.*}}, %{{.*}}, %{{.*}} transpose_rhs {beta = 5.000000e-01 : f32} : (tensor<1x512xf32>, tensor<1000x512xf32>, tensor<1000xf32>) -> tensor<1x1000xf32>
  %0 = cnn.matmul %x, %w, %b transpose_rhs {beta = 0.5 : f32}
       : (tensor<1x512xf32>, tensor<1000x512xf32>, tensor<1000xf32>) -> tensor<1x1000xf32>
  // CHECK: cnn.matmul %{{.*}}, %{{.*}} : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
  %1 = cnn.matmul %p, %q : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
  return %0, %1 : tensor<1x1000xf32>, tensor<2x5x3x6xf32>
}

// CHECK-LABEL: func.func @matmul_transpose_lhs
func.func @matmul_transpose_lhs(%a: tensor<4x3xf32>, %b: tensor<5x4xf32>) -> tensor<3x5xf32> {
  // CHECK: cnn.matmul %{{.*}}, %{{.*}} transpose_lhs transpose_rhs {alpha = 2.000000e+00 : f32}
  %0 = cnn.matmul %a, %b transpose_lhs transpose_rhs {alpha = 2.0 : f32} : (tensor<4x3xf32>, tensor<5x4xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// CHECK-LABEL: func.func @concat
func.func @concat(%a: tensor<1x64x28x28xf32>, %b: tensor<1x32x28x28xf32>, %i: tensor<2xi64>) -> (tensor<1x96x28x28xf32>, tensor<4xi64>) {
  // CHECK: cnn.concat %{{.*}}, %{{.*}} axis 1 : (tensor<1x64x28x28xf32>, tensor<1x32x28x28xf32>) -> tensor<1x96x28x28xf32>
  %0 = cnn.concat %a, %b axis 1 : (tensor<1x64x28x28xf32>, tensor<1x32x28x28xf32>) -> tensor<1x96x28x28xf32>
  // CHECK: cnn.concat %{{.*}}, %{{.*}} axis 0 : (tensor<2xi64>, tensor<2xi64>) -> tensor<4xi64>
  %1 = cnn.concat %i, %i axis 0 : (tensor<2xi64>, tensor<2xi64>) -> tensor<4xi64>
  return %0, %1 : tensor<1x96x28x28xf32>, tensor<4xi64>
}

// CHECK-LABEL: func.func @reshape
func.func @reshape(%x: tensor<1x512x1x1xf32>) -> tensor<1x512xf32> {
  // CHECK: cnn.reshape %{{.*}} : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
  %0 = cnn.reshape %x : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
  return %0 : tensor<1x512xf32>
}

// CHECK-LABEL: func.func @transpose
func.func @transpose(%x: tensor<1x3x224x220xf32>) -> tensor<1x224x220x3xf32> {
  // CHECK: cnn.transpose %{{.*}} permutation [0, 2, 3, 1] : tensor<1x3x224x220xf32> -> tensor<1x224x220x3xf32>
  %0 = cnn.transpose %x permutation [0, 2, 3, 1] : tensor<1x3x224x220xf32> -> tensor<1x224x220x3xf32>
  return %0 : tensor<1x224x220x3xf32>
}

// CHECK-LABEL: func.func @slice
func.func @slice(%x: tensor<4x8xf32>, %y: tensor<5xf32>) -> (tensor<2x3xf32>, tensor<5xf32>) {
  // CHECK: cnn.slice %{{.*}} offsets [0, 1] sizes [2, 3] strides [1, 2] : tensor<4x8xf32> -> tensor<2x3xf32>
  %0 = cnn.slice %x offsets [0, 1] sizes [2, 3] strides [1, 2] : tensor<4x8xf32> -> tensor<2x3xf32>
  // CHECK: cnn.slice %{{.*}} offsets [4] sizes [5] strides [-1] : tensor<5xf32> -> tensor<5xf32>
  %1 = cnn.slice %y offsets [4] sizes [5] strides [-1] : tensor<5xf32> -> tensor<5xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<5xf32>
}

// CHECK-LABEL: func.func @pad
func.func @pad(%x: tensor<1x3x8x8xf32>) -> (tensor<1x3x10x10xf32>, tensor<1x3x12x12xf32>, tensor<1x3x9x9xf32>) {
  // CHECK: cnn.pad reflect %{{.*}} pads [0, 0, 1, 1, 0, 0, 1, 1] : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
  %0 = cnn.pad reflect %x pads [0, 0, 1, 1, 0, 0, 1, 1] : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
  // CHECK: cnn.pad constant %{{.*}} pads [0, 0, 2, 2, 0, 0, 2, 2] {value = 1.500000e+00 : f32} : tensor<1x3x8x8xf32> -> tensor<1x3x12x12xf32>
  %1 = cnn.pad constant %x pads [0, 0, 2, 2, 0, 0, 2, 2] {value = 1.5 : f32} : tensor<1x3x8x8xf32> -> tensor<1x3x12x12xf32>
  // CHECK: cnn.pad edge %{{.*}} pads [0, 0, 1, 0, 0, 0, 0, 1] : tensor<1x3x8x8xf32> -> tensor<1x3x9x9xf32>
  %2 = cnn.pad edge %x pads [0, 0, 1, 0, 0, 0, 0, 1] : tensor<1x3x8x8xf32> -> tensor<1x3x9x9xf32>
  return %0, %1, %2 : tensor<1x3x10x10xf32>, tensor<1x3x12x12xf32>, tensor<1x3x9x9xf32>
}

// CHECK-LABEL: func.func @resize
func.func @resize(%x: tensor<1x64x14x14xf32>, %y: tensor<1x1x4x4xf32>) -> (tensor<1x64x28x28xf32>, tensor<1x1x2x2xf32>) {
  // CHECK: cnn.resize nearest %{{.*}} scales [1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00] coordinate_mode asymmetric nearest_mode floor : tensor<1x64x14x14xf32> -> tensor<1x64x28x28xf32>
  %0 = cnn.resize nearest %x scales [1.0, 1.0, 2.0, 2.0] coordinate_mode asymmetric nearest_mode floor
       : tensor<1x64x14x14xf32> -> tensor<1x64x28x28xf32>
  // CHECK: cnn.resize linear %{{.*}} scales [1.000000e+00, 1.000000e+00, 6.000000e-01, 6.000000e-01] coordinate_mode half_pixel nearest_mode round_prefer_floor : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
  %1 = cnn.resize linear %y scales [1.0, 1.0, 0.6, 0.6] coordinate_mode half_pixel nearest_mode round_prefer_floor
       : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
  return %0, %1 : tensor<1x64x28x28xf32>, tensor<1x1x2x2xf32>
}

// CHECK-LABEL: func.func @reduce
func.func @reduce(%x: tensor<1x1280x7x7xf32>) -> (tensor<1x1280x1x1xf32>, tensor<1x1280xf32>, tensor<1280x7x7xf32>) {
  // CHECK: cnn.reduce mean %{{.*}} axes [2, 3] keep_dims : tensor<1x1280x7x7xf32> -> tensor<1x1280x1x1xf32>
  %0 = cnn.reduce mean %x axes [2, 3] keep_dims : tensor<1x1280x7x7xf32> -> tensor<1x1280x1x1xf32>
  // CHECK: cnn.reduce sum %{{.*}} axes [2, 3] : tensor<1x1280x7x7xf32> -> tensor<1x1280xf32>
  %1 = cnn.reduce sum %x axes [2, 3] : tensor<1x1280x7x7xf32> -> tensor<1x1280xf32>
  // CHECK: cnn.reduce max %{{.*}} axes [0] : tensor<1x1280x7x7xf32> -> tensor<1280x7x7xf32>
  %2 = cnn.reduce max %x axes [0] : tensor<1x1280x7x7xf32> -> tensor<1280x7x7xf32>
  return %0, %1, %2 : tensor<1x1280x1x1xf32>, tensor<1x1280xf32>, tensor<1280x7x7xf32>
}

// CHECK-LABEL: func.func @softmax
func.func @softmax(%x: tensor<8x10xf32>) -> (tensor<8x10xf32>, tensor<8x10xf32>) {
  // CHECK: cnn.softmax %{{.*}} axis 1 : tensor<8x10xf32>
  %0 = cnn.softmax %x axis 1 : tensor<8x10xf32>
  // CHECK: cnn.log_softmax %{{.*}} axis 0 : tensor<8x10xf32>
  %1 = cnn.log_softmax %x axis 0 : tensor<8x10xf32>
  return %0, %1 : tensor<8x10xf32>, tensor<8x10xf32>
}

// CHECK-LABEL: func.func @losses
func.func @losses(%logits: tensor<64x10xf32>, %labels: tensor<64xi64>, %p: tensor<8x1xf32>) -> (tensor<f32>, tensor<64xf32>, tensor<f32>, tensor<8x1xf32>) {
  // CHECK: cnn.softmax_cross_entropy %{{.*}}, %{{.*}} reduction mean {label_smoothing = 1.000000e-01 : f32} : (tensor<64x10xf32>, tensor<64xi64>) -> tensor<f32>
  %0 = cnn.softmax_cross_entropy %logits, %labels reduction mean {label_smoothing = 0.1 : f32}
       : (tensor<64x10xf32>, tensor<64xi64>) -> tensor<f32>
  // CHECK: cnn.softmax_cross_entropy %{{.*}}, %{{.*}} reduction none : (tensor<64x10xf32>, tensor<64xi64>) -> tensor<64xf32>
  %1 = cnn.softmax_cross_entropy %logits, %labels reduction none : (tensor<64x10xf32>, tensor<64xi64>) -> tensor<64xf32>
  // CHECK: cnn.mse_loss %{{.*}}, %{{.*}} reduction sum : (tensor<8x1xf32>, tensor<8x1xf32>) -> tensor<f32>
  %2 = cnn.mse_loss %p, %p reduction sum : (tensor<8x1xf32>, tensor<8x1xf32>) -> tensor<f32>
  // CHECK: cnn.mse_loss %{{.*}}, %{{.*}} reduction none : (tensor<8x1xf32>, tensor<8x1xf32>) -> tensor<8x1xf32>
  %3 = cnn.mse_loss %p, %p reduction none : (tensor<8x1xf32>, tensor<8x1xf32>) -> tensor<8x1xf32>
  return %0, %1, %2, %3 : tensor<f32>, tensor<64xf32>, tensor<f32>, tensor<8x1xf32>
}

// CHECK-LABEL: func.func @fused_conv_and_matmul
func.func @fused_conv_and_matmul(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>, %b: tensor<4xf32>, %a: tensor<2x8xf32>, %m: tensor<3x8xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<2x3xf32>) {
  // CHECK: cnn.conv %{{.*}}, %{{.*}}, %{{.*}} residual %{{.*}} strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 activation relu : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>, tensor<4xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %0 = cnn.conv %x, %w, %b residual %x strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 activation relu : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>, tensor<4xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: cnn.conv %{{.*}}, %{{.*}} residual %{{.*}} strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 activation clip {activation_alpha = 0.000000e+00 : f32, activation_beta = 6.000000e+00 : f32}
  %1 = cnn.conv %x, %w residual %x strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 activation clip {activation_alpha = 0.0 : f32, activation_beta = 6.0 : f32} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: cnn.matmul %{{.*}}, %{{.*}} transpose_rhs activation sigmoid : (tensor<2x8xf32>, tensor<3x8xf32>) -> tensor<2x3xf32>
  %2 = cnn.matmul %a, %m transpose_rhs activation sigmoid : (tensor<2x8xf32>, tensor<3x8xf32>) -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<2x3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weight: "0x040000000000803F00000040"
    }
  }
#-}
