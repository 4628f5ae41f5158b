// RUN: cnnc-opt %s --cnnc-split-batch="min-batch-bytes=0" --split-input-file | FileCheck %s
// RUN: cnnc-opt %s --cnnc-split-batch --split-input-file | FileCheck %s --check-prefix=SMALL

// Every op treats the images on their own, and an image's activations
// (5 x 128 KB) outweigh the weights (2.6 KB): the function takes one
// image, and carries the batch for the entry point. Constants keep their
// shapes. Below min-batch-bytes (16 MB by default: 4 images' 2.6 MB fit
// in the caches) the batch stays whole.
// CHECK-LABEL: func.func @model
// CHECK-SAME:    (%{{.*}}: tensor<1x8x64x64xf32> {cnn.name = "x"}) -> (tensor<1x10xf32> {cnn.name = "y"})
// CHECK-SAME:    attributes {cnnc.batch_split = 4 : i64}
// CHECK:         cnn.constant {{.*}} : tensor<8x8x3x3xf32>
// CHECK:         cnn.conv {{.*}} -> tensor<1x8x64x64xf32>
// CHECK:         cnn.global_pool avg {{.*}} -> tensor<1x8x1x1xf32>
// CHECK:         cnn.reshape {{.*}} : tensor<1x8x1x1xf32> -> tensor<1x8xf32>
// CHECK:         cnn.matmul {{.*}} -> tensor<1x10xf32>
// CHECK:         cnn.softmax {{.*}} : tensor<1x10xf32>
// SMALL-LABEL: func.func @model
// SMALL-SAME:    tensor<4x8x64x64xf32>
// SMALL-NOT:     cnnc.batch_split
func.func @model(%x: tensor<4x8x64x64xf32> {cnn.name = "x"}) -> (tensor<4x10xf32> {cnn.name = "y"}) {
  %w = cnn.constant dense<0.01> : tensor<8x8x3x3xf32>
  %b = cnn.constant dense<0.1> : tensor<8xf32>
  %fc = cnn.constant dense<0.02> : tensor<10x8xf32>
  %c = cnn.conv %x, %w, %b strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 activation relu : (tensor<4x8x64x64xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>) -> tensor<4x8x64x64xf32>
  %g = cnn.global_pool avg %c : tensor<4x8x64x64xf32> -> tensor<4x8x1x1xf32>
  %r = cnn.reshape %g : tensor<4x8x1x1xf32> -> tensor<4x8xf32>
  %y = cnn.matmul %r, %fc transpose_rhs : (tensor<4x8xf32>, tensor<10x8xf32>) -> tensor<4x10xf32>
  %s = cnn.softmax %y axis 1 : tensor<4x10xf32>
  return %s : tensor<4x10xf32>
}

// -----

// Softmax across the batch mixes the images: left whole.
// CHECK-LABEL: func.func @across_batch
// CHECK-SAME:    tensor<4x10xf32>
// CHECK-NOT:     cnnc.batch_split
func.func @across_batch(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %s = cnn.softmax %x axis 0 : tensor<4x10xf32>
  return %s : tensor<4x10xf32>
}

// -----

// A reduction over the batch: its result does not carry the batch.
// CHECK-LABEL: func.func @reduce_batch
// CHECK-NOT:     cnnc.batch_split
func.func @reduce_batch(%x: tensor<4x8x16x16xf32>) -> tensor<8x16x16xf32> {
  %m = cnn.reduce mean %x axes [0] : tensor<4x8x16x16xf32> -> tensor<8x16x16xf32>
  return %m : tensor<8x16x16xf32>
}

// -----

// Weights larger than an image's activations (ResNet's case: 47 MB of
// weights, 12 MB of activations an image): reading them once per batch
// wins; left whole.
// CHECK-LABEL: func.func @heavy_weights
// CHECK-SAME:    tensor<4x64x4x4xf32>
// CHECK-NOT:     cnnc.batch_split
func.func @heavy_weights(%x: tensor<4x64x4x4xf32>) -> tensor<4x64x4x4xf32> {
  %w = cnn.constant dense<0.01> : tensor<64x64x3x3xf32>
  %c = cnn.conv %x, %w strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<4x64x4x4xf32>, tensor<64x64x3x3xf32>) -> tensor<4x64x4x4xf32>
  return %c : tensor<4x64x4x4xf32>
}

// -----

// Batch 1 already.
// CHECK-LABEL: func.func @one
// CHECK-NOT:     cnnc.batch_split
func.func @one(%x: tensor<1x8x64x64xf32>) -> tensor<1x8x64x64xf32> {
  %a = cnn.activation relu %x : tensor<1x8x64x64xf32>
  return %a : tensor<1x8x64x64xf32>
}
