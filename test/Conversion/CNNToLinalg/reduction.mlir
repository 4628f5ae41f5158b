// RUN: cnnc-opt %s --cnnc-convert-cnn-to-linalg --split-input-file | FileCheck %s

// Mean over the spatial axes, dimensions kept: a reduction into size-1
// dimensions, then a division by the count (7 * 7 = 49).
// CHECK-LABEL: func.func @mean_keep
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x8x1x1xf32>)
// CHECK:         %[[SUM:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction", "reduction"]{{.*}} ins(%arg0 : tensor<1x8x7x7xf32>) outs(%[[INIT]] : tensor<1x8x1x1xf32>)
// CHECK:           arith.addf
// CHECK:         %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<1x8x1x1xf32>)
// CHECK:           arith.constant 4.900000e+01 : f32
// CHECK:           arith.divf
// CHECK:         return %[[MEAN]]
func.func @mean_keep(%x: tensor<1x8x7x7xf32>) -> tensor<1x8x1x1xf32> {
  %0 = cnn.reduce mean %x axes [2, 3] keep_dims : tensor<1x8x7x7xf32> -> tensor<1x8x1x1xf32>
  return %0 : tensor<1x8x1x1xf32>
}

// -----

// Max starts from -inf; without keep_dims the unit dimensions collapse.
// CHECK-LABEL: func.func @max_drop
// CHECK:         arith.constant 0xFF800000 : f32
// CHECK:         linalg.generic
// CHECK:           arith.maximumf
// CHECK:         tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] : tensor<2x1x5xf32> into tensor<2x5xf32>
func.func @max_drop(%x: tensor<2x3x5xf32>) -> tensor<2x5xf32> {
  %0 = cnn.reduce max %x axes [1] : tensor<2x3x5xf32> -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// Sum over every axis: a scalar.
// CHECK-LABEL: func.func @sum_all
// CHECK:         linalg.generic
// CHECK:         tensor.collapse_shape %{{.*}} [] : tensor<1x1xf32> into tensor<f32>
func.func @sum_all(%x: tensor<4x4xf32>) -> tensor<f32> {
  %0 = cnn.reduce sum %x axes [0, 1] : tensor<4x4xf32> -> tensor<f32>
  return %0 : tensor<f32>
}
