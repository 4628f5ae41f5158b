// RUN: cnnc-opt %s | cnnc-opt | FileCheck %s
// RUN: cnnc-opt %s --mlir-print-op-generic | cnnc-opt | FileCheck %s

// Every quantization op of the cnn dialect once, printed, parsed back and
// printed again (custom and generic form).

// CHECK-LABEL: func.func @quantize
func.func @quantize(%x: tensor<1x3x4x4xf32>, %s: tensor<f32>, %z: tensor<ui8>, %sc: tensor<3xf32>, %zc: tensor<3xi8>) -> (tensor<1x3x4x4xui8>, tensor<1x3x4x4xi8>) {
  // CHECK: cnn.quantize %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x3x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x3x4x4xui8>
  %0 = cnn.quantize %x, %s, %z : (tensor<1x3x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x3x4x4xui8>
  // CHECK: cnn.quantize %{{.*}}, %{{.*}}, %{{.*}} axis 1 : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<1x3x4x4xi8>
  %1 = cnn.quantize %x, %sc, %zc axis 1 : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<1x3x4x4xi8>
  return %0, %1 : tensor<1x3x4x4xui8>, tensor<1x3x4x4xi8>
}

// CHECK-LABEL: func.func @dequantize
func.func @dequantize(%q: tensor<4xui8>, %s: tensor<f32>, %z: tensor<ui8>, %b: tensor<8xi32>, %sb: tensor<8xf32>, %zb: tensor<8xi32>) -> (tensor<4xf32>, tensor<8xf32>) {
  // CHECK: cnn.dequantize %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  %0 = cnn.dequantize %q, %s, %z : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  // CHECK: cnn.dequantize %{{.*}}, %{{.*}}, %{{.*}} axis 0 : (tensor<8xi32>, tensor<8xf32>, tensor<8xi32>) -> tensor<8xf32>
  %1 = cnn.dequantize %b, %sb, %zb axis 0 : (tensor<8xi32>, tensor<8xf32>, tensor<8xi32>) -> tensor<8xf32>
  return %0, %1 : tensor<4xf32>, tensor<8xf32>
}

// CHECK-LABEL: func.func @requantize
func.func @requantize(%acc: tensor<1x8x7x7xi32>, %m: tensor<8xf32>, %z: tensor<ui8>) -> tensor<1x8x7x7xui8> {
  // CHECK: cnn.requantize %{{.*}}, %{{.*}}, %{{.*}} axis 1 : (tensor<1x8x7x7xi32>, tensor<8xf32>, tensor<ui8>) -> tensor<1x8x7x7xui8>
  %0 = cnn.requantize %acc, %m, %z axis 1 : (tensor<1x8x7x7xi32>, tensor<8xf32>, tensor<ui8>) -> tensor<1x8x7x7xui8>
  return %0 : tensor<1x8x7x7xui8>
}

// CHECK-LABEL: func.func @cast
func.func @cast(%x: tensor<f32>, %i: tensor<2xi64>) -> (tensor<ui8>, tensor<2xf32>) {
  // CHECK: cnn.cast %{{.*}} : tensor<f32> -> tensor<ui8>
  %0 = cnn.cast %x : tensor<f32> -> tensor<ui8>
  // CHECK: cnn.cast %{{.*}} : tensor<2xi64> -> tensor<2xf32>
  %1 = cnn.cast %i : tensor<2xi64> -> tensor<2xf32>
  return %0, %1 : tensor<ui8>, tensor<2xf32>
}

// CHECK-LABEL: func.func @conv_integer
func.func @conv_integer(%x: tensor<1x4x5x5xui8>, %w: tensor<8x2x3x3xi8>, %xz: tensor<ui8>, %wz: tensor<8xi8>, %b: tensor<8xi32>) -> (tensor<1x8x5x5xi32>, tensor<1x8x3x3xi32>) {
  // CHECK: cnn.conv_integer %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} bias %{{.*}} strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 2 : (tensor<1x4x5x5xui8>, tensor<8x2x3x3xi8>, tensor<ui8>, tensor<8xi8>, tensor<8xi32>) -> tensor<1x8x5x5xi32>
  %0 = cnn.conv_integer %x, %w, %xz, %wz bias %b strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 2
       : (tensor<1x4x5x5xui8>, tensor<8x2x3x3xi8>, tensor<ui8>, tensor<8xi8>, tensor<8xi32>) -> tensor<1x8x5x5xi32>
  // CHECK: cnn.conv_integer %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] groups 2 : (tensor<1x4x5x5xui8>, tensor<8x2x3x3xi8>, tensor<ui8>, tensor<8xi8>) -> tensor<1x8x3x3xi32>
  %1 = cnn.conv_integer %x, %w, %xz, %wz strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] groups 2
       : (tensor<1x4x5x5xui8>, tensor<8x2x3x3xi8>, tensor<ui8>, tensor<8xi8>) -> tensor<1x8x3x3xi32>
  return %0, %1 : tensor<1x8x5x5xi32>, tensor<1x8x3x3xi32>
}

// Channels last: input and result NHWC, the weight still [F, C/g, KH, KW].
// CHECK-LABEL: func.func @conv_integer_nhwc
func.func @conv_integer_nhwc(%x: tensor<1x5x6x4xui8>, %w: tensor<8x2x3x3xi8>, %xz: tensor<ui8>, %wz: tensor<i8>) -> tensor<1x3x4x8xi32> {
  // CHECK: cnn.conv_integer %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 2 layout nhwc : (tensor<1x5x6x4xui8>, tensor<8x2x3x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x3x4x8xi32>
  %0 = cnn.conv_integer %x, %w, %xz, %wz strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 2 layout nhwc
       : (tensor<1x5x6x4xui8>, tensor<8x2x3x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x3x4x8xi32>
  return %0 : tensor<1x3x4x8xi32>
}

// CHECK-LABEL: func.func @matmul_integer
func.func @matmul_integer(%a: tensor<2x4x3xui8>, %b: tensor<3x2xi8>, %az: tensor<ui8>, %bz: tensor<2xi8>) -> tensor<2x4x2xi32> {
  // CHECK: cnn.matmul_integer %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x4x3xui8>, tensor<3x2xi8>, tensor<ui8>, tensor<2xi8>) -> tensor<2x4x2xi32>
  %0 = cnn.matmul_integer %a, %b, %az, %bz : (tensor<2x4x3xui8>, tensor<3x2xi8>, tensor<ui8>, tensor<2xi8>) -> tensor<2x4x2xi32>
  return %0 : tensor<2x4x2xi32>
}
