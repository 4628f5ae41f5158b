// RUN: cnnc-opt %s --cnnc-select-layout --split-input-file | FileCheck %s
// RUN: cnnc-opt %s --cnnc-select-layout --cnnc-fold-constants --canonicalize --split-input-file | FileCheck %s --check-prefix=FOLDED

// A conv, a pool and a global pool in NCHW take their NHWC forms: the input
// is transposed once, the result's transpose back (of [N, 1, 1, C]) moves
// only unit dimensions and is a reshape. The weight's transpose folds.
// CHECK-LABEL: func.func @conv_pool
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8x8xf32>)
// CHECK:         %[[W:.*]] = cnn.constant dense<{{.*}}> : tensor<4x3x3x3xf32>
// CHECK:         %[[XT:.*]] = cnn.transpose %[[X]] permutation [0, 2, 3, 1] : tensor<1x3x8x8xf32> -> tensor<1x8x8x3xf32>
// CHECK:         %[[WT:.*]] = cnn.transpose %[[W]] permutation [2, 3, 1, 0] : tensor<4x3x3x3xf32> -> tensor<3x3x3x4xf32>
// CHECK:         %[[C:.*]] = cnn.conv %[[XT]], %[[WT]], %{{.*}} strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 activation relu layout nhwc : {{.*}} -> tensor<1x8x8x4xf32>
// CHECK:         %[[P:.*]] = cnn.pool max %[[C]] {{.*}} layout nhwc : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
// CHECK:         %[[G:.*]] = cnn.global_pool avg %[[P]] layout nhwc : tensor<1x4x4x4xf32> -> tensor<1x1x1x4xf32>
// CHECK:         %[[R:.*]] = cnn.reshape %[[G]] : tensor<1x1x1x4xf32> -> tensor<1x4x1x1xf32>
// CHECK:         return %[[R]]
// FOLDED-LABEL: func.func @conv_pool
// FOLDED-NOT:     permutation [2, 3, 1, 0]
// FOLDED:         %[[W:.*]] = cnn.constant dense_resource<{{.*}}> : tensor<3x3x3x4xf32>
// FOLDED-NOT:     permutation [2, 3, 1, 0]
// FOLDED:         cnn.conv %{{.*}}, %[[W]]
func.func @conv_pool(%x: tensor<1x3x8x8xf32>) -> tensor<1x4x1x1xf32> {
  %w = cnn.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]], [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]], [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]], [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]]> : tensor<4x3x3x3xf32>
  %b = cnn.constant dense<1.0> : tensor<4xf32>
  %0 = cnn.conv %x, %w, %b strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 activation relu : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %1 = cnn.pool max %0 kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  %2 = cnn.global_pool avg %1 : tensor<1x4x4x4xf32> -> tensor<1x4x1x1xf32>
  return %2 : tensor<1x4x1x1xf32>
}

// -----

// Between two convolutions the transposes sink through an activation, a
// unary op, a binary op with a per-channel constant (which is transposed
// instead: the splat folds), a concat with a graph input (likewise) and
// meet the next conv's
// transpose into NHWC: nothing is left between them. The residual is the
// first conv's NHWC result. The flatten keeps its NCHW order: one transpose
// stands before it.
// CHECK-LABEL: func.func @sink
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x6x6xf32>, %[[W1:.*]]: tensor<4x4x3x3xf32>, %[[W2:.*]]: tensor<4x8x3x3xf32>)
// CHECK-DAG:     %[[S:.*]] = cnn.constant dense<2.000000e+00> : tensor<1x1x1x8xf32>
// CHECK-DAG:     %[[XT:.*]] = cnn.transpose %[[X]] permutation [0, 2, 3, 1]
// CHECK:         %[[C1:.*]] = cnn.conv %[[XT]], %{{.*}} strides {{.*}} layout nhwc
// CHECK:         %[[A:.*]] = cnn.activation leaky_relu %[[C1]] {{.*}} : tensor<1x6x6x4xf32>
// CHECK:         %[[U:.*]] = cnn.unary exp %[[A]] : tensor<1x6x6x4xf32>
// CHECK:         %[[XT2:.*]] = cnn.transpose %[[X]] permutation [0, 2, 3, 1]
// CHECK:         %[[CAT:.*]] = cnn.concat %[[U]], %[[XT2]] axis 3 : {{.*}} -> tensor<1x6x6x8xf32>
// CHECK:         %[[M:.*]] = cnn.binary mul %[[CAT]], %[[S]] : (tensor<1x6x6x8xf32>, tensor<1x1x1x8xf32>) -> tensor<1x6x6x8xf32>
// CHECK:         %[[C2:.*]] = cnn.conv %[[M]], %{{.*}} residual %[[C1]] strides {{.*}} layout nhwc
// CHECK:         %[[BACK:.*]] = cnn.transpose %[[C2]] permutation [0, 3, 1, 2] : tensor<1x6x6x4xf32> -> tensor<1x4x6x6xf32>
// CHECK:         %[[F:.*]] = cnn.reshape %[[BACK]] : tensor<1x4x6x6xf32> -> tensor<1x144xf32>
// CHECK:         return %[[F]]
func.func @sink(%x: tensor<1x4x6x6xf32>, %w1: tensor<4x4x3x3xf32>, %w2: tensor<4x8x3x3xf32>) -> tensor<1x144xf32> {
  %s = cnn.constant dense<2.0> : tensor<8x1x1xf32>
  %0 = cnn.conv %x, %w1 strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  %1 = cnn.activation leaky_relu %0 {alpha = 0.1 : f32} : tensor<1x4x6x6xf32>
  %2 = cnn.unary exp %1 : tensor<1x4x6x6xf32>
  %3 = cnn.concat %2, %x axis 1 : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x8x6x6xf32>
  %4 = cnn.binary mul %3, %s : (tensor<1x8x6x6xf32>, tensor<8x1x1xf32>) -> tensor<1x8x6x6xf32>
  %5 = cnn.conv %4, %w2 residual %0 strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<1x8x6x6xf32>, tensor<4x8x3x3xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %6 = cnn.reshape %5 : tensor<1x4x6x6xf32> -> tensor<1x144xf32>
  return %6 : tensor<1x144xf32>
}

