// RUN: cnnc-opt %s --cnnc-convert-cnn-to-linalg --split-input-file | FileCheck %s

// A channels-last convolution pads H and W and is one cnnk.conv2d with its
// bias (and its residual and activation when it has them) on an empty init.
// CHECK-LABEL: func.func @conv_nhwc
// CHECK:         %[[PAD:.*]] = tensor.pad %arg0 low[0, 1, 2, 0] high[0, 1, 2, 0]
// CHECK:         } : tensor<1x8x8x3xf32> to tensor<1x10x12x3xf32>
// CHECK:         %[[INIT:.*]] = tensor.empty() : tensor<1x4x4x4xf32>
// CHECK:         cnnk.conv2d ins(%[[PAD]], %arg1 : tensor<1x10x12x3xf32>, tensor<3x3x3x4xf32>) bias(%arg2 : tensor<4xf32>) outs(%[[INIT]] : tensor<1x4x4x4xf32>) strides [2, 2] dilations [1, 2] -> tensor<1x4x4x4xf32>
// CHECK-NOT:     linalg.
func.func @conv_nhwc(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x4xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  %0 = cnn.conv %x, %w, %b strides [2, 2] pads [1, 2, 1, 2] dilations [1, 2] groups 1 layout nhwc : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Depthwise: the [KH, KW, 1, C] weight is [KH, KW, C].
// CHECK-LABEL: func.func @depthwise_nhwc
// CHECK:         %[[W:.*]] = tensor.collapse_shape %arg1 {{\[}}[0], [1], [2, 3]] : tensor<3x3x1x4xf32> into tensor<3x3x4xf32>
// CHECK:         cnnk.conv2d ins(%arg0, %[[W]] : tensor<1x8x8x4xf32>, tensor<3x3x4xf32>) residual(%arg2 : tensor<1x6x6x4xf32>) outs(%{{.*}} : tensor<1x6x6x4xf32>) strides [1, 1] dilations [1, 1] activation clip {activation_alpha = 0.000000e+00 : f32, activation_beta = 6.000000e+00 : f32}
func.func @depthwise_nhwc(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x1x4xf32>, %r: tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32> {
  %0 = cnn.conv %x, %w residual %r strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 4 activation clip layout nhwc {activation_alpha = 0.0 : f32, activation_beta = 6.0 : f32} : (tensor<1x8x8x4xf32>, tensor<3x3x1x4xf32>, tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  return %0 : tensor<1x6x6x4xf32>
}

// -----

// Other groups: the channels split into [G, C/G], the filters into
// [G, F/G], and a generic convolves each group.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1 * 2 + d5, d2 + d6, d3, d7)>
// CHECK-DAG: #[[WMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d5, d6, d7, d3, d4)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @grouped_nhwc
// CHECK:         %[[X:.*]] = tensor.expand_shape %arg0 {{\[}}[0], [1], [2], [3, 4]] output_shape [1, 8, 8, 2, 2]
// CHECK:         %[[W:.*]] = tensor.expand_shape %arg1 {{\[}}[0], [1], [2], [3, 4]] output_shape [3, 3, 2, 2, 3]
// CHECK:         %[[ACC:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1], [2], [3, 4]] output_shape [1, 3, 6, 2, 3]
// CHECK:         %[[G:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[WMAP]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[X]], %[[W]] : {{.*}}) outs(%[[ACC]] : tensor<1x3x6x2x3xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK:         tensor.collapse_shape %[[G]] {{\[}}[0], [1], [2], [3, 4]] : tensor<1x3x6x2x3xf32> into tensor<1x3x6x6xf32>
func.func @grouped_nhwc(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x2x6xf32>) -> tensor<1x3x6x6xf32> {
  %0 = cnn.conv %x, %w strides [2, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 2 layout nhwc : (tensor<1x8x8x4xf32>, tensor<3x3x2x6xf32>) -> tensor<1x3x6x6xf32>
  return %0 : tensor<1x3x6x6xf32>
}

// -----

// Channels-last pooling pads H and W; a global pool reduces them.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[NC:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, 0, 0, d3)>
// CHECK-LABEL: func.func @pool_nhwc
// CHECK:         %[[PAD:.*]] = tensor.pad %arg0 low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK:         linalg.pooling_nhwc_max {{.*}} ins(%[[PAD]], %{{.*}} : tensor<1x10x10x4xf32>, tensor<3x3xf32>) outs(%{{.*}} : tensor<1x4x4x4xf32>)
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[NC]]], iterator_types = ["parallel", "reduction", "reduction", "parallel"]} ins(%arg0 : tensor<1x8x8x4xf32>)
// CHECK:           arith.addf
// CHECK:           arith.constant 1.562500e-02 : f32
func.func @pool_nhwc(%x: tensor<1x8x8x4xf32>) -> (tensor<1x4x4x4xf32>, tensor<1x1x1x4xf32>) {
  %0 = cnn.pool max %x kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] layout nhwc : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  %1 = cnn.global_pool avg %x layout nhwc : tensor<1x8x8x4xf32> -> tensor<1x1x1x4xf32>
  return %0, %1 : tensor<1x4x4x4xf32>, tensor<1x1x1x4xf32>
}
