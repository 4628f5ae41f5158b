// RUN: cnnc-opt %s --cnnc-convert-cnn-to-linalg --split-input-file --mlir-print-local-scope | FileCheck %s

// The gradient ops of the train step (Gradients.cpp) and the grouped
// transposed convolution that is a convolution's input gradient.

// An activation's gradient is one elementwise generic over (input, grad):
// relu passes the gradient where the input is positive (relu'(0) = 0).
// CHECK-LABEL: func.func @activation_grad_relu
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%arg0, %arg1 : tensor<2x3xf32>, tensor<2x3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK:         ^bb0(%[[X:.*]]: f32, %[[DY:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:           %[[POS:.*]] = arith.cmpf ogt, %[[X]], %[[ZERO]] : f32
// CHECK:           %[[R:.*]] = arith.select %[[POS]], %[[DY]], %[[ZERO]] : f32
// CHECK:           linalg.yield %[[R]] : f32
func.func @activation_grad_relu(%x: tensor<2x3xf32>, %dy: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = cnn.activation_grad relu %x, %dy : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// leaky_relu scales the gradient by alpha on the negative side.
// CHECK-LABEL: func.func @activation_grad_leaky_relu
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK:         ^bb0(%[[X:.*]]: f64, %[[DY:.*]]: f64, %{{.*}}: f64):
// CHECK:           %[[POS:.*]] = arith.cmpf ogt, %[[X]], %{{.*}} : f64
// CHECK:           %[[ALPHA:.*]] = arith.constant 2.500000e-01 : f64
// CHECK:           %[[SCALED:.*]] = arith.mulf %[[ALPHA]], %[[DY]] : f64
// CHECK:           arith.select %[[POS]], %[[DY]], %[[SCALED]] : f64
func.func @activation_grad_leaky_relu(%x: tensor<2x3xf64>, %dy: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %0 = cnn.activation_grad leaky_relu %x, %dy {alpha = 0.25 : f32} : tensor<2x3xf64>
  return %0 : tensor<2x3xf64>
}

// -----

// clip passes the gradient strictly between its bounds.
// CHECK-LABEL: func.func @activation_grad_clip
// CHECK:           %[[LO:.*]] = arith.cmpf ogt, %{{.*}}, %{{.*}} : f32
// CHECK:           %[[HI:.*]] = arith.cmpf olt, %{{.*}}, %{{.*}} : f32
// CHECK:           %[[IN:.*]] = arith.andi %[[LO]], %[[HI]] : i1
// CHECK:           arith.select %[[IN]]
func.func @activation_grad_clip(%x: tensor<4xf32>, %dy: tensor<4xf32>) -> tensor<4xf32> {
  %0 = cnn.activation_grad clip %x, %dy {alpha = 0.0 : f32, beta = 6.0 : f32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// The weight gradient: the input zero-padded, then a generic with the
// weight's dimensions (f, c, kh, kw) parallel and (n, oh, ow) reduced; the
// input channel of filter f is that of its group: (f floordiv F/G) * C/G + c.
// CHECK-LABEL: func.func @conv_weight_grad
// CHECK:         %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1, 0] high[0, 0, 0, 2]
// CHECK:         } : tensor<2x4x9x9xf32> to tensor<2x4x10x11xf32>
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<6x2x3x3xf32>)
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, (d0 floordiv 3) * 2 + d1, d5 * 2 + d2 * 2, d6 * 3 + d3)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d0, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[PAD]], %arg1 : tensor<2x4x10x11xf32>, tensor<2x6x3x3xf32>) outs(%[[INIT]] : tensor<6x2x3x3xf32>)
// CHECK:           %[[P:.*]] = arith.mulf
// CHECK:           %[[S:.*]] = arith.addf %[[P]]
// CHECK:           linalg.yield %[[S]]
func.func @conv_weight_grad(%x: tensor<2x4x9x9xf32>, %dy: tensor<2x6x3x3xf32>) -> tensor<6x2x3x3xf32> {
  %0 = cnn.conv_weight_grad %x, %dy strides [2, 3] pads [1, 0, 0, 2] dilations [2, 1] groups 2 : (tensor<2x4x9x9xf32>, tensor<2x6x3x3xf32>) -> tensor<6x2x3x3xf32>
  return %0 : tensor<6x2x3x3xf32>
}

// -----

// Without groups the channel is c itself.
// CHECK-LABEL: func.func @conv_weight_grad_ungrouped
// CHECK-NOT:     tensor.pad
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d1, d2 + d5, d3 + d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d0, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
func.func @conv_weight_grad_ungrouped(%x: tensor<1x3x5x5xf32>, %dy: tensor<1x4x3x3xf32>) -> tensor<4x3x3x3xf32> {
  %0 = cnn.conv_weight_grad %x, %dy strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x5x5xf32>, tensor<1x4x3x3xf32>) -> tensor<4x3x3x3xf32>
  return %0 : tensor<4x3x3x3xf32>
}

// -----

// A pool's gradient is a gather: a parallel generic over the input
// positions, with no inputs. With overlapping windows it loops over the
// window offsets (scf.for kh, kw) and adds, for the output position whose
// window holds the element at that offset (when one exists: scf.if), its
// gradient if the element is the window's first maximum.
// CHECK-LABEL: func.func @pool_grad_max
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%{{.*}} : tensor<1x2x5x5xf32>)
// CHECK:           %[[N:.*]] = linalg.index 0 : index
// CHECK:           %[[C:.*]] = linalg.index 1 : index
// CHECK:           %[[ACC:.*]] = scf.for %[[KH:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (f32)
// CHECK:             scf.for %[[KW:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (f32)
// CHECK:               arith.remsi
// CHECK:               arith.divsi
// CHECK:               %[[SHARE:.*]] = scf.if %{{.*}} -> (f32)
// CHECK:                 %[[G:.*]] = tensor.extract %arg1[%[[N]], %[[C]], %{{.*}}, %{{.*}}] : tensor<1x2x3x3xf32>
// The window's nine taps, compared in row-major order.
// CHECK-COUNT-9:         tensor.extract %arg0[%[[N]], %[[C]], %{{.*}}, %{{.*}}] : tensor<1x2x5x5xf32>
// CHECK:                 arith.select %{{.*}}, %[[G]], %{{.*}} : f32
// CHECK:               } else {
// CHECK:               arith.addf %{{.*}}, %[[SHARE]] : f32
// CHECK:           linalg.yield %[[ACC]] : f32
func.func @pool_grad_max(%x: tensor<1x2x5x5xf32>, %dy: tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  %0 = cnn.pool_grad max %x, %dy kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] : tensor<1x2x5x5xf32>, tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x5x5xf32>
}

