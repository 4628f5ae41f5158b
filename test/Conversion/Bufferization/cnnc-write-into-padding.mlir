// RUN: cnnc-opt %s --cnnc-write-into-padding --split-input-file | FileCheck %s

// A convolution's output, padded for the next one (a bufferized tensor.pad:
// border fills, then the copy into the interior). The bias broadcast and
// the convolution write the interior of the padded buffer directly; the
// copy and the unpadded buffer are gone.
// CHECK-LABEL: func.func @pad_after_conv
// CHECK:         %[[PADDED:.*]] = memref.alloc() : memref<1x10x10x16xf32>
// CHECK-NEXT:    %[[INTERIOR:.*]] = memref.subview %[[PADDED]][0, 1, 1, 0] [1, 8, 8, 16] [1, 1, 1, 1]
// CHECK-NEXT:    linalg.broadcast ins(%arg2 : memref<16xf32>) outs(%[[INTERIOR]] : {{.*}})
// CHECK-NEXT:    linalg.conv_2d_nhwc_hwcf {{.*}} outs(%[[INTERIOR]] : {{.*}})
// CHECK:         linalg.fill
// CHECK-NOT:     linalg.copy
// CHECK-NOT:     memref.alloc() : memref<1x8x8x16xf32>
// CHECK:         return %[[PADDED]]
func.func @pad_after_conv(%x: memref<1x8x8x4xf32>, %w: memref<1x1x4x16xf32>, %b: memref<16xf32>) -> memref<1x10x10x16xf32> {
  %zero = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<1x8x8x16xf32>
  linalg.broadcast ins(%b : memref<16xf32>) outs(%t : memref<1x8x8x16xf32>) dimensions = [0, 1, 2]
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x8x8x4xf32>, memref<1x1x4x16xf32>) outs(%t : memref<1x8x8x16xf32>)
  %p = memref.alloc() : memref<1x10x10x16xf32>
  %top = memref.subview %p[0, 0, 0, 0] [1, 1, 10, 16] [1, 1, 1, 1] : memref<1x10x10x16xf32> to memref<1x1x10x16xf32, strided<[1600, 160, 16, 1]>>
  linalg.fill ins(%zero : f32) outs(%top : memref<1x1x10x16xf32, strided<[1600, 160, 16, 1]>>)
  %interior = memref.subview %p[0, 1, 1, 0] [1, 8, 8, 16] [1, 1, 1, 1] : memref<1x10x10x16xf32> to memref<1x8x8x16xf32, strided<[1600, 160, 16, 1], offset: 176>>
  linalg.copy ins(%t : memref<1x8x8x16xf32>) outs(%interior : memref<1x8x8x16xf32, strided<[1600, 160, 16, 1], offset: 176>>)
  return %p : memref<1x10x10x16xf32>
}

// -----

// Bufferization reused the buffer: %t holds the first convolution's
// output (copied into %p1), then the second's (copied into %p2), then a
// third value. Each padded buffer gets its own producer: from the last
// whole overwrite (the broadcast) to the copy; what comes after the last
// copy keeps %t.
// CHECK-LABEL: func.func @reused
// CHECK:         %[[P1:.*]] = memref.alloc() : memref<1x6x6x8xf32>
// CHECK-NEXT:    %[[I1:.*]] = memref.subview %[[P1]][0, 1, 1, 0]
// CHECK-NEXT:    linalg.broadcast ins(%arg2 : memref<8xf32>) outs(%[[I1]]
// CHECK-NEXT:    linalg.conv_2d_nhwc_hwcf {{.*}} outs(%[[I1]]
// CHECK:         %[[P2:.*]] = memref.alloc() : memref<1x6x6x8xf32>
// CHECK-NEXT:    %[[I2:.*]] = memref.subview %[[P2]][0, 1, 1, 0]
// CHECK-NEXT:    linalg.broadcast ins(%arg2 : memref<8xf32>) outs(%[[I2]]
// CHECK-NEXT:    linalg.conv_2d_nhwc_hwcf {{.*}} outs(%[[I2]]
// CHECK-NOT:     linalg.copy
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%[[T:.*]] : memref<1x4x4x8xf32>)
// CHECK:         return %[[P1]], %[[P2]], %[[T]]
func.func @reused(%x: memref<1x4x4x4xf32>, %w: memref<1x1x4x8xf32>, %b: memref<8xf32>) -> (memref<1x6x6x8xf32>, memref<1x6x6x8xf32>, memref<1x4x4x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<1x4x4x8xf32>
  linalg.broadcast ins(%b : memref<8xf32>) outs(%t : memref<1x4x4x8xf32>) dimensions = [0, 1, 2]
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x4x4x4xf32>, memref<1x1x4x8xf32>) outs(%t : memref<1x4x4x8xf32>)
  %p1 = memref.alloc() : memref<1x6x6x8xf32>
  %i1 = memref.subview %p1[0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1] : memref<1x6x6x8xf32> to memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>
  linalg.copy ins(%t : memref<1x4x4x8xf32>) outs(%i1 : memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>)
  linalg.broadcast ins(%b : memref<8xf32>) outs(%t : memref<1x4x4x8xf32>) dimensions = [0, 1, 2]
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x4x4x4xf32>, memref<1x1x4x8xf32>) outs(%t : memref<1x4x4x8xf32>)
  %p2 = memref.alloc() : memref<1x6x6x8xf32>
  %i2 = memref.subview %p2[0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1] : memref<1x6x6x8xf32> to memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>
  linalg.copy ins(%t : memref<1x4x4x8xf32>) outs(%i2 : memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>)
  linalg.fill ins(%zero : f32) outs(%t : memref<1x4x4x8xf32>)
  return %p1, %p2, %t : memref<1x6x6x8xf32>, memref<1x6x6x8xf32>, memref<1x4x4x8xf32>
}

