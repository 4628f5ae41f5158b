// RUN: cnnc-opt %s --cnnc-bufferize --split-input-file | FileCheck %s

// Results become out-parameters after the inputs; a result computed in a
// fresh buffer is computed in its out-parameter, with no copy; the
// intermediate stays a memref.alloc for cnnc-plan-arena.
// CHECK-LABEL: func.func @chain
// CHECK-SAME:    (%[[X:.*]]: memref<4x8xf32>, %[[OUT:.*]]: memref<4x8xf32>)
// CHECK-NOT:     -> memref
// CHECK:         %[[TMP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4x8xf32>
// CHECK:         linalg.generic {{.*}} ins(%[[X]] : memref<4x8xf32>) outs(%[[TMP]] : memref<4x8xf32>)
// CHECK:         linalg.generic {{.*}} ins(%[[TMP]] : memref<4x8xf32>) outs(%[[OUT]] : memref<4x8xf32>)
// CHECK-NOT:     copy
// CHECK:         return
#map = affine_map<(d0, d1) -> (d0, d1)>
func.func @chain(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e0 = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e0 : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<4x8xf32>
  %e1 = tensor.empty() : tensor<4x8xf32>
  %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%0 : tensor<4x8xf32>) outs(%e1 : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = math.exp %in : f32
    linalg.yield %e : f32
  } -> tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}

// -----

// A result that is an argument or a constant is copied with linalg.copy
// (no memref.copy, whose strided form would need a library helper).
// CHECK-LABEL: func.func @passthrough
// CHECK-SAME:    (%[[X:.*]]: memref<4xf32>, %[[OUT0:.*]]: memref<4xf32>, %[[OUT1:.*]]: memref<2xf32>)
// CHECK:         %[[C:.*]] = memref.get_global
// CHECK:         linalg.copy ins(%[[X]] : memref<4xf32>) outs(%[[OUT0]] : memref<4xf32>)
// CHECK:         linalg.copy ins(%[[C]] : memref<2xf32>) outs(%[[OUT1]] : memref<2xf32>)
// CHECK-NOT:     memref.copy
func.func @passthrough(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<2xf32>) {
  %c = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %x, %c : tensor<4xf32>, tensor<2xf32>
}

// -----

// Two results computed in fresh buffers: both are computed in their
// out-parameters, no copy.
// CHECK-LABEL: func.func @two_results
// CHECK-SAME:    (%[[X:.*]]: memref<4xf32>, %[[OUT0:.*]]: memref<4xf32>, %[[OUT1:.*]]: memref<4xf32>)
// CHECK-NOT:     memref.alloc
// CHECK:         linalg.generic {{.*}} outs(%[[OUT0]] : memref<4xf32>)
// CHECK:         linalg.generic {{.*}} outs(%[[OUT1]] : memref<4xf32>)
// CHECK-NOT:     linalg.copy
#map1 = affine_map<(d0) -> (d0)>
func.func @two_results(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %e0 = tensor.empty() : tensor<4xf32>
  %0 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel"]}
      ins(%x : tensor<4xf32>) outs(%e0 : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<4xf32>
  %e1 = tensor.empty() : tensor<4xf32>
  %1 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel"]}
      ins(%0 : tensor<4xf32>) outs(%e1 : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = math.exp %in : f32
    linalg.yield %e : f32
  } -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// A kernel op bufferizes whole, the recorded choice kept: its operands'
// buffers and, for its init (never read: nothing copied into it), the
// result's out-parameter; no result.
// CHECK-LABEL: func.func @kernel_op
// CHECK-SAME:    %[[OUT:[a-z0-9]+]]: memref<1x8x8x16xf32>)
// CHECK-NOT:     memref.alloc
// CHECK-NOT:     memref.copy
// CHECK:         cnnk.conv2d ins(%arg0, %arg1 : memref<1x10x10x8xf32>, memref<3x3x8x16xf32>) bias(%arg2 : memref<16xf32>) outs(%[[OUT]] : memref<1x8x8x16xf32>) strides [1, 1] dilations [1, 1] activation relu tile [8, 1, 16]{{$}}
// CHECK-NEXT:    return
func.func @kernel_op(%x: tensor<1x10x10x8xf32>, %w: tensor<3x3x8x16xf32>, %b: tensor<16xf32>) -> tensor<1x8x8x16xf32> {
  %init = tensor.empty() : tensor<1x8x8x16xf32>
  %y = cnnk.conv2d ins(%x, %w : tensor<1x10x10x8xf32>, tensor<3x3x8x16xf32>) bias(%b : tensor<16xf32>) outs(%init : tensor<1x8x8x16xf32>) strides [1, 1] dilations [1, 1] activation relu tile [8, 1, 16] -> tensor<1x8x8x16xf32>
  return %y : tensor<1x8x8x16xf32>
}
