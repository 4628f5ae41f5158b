// RUN: cnnc-opt %s --cnnc-differentiate | FileCheck %s

// cnnc-differentiate: a function whose result is a 0-d float tensor returns,
// after it, its gradient with respect to each float argument, computed by
// the gradient rules after the forward ops.

// A strided convolution: the input's gradient is a transposed convolution
// (with the output padding the forward's floor dropped), the weight's a
// cnn.conv_weight_grad, r's the convolution's result (times the seed).
// CHECK-LABEL: func.func @conv(
// CHECK-SAME:      %[[X:[^:]*]]: tensor<2x3x6x6xf64>, %[[W:[^:]*]]: tensor<4x3x3x3xf64>, %[[R:[^:]*]]: tensor<2x4x3x3xf64>)
// CHECK-SAME:      -> (tensor<f64>, tensor<2x3x6x6xf64>, tensor<4x3x3x3xf64>, tensor<2x4x3x3xf64>)
// CHECK:         %[[C:.*]] = cnn.conv %[[X]], %[[W]]
// CHECK:         %[[M:.*]] = cnn.binary mul %[[C]], %[[R]]
// CHECK:         %[[S:.*]] = cnn.reduce sum %[[M]] axes [0, 1, 2, 3]
// The seed, 1, broadcast back over the summed axes.
// CHECK:         %[[ONE:.*]] = cnn.constant dense<1.000000e+00> : tensor<f64>
// CHECK:         %[[KEPT:.*]] = cnn.reshape %[[ONE]] : tensor<f64> -> tensor<1x1x1x1xf64>
// CHECK:         %[[DM:.*]] = cnn.binary mul %[[KEPT]], %{{.*}} : (tensor<1x1x1x1xf64>, tensor<2x4x3x3xf64>) -> tensor<2x4x3x3xf64>
// CHECK:         %[[DC:.*]] = cnn.binary mul %[[DM]], %[[R]]
// CHECK:         %[[DR:.*]] = cnn.binary mul %[[DM]], %[[C]]
// CHECK:         %[[DX:.*]] = cnn.conv_transpose %[[DC]], %[[W]] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] output_padding [1, 1] groups 1 : (tensor<2x4x3x3xf64>, tensor<4x3x3x3xf64>) -> tensor<2x3x6x6xf64>
// CHECK:         %[[DW:.*]] = cnn.conv_weight_grad %[[X]], %[[DC]] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<2x3x6x6xf64>, tensor<2x4x3x3xf64>) -> tensor<4x3x3x3xf64>
// CHECK:         return %[[S]], %[[DX]], %[[DW]], %[[DR]] : tensor<f64>, tensor<2x3x6x6xf64>, tensor<4x3x3x3xf64>, tensor<2x4x3x3xf64>
func.func @conv(%x: tensor<2x3x6x6xf64>, %w: tensor<4x3x3x3xf64>, %r: tensor<2x4x3x3xf64>) -> tensor<f64> {
  %c = cnn.conv %x, %w strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<2x3x6x6xf64>, tensor<4x3x3x3xf64>) -> tensor<2x4x3x3xf64>
  %m = cnn.binary mul %c, %r : (tensor<2x4x3x3xf64>, tensor<2x4x3x3xf64>) -> tensor<2x4x3x3xf64>
  %s = cnn.reduce sum %m axes [0, 1, 2, 3] : tensor<2x4x3x3xf64> -> tensor<f64>
  return %s : tensor<f64>
}

// Integer arguments (the labels) get no gradient; a float argument the
// loss does not depend on gets zeros. The result attributes go.
// CHECK-LABEL: func.func @loss(
// CHECK-SAME:      %[[LOGITS:[^:]*]]: tensor<4x5xf32>, %[[LABELS:[^:]*]]: tensor<4xi32>, %{{[^:]*}}: tensor<3xf32>)
// CHECK-SAME:      -> (tensor<f32>, tensor<4x5xf32>, tensor<3xf32>) {
// CHECK:         %[[A:.*]] = cnn.activation silu %[[LOGITS]]
// CHECK:         %[[L:.*]] = cnn.softmax_cross_entropy %[[A]], %[[LABELS]] reduction mean {label_smoothing = 2.000000e-01 : f32}
// CHECK:         %[[ONE:.*]] = cnn.constant dense<1.000000e+00> : tensor<f32>
// CHECK:         %[[DA:.*]] = cnn.softmax_cross_entropy_grad %[[A]], %[[LABELS]], %[[ONE]] reduction mean {label_smoothing = 2.000000e-01 : f32} : (tensor<4x5xf32>, tensor<4xi32>, tensor<f32>) -> tensor<4x5xf32>
// CHECK:         %[[DLOGITS:.*]] = cnn.activation_grad silu %[[LOGITS]], %[[DA]] : tensor<4x5xf32>
// CHECK:         %[[ZEROS:.*]] = cnn.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK:         return %[[L]], %[[DLOGITS]], %[[ZEROS]] : tensor<f32>, tensor<4x5xf32>, tensor<3xf32>
func.func @loss(%logits: tensor<4x5xf32>, %labels: tensor<4xi32>, %unused: tensor<3xf32>) -> (tensor<f32> {cnn.name = "loss"}) {
  %a = cnn.activation silu %logits : tensor<4x5xf32>
  %l = cnn.softmax_cross_entropy %a, %labels reduction mean {label_smoothing = 0.2 : f32} : (tensor<4x5xf32>, tensor<4xi32>) -> tensor<f32>
  return %l : tensor<f32>
}

// A value used twice: the two gradients add up.
// CHECK-LABEL: func.func @square(
// CHECK-SAME:      %[[X:[^:]*]]: tensor<3xf32>) -> (tensor<f32>, tensor<3xf32>)
// CHECK:         %[[MEAN:.*]] = cnn.reduce mean
// CHECK:         cnn.constant dense<0.333333343> : tensor<3xf32>
// CHECK:         %[[DP:.*]] = cnn.binary mul %{{.*}}, %{{.*}} : (tensor<1xf32>, tensor<3xf32>) -> tensor<3xf32>
// CHECK:         %[[D1:.*]] = cnn.binary mul %[[DP]], %[[X]]
// CHECK:         %[[D2:.*]] = cnn.binary mul %[[DP]], %[[X]]
// CHECK:         %[[DX:.*]] = cnn.binary add %[[D1]], %[[D2]]
// CHECK:         return %[[MEAN]], %[[DX]] : tensor<f32>, tensor<3xf32>
func.func @square(%x: tensor<3xf32>) -> tensor<f32> {
  %p = cnn.binary mul %x, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %s = cnn.reduce mean %p axes [0] : tensor<3xf32> -> tensor<f32>
  return %s : tensor<f32>
}

// Declarations are left alone.
// CHECK: func.func private @external(tensor<3xf32>) -> tensor<3xf32>
func.func private @external(tensor<3xf32>) -> tensor<3xf32>
