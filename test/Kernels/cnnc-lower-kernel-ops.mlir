// RUN: cnnc-opt %s --split-input-file --cnnc-lower-kernel-ops --verify-diagnostics | FileCheck %s

// A kernel op no tile took, as linalg on its buffers: the bias broadcast
// into the output, the named convolution, one in-place generic for the
// residual and the activation.
// CHECK-LABEL: func.func @conv2d
// CHECK:         linalg.broadcast ins(%arg2 : memref<16xf32>) outs(%arg4 : memref<1x8x8x16xf32>) dimensions = [0, 1, 2]
// CHECK-NEXT:    linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%arg0, %arg1 : memref<1x10x10x8xf32>, memref<3x3x8x16xf32>) outs(%arg4 : memref<1x8x8x16xf32>)
// CHECK-NEXT:    linalg.generic {{.*}} ins(%arg4, %arg3 : memref<1x8x8x16xf32>, memref<1x8x8x16xf32>) outs(%arg4 : memref<1x8x8x16xf32>)
// CHECK:           arith.addf
// CHECK:           arith.maximumf
// CHECK-NOT:     cnnk.
func.func @conv2d(%x: memref<1x10x10x8xf32>, %w: memref<3x3x8x16xf32>, %b: memref<16xf32>, %r: memref<1x8x8x16xf32>, %o: memref<1x8x8x16xf32>) {
  cnnk.conv2d ins(%x, %w : memref<1x10x10x8xf32>, memref<3x3x8x16xf32>) bias(%b : memref<16xf32>) residual(%r : memref<1x8x8x16xf32>) outs(%o : memref<1x8x8x16xf32>) strides [1, 1] dilations [1, 1] activation relu
  return
}

// -----

// Depthwise, without bias or epilogue: zeros, then the depthwise
// convolution, and nothing after.
// CHECK-LABEL: func.func @depthwise
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%arg2 : memref<1x3x3x4xf32>)
// CHECK-NEXT:    linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%arg0, %arg1 : memref<1x9x9x4xf32>, memref<3x3x4xf32>) outs(%arg2 : memref<1x3x3x4xf32>)
// CHECK-NEXT:    return
func.func @depthwise(%x: memref<1x9x9x4xf32>, %w: memref<3x3x4xf32>, %o: memref<1x3x3x4xf32>) {
  cnnk.conv2d ins(%x, %w : memref<1x9x9x4xf32>, memref<3x3x4xf32>) outs(%o : memref<1x3x3x4xf32>) strides [2, 2] dilations [2, 2]
  return
}

// -----

// Matrix products: 2-D with a bias and an activation; batched from zero.
// CHECK-LABEL: func.func @matmul
// CHECK:         linalg.broadcast ins(%arg2 : memref<4xf32>) outs(%arg3 : memref<2x4xf32>) dimensions = [0]
// CHECK-NEXT:    linalg.matmul ins(%arg0, %arg1 : memref<2x8xf32>, memref<8x4xf32>) outs(%arg3 : memref<2x4xf32>)
// CHECK-NEXT:    linalg.generic {{.*}} ins(%arg3 : memref<2x4xf32>) outs(%arg3 : memref<2x4xf32>)
// CHECK:           math.tanh
// CHECK:         linalg.fill
// CHECK-NEXT:    linalg.batch_matmul ins(%arg4, %arg5 : memref<3x2x8xf32>, memref<3x8x4xf32>) outs(%arg6 : memref<3x2x4xf32>)
// CHECK-NEXT:    return
func.func @matmul(%a: memref<2x8xf32>, %b: memref<8x4xf32>, %c: memref<4xf32>, %o: memref<2x4xf32>, %v: memref<3x2x8xf32>, %u: memref<3x8x4xf32>, %m: memref<3x2x4xf32>) {
  cnnk.matmul ins(%a, %b : memref<2x8xf32>, memref<8x4xf32>) bias(%c : memref<4xf32>) outs(%o : memref<2x4xf32>) activation tanh
  cnnk.matmul ins(%v, %u : memref<3x2x8xf32>, memref<3x8x4xf32>) outs(%m : memref<3x2x4xf32>)
  return
}

// -----

func.func @tensors(%a: tensor<2x8xf32>, %b: tensor<8x4xf32>, %o: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{is lowered on memrefs: bufferize first}}
  %y = cnnk.matmul ins(%a, %b : tensor<2x8xf32>, tensor<8x4xf32>) outs(%o : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