// -----

// Windows that tile the input exactly (kernel = strides, no padding,
// dilation, ceil_mode or remainder): each window's winner is found once (a
// reduction over the window keeping the first strict maximum and its
// row-major position), then each position compares its offset in its
// window, position % stride, with the winner: no loop in a body.
// CHECK-LABEL: func.func @pool_grad_max_tiling
// CHECK:         %[[WINDOW:.*]] = tensor.empty() : tensor<2x2xf32>
// CHECK:         %[[WIN:.*]]:2 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%arg0, %[[WINDOW]] : tensor<1x2x4x4xf32>, tensor<2x2xf32>) outs(%{{.*}}, %{{.*}} : tensor<1x2x2x2xf32>, tensor<1x2x2x2xi32>)
// CHECK:           arith.cmpf ogt
// CHECK:           linalg.yield %{{.*}}, %{{.*}} : f32, i32
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 floordiv 2, d3 floordiv 2)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 floordiv 2, d3 floordiv 2)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[WIN]]#1, %arg1 : tensor<1x2x2x2xi32>, tensor<1x2x2x2xf32>) outs(%{{.*}} : tensor<1x2x4x4xf32>)
// CHECK-NOT:       scf.for
// CHECK:           arith.remsi
// CHECK:           arith.remsi
// CHECK:           arith.cmpi eq
// CHECK:           arith.select
func.func @pool_grad_max_tiling(%x: tensor<1x2x4x4xf32>, %dy: tensor<1x2x2x2xf32>) -> tensor<1x2x4x4xf32> {
  %0 = cnn.pool_grad max %x, %dy kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] : tensor<1x2x4x4xf32>, tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// The average of tiling windows: a quarter of the window's gradient each.
