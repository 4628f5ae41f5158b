// RUN: cnnc-opt %s -split-input-file -verify-diagnostics

// The quantization ops' verifiers (CNNQuantOps.cpp, and the inference of
// the integer kernels in CNNOps.cpp), after the constraints ODS checks.

func.func @quantize_to_int16(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<i16>) {
  // expected-error@+1 {{'cnn.quantize' op operand #2 must be statically shaped tensor of 8-bit signless integer or 8-bit unsigned integer values, but got 'tensor<i16>'}}
  %0 = cnn.quantize %x, %s, %z : (tensor<4xf32>, tensor<f32>, tensor<i16>) -> tensor<4xi16>
  return
}

// -----

func.func @quantize_zero_point_type(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<i8>) {
  // expected-error@+1 {{'cnn.quantize' op failed to verify that all of {zero_point, result} have same element type}}
  %0 = cnn.quantize %x, %s, %z : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xui8>
  return
}

// -----

func.func @quantize_shape(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<ui8>) {
  // expected-error@+1 {{'cnn.quantize' op failed to verify that all of {input, result} have same shape}}
  %0 = cnn.quantize %x, %s, %z : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<5xui8>
  return
}

// -----

func.func @quantize_per_axis_without_axis(%x: tensor<3x4xf32>, %s: tensor<3xf32>, %z: tensor<3xui8>) {
  // expected-error@+1 {{'cnn.quantize' op expected a 0-D scale without 'axis' (per tensor), got 'tensor<3xf32>'}}
  %0 = cnn.quantize %x, %s, %z : (tensor<3x4xf32>, tensor<3xf32>, tensor<3xui8>) -> tensor<3x4xui8>
  return
}

// -----

func.func @quantize_axis_out_of_range(%x: tensor<3x4xf32>, %s: tensor<3xf32>, %z: tensor<3xui8>) {
  // expected-error@+1 {{'cnn.quantize' op expected 'axis' to be below the input's rank (2), got 2}}
  %0 = cnn.quantize %x, %s, %z axis 2 : (tensor<3x4xf32>, tensor<3xf32>, tensor<3xui8>) -> tensor<3x4xui8>
  return
}

// -----

func.func @dequantize_axis_size(%q: tensor<3x4xi8>, %s: tensor<3xf32>, %z: tensor<3xi8>) {
  // expected-error@+1 {{'cnn.dequantize' op expected a scale of shape [4] (dimension 1 of the input), got 'tensor<3xf32>'}}
  %0 = cnn.dequantize %q, %s, %z axis 1 : (tensor<3x4xi8>, tensor<3xf32>, tensor<3xi8>) -> tensor<3x4xf32>
  return
}

// -----

func.func @dequantize_scale_zero_point_shapes(%q: tensor<3x4xi8>, %s: tensor<3xf32>, %z: tensor<i8>) {
  // expected-error@+1 {{'cnn.dequantize' op failed to verify that all of {scale, zero_point} have same shape}}
  %0 = cnn.dequantize %q, %s, %z axis 0 : (tensor<3x4xi8>, tensor<3xf32>, tensor<i8>) -> tensor<3x4xf32>
  return
}

// -----

func.func @quantize_negative_scale(%x: tensor<4xf32>, %z: tensor<ui8>) {
  %s = cnn.constant dense<-0.5> : tensor<f32>
  // expected-error@+1 {{'cnn.quantize' op expected positive, finite scales, got -0.5 at index 0}}
  %0 = cnn.quantize %x, %s, %z : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<4xui8>
  return
}

// -----

func.func @dequantize_zero_scale(%q: tensor<2x3xi8>, %z: tensor<3xi8>) {
  %s = cnn.constant dense<[1.0, 0.0, 2.0]> : tensor<3xf32>
  // expected-error@+1 {{'cnn.dequantize' op expected positive, finite scales, got 0 at index 1}}
  %0 = cnn.dequantize %q, %s, %z axis 1 : (tensor<2x3xi8>, tensor<3xf32>, tensor<3xi8>) -> tensor<2x3xf32>
  return
}