// -----

// A binary op whose other operand is computed in NCHW (neither transposed
// nor a graph input or constant) keeps the transpose before it.
// CHECK-LABEL: func.func @blocked
// CHECK:         %[[C:.*]] = cnn.conv {{.*}} layout nhwc
// CHECK:         %[[BACK:.*]] = cnn.transpose %[[C]] permutation [0, 3, 1, 2]
// CHECK:         %[[P:.*]] = cnn.pad
// CHECK:         cnn.binary add %[[BACK]], %[[P]]
func.func @blocked(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>, %y: tensor<1x2x2x2xf32>) -> tensor<1x2x4x4xf32> {
  %0 = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = cnn.pad reflect %y pads [0, 0, 1, 1, 0, 0, 1, 1] : tensor<1x2x2x2xf32> -> tensor<1x2x4x4xf32>
  %2 = cnn.binary add %0, %1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %2 : tensor<1x2x4x4xf32>
}

// -----

// 1-D and 3-D convolutions and pooling keep their layout.
// CHECK-LABEL: func.func @not_2d
// CHECK-NOT:     cnn.transpose
// CHECK-NOT:     layout nhwc
func.func @not_2d(%x: tensor<1x2x8xf32>, %w: tensor<2x2x3xf32>, %v: tensor<1x2x4x4x4xf32>) -> (tensor<1x2x6xf32>, tensor<1x2x2x2x2xf32>) {
  %0 = cnn.conv %x, %w strides [1] pads [0, 0] dilations [1] groups 1 : (tensor<1x2x8xf32>, tensor<2x2x3xf32>) -> tensor<1x2x6xf32>
  %1 = cnn.pool max %v kernel [2, 2, 2] strides [2, 2, 2] pads [0, 0, 0, 0, 0, 0] dilations [1, 1, 1] : tensor<1x2x4x4x4xf32> -> tensor<1x2x2x2x2xf32>
  return %0, %1 : tensor<1x2x6xf32>, tensor<1x2x2x2x2xf32>
}

// -----

// A flatten into a linear layer with a constant weight: the reorder back to
// NCHW folds into the weight, whose rows take the NHWC order.
// CHECK-LABEL: func.func @flatten_linear
// CHECK:         %[[C:.*]] = cnn.conv {{.*}} layout nhwc
// CHECK-NOT:     permutation [0, 3, 1, 2]
// CHECK:         %[[F:.*]] = cnn.reshape %[[C]] : tensor<1x2x2x3xf32> -> tensor<1x12xf32>
// CHECK:         cnn.matmul %[[F]], %{{.*}} :
// FOLDED-LABEL: func.func @flatten_linear
// FOLDED:         %[[W:.*]] = cnn.constant dense_resource<{{.*}}> : tensor<12x2xf32>
// FOLDED-NOT:     cnn.transpose %{{.*}} permutation [1, 2, 0, 3]
// FOLDED:         cnn.matmul %{{.*}}, %[[W]] :
// (test/e2e/op-numerics.test checks the permuted weight's numbers.)
func.func @flatten_linear(%x: tensor<1x3x2x2xf32>, %w: tensor<3x3x1x1xf32>) -> tensor<1x2xf32> {
  %fc = cnn.constant dense<[[0.0, 12.0], [1.0, 13.0], [2.0, 14.0], [3.0, 15.0], [4.0, 16.0], [5.0, 17.0], [6.0, 18.0], [7.0, 19.0], [8.0, 20.0], [9.0, 21.0], [10.0, 22.0], [11.0, 23.0]]> : tensor<12x2xf32>
  %0 = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x2x2xf32>, tensor<3x3x1x1xf32>) -> tensor<1x3x2x2xf32>
  %1 = cnn.reshape %0 : tensor<1x3x2x2xf32> -> tensor<1x12xf32>
  %2 = cnn.matmul %1, %fc : (tensor<1x12xf32>, tensor<12x2xf32>) -> tensor<1x2xf32>
  return %2 : tensor<1x2xf32>
}

