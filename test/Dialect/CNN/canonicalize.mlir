// RUN: cnnc-opt %s -split-input-file -canonicalize | FileCheck %s

// The folders of the cnn dialect, each with a case that must not fold.

// CHECK-LABEL: func.func @unary_of_splat
func.func @unary_of_splat() -> (tensor<2xf32>, tensor<2xf32>) {
  %c = cnn.constant dense<4.0> : tensor<2xf32>
  // CHECK-DAG: cnn.constant dense<2.000000e+00> : tensor<2xf32>
  // CHECK-DAG: cnn.constant dense<-4.000000e+00> : tensor<2xf32>
  // CHECK-NOT: cnn.unary
  %0 = cnn.unary sqrt %c : tensor<2xf32>
  %1 = cnn.unary neg %c : tensor<2xf32>
  return %0, %1 : tensor<2xf32>, tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @unary_of_argument
func.func @unary_of_argument(%x: tensor<2xf32>) -> tensor<2xf32> {
  // CHECK: cnn.unary exp
  %0 = cnn.unary exp %x : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @binary_of_splats
func.func @binary_of_splats() -> tensor<2x3xf32> {
  %a = cnn.constant dense<3.0> : tensor<2x1xf32>
  %b = cnn.constant dense<2.0> : tensor<3xf32>
  // CHECK: %[[C:.*]] = cnn.constant dense<9.000000e+00> : tensor<2x3xf32>
  // CHECK-NOT: cnn.binary
  // CHECK: return %[[C]]
  %0 = cnn.binary pow %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @binary_right_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
func.func @binary_right_identity(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %minus_zero = cnn.constant dense<-0.0> : tensor<3xf32>
  %zero = cnn.constant dense<0.0> : tensor<3xf32>
  %one = cnn.constant dense<1.0> : tensor<1xf32>
  // CHECK-NOT: cnn.binary
  // CHECK: return %[[X]], %[[X]], %[[X]]
  %0 = cnn.binary add %x, %minus_zero : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = cnn.binary div %x, %one : (tensor<2x3xf32>, tensor<1xf32>) -> tensor<2x3xf32>
  %2 = cnn.binary sub %x, %zero : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// x + (+0) is not x when x is -0; x - (-0) neither.
// CHECK-LABEL: func.func @binary_signed_zero
func.func @binary_signed_zero(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %zero = cnn.constant dense<0.0> : tensor<3xf32>
  %minus_zero = cnn.constant dense<-0.0> : tensor<3xf32>
  // CHECK: cnn.binary add
  // CHECK: cnn.binary sub
  %0 = cnn.binary add %x, %zero : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = cnn.binary sub %x, %minus_zero : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0, %1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @max_of_nan
func.func @max_of_nan() -> tensor<2xf32> {
  %nan = cnn.constant dense<0x7FC00000> : tensor<2xf32>
  %one = cnn.constant dense<1.0> : tensor<2xf32>
  // CHECK: cnn.constant dense<0x7FC00000> : tensor<2xf32>
  // CHECK-NOT: cnn.binary
  %0 = cnn.binary max %nan, %one : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// The identity would change the shape through broadcasting: no fold.
// CHECK-LABEL: func.func @binary_identity_that_broadcasts
func.func @binary_identity_that_broadcasts(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %zero = cnn.constant dense<0.0> : tensor<2x3xf32>
  // CHECK: cnn.binary add
  %0 = cnn.binary add %x, %zero : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A zero on the left of a subtraction is not an identity.
// CHECK-LABEL: func.func @binary_left_zero
func.func @binary_left_zero(%x: tensor<3xf32>) -> tensor<3xf32> {
  %zero = cnn.constant dense<0.0> : tensor<3xf32>
  // CHECK: cnn.binary sub
  %0 = cnn.binary sub %zero, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @concat_of_one
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<2x3xf32>)
func.func @concat_of_one(%x: tensor<2x3xf32>, %y: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<4x3xf32>) {
  // CHECK: %[[C:.*]] = cnn.concat %[[X]], %[[Y]] axis 0
  // CHECK: return %[[X]], %[[C]]
  %0 = cnn.concat %x axis 1 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = cnn.concat %x, %y axis 0 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
func.func @reshape_chain(%x: tensor<2x3x4xf32>) -> (tensor<24xf32>, tensor<2x3x4xf32>) {
  // CHECK: %[[R:.*]] = cnn.reshape %[[X]] : tensor<2x3x4xf32> -> tensor<24xf32>
  // CHECK: return %[[R]], %[[X]]
  %0 = cnn.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = cnn.reshape %0 : tensor<6x4xf32> -> tensor<24xf32>
  %2 = cnn.reshape %x : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return %1, %2 : tensor<24xf32>, tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_constant
func.func @reshape_constant() -> tensor<2x2xf32> {
  %c = cnn.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  // CHECK: cnn.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
  // CHECK-NOT: cnn.reshape
  %0 = cnn.reshape %c : tensor<4xf32> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
func.func @transpose(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<3x2xf32>, tensor<3x2xf32>) {
  // CHECK-DAG: %[[S:.*]] = cnn.constant dense<5.000000e+00> : tensor<3x2xf32>
  // CHECK-DAG: %[[T:.*]] = cnn.transpose %[[X]] permutation [1, 0]
  // CHECK: return %[[X]], %[[T]], %[[S]]
  %0 = cnn.transpose %x permutation [0, 1] : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = cnn.transpose %x permutation [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %c = cnn.constant dense<5.0> : tensor<2x3xf32>
  %2 = cnn.transpose %c permutation [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

// Two transposes compose (and vanish when they undo each other); one that
// moves only unit dimensions is a reshape.
// CHECK-LABEL: func.func @transpose_chains
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x4x5xf32>, %[[G:.*]]: tensor<1x1x1x8xf32>)
func.func @transpose_chains(%x: tensor<1x3x4x5xf32>, %g: tensor<1x1x1x8xf32>) -> (tensor<1x3x4x5xf32>, tensor<1x5x3x4xf32>, tensor<1x8x1x1xf32>) {
  // CHECK-DAG: %[[T:.*]] = cnn.transpose %[[X]] permutation [0, 3, 1, 2] : tensor<1x3x4x5xf32> -> tensor<1x5x3x4xf32>
  // CHECK-DAG: %[[R:.*]] = cnn.reshape %[[G]] : tensor<1x1x1x8xf32> -> tensor<1x8x1x1xf32>
  // CHECK: return %[[X]], %[[T]], %[[R]]
  %0 = cnn.transpose %x permutation [0, 2, 3, 1] : tensor<1x3x4x5xf32> -> tensor<1x4x5x3xf32>
  %1 = cnn.transpose %0 permutation [0, 3, 1, 2] : tensor<1x4x5x3xf32> -> tensor<1x3x4x5xf32>
  %2 = cnn.transpose %x permutation [0, 1, 3, 2] : tensor<1x3x4x5xf32> -> tensor<1x3x5x4xf32>
  %3 = cnn.transpose %2 permutation [0, 2, 1, 3] : tensor<1x3x5x4xf32> -> tensor<1x5x3x4xf32>
  %4 = cnn.transpose %g permutation [0, 3, 1, 2] : tensor<1x1x1x8xf32> -> tensor<1x8x1x1xf32>
  return %1, %3, %4 : tensor<1x3x4x5xf32>, tensor<1x5x3x4xf32>, tensor<1x8x1x1xf32>
}

// -----

// CHECK-LABEL: func.func @slice
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
func.func @slice(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<2xf32>) {
  // CHECK-DAG: %[[S:.*]] = cnn.constant dense<7.000000e+00> : tensor<2xf32>
  // CHECK-DAG: %[[R:.*]] = cnn.slice %[[X]] offsets [3] sizes [4] strides [-1]
  // CHECK: return %[[X]], %[[R]], %[[S]]
  %0 = cnn.slice %x offsets [0] sizes [4] strides [1] : tensor<4xf32> -> tensor<4xf32>
  %1 = cnn.slice %x offsets [3] sizes [4] strides [-1] : tensor<4xf32> -> tensor<4xf32>
  %c = cnn.constant dense<7.0> : tensor<4xf32>
  %2 = cnn.slice %c offsets [1] sizes [2] strides [1] : tensor<4xf32> -> tensor<2xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @pad
// CHECK-SAME: (%[[X:.*]]: tensor<2x2xf32>)
func.func @pad(%x: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<3x2xf32>) {
  // CHECK: %[[P:.*]] = cnn.pad edge %[[X]] pads [1, 0, 0, 0]
  // CHECK: return %[[X]], %[[P]]
  %0 = cnn.pad constant %x pads [0, 0, 0, 0] : tensor<2x2xf32> -> tensor<2x2xf32>
  %1 = cnn.pad edge %x pads [1, 0, 0, 0] : tensor<2x2xf32> -> tensor<3x2xf32>
  return %0, %1 : tensor<2x2xf32>, tensor<3x2xf32>
}
