// RUN: cnnc-opt %s --cnnc-convert-cnn-to-linalg --split-input-file | FileCheck %s

// A convolution pads its input with zeros and accumulates into its bias.
// CHECK-LABEL: func.func @conv
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1, 2] high[0, 0, 1, 2]
// CHECK:           tensor.yield %[[ZERO]]
// CHECK:         } : tensor<1x3x8x8xf32> to tensor<1x3x10x12xf32>
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<1x4x4x4xf32>
// CHECK:         %[[B:.*]] = linalg.broadcast ins(%arg2 : tensor<4xf32>) outs(%[[E]] : tensor<1x4x4x4xf32>) dimensions = [0, 2, 3]
// CHECK:         linalg.conv_2d_nchw_fchw {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %arg1 : tensor<1x3x10x12xf32>, tensor<4x3x3x3xf32>) outs(%[[B]] : tensor<1x4x4x4xf32>)
func.func @conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  %0 = cnn.conv %x, %w, %b strides [2, 2] pads [1, 2, 1, 2] dilations [1, 2] groups 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Without a bias the accumulator is zero.
// CHECK-LABEL: func.func @conv_nobias
// CHECK:         %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x4x6x6xf32>)
// CHECK:         linalg.conv_2d_nchw_fchw {{.*}} ins(%arg0, %arg1 : {{.*}}) outs(%[[F]] : tensor<1x4x6x6xf32>)
func.func @conv_nobias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