// -----

// The copied value is read after the copy (a residual branch): the copy
// stays.
// CHECK-LABEL: func.func @read_after
// CHECK:         linalg.copy
// CHECK:         linalg.generic
func.func @read_after(%x: memref<1x4x4x4xf32>, %w: memref<1x1x4x8xf32>, %o: memref<1x4x4x8xf32>) -> memref<1x6x6x8xf32> {
  %zero = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<1x4x4x8xf32>
  linalg.fill ins(%zero : f32) outs(%t : memref<1x4x4x8xf32>)
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x4x4x4xf32>, memref<1x1x4x8xf32>) outs(%t : memref<1x4x4x8xf32>)
  %p = memref.alloc() : memref<1x6x6x8xf32>
  %i = memref.subview %p[0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1] : memref<1x6x6x8xf32> to memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>
  linalg.copy ins(%t : memref<1x4x4x8xf32>) outs(%i : memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%t : memref<1x4x4x8xf32>) outs(%o : memref<1x4x4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  return %p : memref<1x6x6x8xf32>
}

// -----

// The source is a function argument, not a fresh buffer: left alone.
// CHECK-LABEL: func.func @argument
// CHECK:         linalg.copy
func.func @argument(%t: memref<1x4x4x8xf32>) -> memref<1x6x6x8xf32> {
  %p = memref.alloc() : memref<1x6x6x8xf32>
  %i = memref.subview %p[0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1] : memref<1x6x6x8xf32> to memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>
  linalg.copy ins(%t : memref<1x4x4x8xf32>) outs(%i : memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>)
  return %p : memref<1x6x6x8xf32>
}

// -----

// A concatenation's buffer, allocated before its parts are written (as
// DenseNet's are): each part is written into its slot; the buffer stays
// where it is, each slot's subview moves up to its writers.
// CHECK-LABEL: func.func @concat
// CHECK:         %[[C:.*]] = memref.alloc() : memref<1x4x4x16xf32>
// CHECK-NEXT:    %[[S1:.*]] = memref.subview %[[C]][0, 0, 0, 0] [1, 4, 4, 8]
// CHECK-NEXT:    linalg.fill ins(%{{.*}} : f32) outs(%[[S1]]
// CHECK-NEXT:    linalg.conv_2d_nhwc_hwcf {{.*}} outs(%[[S1]]
// CHECK-NEXT:    %[[S2:.*]] = memref.subview %[[C]][0, 0, 0, 8] [1, 4, 4, 8]
// CHECK-NEXT:    linalg.fill ins(%{{.*}} : f32) outs(%[[S2]]
// CHECK-NEXT:    linalg.conv_2d_nhwc_hwcf {{.*}} outs(%[[S2]]
// CHECK-NEXT:    return %[[C]]
func.func @concat(%x: memref<1x4x4x4xf32>, %w: memref<1x1x4x8xf32>) -> memref<1x4x4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<1x4x4x16xf32>
  %t1 = memref.alloc() : memref<1x4x4x8xf32>
  linalg.fill ins(%zero : f32) outs(%t1 : memref<1x4x4x8xf32>)
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x4x4x4xf32>, memref<1x1x4x8xf32>) outs(%t1 : memref<1x4x4x8xf32>)
  %s1 = memref.subview %c[0, 0, 0, 0] [1, 4, 4, 8] [1, 1, 1, 1] : memref<1x4x4x16xf32> to memref<1x4x4x8xf32, strided<[256, 64, 16, 1]>>
  linalg.copy ins(%t1 : memref<1x4x4x8xf32>) outs(%s1 : memref<1x4x4x8xf32, strided<[256, 64, 16, 1]>>)
  %t2 = memref.alloc() : memref<1x4x4x8xf32>
  linalg.fill ins(%zero : f32) outs(%t2 : memref<1x4x4x8xf32>)
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x4x4x4xf32>, memref<1x1x4x8xf32>) outs(%t2 : memref<1x4x4x8xf32>)
  %s2 = memref.subview %c[0, 0, 0, 8] [1, 4, 4, 8] [1, 1, 1, 1] : memref<1x4x4x16xf32> to memref<1x4x4x8xf32, strided<[256, 64, 16, 1], offset: 8>>
  linalg.copy ins(%t2 : memref<1x4x4x8xf32>) outs(%s2 : memref<1x4x4x8xf32, strided<[256, 64, 16, 1], offset: 8>>)
  return %c : memref<1x4x4x16xf32>
}

