// RUN: cnnc-opt %s --cnnc-collapse-spatial-dims --split-input-file | FileCheck %s

// An elementwise loop over NCHW with a per-channel operand: H and W become
// one dimension of 196 (the per-channel map keeps d1), N and C stay.
// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG:   #[[C:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @requantize_add
// CHECK:         %[[A:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0], [1], [2, 3]] : tensor<1x8x14x14xi32> into tensor<1x8x196xi32>
// CHECK:         %[[R:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[C]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[A]], %arg1 : tensor<1x8x196xi32>, tensor<8xf32>)
// CHECK:         tensor.expand_shape %[[R]] {{\[\[}}0], [1], [2, 3]] output_shape [1, 8, 14, 14] : tensor<1x8x196xf32> into tensor<1x8x14x14xf32>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#channel = affine_map<(d0, d1, d2, d3) -> (d1)>
func.func @requantize_add(%acc: tensor<1x8x14x14xi32>, %scale: tensor<8xf32>) -> tensor<1x8x14x14xf32> {
  %init = tensor.empty() : tensor<1x8x14x14xf32>
  %0 = linalg.generic {indexing_maps = [#id, #channel, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%acc, %scale : tensor<1x8x14x14xi32>, tensor<8xf32>) outs(%init : tensor<1x8x14x14xf32>) {
  ^bb0(%a: i32, %s: f32, %out: f32):
    %f = arith.sitofp %a : i32 to f32
    %m = arith.mulf %f, %s : f32
    linalg.yield %m : f32
  } -> tensor<1x8x14x14xf32>
  return %0 : tensor<1x8x14x14xf32>
}

// -----

// H and W transposed in one operand (W before H): not contiguous, kept.
// CHECK-LABEL: func.func @transposed
// CHECK-NOT:     tensor.collapse_shape
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]
#id2 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#swap = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3, d2)>
func.func @transposed(%x: tensor<1x8x14x14xf32>) -> tensor<1x8x14x14xf32> {
  %init = tensor.empty() : tensor<1x8x14x14xf32>
  %0 = linalg.generic {indexing_maps = [#swap, #id2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x8x14x14xf32>) outs(%init : tensor<1x8x14x14xf32>) {
  ^bb0(%a: f32, %out: f32):
    linalg.yield %a : f32
  } -> tensor<1x8x14x14xf32>
  return %0 : tensor<1x8x14x14xf32>
}

// -----

// A reduction (a global pool) is not elementwise: kept.
// CHECK-LABEL: func.func @reduction
// CHECK-NOT:     tensor.collapse_shape
#in = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#out = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
func.func @reduction(%x: tensor<1x8x14x14xf32>, %init: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %0 = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x : tensor<1x8x14x14xf32>) outs(%init : tensor<1x8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}
