// RUN: cnnc-opt %s --cnnc-fold-quantization --split-input-file | FileCheck %s

// A QDQ convolution with a per-channel weight and a dequantized int32 bias in
// the accumulator's scale (0.5 * [0.25, 0.125]): the integer convolution with
// the bias as is, then one requantization per channel by xs * ws / ys.
// CHECK-LABEL: func.func @conv
// CHECK:         %[[B:.*]] = cnn.constant dense<[8, -4]> : tensor<2xi32>
// CHECK:         %[[ACC:.*]] = cnn.conv_integer %arg0, %{{.*}}, %{{.*}}, %{{.*}} bias %[[B]] strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<1x1x4x4xui8>, tensor<2x1x3x3xi8>, tensor<ui8>, tensor<2xi8>, tensor<2xi32>) -> tensor<1x2x4x4xi32>
// CHECK:         %[[XW:.*]] = cnn.binary mul %{{.*}}, %{{.*}} : (tensor<f32>, tensor<2xf32>) -> tensor<2xf32>
// CHECK:         %[[M:.*]] = cnn.binary div %[[XW]], %{{.*}} : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
// CHECK:         %[[Y:.*]] = cnn.requantize %[[ACC]], %[[M]], %{{.*}} axis 1 : (tensor<1x2x4x4xi32>, tensor<2xf32>, tensor<ui8>) -> tensor<1x2x4x4xui8>
// CHECK-NOT:     cnn.conv %
// CHECK:         return %[[Y]]
func.func @conv(%x: tensor<1x1x4x4xui8>) -> tensor<1x2x4x4xui8> {
  %xs = cnn.constant dense<0.5> : tensor<f32>
  %xz = cnn.constant dense<3> : tensor<ui8>
  %wq = cnn.constant dense<1> : tensor<2x1x3x3xi8>
  %ws = cnn.constant dense<[0.25, 0.125]> : tensor<2xf32>
  %wz = cnn.constant dense<0> : tensor<2xi8>
  %bq = cnn.constant dense<[8, -4]> : tensor<2xi32>
  %bs = cnn.constant dense<[0.125, 0.0625]> : tensor<2xf32>
  %bz = cnn.constant dense<0> : tensor<2xi32>
  %ys = cnn.constant dense<0.1> : tensor<f32>
  %yz = cnn.constant dense<0> : tensor<ui8>
  %xd = cnn.dequantize %x, %xs, %xz : (tensor<1x1x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x1x4x4xf32>
  %wd = cnn.dequantize %wq, %ws, %wz axis 0 : (tensor<2x1x3x3xi8>, tensor<2xf32>, tensor<2xi8>) -> tensor<2x1x3x3xf32>
  %bd = cnn.dequantize %bq, %bs, %bz axis 0 : (tensor<2xi32>, tensor<2xf32>, tensor<2xi32>) -> tensor<2xf32>
  %c = cnn.conv %xd, %wd, %bd strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<1x1x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %y = cnn.quantize %c, %ys, %yz : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xui8>
  return %y : tensor<1x2x4x4xui8>
}

// -----

// A fused relu folds when the output zero point is the type's minimum (the
// saturation at 0 is the relu); a float bias is quantized at compile time:
// 1.0 / (0.5 * 0.25) = 8.
// CHECK-LABEL: func.func @conv_relu_float_bias
// CHECK:         cnn.constant dense<8> : tensor<1xi32>
// CHECK:         cnn.conv_integer
// CHECK:         cnn.requantize {{.*}} : (tensor<1x1x2x2xi32>, tensor<f32>, tensor<ui8>) -> tensor<1x1x2x2xui8>
func.func @conv_relu_float_bias(%x: tensor<1x1x3x3xui8>) -> tensor<1x1x2x2xui8> {
  %xs = cnn.constant dense<0.5> : tensor<f32>
  %xz = cnn.constant dense<3> : tensor<ui8>
  %wq = cnn.constant dense<1> : tensor<1x1x2x2xi8>
  %ws = cnn.constant dense<0.25> : tensor<f32>
  %wz = cnn.constant dense<0> : tensor<i8>
  %b = cnn.constant dense<1.0> : tensor<1xf32>
  %ys = cnn.constant dense<0.1> : tensor<f32>
  %yz = cnn.constant dense<0> : tensor<ui8>
  %xd = cnn.dequantize %x, %xs, %xz : (tensor<1x1x3x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x1x3x3xf32>
  %wd = cnn.dequantize %wq, %ws, %wz : (tensor<1x1x2x2xi8>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xf32>
  %c = cnn.conv %xd, %wd, %b strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 activation relu : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %y = cnn.quantize %c, %ys, %yz : (tensor<1x1x2x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x1x2x2xui8>
  return %y : tensor<1x1x2x2xui8>
}

// -----

// A relu with an output zero point that is not the minimum is not the
// saturation: the layer stays in float.
// CHECK-LABEL: func.func @conv_relu_zero_point
// CHECK-NOT:     cnn.conv_integer
// CHECK:         cnn.conv {{.*}} activation relu
func.func @conv_relu_zero_point(%x: tensor<1x1x3x3xui8>) -> tensor<1x1x2x2xui8> {
  %xs = cnn.constant dense<0.5> : tensor<f32>
  %xz = cnn.constant dense<3> : tensor<ui8>
  %wq = cnn.constant dense<1> : tensor<1x1x2x2xi8>
  %ws = cnn.constant dense<0.25> : tensor<f32>
  %wz = cnn.constant dense<0> : tensor<i8>
  %ys = cnn.constant dense<0.1> : tensor<f32>
  %yz = cnn.constant dense<128> : tensor<ui8>
  %xd = cnn.dequantize %x, %xs, %xz : (tensor<1x1x3x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x1x3x3xf32>
  %wd = cnn.dequantize %wq, %ws, %wz : (tensor<1x1x2x2xi8>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xf32>
  %c = cnn.conv %xd, %wd strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 activation relu : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %y = cnn.quantize %c, %ys, %yz : (tensor<1x1x2x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x1x2x2xui8>
  return %y : tensor<1x1x2x2xui8>
}

// -----

// A fused relu6 (clip [0, 6]) folds when the zero point is the minimum and
// the output's largest value, 255 * 0.02 = 5.1, is at most 6: the saturation
// is both clips.
// CHECK-LABEL: func.func @conv_relu6
// CHECK-NOT:     cnn.conv %
// CHECK:         cnn.conv_integer
// CHECK:         cnn.requantize
func.func @conv_relu6(%x: tensor<1x1x3x3xui8>) -> tensor<1x1x2x2xui8> {
  %xs = cnn.constant dense<0.5> : tensor<f32>
  %xz = cnn.constant dense<3> : tensor<ui8>
  %wq = cnn.constant dense<1> : tensor<1x1x2x2xi8>
  %ws = cnn.constant dense<0.25> : tensor<f32>
  %wz = cnn.constant dense<0> : tensor<i8>
  %ys = cnn.constant dense<0.02> : tensor<f32>
  %yz = cnn.constant dense<0> : tensor<ui8>
  %xd = cnn.dequantize %x, %xs, %xz : (tensor<1x1x3x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x1x3x3xf32>
  %wd = cnn.dequantize %wq, %ws, %wz : (tensor<1x1x2x2xi8>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xf32>
  %c = cnn.conv %xd, %wd strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 activation clip {activation_alpha = 0.0 : f32, activation_beta = 6.0 : f32} : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %y = cnn.quantize %c, %ys, %yz : (tensor<1x1x2x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x1x2x2xui8>
  return %y : tensor<1x1x2x2xui8>
}

// -----

// 255 * 0.03 = 7.65 > 6: the upper clip binds inside the range, the layer
// stays in float.
// CHECK-LABEL: func.func @conv_relu6_inside_range
// CHECK-NOT:     cnn.conv_integer
// CHECK:         cnn.conv {{.*}} activation clip
func.func @conv_relu6_inside_range(%x: tensor<1x1x3x3xui8>) -> tensor<1x1x2x2xui8> {
  %xs = cnn.constant dense<0.5> : tensor<f32>
  %xz = cnn.constant dense<3> : tensor<ui8>
  %wq = cnn.constant dense<1> : tensor<1x1x2x2xi8>
  %ws = cnn.constant dense<0.25> : tensor<f32>
  %wz = cnn.constant dense<0> : tensor<i8>
  %ys = cnn.constant dense<0.03> : tensor<f32>
  %yz = cnn.constant dense<0> : tensor<ui8>
  %xd = cnn.dequantize %x, %xs, %xz : (tensor<1x1x3x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x1x3x3xf32>
  %wd = cnn.dequantize %wq, %ws, %wz : (tensor<1x1x2x2xi8>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xf32>
  %c = cnn.conv %xd, %wd strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 activation clip {activation_alpha = 0.0 : f32, activation_beta = 6.0 : f32} : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %y = cnn.quantize %c, %ys, %yz : (tensor<1x1x2x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x1x2x2xui8>
  return %y : tensor<1x1x2x2xui8>
}

// -----

// A Gemm (transB) after a Flatten: the reshape moves before the dequantize,
// the constant [N, K] weight is transposed to [K, N] and its per-output
// scale becomes per column (axis 1 of the product).
// CHECK-LABEL: func.func @gemm
// CHECK:         %[[W:.*]] = cnn.constant dense<{{\[\[}}1, 3], [2, 4]]> : tensor<2x2xi8>
// CHECK:         %[[R:.*]] = cnn.reshape %arg0 : tensor<1x2x1x1xui8> -> tensor<1x2xui8>
// CHECK:         %[[ACC:.*]] = cnn.matmul_integer %[[R]], %[[W]], %{{.*}}, %{{.*}} : (tensor<1x2xui8>, tensor<2x2xi8>, tensor<ui8>, tensor<2xi8>) -> tensor<1x2xi32>
// CHECK:         cnn.requantize %[[ACC]], %{{.*}}, %{{.*}} axis 1 : (tensor<1x2xi32>, tensor<2xf32>, tensor<i8>) -> tensor<1x2xi8>
func.func @gemm(%x: tensor<1x2x1x1xui8>) -> tensor<1x2xi8> {
  %xs = cnn.constant dense<0.5> : tensor<f32>
  %xz = cnn.constant dense<0> : tensor<ui8>
  %wq = cnn.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %ws = cnn.constant dense<[0.25, 0.5]> : tensor<2xf32>
  %wz = cnn.constant dense<0> : tensor<2xi8>
  %ys = cnn.constant dense<0.1> : tensor<f32>
  %yz = cnn.constant dense<0> : tensor<i8>
  %xd = cnn.dequantize %x, %xs, %xz : (tensor<1x2x1x1xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x1x1xf32>
  %flat = cnn.reshape %xd : tensor<1x2x1x1xf32> -> tensor<1x2xf32>
  %wd = cnn.dequantize %wq, %ws, %wz axis 0 : (tensor<2x2xi8>, tensor<2xf32>, tensor<2xi8>) -> tensor<2x2xf32>
  %m = cnn.matmul %flat, %wd transpose_rhs : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %y = cnn.quantize %m, %ys, %yz : (tensor<1x2xf32>, tensor<f32>, tensor<i8>) -> tensor<1x2xi8>
  return %y : tensor<1x2xi8>
}

// -----

// A max pool between a dequantize and a quantize of the same (constant)
// parameters runs on the uint8 tensor: the float pool and its two
// conversions go.
// CHECK-LABEL: func.func @max_pool
// CHECK-SAME:    (%[[X:.*]]: tensor<1x2x6x6xui8>)
// CHECK:         %[[P:.*]] = cnn.pool max %[[X]] kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] : tensor<1x2x6x6xui8> -> tensor<1x2x3x3xui8>
// CHECK-NEXT:    return %[[P]]
func.func @max_pool(%x: tensor<1x2x6x6xui8>) -> tensor<1x2x3x3xui8> {
  %s = cnn.constant dense<0.5> : tensor<f32>
  %z = cnn.constant dense<3> : tensor<ui8>
  %s2 = cnn.constant dense<0.5> : tensor<f32>
  %z2 = cnn.constant dense<3> : tensor<ui8>
  %d = cnn.dequantize %x, %s, %z : (tensor<1x2x6x6xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x6x6xf32>
  %p = cnn.pool max %d kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] : tensor<1x2x6x6xf32> -> tensor<1x2x3x3xf32>
  %y = cnn.quantize %p, %s2, %z2 : (tensor<1x2x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x3x3xui8>
  return %y : tensor<1x2x3x3xui8>
}

// -----

// Another scale after the pool: it stays in float (the quantize would
// rescale).
// CHECK-LABEL: func.func @max_pool_rescaled
// CHECK:         cnn.dequantize
// CHECK:         cnn.pool max %{{.*}} : tensor<1x2x6x6xf32> -> tensor<1x2x3x3xf32>
// CHECK:         cnn.quantize
func.func @max_pool_rescaled(%x: tensor<1x2x6x6xui8>) -> tensor<1x2x3x3xui8> {
  %s = cnn.constant dense<0.5> : tensor<f32>
  %z = cnn.constant dense<3> : tensor<ui8>
  %s2 = cnn.constant dense<0.25> : tensor<f32>
  %d = cnn.dequantize %x, %s, %z : (tensor<1x2x6x6xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x6x6xf32>
  %p = cnn.pool max %d kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] : tensor<1x2x6x6xf32> -> tensor<1x2x3x3xf32>
  %y = cnn.quantize %p, %s2, %z : (tensor<1x2x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x3x3xui8>
  return %y : tensor<1x2x3x3xui8>
}

// -----

// A concat of dequantized tensors, all of the quantize's scale and zero
// point, is the concat of the uint8 tensors.
// CHECK-LABEL: func.func @concat
// CHECK-SAME:    (%[[A:.*]]: tensor<1x2x4x4xui8>, %[[B:.*]]: tensor<1x3x4x4xui8>)
// CHECK:         %[[C:.*]] = cnn.concat %[[A]], %[[B]] axis 1 : (tensor<1x2x4x4xui8>, tensor<1x3x4x4xui8>) -> tensor<1x5x4x4xui8>
// CHECK-NEXT:    return %[[C]]
func.func @concat(%a: tensor<1x2x4x4xui8>, %b: tensor<1x3x4x4xui8>) -> tensor<1x5x4x4xui8> {
  %s = cnn.constant dense<0.5> : tensor<f32>
  %z = cnn.constant dense<3> : tensor<ui8>
  %da = cnn.dequantize %a, %s, %z : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xf32>
  %db = cnn.dequantize %b, %s, %z : (tensor<1x3x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x3x4x4xf32>
  %c = cnn.concat %da, %db axis 1 : (tensor<1x2x4x4xf32>, tensor<1x3x4x4xf32>) -> tensor<1x5x4x4xf32>
  %y = cnn.quantize %c, %s, %z : (tensor<1x5x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x5x4x4xui8>
  return %y : tensor<1x5x4x4xui8>
}

// -----

// One input of another zero point: the concat stays in float.
// CHECK-LABEL: func.func @concat_two_scales
// CHECK:         cnn.concat %{{.*}}, %{{.*}} axis 1 : (tensor<1x2x4x4xf32>, tensor<1x3x4x4xf32>) -> tensor<1x5x4x4xf32>
// CHECK:         cnn.quantize
func.func @concat_two_scales(%a: tensor<1x2x4x4xui8>, %b: tensor<1x3x4x4xui8>) -> tensor<1x5x4x4xui8> {
  %s = cnn.constant dense<0.5> : tensor<f32>
  %z = cnn.constant dense<3> : tensor<ui8>
  %z2 = cnn.constant dense<4> : tensor<ui8>
  %da = cnn.dequantize %a, %s, %z : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xf32>
  %db = cnn.dequantize %b, %s, %z2 : (tensor<1x3x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x3x4x4xf32>
  %c = cnn.concat %da, %db axis 1 : (tensor<1x2x4x4xf32>, tensor<1x3x4x4xf32>) -> tensor<1x5x4x4xf32>
  %y = cnn.quantize %c, %s, %z : (tensor<1x5x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x5x4x4xui8>
  return %y : tensor<1x5x4x4xui8>
}
