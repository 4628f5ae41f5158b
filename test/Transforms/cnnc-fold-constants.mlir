// RUN: cnnc-opt %s --cnnc-fold-constants --split-input-file | FileCheck %s

// A transposed and rescaled weight is computed at compile time.
// CHECK-LABEL: func.func @weights
// CHECK:         %[[W:.*]] = cnn.constant dense<{{\[\[}}2.000000e+00, 6.000000e+00], [4.000000e+00, 8.000000e+00]]> : tensor<2x2xf32>
// CHECK:         cnn.matmul %arg0, %[[W]]
// CHECK-NOT:     cnn.transpose
func.func @weights(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = cnn.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %t = cnn.transpose %w permutation [1, 0] : tensor<2x2xf32> -> tensor<2x2xf32>
  %two = cnn.constant dense<[2.0]> : tensor<1xf32>
  %s = cnn.binary mul %t, %two : (tensor<2x2xf32>, tensor<1xf32>) -> tensor<2x2xf32>
  %y = cnn.matmul %x, %s : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// Broadcasting a row against a column; a unary op; a reshape.
// CHECK-LABEL: func.func @broadcast
// CHECK:         cnn.constant dense<{{\[\[}}1.100000e+01, 2.100000e+01], [1.200000e+01, 2.200000e+01], [1.300000e+01, 2.300000e+01]]> : tensor<3x2xf32>
// CHECK:         cnn.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
func.func @broadcast() -> (tensor<3x2xf32>, tensor<4xf32>) {
  %col = cnn.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %row = cnn.constant dense<[10.0, 20.0]> : tensor<2xf32>
  %s = cnn.binary add %col, %row : (tensor<3x1xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %m = cnn.constant dense<[[-1.0, -2.0], [-3.0, -4.0]]> : tensor<2x2xf32>
  %a = cnn.unary abs %m : tensor<2x2xf32>
  %r = cnn.reshape %a : tensor<2x2xf32> -> tensor<4xf32>
  return %s, %r : tensor<3x2xf32>, tensor<4xf32>
}

// -----

// An operand that is not a constant: nothing to fold.
// CHECK-LABEL: func.func @runtime
// CHECK:         cnn.binary mul
func.func @runtime(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = cnn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %y = cnn.binary mul %x, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// A matmul that transposes a constant operand (a Gemm with transB) takes
// the transposed constant; a transposed runtime operand stays as it is.
// CHECK-LABEL: func.func @matmul_transposed_weight
// CHECK-SAME:    (%[[X:.*]]: tensor<1x3xf32>, %[[Y:.*]]: tensor<2x1xf32>)
// CHECK-DAG:     %[[WT:.*]] = cnn.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK:         cnn.matmul %[[X]], %[[WT]] :
// CHECK:         cnn.matmul %[[Y]], %{{.*}} transpose_lhs :
func.func @matmul_transposed_weight(%x: tensor<1x3xf32>, %y: tensor<2x1xf32>) -> (tensor<1x2xf32>, tensor<1x3xf32>) {
  %w = cnn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %0 = cnn.matmul %x, %w transpose_rhs : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<1x2xf32>
  %1 = cnn.matmul %y, %w transpose_lhs : (tensor<2x1xf32>, tensor<2x3xf32>) -> tensor<1x3xf32>
  return %0, %1 : tensor<1x2xf32>, tensor<1x3xf32>
}