// Max pooling pads with -inf; ceil mode extends the end so the last window
// fits.
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK:         %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         tensor.pad %arg0 low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK:           tensor.yield %[[NEG]]
// CHECK:         linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} {{.*}} -> tensor<1x2x3x3xf32>
func.func @max_pool_ceil(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %0 = cnn.pool max %x kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] ceil_mode : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// Average pooling sums, then divides by the number of input positions in
// each window: the same sum over a tensor of ones padded with zeros.
// CHECK-LABEL: func.func @avg_pool
// CHECK:         %[[SUM:.*]] = linalg.pooling_nchw_sum
// CHECK:         %[[ONES:.*]] = arith.constant dense<1.000000e+00> : tensor<1x1x4x4xf32>
// CHECK:         %[[PADDED:.*]] = tensor.pad %[[ONES]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:         %[[COUNT:.*]] = linalg.pooling_nchw_sum {{.*}} ins(%[[PADDED]], %{{.*}} : tensor<1x1x6x6xf32>, tensor<3x3xf32>)
// CHECK:         linalg.generic {{.*}} ins(%[[SUM]], %[[COUNT]] : tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>)
// CHECK:           arith.divf
func.func @avg_pool(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %0 = cnn.pool avg %x kernel [3, 3] strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @global_avg
// CHECK:         linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK:           arith.addf
// CHECK:         arith.constant 6.250000e-02 : f32
func.func @global_avg(%x: tensor<2x3x4x4xf32>) -> tensor<2x3x1x1xf32> {
  %0 = cnn.global_pool avg %x : tensor<2x3x4x4xf32> -> tensor<2x3x1x1xf32>
  return %0 : tensor<2x3x1x1xf32>
}

// -----

// Grouped (here depthwise): channels split into [groups, C/groups].
// CHECK-LABEL: func.func @depthwise
// CHECK:         %[[X:.*]] = tensor.expand_shape %arg0 {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 4, 1, 8, 8] : tensor<1x4x8x8xf32> into tensor<1x4x1x8x8xf32>
// CHECK:         %[[W:.*]] = tensor.expand_shape %arg1 {{\[}}[0, 1], [2], [3], [4]] output_shape [4, 1, 1, 3, 3] : tensor<4x1x3x3xf32> into tensor<4x1x1x3x3xf32>
// CHECK:         %[[C:.*]] = linalg.conv_2d_ngchw_gfchw {{.*}} ins(%[[X]], %[[W]] : tensor<1x4x1x8x8xf32>, tensor<4x1x1x3x3xf32>)
// CHECK:         tensor.collapse_shape %[[C]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x4x1x6x6xf32> into tensor<1x4x6x6xf32>
func.func @depthwise(%x: tensor<1x4x8x8xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 4 : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

// 1-D windows are 2-D ones of height 1.
// CHECK-LABEL: func.func @pool_1d
// CHECK:         %[[R:.*]] = tensor.reshape %arg0({{.*}}) : (tensor<1x3x32xf32>, tensor<4xindex>) -> tensor<1x3x1x32xf32>
// CHECK:         %[[P:.*]] = linalg.pooling_nchw_max {{.*}} ins(%[[R]], %{{.*}} : tensor<1x3x1x32xf32>, tensor<1x2xf32>)
// CHECK:         tensor.reshape %[[P]]({{.*}}) : (tensor<1x3x1x31xf32>, tensor<3xindex>) -> tensor<1x3x31xf32>
func.func @pool_1d(%x: tensor<1x3x32xf32>) -> tensor<1x3x31xf32> {
  %0 = cnn.pool max %x kernel [2] strides [1] pads [0, 0] dilations [1] : tensor<1x3x32xf32> -> tensor<1x3x31xf32>
  return %0 : tensor<1x3x31xf32>
}

// -----

// A transposed convolution: the input spread by the strides into zeros,
// padded by the kernel's reach less the pads, convolved with the kernel
// flipped and its channels swapped.
// CHECK-DAG: #[[FLIP:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d0, -d2 + 2, -d3 + 2)>
// CHECK-LABEL: func.func @conv_transpose
// CHECK:         %[[Z:.*]] = linalg.fill {{.*}} -> tensor<1x1x5x5xf32>
// CHECK:         %[[S:.*]] = tensor.insert_slice %arg0 into %[[Z]][0, 0, 0, 0] [1, 1, 3, 3] [1, 1, 2, 2] : tensor<1x1x3x3xf32> into tensor<1x1x5x5xf32>
// CHECK:         %[[P:.*]] = tensor.pad %[[S]] low[0, 0, 2, 2] high[0, 0, 3, 3]
// CHECK:         %[[W:.*]] = linalg.generic {indexing_maps = [#[[FLIP]], #{{.*}}]{{.*}} ins(%arg1 : tensor<1x2x3x3xf32>) outs(%{{.*}} : tensor<2x1x3x3xf32>)
// CHECK:         linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[P]], %[[W]] : tensor<1x1x10x10xf32>, tensor<2x1x3x3xf32>) {{.*}} -> tensor<1x2x8x8xf32>
func.func @conv_transpose(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>) -> tensor<1x2x8x8xf32> {
  %0 = cnn.conv_transpose %x, %w strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] output_padding [1, 1] groups 1 : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x8x8xf32>
  return %0 : tensor<1x2x8x8xf32>
}

// -----

// 3-D convolutions: linalg.conv_3d_ncdhw_fcdhw.
// CHECK-LABEL: func.func @conv_3d
// CHECK:         linalg.conv_3d_ncdhw_fcdhw {dilations = dense<1> : tensor<3xi64>, strides = dense<1> : tensor<3xi64>} ins(%arg0, %arg1 : tensor<1x1x4x4x4xf32>, tensor<1x1x2x2x2xf32>)
func.func @conv_3d(%x: tensor<1x1x4x4x4xf32>, %w: tensor<1x1x2x2x2xf32>) -> tensor<1x1x3x3x3xf32> {
  %0 = cnn.conv %x, %w strides [1, 1, 1] pads [0, 0, 0, 0, 0, 0] dilations [1, 1, 1] groups 1 : (tensor<1x1x4x4x4xf32>, tensor<1x1x2x2x2xf32>) -> tensor<1x1x3x3x3xf32>
  return %0 : tensor<1x1x3x3x3xf32>
}

// -----

// A grouped 3-D convolution: one linalg convolution per group on its slice
// of the channels, inserted into the result.
// CHECK-LABEL: func.func @grouped_conv_3d
// CHECK:         %[[X0:.*]] = tensor.extract_slice %arg0[0, 0, 0, 0, 0] [1, 1, 4, 4, 4] [1, 1, 1, 1, 1]
// CHECK:         %[[W0:.*]] = tensor.extract_slice %arg1[0, 0, 0, 0, 0] [1, 1, 2, 2, 2] [1, 1, 1, 1, 1]
// CHECK:         %[[C0:.*]] = linalg.conv_3d_ncdhw_fcdhw {{.*}} ins(%[[X0]], %[[W0]] : tensor<1x1x4x4x4xf32>, tensor<1x1x2x2x2xf32>)
// CHECK:         %[[R0:.*]] = tensor.insert_slice %[[C0]] into %{{.*}}[0, 0, 0, 0, 0] [1, 1, 3, 3, 3]
// CHECK:         tensor.extract_slice %arg0[0, 1, 0, 0, 0] [1, 1, 4, 4, 4]
// CHECK:         tensor.extract_slice %arg1[1, 0, 0, 0, 0] [1, 1, 2, 2, 2]
// CHECK:         linalg.conv_3d_ncdhw_fcdhw
// CHECK:         tensor.insert_slice %{{.*}} into %[[R0]][0, 1, 0, 0, 0] [1, 1, 3, 3, 3]
func.func @grouped_conv_3d(%x: tensor<1x2x4x4x4xf32>, %w: tensor<2x1x2x2x2xf32>) -> tensor<1x2x3x3x3xf32> {
  %0 = cnn.conv %x, %w strides [1, 1, 1] pads [0, 0, 0, 0, 0, 0] dilations [1, 1, 1] groups 2 : (tensor<1x2x4x4x4xf32>, tensor<2x1x2x2x2xf32>) -> tensor<1x2x3x3x3xf32>
  return %0 : tensor<1x2x3x3x3xf32>
}

// -----

// 3-D pooling: linalg pools channels-last, so NCDHW is transposed to NDHWC
// and back.
// CHECK-LABEL: func.func @max_pool_3d
// CHECK:         linalg.transpose ins(%{{.*}} : tensor<1x3x4x4x4xf32>) outs(%{{.*}} : tensor<1x4x4x4x3xf32>) permutation = [0, 2, 3, 4, 1]
// CHECK:         linalg.pooling_ndhwc_max {{.*}} -> tensor<1x2x2x2x3xf32>
// CHECK:         linalg.transpose ins(%{{.*}} : tensor<1x2x2x2x3xf32>) outs(%{{.*}} : tensor<1x3x2x2x2xf32>) permutation = [0, 4, 1, 2, 3]
func.func @max_pool_3d(%x: tensor<1x3x4x4x4xf32>) -> tensor<1x3x2x2x2xf32> {
  %0 = cnn.pool max %x kernel [2, 2, 2] strides [2, 2, 2] pads [0, 0, 0, 0, 0, 0] dilations [1, 1, 1] : tensor<1x3x4x4x4xf32> -> tensor<1x3x2x2x2xf32>
  return %0 : tensor<1x3x2x2x2xf32>
}

// -----

// The fused epilogue: after the convolution, one elementwise kernel adds
// the residual and applies the activation.
// CHECK-LABEL: func.func @fused_conv
// CHECK:         %[[C:.*]] = linalg.conv_2d_nchw_fchw
// CHECK:         linalg.generic {{.*}} ins(%[[C]], %arg2 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>)
// CHECK:           arith.addf
// CHECK:           arith.maximumf
func.func @fused_conv(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>, %r: tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %0 = cnn.conv %x, %w residual %r strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 activation relu : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

// A fused 1-D convolution keeps its residual and activation through the
// 2-D form it is lowered by.
// CHECK-LABEL: func.func @fused_conv_1d
// CHECK:         linalg.conv_2d_nchw_fchw
// CHECK:         linalg.generic
// CHECK:           arith.addf
// CHECK:           arith.cmpf
func.func @fused_conv_1d(%x: tensor<1x2x8xf32>, %w: tensor<2x2x1xf32>, %r: tensor<1x2x8xf32>) -> tensor<1x2x8xf32> {
  %0 = cnn.conv %x, %w residual %r strides [1] pads [0, 0] dilations [1] groups 1 activation leaky_relu {activation_alpha = 0.1 : f32} : (tensor<1x2x8xf32>, tensor<2x2x1xf32>, tensor<1x2x8xf32>) -> tensor<1x2x8xf32>
  return %0 : tensor<1x2x8xf32>
}
