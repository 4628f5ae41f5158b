// RUN: cnnc-opt %s --cnnc-flatten-constants --split-input-file | FileCheck %s

// A 4-D weight becomes a 1-D constant with the same data and an
// expand_shape back to its shape.
// CHECK-LABEL: func.func @weights
// CHECK:         %[[FLAT:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK:         %[[W:.*]] = tensor.expand_shape %[[FLAT]] {{\[}}[0, 1, 2, 3]] output_shape [2, 2, 1, 1] : tensor<4xf32> into tensor<2x2x1x1xf32>
// CHECK:         return %[[W]]
func.func @weights() -> tensor<2x2x1x1xf32> {
  %w = arith.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  return %w : tensor<2x2x1x1xf32>
}

// -----

// A resource keeps its blob: only the type changes.
// CHECK-LABEL: func.func @resource
// CHECK:         arith.constant dense_resource<blob> : tensor<6xf32>
// CHECK:         tensor.expand_shape {{.*}} : tensor<6xf32> into tensor<2x3xf32>
func.func @resource() -> tensor<2x3xf32> {
  %w = arith.constant dense_resource<blob> : tensor<2x3xf32>
  return %w : tensor<2x3xf32>
}
{-#
  dialect_resources: {
    builtin: {
      blob: "0x04000000000080BF0000004000004040000080400000A0400000C040"
    }
  }
#-}

// -----

// Splats, scalars and 1-D constants stay.
// CHECK-LABEL: func.func @unchanged
// CHECK:         arith.constant dense<5.000000e-01> : tensor<4x4xf32>
// CHECK:         arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NOT:     expand_shape
func.func @unchanged() -> (tensor<4x4xf32>, tensor<2xf32>) {
  %s = arith.constant dense<0.5> : tensor<4x4xf32>
  %v = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %s, %v : tensor<4x4xf32>, tensor<2xf32>
}
