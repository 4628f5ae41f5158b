// RUN: cnnc-opt %s --cnnc-fill-padding-borders --split-input-file | FileCheck %s

// A padded buffer (as a bufferized tensor.pad writes it): filled whole, then
// the source copied into its interior. The fill goes to the border only:
// rows before and after the interior, then columns before and after it
// within the interior rows.
// CHECK-LABEL: func.func @pad
// CHECK-NOT:     linalg.map
// CHECK:         %[[TOP:.*]] = memref.subview %[[BUF:.*]][0, 0, 0, 0] [1, 1, 30, 32] [1, 1, 1, 1]
// CHECK:         linalg.fill ins(%[[ZERO:.*]] : f32) outs(%[[TOP]]
// CHECK:         %[[BOTTOM:.*]] = memref.subview %[[BUF]][0, 29, 0, 0] [1, 1, 30, 32] [1, 1, 1, 1]
// CHECK:         linalg.fill ins(%[[ZERO]] : f32) outs(%[[BOTTOM]]
// CHECK:         %[[LEFT:.*]] = memref.subview %[[BUF]][0, 1, 0, 0] [1, 28, 1, 32] [1, 1, 1, 1]
// CHECK:         linalg.fill ins(%[[ZERO]] : f32) outs(%[[LEFT]]
// CHECK:         %[[RIGHT:.*]] = memref.subview %[[BUF]][0, 1, 29, 0] [1, 28, 1, 32] [1, 1, 1, 1]
// CHECK:         linalg.fill ins(%[[ZERO]] : f32) outs(%[[RIGHT]]
// CHECK-NOT:     linalg.fill
// CHECK:         %[[INTERIOR:.*]] = memref.subview %[[BUF]][0, 1, 1, 0] [1, 28, 28, 32] [1, 1, 1, 1]
// CHECK:         linalg.copy ins(%arg0 : memref<1x28x28x32xf32>) outs(%[[INTERIOR]]
func.func @pad(%src: memref<1x28x28x32xf32>) -> memref<1x30x30x32xf32> {
  %zero = arith.constant 0.0 : f32
  %buf = memref.alloc() : memref<1x30x30x32xf32>
  linalg.map outs(%buf : memref<1x30x30x32xf32>)
    (%init: f32) {
      linalg.yield %zero : f32
    }
  %interior = memref.subview %buf[0, 1, 1, 0] [1, 28, 28, 32] [1, 1, 1, 1] : memref<1x30x30x32xf32> to memref<1x28x28x32xf32, strided<[28800, 960, 32, 1], offset: 992>>
  linalg.copy ins(%src : memref<1x28x28x32xf32>) outs(%interior : memref<1x28x28x32xf32, strided<[28800, 960, 32, 1], offset: 992>>)
  return %buf : memref<1x30x30x32xf32>
}

// -----

// Padding on one side of one dimension (a linalg.fill this time): one slab.
// CHECK-LABEL: func.func @one_side
// CHECK:         %[[SLAB:.*]] = memref.subview %{{.*}}[0, 5] [4, 2] [1, 1]
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%[[SLAB]]
// CHECK-NOT:     linalg.fill
// CHECK:         linalg.copy
func.func @one_side(%src: memref<4x5xf32>) -> memref<4x7xf32> {
  %minus = arith.constant -1.0 : f32
  %buf = memref.alloc() : memref<4x7xf32>
  linalg.fill ins(%minus : f32) outs(%buf : memref<4x7xf32>)
  %interior = memref.subview %buf[0, 0] [4, 5] [1, 1] : memref<4x7xf32> to memref<4x5xf32, strided<[7, 1]>>
  linalg.copy ins(%src : memref<4x5xf32>) outs(%interior : memref<4x5xf32, strided<[7, 1]>>)
  return %buf : memref<4x7xf32>
}

// -----

// A fill that no copy follows (an accumulator's initial value), and a
// strided copy: both fills stay whole.
// CHECK-LABEL: func.func @left_alone
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : memref<4x4xf32>)
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : memref<4x7xf32>)
// CHECK:         memref.subview %{{.*}}[0, 0] [4, 3] [1, 2]
func.func @left_alone(%src: memref<4x3xf32>, %acc: memref<4x4xf32>) -> memref<4x7xf32> {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%acc : memref<4x4xf32>)
  %buf = memref.alloc() : memref<4x7xf32>
  linalg.fill ins(%zero : f32) outs(%buf : memref<4x7xf32>)
  %spread = memref.subview %buf[0, 0] [4, 3] [1, 2] : memref<4x7xf32> to memref<4x3xf32, strided<[7, 2]>>
  linalg.copy ins(%src : memref<4x3xf32>) outs(%spread : memref<4x3xf32, strided<[7, 2]>>)
  return %buf : memref<4x7xf32>
}