// CHECK-LABEL: func.func @pool_grad_avg_tiling
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 floordiv 2, d3 floordiv 2)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg1 : tensor<1x2x2x2xf32>) outs(%{{.*}} : tensor<1x2x4x4xf32>)
// CHECK:           arith.constant 2.500000e-01 : f32
// CHECK:           arith.mulf
func.func @pool_grad_avg_tiling(%x: tensor<1x2x4x4xf32>, %dy: tensor<1x2x2x2xf32>) -> tensor<1x2x4x4xf32> {
  %0 = cnn.pool_grad avg %x, %dy kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] : tensor<1x2x4x4xf32>, tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// An average pool's gradient divides by the window's divisor, counted from
// the taps inside the padded input with count_include_pad ([-1, 7) here);
// the input itself is not read.
// CHECK-LABEL: func.func @pool_grad_avg
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%{{.*}} : tensor<1x2x6x6xf32>)
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               scf.if
// CHECK:                 %[[G:.*]] = tensor.extract %arg1
// CHECK-NOT:             tensor.extract %arg0
// CHECK:                 arith.constant -1 : index
// CHECK:                 arith.constant 7 : index
// CHECK:                 %[[COUNT:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK:                 %[[DIVISOR:.*]] = arith.sitofp %[[COUNT]] : i64 to f32
// CHECK:                 %[[SHARE:.*]] = arith.divf %[[G]], %[[DIVISOR]] : f32
// CHECK:                 scf.yield %[[SHARE]] : f32
func.func @pool_grad_avg(%x: tensor<1x2x6x6xf32>, %dy: tensor<1x2x4x4xf32>) -> tensor<1x2x6x6xf32> {
  %0 = cnn.pool_grad avg %x, %dy kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] ceil_mode count_include_pad : tensor<1x2x6x6xf32>, tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x6x6xf32>
}

// -----

