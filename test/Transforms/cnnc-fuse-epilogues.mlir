// RUN: cnnc-opt %s --cnnc-fuse-epilogues --split-input-file | FileCheck %s

// relu(conv(x) + r): one conv with the residual and the activation; its
// location fuses the three nodes'.
// CHECK-LABEL: func.func @residual_relu
// CHECK:         %[[Y:.*]] = cnn.conv %arg0, %arg1 residual %arg2 strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 activation relu
// CHECK-NOT:     cnn.binary
// CHECK-NOT:     cnn.activation
// CHECK:         return %[[Y]]
func.func @residual_relu(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>, %r: tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %c = cnn.conv %x, %w strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  %s = cnn.binary add %r, %c : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %y = cnn.activation relu %s : tensor<1x4x8x8xf32>
  return %y : tensor<1x4x8x8xf32>
}

// -----

// Clip (relu6) and a gemm's activation with their parameters.
// CHECK-LABEL: func.func @parameters
// CHECK:         cnn.conv {{.*}} activation clip {activation_alpha = 0.000000e+00 : f32, activation_beta = 6.000000e+00 : f32}
// CHECK:         cnn.matmul {{.*}} transpose_rhs activation leaky_relu {activation_alpha = 1.000000e-01 : f32
func.func @parameters(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x1x1xf32>, %a: tensor<2x8xf32>, %b: tensor<3x8xf32>) -> (tensor<1x4x8x8xf32>, tensor<2x3xf32>) {
  %c = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %y = cnn.activation clip %c {alpha = 0.0 : f32, beta = 6.0 : f32} : tensor<1x4x8x8xf32>
  %m = cnn.matmul %a, %b transpose_rhs : (tensor<2x8xf32>, tensor<3x8xf32>) -> tensor<2x3xf32>
  %z = cnn.activation leaky_relu %m {alpha = 0.1 : f32} : tensor<2x3xf32>
  return %y, %z : tensor<1x4x8x8xf32>, tensor<2x3xf32>
}

// -----

// The conv's result has a second user: nothing fuses.
// CHECK-LABEL: func.func @second_user
// CHECK:         %[[C:.*]] = cnn.conv %arg0, %arg1 strides
// CHECK:         cnn.activation relu %[[C]]
func.func @second_user(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x1x1xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) {
  %c = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %y = cnn.activation relu %c : tensor<1x4x8x8xf32>
  return %y, %c : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
}

// -----

// A broadcasting add is not a residual; two activations: only the first
// fuses.
// CHECK-LABEL: func.func @not_fusable
// CHECK:         %[[C:.*]] = cnn.conv %arg0, %arg1 strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 :
// CHECK:         cnn.binary add %[[C]], %arg2
// CHECK:         %[[D:.*]] = cnn.conv %arg0, %arg1 strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 activation relu
// CHECK:         cnn.activation sigmoid %[[D]]
func.func @not_fusable(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x1x1xf32>, %b: tensor<4x1x1xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) {
  %c = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %y = cnn.binary add %c, %b : (tensor<1x4x8x8xf32>, tensor<4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %d = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %r = cnn.activation relu %d : tensor<1x4x8x8xf32>
  %s = cnn.activation sigmoid %r : tensor<1x4x8x8xf32>
  return %y, %s : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
}
