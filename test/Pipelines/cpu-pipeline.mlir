// RUN: cnnc-opt %s --cnnc-cpu-pipeline | FileCheck %s
// RUN: cnnc-opt %s --cnnc-graph-stage --cnnc-kernel-stage | FileCheck %s --check-prefix=KERNELS
// RUN: cnnc-opt %s --cnnc-graph-stage --cnnc-kernel-stage --cnnc-memory-stage | FileCheck %s --check-prefix=MEMORY

// The four stages, cnn to the LLVM dialect: the graph function takes one
// bare pointer per input, per output and the workspace; the convolution's
// loops run through the runtime's parallel-for; nothing of linalg, memref
// or scf is left.
// CHECK-NOT:   linalg.
// CHECK-NOT:   memref.
// CHECK-NOT:   scf.
// CHECK:       llvm.func @cnnc_parallel_for(i64, i64, !llvm.ptr, !llvm.ptr)
// CHECK:       llvm.func @conv_relu(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr
// CHECK:         llvm.call @cnnc_parallel_for

// The convolution with its fused relu is one kernel op; the sigmoid after
// it a generic.
// KERNELS-LABEL: func.func @conv_relu
// KERNELS:         cnnk.conv2d ins({{.*}} : tensor<1x16x16x3xf32>, tensor<3x3x3x8xf32>) outs({{.*}} : tensor<1x14x14x8xf32>) strides [1, 1] dilations [1, 1] activation relu
// KERNELS:         linalg.generic

// MEMORY-LABEL: func.func @conv_relu
// MEMORY-SAME:    memref<1x3x16x16xf32>
// MEMORY-SAME:    memref<8x3x3x3xf32>
// MEMORY-SAME:    memref<1x8x14x14xf32>
// MEMORY-SAME:    memref<{{[0-9]+}}xi8> {cnn.name = "workspace"}
// MEMORY-SAME:    cnnc.workspace_size
// MEMORY-NOT:     memref.alloc
// MEMORY:         cnnk.conv2d ins({{.*}} : memref<1x16x16x3xf32>, memref<3x3x3x8xf32>) outs({{.*}} : memref<1x14x14x8xf32>) strides [1, 1] dilations [1, 1] activation relu{{$}}
func.func @conv_relu(%x: tensor<1x3x16x16xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x14x14xf32> {
  %0 = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x16x16xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x14x14xf32>
  %1 = cnn.activation relu %0 : tensor<1x8x14x14xf32>
  %2 = cnn.activation sigmoid %1 : tensor<1x8x14x14xf32>
  return %2 : tensor<1x8x14x14xf32>
}
