// RUN: cnnc-opt %s --cnnc-fuse-padding --split-input-file | FileCheck %s

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

// -----

// Max pooling takes a -inf pad; average pooling a zero pad, counted.
// CHECK-LABEL: func.func @into_pools
// CHECK-NOT:     cnn.pad
// CHECK:         cnn.pool max %arg0 kernel [2, 2] strides [1, 1] pads [1, 1, 0, 0]
// CHECK:         cnn.pool avg %arg0 kernel [2, 2] strides [1, 1] pads [0, 0, 1, 1] dilations [1, 1] count_include_pad
func.func @into_pools(%x: tensor<1x2x6x6xf32>) -> (tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>) {
  %p = cnn.pad constant %x pads [0, 0, 1, 1, 0, 0, 0, 0] {value = 0xFF800000 : f32} : tensor<1x2x6x6xf32> -> tensor<1x2x7x7xf32>
  %m = cnn.pool max %p kernel [2, 2] strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] : tensor<1x2x7x7xf32> -> tensor<1x2x6x6xf32>
  %q = cnn.pad constant %x pads [0, 0, 0, 0, 0, 0, 1, 1] : tensor<1x2x6x6xf32> -> tensor<1x2x7x7xf32>
  %a = cnn.pool avg %q kernel [2, 2] strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] : tensor<1x2x7x7xf32> -> tensor<1x2x6x6xf32>
  return %m, %a : tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>
}

// -----

// A zero pad before a max pool, and before an average pool whose own pads
// do not count: not the same numbers, left alone.
// CHECK-LABEL: func.func @not_into_pools
// CHECK-COUNT-2: cnn.pad
func.func @not_into_pools(%x: tensor<1x2x6x6xf32>) -> (tensor<1x2x6x6xf32>, tensor<1x2x8x8xf32>) {
  %p = cnn.pad constant %x pads [0, 0, 1, 1, 0, 0, 0, 0] : tensor<1x2x6x6xf32> -> tensor<1x2x7x7xf32>
  %m = cnn.pool max %p kernel [2, 2] strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] : tensor<1x2x7x7xf32> -> tensor<1x2x6x6xf32>
  %q = cnn.pad constant %x pads [0, 0, 0, 0, 0, 0, 1, 1] : tensor<1x2x6x6xf32> -> tensor<1x2x7x7xf32>
  %a = cnn.pool avg %q kernel [2, 2] strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] : tensor<1x2x7x7xf32> -> tensor<1x2x8x8xf32>
  return %m, %a : tensor<1x2x6x6xf32>, tensor<1x2x8x8xf32>
}

// -----

// Pads as large as the window are not a pooling's to take.
// CHECK-LABEL: func.func @pad_beyond_window
// CHECK:         cnn.pad
// CHECK:         cnn.pool max %{{.*}} kernel [2, 2] strides [1, 1] pads [0, 0, 0, 0]
func.func @pad_beyond_window(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x8x8xf32> {
  %p = cnn.pad constant %x pads [0, 0, 2, 1, 0, 0, 1, 2] {value = 0xFF800000 : f32} : tensor<1x2x6x6xf32> -> tensor<1x2x9x9xf32>
  %m = cnn.pool max %p kernel [2, 2] strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] : tensor<1x2x9x9xf32> -> tensor<1x2x8x8xf32>
  return %m : tensor<1x2x8x8xf32>
}
