// RUN: cnnc-opt %s --cnnc-fold-batch-norm --split-input-file | FileCheck %s

// conv -> batch_norm: the weights scaled per output channel by
// s = gamma / sqrt(var + eps), the bias b * s + beta - mean * s.
// Channel 0: s = 2 / sqrt(3 + 1) = 1, t = 0.5 - 1 * 1 = -0.5, bias 0.25 -> -0.25.
// Channel 1: s = 1 / sqrt(0 + 1) = 1 ... with gamma 3: s = 3, t = 1 - 2 * 3 = -5,
// bias 1 -> 3 - 5 = -2.
// CHECK-LABEL: func.func @into_conv
// CHECK-DAG:     %[[W:.*]] = cnn.constant dense<{{\[\[\[\[}}1.000000e+00]]], {{\[\[\[}}6.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG:     %[[B:.*]] = cnn.constant dense<[-2.500000e-01, -2.000000e+00]> : tensor<2xf32>
// CHECK:         %[[Y:.*]] = cnn.conv %arg0, %[[W]], %[[B]] strides
// CHECK-NOT:     cnn.batch_norm
// CHECK:         return %[[Y]]
func.func @into_conv(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = cnn.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %b = cnn.constant dense<[0.25, 1.0]> : tensor<2xf32>
  %gamma = cnn.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %beta = cnn.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %mean = cnn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %var = cnn.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %c = cnn.conv %x, %w, %b strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %y = cnn.batch_norm %c, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32} : tensor<1x2x4x4xf32>, tensor<2xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// A conv without bias gets one.
// CHECK-LABEL: func.func @conv_without_bias
// CHECK:         cnn.conv %arg0, %{{.*}}, %{{.*}} strides
// CHECK-NOT:     cnn.batch_norm
func.func @conv_without_bias(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %w = cnn.constant dense<2.0> : tensor<1x1x1x1xf32>
  %p = cnn.constant dense<1.0> : tensor<1xf32>
  %z = cnn.constant dense<0.0> : tensor<1xf32>
  %c = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  %y = cnn.batch_norm %c, %p, %z, %z, %p : tensor<1x1x4x4xf32>, tensor<1xf32>
  return %y : tensor<1x1x4x4xf32>
}

// -----

// The conv has a second user: it must keep its output, so the batch norm
// becomes a per-channel scale and shift instead.
// CHECK-LABEL: func.func @second_user
// CHECK:         %[[C:.*]] = cnn.conv
// CHECK:         %[[M:.*]] = cnn.binary mul %[[C]], %{{.*}} : (tensor<1x1x4x4xf32>, tensor<1x1x1xf32>) -> tensor<1x1x4x4xf32>
// CHECK:         %[[A:.*]] = cnn.binary add %[[M]], %{{.*}} : (tensor<1x1x4x4xf32>, tensor<1x1x1xf32>) -> tensor<1x1x4x4xf32>
// CHECK:         return %[[A]], %[[C]]
func.func @second_user(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) {
  %w = cnn.constant dense<2.0> : tensor<1x1x1x1xf32>
  %p = cnn.constant dense<1.0> : tensor<1xf32>
  %z = cnn.constant dense<0.0> : tensor<1xf32>
  %c = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  %y = cnn.batch_norm %c, %p, %z, %z, %p : tensor<1x1x4x4xf32>, tensor<1xf32>
  return %y, %c : tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>
}

// -----

// Parameters that are not constants: nothing to fold.
// CHECK-LABEL: func.func @dynamic_params
// CHECK:         cnn.batch_norm
func.func @dynamic_params(%x: tensor<1x2x4x4xf32>, %g: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  %z = cnn.constant dense<0.0> : tensor<2xf32>
  %o = cnn.constant dense<1.0> : tensor<2xf32>
  %y = cnn.batch_norm %x, %g, %z, %z, %o : tensor<1x2x4x4xf32>, tensor<2xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// A linear layer (weight [out, in], transpose_rhs) then BatchNorm1d: row o
// of the weight scaled by s[o]; the bias beta * b * s + t with beta 2:
// s = [2, 1] (gamma [2, 1], var 0, eps 1), t = [1 - 0 * 2, 0 - 1 * 1] = [1, -1],
// bias [0.5, 3] -> [2 * 0.5 * 2 + 1, 2 * 3 * 1 - 1] = [3, 5].
// CHECK-LABEL: func.func @into_gemm
// CHECK-DAG:     %[[W:.*]] = cnn.constant dense<{{\[\[}}2.000000e+00, 4.000000e+00, 6.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG:     %[[B:.*]] = cnn.constant dense<[3.000000e+00, 5.000000e+00]> : tensor<2xf32>
// CHECK:         %[[Y:.*]] = cnn.matmul %arg0, %[[W]], %[[B]] transpose_rhs : (
// CHECK-NOT:     cnn.batch_norm
// CHECK:         return %[[Y]]
func.func @into_gemm(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = cnn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = cnn.constant dense<[0.5, 3.0]> : tensor<2xf32>
  %gamma = cnn.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %beta = cnn.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = cnn.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %var = cnn.constant dense<[0.0, 0.0]> : tensor<2xf32>
  %m = cnn.matmul %x, %w, %b transpose_rhs {alpha = 1.0 : f32, beta = 2.0 : f32} : (tensor<4x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<4x2xf32>
  %y = cnn.batch_norm %m, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32} : tensor<4x2xf32>, tensor<2xf32>
  return %y : tensor<4x2xf32>
}