// -----

func.func @requantize_zero_point(%acc: tensor<2x3xi32>, %m: tensor<3xf32>, %z: tensor<3xi8>) {
  // expected-error@+1 {{'cnn.requantize' op expected a 0-D zero point (the output's, per tensor), got 'tensor<3xi8>'}}
  %0 = cnn.requantize %acc, %m, %z axis 1 : (tensor<2x3xi32>, tensor<3xf32>, tensor<3xi8>) -> tensor<2x3xi8>
  return
}

// -----

func.func @requantize_from_int8(%acc: tensor<2x3xi8>, %m: tensor<f32>, %z: tensor<i8>) {
  // expected-error@+1 {{'cnn.requantize' op operand #0 must be statically shaped tensor of 32-bit signless integer values, but got 'tensor<2x3xi8>'}}
  %0 = cnn.requantize %acc, %m, %z : (tensor<2x3xi8>, tensor<f32>, tensor<i8>) -> tensor<2x3xi8>
  return
}

// -----

func.func @cast_shape(%x: tensor<4xf32>) {
  // expected-error@+1 {{'cnn.cast' op failed to verify that all of {input, result} have same shape}}
  %0 = cnn.cast %x : tensor<4xf32> -> tensor<3xui8>
  return
}

// -----

// With layout nhwc the input's channels are its last dimension.
func.func @conv_integer_nhwc_channels(%x: tensor<1x5x5x4xui8>, %w: tensor<8x2x3x3xi8>, %z: tensor<ui8>, %wz: tensor<i8>) {
  // expected-error@+1 {{'cnn.conv_integer' op expected the weight's input channels (2) times groups (1) to equal the input channels (4)}}
  %0 = cnn.conv_integer %x, %w, %z, %wz strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 layout nhwc
       : (tensor<1x5x5x4xui8>, tensor<8x2x3x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x3x3x8xi32>
  return
}

// -----

// ...and the result is NHWC too.
func.func @conv_integer_nhwc_result(%x: tensor<1x5x5x4xui8>, %w: tensor<8x2x3x3xi8>, %z: tensor<ui8>, %wz: tensor<i8>) {
  // expected-error@+2 {{'cnn.conv_integer' op inferred type(s) 'tensor<1x3x3x8xi32>' are incompatible with return type(s) of operation 'tensor<1x8x3x3xi32>'}}
  // expected-error@+1 {{'cnn.conv_integer' op failed to infer returned types}}
  %0 = cnn.conv_integer %x, %w, %z, %wz strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 2 layout nhwc
       : (tensor<1x5x5x4xui8>, tensor<8x2x3x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x8x3x3xi32>
  return
}

// -----

func.func @conv_integer_3d(%x: tensor<1x1x3x3x3xui8>, %w: tensor<1x1x2x2x2xui8>, %z: tensor<ui8>) {
  // expected-error@+1 {{'cnn.conv_integer' op expected a 2-D convolution (an input of rank 4), got 'tensor<1x1x3x3x3xui8>'}}
  %0 = cnn.conv_integer %x, %w, %z, %z strides [1, 1, 1] pads [0, 0, 0, 0, 0, 0] dilations [1, 1, 1] groups 1
       : (tensor<1x1x3x3x3xui8>, tensor<1x1x2x2x2xui8>, tensor<ui8>, tensor<ui8>) -> tensor<1x1x2x2x2xi32>
  return
}

// -----

func.func @conv_integer_zero_point_type(%x: tensor<1x1x3x3xui8>, %w: tensor<1x1x2x2xi8>, %z: tensor<ui8>) {
  // expected-error@+1 {{'cnn.conv_integer' op failed to verify that all of {weight, weight_zero_point} have same element type}}
  %0 = cnn.conv_integer %x, %w, %z, %z strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1
       : (tensor<1x1x3x3xui8>, tensor<1x1x2x2xi8>, tensor<ui8>, tensor<ui8>) -> tensor<1x1x2x2xi32>
  return
}

// -----

func.func @conv_integer_weight_zero_point_shape(%x: tensor<1x1x3x3xui8>, %w: tensor<4x1x2x2xi8>, %xz: tensor<ui8>, %wz: tensor<3xi8>) {
  // expected-error@+1 {{'cnn.conv_integer' op expected a 0-D weight zero point or one of shape [4] (per output channel), got 'tensor<3xi8>'}}
  %0 = cnn.conv_integer %x, %w, %xz, %wz strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1
       : (tensor<1x1x3x3xui8>, tensor<4x1x2x2xi8>, tensor<ui8>, tensor<3xi8>) -> tensor<1x4x2x2xi32>
  return
}

// -----

func.func @conv_integer_input_zero_point_shape(%x: tensor<1x1x3x3xui8>, %w: tensor<4x1x2x2xi8>, %xz: tensor<1xui8>, %wz: tensor<i8>) {
  // expected-error@+1 {{'cnn.conv_integer' op expected a 0-D input zero point, got 'tensor<1xui8>'}}
  %0 = cnn.conv_integer %x, %w, %xz, %wz strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1
       : (tensor<1x1x3x3xui8>, tensor<4x1x2x2xi8>, tensor<1xui8>, tensor<i8>) -> tensor<1x4x2x2xi32>
  return
}

// -----

func.func @conv_integer_bias(%x: tensor<1x1x3x3xui8>, %w: tensor<4x1x2x2xi8>, %xz: tensor<ui8>, %wz: tensor<i8>, %b: tensor<3xi32>) {
  // expected-error@+1 {{'cnn.conv_integer' op expected a bias of shape [4] (the output channels), got 'tensor<3xi32>'}}
  %0 = cnn.conv_integer %x, %w, %xz, %wz bias %b strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1
       : (tensor<1x1x3x3xui8>, tensor<4x1x2x2xi8>, tensor<ui8>, tensor<i8>, tensor<3xi32>) -> tensor<1x4x2x2xi32>
  return
}

// -----

func.func @conv_integer_result(%x: tensor<1x1x3x3xui8>, %w: tensor<4x1x2x2xi8>, %xz: tensor<ui8>, %wz: tensor<i8>) {
  // expected-error@+2 {{'cnn.conv_integer' op inferred type(s) 'tensor<1x4x2x2xi32>' are incompatible with return type(s) of operation 'tensor<1x4x3x3xi32>'}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = cnn.conv_integer %x, %w, %xz, %wz strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1
       : (tensor<1x1x3x3xui8>, tensor<4x1x2x2xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x4x3x3xi32>
  return
}

// -----

func.func @matmul_integer_contraction(%a: tensor<4x3xui8>, %b: tensor<2x2xui8>, %z: tensor<ui8>) {
  // expected-error@+1 {{'cnn.matmul_integer' op expected the contracted dimensions to agree, got 3 (lhs 'tensor<4x3xui8>') and 2 (rhs 'tensor<2x2xui8>')}}
  %0 = cnn.matmul_integer %a, %b, %z, %z : (tensor<4x3xui8>, tensor<2x2xui8>, tensor<ui8>, tensor<ui8>) -> tensor<4x2xi32>
  return
}

// -----

func.func @matmul_integer_rhs_zero_point(%a: tensor<4x3xui8>, %b: tensor<3x2xi8>, %az: tensor<ui8>, %bz: tensor<3xi8>) {
  // expected-error@+1 {{'cnn.matmul_integer' op expected a 0-D rhs zero point or one of shape [2] (per column), got 'tensor<3xi8>'}}
  %0 = cnn.matmul_integer %a, %b, %az, %bz : (tensor<4x3xui8>, tensor<3x2xi8>, tensor<ui8>, tensor<3xi8>) -> tensor<4x2xi32>
  return
}
