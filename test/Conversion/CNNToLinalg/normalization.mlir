// RUN: cnnc-opt %s --cnnc-convert-cnn-to-linalg --split-input-file | FileCheck %s

// Instance norm: the spatial mean, the centered values, their mean square,
// then the normalization with the [C] parameters reshaped to [C, 1, 1].
// CHECK-LABEL: func.func @instance_norm
// CHECK:         %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%arg0 : tensor<2x3x4x4xf32>) outs(%{{.*}} : tensor<2x3x1x1xf32>)
// CHECK:         arith.constant 6.250000e-02 : f32
// CHECK:         %[[CENTERED:.*]] = linalg.generic
// CHECK:           arith.subf
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%[[CENTERED]] : tensor<2x3x4x4xf32>)
// CHECK:         tensor.reshape %arg1({{.*}}) : (tensor<3xf32>, tensor<3xindex>) -> tensor<3x1x1xf32>
// CHECK:         math.sqrt
func.func @instance_norm(%x: tensor<2x3x4x4xf32>, %c: tensor<3xf32>) -> tensor<2x3x4x4xf32> {
  %0 = cnn.instance_norm %x, %c, %c {epsilon = 1.0e-3 : f32} : tensor<2x3x4x4xf32>, tensor<3xf32>
  return %0 : tensor<2x3x4x4xf32>
}

// -----

// LRN: the squares padded along the channels, summed over a window loop.
// CHECK-DAG: #[[READ:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 + d4, d2, d3)>
// CHECK-LABEL: func.func @lrn
// CHECK:         tensor.pad %{{.*}} low[0, 2, 0, 0] high[0, 2, 0, 0]
// CHECK:         linalg.generic {indexing_maps = [#[[READ]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK:         math.powf
func.func @lrn(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %0 = cnn.lrn %x {size = 5 : i64} : tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// Resize: a generic without inputs that maps each output index to the input
// and reads it with tensor.extract; linear interpolates four neighbours.
// CHECK-LABEL: func.func @resize
// CHECK:         linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x8x8xf32>)
// CHECK:           linalg.index 2
// CHECK:           math.floor
// CHECK:           tensor.extract %arg0
// CHECK:         linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x8x8xf32>)
// CHECK-COUNT-4:   tensor.extract %arg0
func.func @resize(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>) {
  %0 = cnn.resize nearest %x scales [1.0, 1.0, 2.0, 2.0] coordinate_mode asymmetric nearest_mode floor : tensor<1x2x4x4xf32> -> tensor<1x2x8x8xf32>
  %1 = cnn.resize linear %x scales [1.0, 1.0, 2.0, 2.0] coordinate_mode half_pixel nearest_mode floor : tensor<1x2x4x4xf32> -> tensor<1x2x8x8xf32>
  return %0, %1 : tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>
}

// -----

// Batch norm, training form: channel sums over N, H, W for the mean and the
// variance, rsqrt for the inverse standard deviation, the normalized
// result, and running statistics blended with momentum 0.9; the running
// variance takes the unbiased variance (2*3*3 = 18 values: 0.1 * 18/17).
// CHECK-LABEL: func.func @batch_norm_train
// CHECK:         linalg.generic {{.*}}iterator_types = ["reduction", "parallel", "reduction", "reduction"]{{.*}} ins(%arg0 : tensor<2x4x3x3xf32>) outs(%{{.*}} : tensor<4xf32>)
// CHECK:         linalg.generic {{.*}}iterator_types = ["reduction", "parallel", "reduction", "reduction"]{{.*}} ins(%arg0, %{{.*}} : tensor<2x4x3x3xf32>, tensor<4xf32>)
// CHECK:           math.rsqrt
// CHECK:         linalg.generic {{.*}} ins(%arg0, %{{.*}}, %{{.*}}, %arg1, %arg2 : tensor<2x4x3x3xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
// CHECK:           arith.constant 0.100000024 : f32
// CHECK:           arith.constant 0.105882376 : f32
func.func @batch_norm_train(%x: tensor<2x4x3x3xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>)
    -> (tensor<2x4x3x3xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %y, %rm, %rv, %bm, %bis = cnn.batch_norm_train %x, %g, %b, %m, %v {epsilon = 1.0e-05 : f32, momentum = 0.9 : f32} : tensor<2x4x3x3xf32>, tensor<4xf32>
  return %y, %rm, %rv, %bm, %bis : tensor<2x4x3x3xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}
