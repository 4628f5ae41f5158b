// RUN: cnnc-opt %s --split-input-file --cnnc-select-kernels=vector-bits=512 | FileCheck %s
// RUN: cnnc-opt %s --split-input-file --cnnc-select-kernels=vector-bits=256 | FileCheck %s --check-prefix=AVX2
// RUN: cnnc-opt %s --split-input-file --cnnc-select-kernels="vector-bits=512 algorithm=im2col" | FileCheck %s --check-prefix=IM2COL
// RUN: cnnc-opt %s --split-input-file --cnnc-select-kernels=vector-bits=0 | FileCheck %s --check-prefix=NONE

// A 3x3 convolution of 16 to 48 channels on a 12x12 image with constant
// weights: Winograd F(4x4, 3x3); its 9 tiles are the products' row, one
// register tile of 9 pixels x three 16-lane vectors (AVX-512) or three of
// 3 x three 8-lane vectors (AVX2). Forced im2col: a 144-pixel row.
// CHECK-LABEL: func.func @winograd
// CHECK:         cnnk.conv2d {{.*}} algorithm winograd4 tile [9, 3, 16]
// AVX2-LABEL:  func.func @winograd
// AVX2:          cnnk.conv2d {{.*}} algorithm winograd4 tile [3, 3, 8]
// IM2COL-LABEL: func.func @winograd
// IM2COL:         cnnk.conv2d {{.*}} algorithm im2col tile
// NONE-LABEL:  func.func @winograd
// NONE:          cnnk.conv2d {{.*}} dilations [1, 1] -> tensor<1x12x12x48xf32>
func.func @winograd(%x: tensor<1x12x12x16xf32>) -> tensor<1x12x12x48xf32> {
  %w = arith.constant dense<1.0> : tensor<3x3x16x48xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x12x12x16xf32> to tensor<1x14x14x16xf32>
  %init = tensor.empty() : tensor<1x12x12x48xf32>
  %y = cnnk.conv2d ins(%p, %w : tensor<1x14x14x16xf32>, tensor<3x3x16x48xf32>) outs(%init : tensor<1x12x12x48xf32>) strides [1, 1] dilations [1, 1] -> tensor<1x12x12x48xf32>
  return %y : tensor<1x12x12x48xf32>
}

// -----

// The same with weights that are an argument (a train step's): Winograd
// needs them at compile time, so the direct tile along the 12-pixel row.
// CHECK-LABEL: func.func @weights_not_constant
// CHECK:         cnnk.conv2d {{.*}} algorithm direct tile [6, 3, 16]
// AVX2-LABEL:  func.func @weights_not_constant
// AVX2:          cnnk.conv2d {{.*}} algorithm direct tile [6, 2, 8]
func.func @weights_not_constant(%p: tensor<1x14x14x16xf32>, %w: tensor<3x3x16x48xf32>) -> tensor<1x12x12x48xf32> {
  %init = tensor.empty() : tensor<1x12x12x48xf32>
  %y = cnnk.conv2d ins(%p, %w : tensor<1x14x14x16xf32>, tensor<3x3x16x48xf32>) outs(%init : tensor<1x12x12x48xf32>) strides [1, 1] dilations [1, 1] -> tensor<1x12x12x48xf32>
  return %y : tensor<1x12x12x48xf32>
}

// -----

// A 1x1 convolution of an unpadded input runs over all 16 pixels of the
// image as one row; a depthwise one is direct, with its own tile; a
// product's rows are its pixels. Two channels take one masked 4-lane
// vector.
// CHECK-LABEL: func.func @others
// CHECK:         cnnk.conv2d {{.*}} algorithm direct tile [16, 1, 4]
// CHECK:         cnnk.conv2d {{.*}} algorithm direct tile [2, 2, 16]
// CHECK:         cnnk.matmul {{.*}} tile [4, 4, 16]
// AVX2-LABEL:  func.func @others
// AVX2:          cnnk.conv2d {{.*}} algorithm direct tile [8, 1, 4]
func.func @others(%x: tensor<1x4x4x2xf32>, %w: tensor<1x1x2x2xf32>, %dx: tensor<1x4x4x32xf32>, %dw: tensor<3x3x32xf32>, %a: tensor<4x64xf32>, %b: tensor<64x64xf32>) -> (tensor<1x4x4x2xf32>, tensor<1x2x2x32xf32>, tensor<4x64xf32>) {
  %i0 = tensor.empty() : tensor<1x4x4x2xf32>
  %y0 = cnnk.conv2d ins(%x, %w : tensor<1x4x4x2xf32>, tensor<1x1x2x2xf32>) outs(%i0 : tensor<1x4x4x2xf32>) strides [1, 1] dilations [1, 1] -> tensor<1x4x4x2xf32>
  %i1 = tensor.empty() : tensor<1x2x2x32xf32>
  %y1 = cnnk.conv2d ins(%dx, %dw : tensor<1x4x4x32xf32>, tensor<3x3x32xf32>) outs(%i1 : tensor<1x2x2x32xf32>) strides [1, 1] dilations [1, 1] -> tensor<1x2x2x32xf32>
  %i2 = tensor.empty() : tensor<4x64xf32>
  %y2 = cnnk.matmul ins(%a, %b : tensor<4x64xf32>, tensor<64x64xf32>) outs(%i2 : tensor<4x64xf32>) -> tensor<4x64xf32>
  return %y0, %y1, %y2 : tensor<1x4x4x2xf32>, tensor<1x2x2x32xf32>, tensor<4x64xf32>
}