// -----

// A kernel op writes its init whole and never reads it: it is the whole
// overwrite the range starts from, and it writes the interior directly.
// CHECK-LABEL: func.func @kernel_op
// CHECK:         %[[PADDED:.*]] = memref.alloc() : memref<1x10x10x16xf32>
// CHECK-NEXT:    %[[INTERIOR:.*]] = memref.subview %[[PADDED]][0, 1, 1, 0] [1, 8, 8, 16] [1, 1, 1, 1]
// CHECK-NEXT:    cnnk.conv2d {{.*}} bias(%arg2 : memref<16xf32>) outs(%[[INTERIOR]] : {{.*}}) strides [1, 1] dilations [1, 1] activation relu
// CHECK-NOT:     linalg.copy
// CHECK:         return %[[PADDED]]
func.func @kernel_op(%x: memref<1x8x8x4xf32>, %w: memref<1x1x4x16xf32>, %b: memref<16xf32>) -> memref<1x10x10x16xf32> {
  %t = memref.alloc() : memref<1x8x8x16xf32>
  cnnk.conv2d ins(%x, %w : memref<1x8x8x4xf32>, memref<1x1x4x16xf32>) bias(%b : memref<16xf32>) outs(%t : memref<1x8x8x16xf32>) strides [1, 1] dilations [1, 1] activation relu
  %p = memref.alloc() : memref<1x10x10x16xf32>
  %interior = memref.subview %p[0, 1, 1, 0] [1, 8, 8, 16] [1, 1, 1, 1] : memref<1x10x10x16xf32> to memref<1x8x8x16xf32, strided<[1600, 160, 16, 1], offset: 176>>
  linalg.copy ins(%t : memref<1x8x8x16xf32>) outs(%interior : memref<1x8x8x16xf32, strided<[1600, 160, 16, 1], offset: 176>>)
  return %p : memref<1x10x10x16xf32>
}

// -----

// A kernel op that reads the buffer it writes (its residual) is no whole
// overwrite: the range starts at the broadcast before it, and both write
// (and the kernel op reads) the interior.
// CHECK-LABEL: func.func @kernel_op_reads_init
// CHECK:         %[[INTERIOR:.*]] = memref.subview
// CHECK-NEXT:    linalg.broadcast ins(%arg2 : memref<16xf32>) outs(%[[INTERIOR]] : {{.*}})
// CHECK-NEXT:    cnnk.conv2d {{.*}} residual(%[[INTERIOR]] : {{.*}}) outs(%[[INTERIOR]] : {{.*}})
// CHECK-NOT:     linalg.copy
func.func @kernel_op_reads_init(%x: memref<1x8x8x4xf32>, %w: memref<1x1x4x16xf32>, %b: memref<16xf32>) -> memref<1x10x10x16xf32> {
  %t = memref.alloc() : memref<1x8x8x16xf32>
  linalg.broadcast ins(%b : memref<16xf32>) outs(%t : memref<1x8x8x16xf32>) dimensions = [0, 1, 2]
  cnnk.conv2d ins(%x, %w : memref<1x8x8x4xf32>, memref<1x1x4x16xf32>) residual(%t : memref<1x8x8x16xf32>) outs(%t : memref<1x8x8x16xf32>) strides [1, 1] dilations [1, 1]
  %p = memref.alloc() : memref<1x10x10x16xf32>
  %interior = memref.subview %p[0, 1, 1, 0] [1, 8, 8, 16] [1, 1, 1, 1] : memref<1x10x10x16xf32> to memref<1x8x8x16xf32, strided<[1600, 160, 16, 1], offset: 176>>
  linalg.copy ins(%t : memref<1x8x8x16xf32>) outs(%interior : memref<1x8x8x16xf32, strided<[1600, 160, 16, 1], offset: 176>>)
  return %p : memref<1x10x10x16xf32>
}
