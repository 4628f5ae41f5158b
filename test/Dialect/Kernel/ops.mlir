// RUN: cnnc-opt %s | cnnc-opt | FileCheck %s
// RUN: cnnc-opt %s --mlir-print-op-generic | cnnc-opt | FileCheck %s

// Every form of the two kernel ops round-trips: on tensors with a result,
// on memrefs (views too) without one; the bias, residual, activation and
// the recorded choice each optional.

// CHECK-LABEL: func.func @conv2d_tensors
// CHECK:         cnnk.conv2d ins(%arg0, %arg1 : tensor<1x10x10x8xf32>, tensor<3x3x8x16xf32>) bias(%arg2 : tensor<16xf32>) residual(%arg3 : tensor<1x8x8x16xf32>) outs(%{{.*}} : tensor<1x8x8x16xf32>) strides [1, 1] dilations [1, 1] activation relu algorithm winograd4 tile [8, 1, 16] -> tensor<1x8x8x16xf32>
func.func @conv2d_tensors(%x: tensor<1x10x10x8xf32>, %w: tensor<3x3x8x16xf32>, %b: tensor<16xf32>, %r: tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32> {
  %init = tensor.empty() : tensor<1x8x8x16xf32>
  %y = cnnk.conv2d ins(%x, %w : tensor<1x10x10x8xf32>, tensor<3x3x8x16xf32>) bias(%b : tensor<16xf32>) residual(%r : tensor<1x8x8x16xf32>) outs(%init : tensor<1x8x8x16xf32>) strides [1, 1] dilations [1, 1] activation relu algorithm winograd4 tile [8, 1, 16] -> tensor<1x8x8x16xf32>
  return %y : tensor<1x8x8x16xf32>
}

// CHECK-LABEL: func.func @conv2d_strided_depthwise
// CHECK:         cnnk.conv2d ins(%arg0, %arg1 : tensor<1x9x9x32xf32>, tensor<3x3x32xf32>) outs(%{{.*}} : tensor<1x3x3x32xf32>) strides [2, 2] dilations [2, 2] activation clip {activation_alpha = 0.000000e+00 : f32, activation_beta = 6.000000e+00 : f32} -> tensor<1x3x3x32xf32>
func.func @conv2d_strided_depthwise(%x: tensor<1x9x9x32xf32>, %w: tensor<3x3x32xf32>) -> tensor<1x3x3x32xf32> {
  %init = tensor.empty() : tensor<1x3x3x32xf32>
  %y = cnnk.conv2d ins(%x, %w : tensor<1x9x9x32xf32>, tensor<3x3x32xf32>) outs(%init : tensor<1x3x3x32xf32>) strides [2, 2] dilations [2, 2] activation clip {activation_alpha = 0.0 : f32, activation_beta = 6.0 : f32} -> tensor<1x3x3x32xf32>
  return %y : tensor<1x3x3x32xf32>
}

// CHECK-LABEL: func.func @conv2d_memrefs
// CHECK:         cnnk.conv2d ins(%arg0, %arg1 : memref<1x7x7x16xf32>, memref<1x1x16x32xf32>) outs(%{{.*}} : memref<1x7x7x32xf32, strided<[2592, 288, 32, 1], offset: 320>>) strides [1, 1] dilations [1, 1]{{$}}
func.func @conv2d_memrefs(%x: memref<1x7x7x16xf32>, %w: memref<1x1x16x32xf32>, %p: memref<1x9x9x32xf32>) {
  %o = memref.subview %p[0, 1, 1, 0] [1, 7, 7, 32] [1, 1, 1, 1] : memref<1x9x9x32xf32> to memref<1x7x7x32xf32, strided<[2592, 288, 32, 1], offset: 320>>
  cnnk.conv2d ins(%x, %w : memref<1x7x7x16xf32>, memref<1x1x16x32xf32>) outs(%o : memref<1x7x7x32xf32, strided<[2592, 288, 32, 1], offset: 320>>) strides [1, 1] dilations [1, 1]
  return
}

// CHECK-LABEL: func.func @matmul
// CHECK:         cnnk.matmul ins(%arg0, %arg1 : tensor<2x512xf32>, tensor<512x1000xf32>) bias(%arg2 : tensor<1000xf32>) outs(%{{.*}} : tensor<2x1000xf32>) activation sigmoid tile [2, 4, 16] -> tensor<2x1000xf32>
// CHECK:         cnnk.matmul ins(%arg3, %arg4 : memref<36x4x8xf32>, memref<36x8x16xf32>) outs(%arg5 : memref<36x4x16xf32>){{$}}
func.func @matmul(%a: tensor<2x512xf32>, %b: tensor<512x1000xf32>, %c: tensor<1000xf32>, %v: memref<36x4x8xf32>, %u: memref<36x8x16xf32>, %m: memref<36x4x16xf32>) -> tensor<2x1000xf32> {
  %init = tensor.empty() : tensor<2x1000xf32>
  %y = cnnk.matmul ins(%a, %b : tensor<2x512xf32>, tensor<512x1000xf32>) bias(%c : tensor<1000xf32>) outs(%init : tensor<2x1000xf32>) activation sigmoid tile [2, 4, 16] -> tensor<2x1000xf32>
  cnnk.matmul ins(%v, %u : memref<36x4x8xf32>, memref<36x8x16xf32>) outs(%m : memref<36x4x16xf32>)
  return %y : tensor<2x1000xf32>
}