// Cross-entropy's gradient: the row max, the shifted exponentials and their
// row sum, then per element (p - target) * grad / N, with the smoothed
// target 1 - s + s / C = 0.92 on the label (a linalg.index compare) and
// s / C = 0.02 elsewhere; the 0-d gradient is read through an empty map.
// CHECK-LABEL: func.func @softmax_cross_entropy_grad
// CHECK:         %[[MAX:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>], iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<4x5xf32>)
// CHECK:           arith.maximumf
// CHECK:         %[[EXP:.*]] = linalg.generic {{.*}} ins(%arg0, %[[MAX]] : tensor<4x5xf32>, tensor<4x1xf32>)
// CHECK:           math.exp
// CHECK:         %[[SUM:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>], iterator_types = ["parallel", "reduction"]} ins(%[[EXP]] : tensor<4x5xf32>)
// CHECK:           arith.addf
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[EXP]], %[[SUM]], %arg1, %arg2 : tensor<4x5xf32>, tensor<4x1xf32>, tensor<4xi32>, tensor<f32>)
// CHECK:           %[[P:.*]] = arith.divf
// CHECK:           %[[LABEL:.*]] = arith.index_cast %{{.*}} : i32 to index
// CHECK:           %[[COLUMN:.*]] = linalg.index 1 : index
// CHECK:           %[[HIT:.*]] = arith.cmpi eq, %[[LABEL]], %[[COLUMN]] : index
// CHECK:           %[[ON:.*]] = arith.constant 9.200000e-01 : f32
// CHECK:           %[[OFF:.*]] = arith.constant 2.000000e-02 : f32
// CHECK:           %[[T:.*]] = arith.select %[[HIT]], %[[ON]], %[[OFF]] : f32
// CHECK:           arith.subf %[[P]], %[[T]] : f32
// CHECK:           arith.constant 2.500000e-01 : f32
func.func @softmax_cross_entropy_grad(%l: tensor<4x5xf32>, %y: tensor<4xi32>, %g: tensor<f32>) -> tensor<4x5xf32> {
  %0 = cnn.softmax_cross_entropy_grad %l, %y, %g reduction mean {label_smoothing = 0.1 : f32} : (tensor<4x5xf32>, tensor<4xi32>, tensor<f32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// With `none` the gradient is per sample (a row map) and not divided.
// CHECK-LABEL: func.func @softmax_cross_entropy_grad_none
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{.*}}, %{{.*}}, %arg1, %arg2 : tensor<4x5xf32>, tensor<4x1xf32>, tensor<4xi64>, tensor<4xf32>)
// CHECK:           arith.index_cast %{{.*}} : i64 to index
// CHECK:           arith.constant 1.000000e+00 : f32
// CHECK:           arith.constant 0.000000e+00 : f32
// CHECK:           arith.constant 1.000000e+00 : f32
func.func @softmax_cross_entropy_grad_none(%l: tensor<4x5xf32>, %y: tensor<4xi64>, %g: tensor<4xf32>) -> tensor<4x5xf32> {
  %0 = cnn.softmax_cross_entropy_grad %l, %y, %g reduction none : (tensor<4x5xf32>, tensor<4xi64>, tensor<4xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// The dropout mask: the key read once, then per element a splitmix64 hash
// of (seed, key, row-major position), its top 24 bits as a uniform draw in
// [0, 1), kept (as 1 / (1 - ratio)) when the draw is at least the ratio.
// CHECK-LABEL: func.func @dropout_mask
// CHECK:         %[[KEY:.*]] = tensor.extract %arg0[] : tensor<i64>
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%{{.*}} : tensor<2x3xf32>)
// CHECK:           linalg.index 0 : index
// CHECK:           linalg.index 1 : index
// CHECK:           arith.muli %[[KEY]], %{{.*}} : i64
// CHECK-COUNT-3:   arith.shrui
// CHECK:           %[[BITS:.*]] = arith.shrui %{{.*}}, %{{.*}} : i64
// CHECK:           %[[U:.*]] = arith.uitofp %[[BITS]] : i64 to f32
// CHECK:           %[[DRAW:.*]] = arith.mulf %[[U]], %{{.*}} : f32
// CHECK:           %[[RATIO:.*]] = arith.constant 2.500000e-01 : f32
// CHECK:           %[[KEEP:.*]] = arith.cmpf oge, %[[DRAW]], %[[RATIO]] : f32
// CHECK:           %[[SCALE:.*]] = arith.constant 1.33333337 : f32
// CHECK:           arith.select %[[KEEP]], %[[SCALE]], %{{.*}} : f32
func.func @dropout_mask(%key: tensor<i64>) -> tensor<2x3xf32> {
  %0 = cnn.dropout_mask %key {ratio = 0.25 : f32, seed = 3 : i64} : tensor<i64> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A grouped transposed convolution: the input spread by the strides
// (insert_slice with steps) and padded by the kernel's reach less the
// pads, the kernel [Ci, Co/G, K...] rearranged to [Co, Ci/G, K...] and
// flipped in space, then a grouped unit-stride convolution.
// CHECK-LABEL: func.func @conv_transpose_grouped
// CHECK:         %[[SPREAD:.*]] = tensor.insert_slice %arg0 into %{{.*}}[0, 0, 0, 0] [1, 4, 3, 3] [1, 1, 2, 2] : tensor<1x4x3x3xf32> into tensor<1x4x5x5xf32>
// CHECK:         %[[PAD:.*]] = tensor.pad %[[SPREAD]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:         } : tensor<1x4x5x5xf32> to tensor<1x4x7x7xf32>
// CHECK:         %[[FLIP:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> ((d0 floordiv 3) * 2 + d1, d0 mod 3, -d2 + 2, -d3 + 2)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg1 : tensor<4x3x3x3xf32>) outs(%{{.*}} : tensor<6x2x3x3xf32>)
// CHECK:         %[[IN:.*]] = tensor.expand_shape %[[PAD]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 7, 7]
// CHECK:         %[[W:.*]] = tensor.expand_shape %[[FLIP]] {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK:         %[[CONV:.*]] = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[IN]], %[[W]] : tensor<1x2x2x7x7xf32>, tensor<2x3x2x3x3xf32>)
// CHECK:         tensor.collapse_shape %[[CONV]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x3x5x5xf32> into tensor<1x6x5x5xf32>
func.func @conv_transpose_grouped(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x6x5x5xf32> {
  %0 = cnn.conv_transpose %x, %w strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] output_padding [0, 0] groups 2 : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x5x5xf32>
  return %0 : tensor<1x6x5x5xf32>
}
