// RUN: cnnc-opt %s --cnn-fuse-padding --split-input-file | FileCheck %s

// Zero padding of H and W becomes the conv's padding, added to its own.
// CHECK-LABEL: func.func @into_conv
// CHECK-NOT:     cnn.pad
// CHECK:         cnn.conv %arg0, %arg1 strides [1, 1] pads [2, 1, 3, 1] dilations
func.func @into_conv(%x: tensor<1x2x6x6xf32>, %w: tensor<2x2x3x3xf32>) -> tensor<1x2x9x6xf32> {
  %p = cnn.pad constant %x pads [0, 0, 1, 0, 0, 0, 2, 0] : tensor<1x2x6x6xf32> -> tensor<1x2x9x6xf32>
  %c = cnn.conv %p, %w strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<1x2x9x6xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x9x6xf32>
  return %c : tensor<1x2x9x6xf32>
}

// -----

// Padding of the channels, a non-zero value, reflect mode: left alone.
// CHECK-LABEL: func.func @not_fusable
// CHECK-COUNT-3: cnn.pad
func.func @not_fusable(%x: tensor<1x2x6x6xf32>, %w: tensor<2x4x1x1xf32>, %v: tensor<2x2x1x1xf32>) -> (tensor<1x2x6x6xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>) {
  %p = cnn.pad constant %x pads [0, 1, 0, 0, 0, 1, 0, 0] : tensor<1x2x6x6xf32> -> tensor<1x4x6x6xf32>
  %c = cnn.conv %p, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x4x6x6xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x6x6xf32>
  %q = cnn.pad constant %x pads [0, 0, 1, 1, 0, 0, 1, 1] {value = 1.0 : f32} : tensor<1x2x6x6xf32> -> tensor<1x2x8x8xf32>
  %d = cnn.conv %q, %v strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x2x8x8xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x8x8xf32>
  %r = cnn.pad reflect %x pads [0, 0, 1, 1, 0, 0, 1, 1] : tensor<1x2x6x6xf32> -> tensor<1x2x8x8xf32>
  %e = cnn.conv %r, %v strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x2x8x8xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x8x8xf32>
  return %c, %d, %e : tensor<1x2x6x6xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>
}