// -----

// int8 layers: the integer conv goes channels last with its weight as it is
// (the kernel packs it), and the transposes sink through requantize (its
// per-channel axis 1 becoming 3), dequantize, the residual add and
// quantize, so the activations stay NHWC from one layer to the next.
// CHECK-LABEL: func.func @int8_chain
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x6x6xui8>)
// CHECK:         %[[W:.*]] = cnn.constant dense<1> : tensor<4x4x3x3xi8>
// CHECK:         %[[XT:.*]] = cnn.transpose %[[X]] permutation [0, 2, 3, 1] : tensor<1x4x6x6xui8> -> tensor<1x6x6x4xui8>
// CHECK:         %[[A:.*]] = cnn.conv_integer %[[XT]], %[[W]], {{.*}} layout nhwc : {{.*}} -> tensor<1x6x6x4xi32>
// CHECK:         %[[Q:.*]] = cnn.requantize %[[A]], {{.*}} axis 3 : (tensor<1x6x6x4xi32>, tensor<4xf32>, tensor<ui8>) -> tensor<1x6x6x4xui8>
// CHECK:         %[[B:.*]] = cnn.conv_integer %[[Q]], %[[W]], {{.*}} layout nhwc : {{.*}} -> tensor<1x6x6x4xi32>
// CHECK:         %[[R:.*]] = cnn.requantize %[[B]], {{.*}} axis 3
// CHECK:         %[[D1:.*]] = cnn.dequantize %[[R]], {{.*}} -> tensor<1x6x6x4xf32>
// CHECK:         %[[D2:.*]] = cnn.dequantize %[[Q]], {{.*}} -> tensor<1x6x6x4xf32>
// CHECK:         %[[S:.*]] = cnn.binary add %[[D1]], %[[D2]] : {{.*}} -> tensor<1x6x6x4xf32>
// CHECK:         %[[Y:.*]] = cnn.quantize %[[S]], {{.*}} -> tensor<1x6x6x4xui8>
// CHECK:         %[[YT:.*]] = cnn.transpose %[[Y]] permutation [0, 3, 1, 2] : tensor<1x6x6x4xui8> -> tensor<1x4x6x6xui8>
// CHECK-NOT:     cnn.transpose
// CHECK:         return %[[YT]]
func.func @int8_chain(%x: tensor<1x4x6x6xui8>) -> tensor<1x4x6x6xui8> {
  %w = cnn.constant dense<1> : tensor<4x4x3x3xi8>
  %xz = cnn.constant dense<3> : tensor<ui8>
  %wz = cnn.constant dense<0> : tensor<i8>
  %m = cnn.constant dense<0.5> : tensor<4xf32>
  %s = cnn.constant dense<0.25> : tensor<f32>
  %a = cnn.conv_integer %x, %w, %xz, %wz strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1
       : (tensor<1x4x6x6xui8>, tensor<4x4x3x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x4x6x6xi32>
  %q = cnn.requantize %a, %m, %xz axis 1 : (tensor<1x4x6x6xi32>, tensor<4xf32>, tensor<ui8>) -> tensor<1x4x6x6xui8>
  %b = cnn.conv_integer %q, %w, %xz, %wz strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1
       : (tensor<1x4x6x6xui8>, tensor<4x4x3x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x4x6x6xi32>
  %r = cnn.requantize %b, %m, %xz axis 1 : (tensor<1x4x6x6xi32>, tensor<4xf32>, tensor<ui8>) -> tensor<1x4x6x6xui8>
  %d1 = cnn.dequantize %r, %s, %xz : (tensor<1x4x6x6xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x4x6x6xf32>
  %d2 = cnn.dequantize %q, %s, %xz : (tensor<1x4x6x6xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x4x6x6xf32>
  %sum = cnn.binary add %d1, %d2 : (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %y = cnn.quantize %sum, %s, %xz : (tensor<1x4x6x6xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x4x6x6xui8>
  return %y : tensor<1x4x6x6xui8>
}
