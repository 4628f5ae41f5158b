// RUN: cnnc-opt %s -split-input-file -verify-diagnostics

// One case per verifier branch of the cnn dialect, in the order of
// CNNOps.cpp, after a few of the constraints ODS checks.

//===----------------------------------------------------------------------===//
// ODS constraints
//===----------------------------------------------------------------------===//

func.func @zero_stride(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{attribute 'strides' failed to satisfy constraint: i64 dense array attribute whose value is positive}}
  %0 = cnn.conv %x, %w strides [0, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @negative_pad(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{attribute 'pads' failed to satisfy constraint: i64 dense array attribute whose value is non-negative}}
  %0 = cnn.conv %x, %w strides [1, 1] pads [-1, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @zero_groups(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{attribute 'groups' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 0 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @dynamic_shape(%x: tensor<?x8xf32>) {
  // expected-error@+1 {{operand #0 must be statically shaped tensor}}
  %0 = cnn.activation relu %x : tensor<?x8xf32>
  return
}

// -----

func.func @integer_activation(%x: tensor<4xi32>) {
  // expected-error@+1 {{operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values}}
  %0 = cnn.activation relu %x : tensor<4xi32>
  return
}

// -----

func.func @constant_type_mismatch() {
  // expected-error@+1 {{failed to verify that all of {value, result} have same type}}
  %0 = "cnn.constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<3xf32>
  return
}

// -----

func.func @wrong_result_type(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+2 {{inferred type(s) 'tensor<1x4x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x4x7x6xf32>'}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x7x6xf32>
  return
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

// -----

func.func @conv_rank(%x: tensor<3x8xf32>, %w: tensor<4x3xf32>) {
  // expected-error@+1 {{'cnn.conv' op expected an input of rank 3 to 5 ([N, C, spatial...]), got 'tensor<3x8xf32>'}}
  %0 = cnn.conv %x, %w strides [] pads [] dilations [] groups 1 : (tensor<3x8xf32>, tensor<4x3xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @conv_weight_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error@+1 {{expected a weight of rank 4 (as the input), got 'tensor<4x3x3xf32>'}}
  %0 = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_weight_type(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf16>) {
  // expected-error@+1 {{expected 'weight' to have element type 'f32', got 'tensor<4x3x3x3xf16>'}}
  %0 = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf16>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_input_channels_groups(%x: tensor<1x3x8x8xf32>, %w: tensor<4x1x3x3xf32>) {
  // expected-error@+1 {{expected the input channels (3) to be divisible by groups (2)}}
  %0 = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 2 : (tensor<1x3x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_output_channels_groups(%x: tensor<1x4x8x8xf32>, %w: tensor<3x2x3x3xf32>) {
  // expected-error@+1 {{expected the output channels (3) to be divisible by groups (2)}}
  %0 = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 2 : (tensor<1x4x8x8xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x6x6xf32>
  return
}

// -----

func.func @conv_weight_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error@+1 {{expected the weight's input channels (2) times groups (1) to equal the input channels (3)}}
  %0 = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_bias_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{expected a bias of shape [4] (the output channels), got 'tensor<3xf32>'}}
  %0 = cnn.conv %x, %w, %b strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_bias_type(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf64>) {
  // expected-error@+1 {{expected 'bias' to have element type 'f32', got 'tensor<4xf64>'}}
  %0 = cnn.conv %x, %w, %b strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf64>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_strides_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{expected 2 values in 'strides', got 1}}
  %0 = cnn.conv %x, %w strides [1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_dilations_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{expected 2 values in 'dilations', got 3}}
  %0 = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_pads_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{expected 4 values in 'pads', got 2}}
  %0 = cnn.conv %x, %w strides [1, 1] pads [0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_pads_overflow(%x: tensor<1x3x4x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{expected an output size below 2^62 in spatial dimension 0, got 9223372036854775807 (the pads are too large)}}
  %0 = cnn.conv %x, %w strides [1, 1] pads [9223372036854775807, 0, 9223372036854775807, 0] dilations [1, 1] groups 1 : (tensor<1x3x4x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x2x6xf32>
  return
}

// -----

func.func @conv_kernel_too_large(%x: tensor<1x3x4x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{expected the padded input (4 + 0 + 0) to hold the dilated kernel (5) in spatial dimension 0}}
  %0 = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [2, 1] groups 1 : (tensor<1x3x4x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x1x6xf32>
  return
}

//===----------------------------------------------------------------------===//
// Transposed convolution
//===----------------------------------------------------------------------===//

// -----

func.func @conv_transpose_weight_channels(%x: tensor<1x2x3x3xf32>, %w: tensor<1x2x3x3xf32>) {
  // expected-error@+1 {{expected the weight's dimension 0 (1) to equal the input channels (2)}}
  %0 = cnn.conv_transpose %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] output_padding [0, 0] groups 1 : (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @conv_transpose_output_padding_count(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>) {
  // expected-error@+1 {{expected 2 values in 'output_padding', got 1}}
  %0 = cnn.conv_transpose %x, %w strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] output_padding [1] groups 1 : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x8x8xf32>
  return
}

// -----

func.func @conv_transpose_output_padding_too_large(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>) {
  // expected-error@+1 {{expected output_padding (2) to be smaller than the stride or the dilation in spatial dimension 1}}
  %0 = cnn.conv_transpose %x, %w strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] output_padding [1, 2] groups 1 : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x8x9xf32>
  return
}

// -----

func.func @conv_transpose_pads_too_large(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>) {
  // expected-error@+1 {{expected a positive output size in spatial dimension 0, got -1 (the pads are too large)}}
  %0 = cnn.conv_transpose %x, %w strides [1, 1] pads [3, 0, 3, 0] dilations [1, 1] output_padding [0, 0] groups 1 : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x1x5xf32>
  return
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

// -----

func.func @pool_rank(%x: tensor<1x1x2x2x2x2xf32>) {
  // expected-error@+1 {{'cnn.pool' op expected an input of rank 3 to 5 ([N, C, spatial...]), got 'tensor<1x1x2x2x2x2xf32>'}}
  %0 = cnn.pool max %x kernel [1, 1, 1, 1] strides [1, 1, 1, 1] pads [0, 0, 0, 0, 0, 0, 0, 0] dilations [1, 1, 1, 1] : tensor<1x1x2x2x2x2xf32> -> tensor<1x1x2x2x2x2xf32>
  return
}

// -----

// Only a max pool takes quantized integers.
func.func @pool_avg_quantized(%x: tensor<1x1x4x4xui8>) {
  // expected-error@+1 {{'cnn.pool' op expected a float input for an average pool (only a max pool takes quantized integers), got 'tensor<1x1x4x4xui8>'}}
  %0 = cnn.pool avg %x kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] : tensor<1x1x4x4xui8> -> tensor<1x1x2x2xui8>
  return
}

// -----

// The result keeps the input's element type.
func.func @pool_element_type(%x: tensor<1x1x4x4xui8>) {
  // expected-error@+1 {{'cnn.pool' op failed to verify that all of {input, result} have same element type}}
  %0 = cnn.pool max %x kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] : tensor<1x1x4x4xui8> -> tensor<1x1x2x2xf32>
  return
}

// -----

func.func @pool_count_include_pad_on_max(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{expected 'count_include_pad' only on an average pool}}
  %0 = cnn.pool max %x kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] count_include_pad : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
  return
}

// -----

func.func @pool_kernel_count(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{expected 2 values in 'kernel', got 3}}
  %0 = cnn.pool max %x kernel [2, 2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
  return
}

// -----

func.func @pool_pad_too_large(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+1 {{expected pads smaller than the dilated kernel (2) in spatial dimension 1, got 0 and 2}}
  %0 = cnn.pool avg %x kernel [2, 2] strides [2, 2] pads [0, 0, 0, 2] dilations [1, 1] : tensor<1x1x4x4xf32> -> tensor<1x1x2x3xf32>
  return
}

// -----

// A dilated window whose two taps (at -2 and 1) both miss the one input
// column: nothing to take the maximum of.
func.func @pool_window_all_padding(%x: tensor<1x1x1x1xf32>) {
  // expected-error@+1 {{expected every window to reach the input, but window 0 of spatial dimension 1 falls entirely in the padding}}
  %0 = cnn.pool max %x kernel [1, 2] strides [1, 1] pads [0, 2, 0, 1] dilations [1, 3] : tensor<1x1x1x1xf32> -> tensor<1x1x1x1xf32>
  return
}

// -----

func.func @pool_window_too_large(%x: tensor<1x1x2x4xf32>) {
  // expected-error@+1 {{expected the padded input (2 + 0 + 0) to hold the dilated kernel (3) in spatial dimension 0}}
  %0 = cnn.pool max %x kernel [3, 3] strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] : tensor<1x1x2x4xf32> -> tensor<1x1x1x2xf32>
  return
}

// -----

func.func @global_pool_rank(%x: tensor<1x8xf32>) {
  // expected-error@+1 {{'cnn.global_pool' op expected an input of rank 3 to 5 ([N, C, spatial...]), got 'tensor<1x8xf32>'}}
  %0 = cnn.global_pool avg %x : tensor<1x8xf32> -> tensor<1x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

// -----

func.func @batch_norm_rank(%x: tensor<8xf32>, %c: tensor<8xf32>) {
  // expected-error@+1 {{'cnn.batch_norm' op expected an input of rank 2 or more ([N, C, ...]), got 'tensor<8xf32>'}}
  %0 = cnn.batch_norm %x, %c, %c, %c, %c : tensor<8xf32>, tensor<8xf32>
  return
}

// -----

func.func @batch_norm_channels(%x: tensor<2x16x4x4xf32>, %c: tensor<8xf32>) {
  // expected-error@+1 {{expected 'scale' of shape [16] (the input's channels), got 'tensor<8xf32>'}}
  %0 = cnn.batch_norm %x, %c, %c, %c, %c : tensor<2x16x4x4xf32>, tensor<8xf32>
  return
}

// -----

func.func @batch_norm_element_type(%x: tensor<2x16x4x4xf32>, %c: tensor<16xf16>) {
  // expected-error@+1 {{expected 'scale' to have element type 'f32', got 'tensor<16xf16>'}}
  %0 = cnn.batch_norm %x, %c, %c, %c, %c : tensor<2x16x4x4xf32>, tensor<16xf16>
  return
}

// -----

func.func @batch_norm_parameters_differ(%x: tensor<2x16x4x4xf32>, %c: tensor<16xf32>, %d: tensor<8xf32>) {
  // expected-error@+1 {{failed to verify that all of {scale, bias, mean, variance} have same type}}
  %0 = "cnn.batch_norm"(%x, %c, %c, %c, %d) : (tensor<2x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<2x16x4x4xf32>
  return
}

// -----

func.func @batch_norm_train_momentum(%x: tensor<2x16x4x4xf32>, %c: tensor<16xf32>) {
  // expected-error@+1 {{expected 'momentum' in [0, 1], got 1.5}}
  %0:5 = cnn.batch_norm_train %x, %c, %c, %c, %c {momentum = 1.5 : f32} : tensor<2x16x4x4xf32>, tensor<16xf32>
  return
}

// -----

func.func @batch_norm_train_channels(%x: tensor<2x16x4x4xf32>, %c: tensor<4xf32>) {
  // expected-error@+1 {{expected 'scale' of shape [16] (the input's channels), got 'tensor<4xf32>'}}
  %0:5 = cnn.batch_norm_train %x, %c, %c, %c, %c : tensor<2x16x4x4xf32>, tensor<4xf32>
  return
}

// -----

func.func @instance_norm_rank(%x: tensor<2x3xf32>, %c: tensor<3xf32>) {
  // expected-error@+1 {{'cnn.instance_norm' op expected an input of rank 3 or more ([N, C, ...]), got 'tensor<2x3xf32>'}}
  %0 = cnn.instance_norm %x, %c, %c : tensor<2x3xf32>, tensor<3xf32>
  return
}

// -----

func.func @lrn_rank(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'cnn.lrn' op expected an input of rank 3 or more ([N, C, ...]), got 'tensor<2x3xf32>'}}
  %0 = cnn.lrn %x {size = 3} : tensor<2x3xf32>
  return
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

// -----

func.func @activation_missing_alpha(%x: tensor<4xf32>) {
  // expected-error@+1 {{expected leaky_relu to have 'alpha'}}
  %0 = cnn.activation leaky_relu %x : tensor<4xf32>
  return
}

// -----

func.func @activation_unexpected_alpha(%x: tensor<4xf32>) {
  // expected-error@+1 {{expected relu to have no 'alpha'}}
  %0 = cnn.activation relu %x {alpha = 1.0 : f32} : tensor<4xf32>
  return
}

// -----

func.func @activation_missing_beta(%x: tensor<4xf32>) {
  // expected-error@+1 {{expected clip to have 'beta'}}
  %0 = cnn.activation clip %x {alpha = 0.0 : f32} : tensor<4xf32>
  return
}

// -----

func.func @activation_unexpected_beta(%x: tensor<4xf32>) {
  // expected-error@+1 {{expected elu to have no 'beta'}}
  %0 = cnn.activation elu %x {alpha = 1.0 : f32, beta = 1.0 : f32} : tensor<4xf32>
  return
}

// -----

func.func @activation_clip_bounds(%x: tensor<4xf32>) {
  // expected-error@+1 {{expected clip's lower bound (alpha = 6) to be at most its upper bound (beta = 0)}}
  %0 = cnn.activation clip %x {alpha = 6.0 : f32, beta = 0.0 : f32} : tensor<4xf32>
  return
}

// -----

func.func @prelu_slope_type(%x: tensor<1x4x2x2xf32>, %s: tensor<4x1x1xf16>) {
  // expected-error@+1 {{expected the slope to have element type 'f32', got 'tensor<4x1x1xf16>'}}
  %0 = cnn.prelu %x, %s : tensor<1x4x2x2xf32>, tensor<4x1x1xf16>
  return
}

// -----

func.func @prelu_slope_shape(%x: tensor<1x4x2x2xf32>, %s: tensor<4xf32>) {
  // expected-error@+1 {{expected the slope 'tensor<4xf32>' to broadcast to the input's shape [1, 4, 2, 2]}}
  %0 = cnn.prelu %x, %s : tensor<1x4x2x2xf32>, tensor<4xf32>
  return
}

// -----

func.func @dropout_ratio(%x: tensor<4xf32>) {
  // expected-error@+1 {{expected 'ratio' in [0, 1), got 1}}
  %0 = cnn.dropout %x {ratio = 1.0 : f32} : tensor<4xf32>
  return
}

// -----

func.func @binary_element_types(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error@+1 {{expected operands of one element type, got 'tensor<4xf32>' and 'tensor<4xf16>'}}
  %0 = cnn.binary add %a, %b : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

func.func @binary_broadcast(%a: tensor<2x3xf32>, %b: tensor<2xf32>) {
  // expected-error@+1 {{expected broadcastable shapes, got [2, 3] and [2]}}
  %0 = cnn.binary mul %a, %b : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return
}

//===----------------------------------------------------------------------===//
// Matmul
//===----------------------------------------------------------------------===//

// -----

func.func @matmul_rank(%a: tensor<4xf32>, %b: tensor<4x2xf32>) {
  // expected-error@+1 {{expected operands of rank 2 or more, got 'tensor<4xf32>' and 'tensor<4x2xf32>'}}
  %0 = cnn.matmul %a, %b : (tensor<4xf32>, tensor<4x2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @matmul_element_type(%a: tensor<3x4xf32>, %b: tensor<4x2xf64>) {
  // expected-error@+1 {{expected 'rhs' to have element type 'f32', got 'tensor<4x2xf64>'}}
  %0 = cnn.matmul %a, %b : (tensor<3x4xf32>, tensor<4x2xf64>) -> tensor<3x2xf32>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<3x4xf32>, %b: tensor<5x2xf32>) {
  // expected-error@+1 {{expected the contracted dimensions to agree, got 4 (lhs 'tensor<3x4xf32>') and 5 (rhs 'tensor<5x2xf32>')}}
  %0 = cnn.matmul %a, %b : (tensor<3x4xf32>, tensor<5x2xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<3x4x2xf32>) {
  // expected-error@+1 {{expected broadcastable batch dimensions, got [2] and [3]}}
  %0 = cnn.matmul %a, %b : (tensor<2x3x4xf32>, tensor<3x4x2xf32>) -> tensor<2x3x2xf32>
  return
}

// -----

func.func @matmul_bias_type(%a: tensor<3x4xf32>, %b: tensor<4x2xf32>, %c: tensor<2xf16>) {
  // expected-error@+1 {{expected 'bias' to have element type 'f32', got 'tensor<2xf16>'}}
  %0 = cnn.matmul %a, %b, %c : (tensor<3x4xf32>, tensor<4x2xf32>, tensor<2xf16>) -> tensor<3x2xf32>
  return
}

// -----

func.func @matmul_bias_shape(%a: tensor<3x4xf32>, %b: tensor<4x2xf32>, %c: tensor<3xf32>) {
  // expected-error@+1 {{expected the bias 'tensor<3xf32>' to broadcast to the product's shape [3, 2]}}
  %0 = cnn.matmul %a, %b, %c : (tensor<3x4xf32>, tensor<4x2xf32>, tensor<3xf32>) -> tensor<3x2xf32>
  return
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

// -----

func.func @concat_empty() {
  // expected-error@+1 {{expected at least one input}}
  %0 = "cnn.concat"() <{axis = 0 : i64}> : () -> tensor<1xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>) {
  // expected-error@+1 {{expected 'axis' (2) to be below the rank (2)}}
  %0 = cnn.concat %a, %a axis 2 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<2x3x1xf32>) {
  // expected-error@+1 {{expected input 1 ('tensor<2x3x1xf32>') to have the rank and element type of input 0 ('tensor<2x3xf32>')}}
  %0 = cnn.concat %a, %b axis 0 : (tensor<2x3xf32>, tensor<2x3x1xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_dims(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error@+1 {{expected input 1 'tensor<2x4xf32>' to match input 0 'tensor<2x3xf32>' in every dimension but the axis, differs in 1}}
  %0 = cnn.concat %a, %b axis 0 : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @reshape_element_type(%x: tensor<4xf32>) {
  // expected-error@+1 {{expected the result to keep the element type 'f32', got 'tensor<2x2xf16>'}}
  %0 = cnn.reshape %x : tensor<4xf32> -> tensor<2x2xf16>
  return
}

// -----

func.func @reshape_count(%x: tensor<4xf32>) {
  // expected-error@+1 {{expected the result to have as many elements (6) as the input (4)}}
  %0 = cnn.reshape %x : tensor<4xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_size(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{expected a permutation of 2 dimensions, got [0]}}
  %0 = cnn.transpose %x permutation [0] : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @transpose_repeated(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{expected a permutation of 2 dimensions, got [1, 1]}}
  %0 = cnn.transpose %x permutation [1, 1] : tensor<2x3xf32> -> tensor<3x3xf32>
  return
}

// -----

func.func @slice_counts(%x: tensor<4x8xf32>) {
  // expected-error@+1 {{expected 2 offsets, sizes and strides (one per dimension)}}
  %0 = cnn.slice %x offsets [0] sizes [2, 3] strides [1, 1] : tensor<4x8xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @slice_zero_stride(%x: tensor<4x8xf32>) {
  // expected-error@+1 {{expected non-zero strides, got 0 in dimension 1}}
  %0 = cnn.slice %x offsets [0, 0] sizes [2, 3] strides [1, 0] : tensor<4x8xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @slice_out_of_range(%x: tensor<4x8xf32>) {
  // expected-error@+1 {{expected the slice to stay inside dimension 1 of size 8, it reads 4 to 8}}
  %0 = cnn.slice %x offsets [0, 4] sizes [2, 3] strides [1, 2] : tensor<4x8xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @slice_reversed_out_of_range(%x: tensor<5xf32>) {
  // expected-error@+1 {{expected the slice to stay inside dimension 0 of size 5, it reads 2 to -1}}
  %0 = cnn.slice %x offsets [2] sizes [4] strides [-1] : tensor<5xf32> -> tensor<4xf32>
  return
}

// -----

func.func @slice_overflow(%x: tensor<5xf32>) {
  // expected-error@+1 {{expected the slice to stay inside dimension 0 of size 5, it reads from 1 3 elements 4611686018427387904 apart}}
  %0 = cnn.slice %x offsets [1] sizes [3] strides [4611686018427387904] : tensor<5xf32> -> tensor<3xf32>
  return
}

// -----

func.func @pad_count(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{expected 4 values in 'pads', got 2}}
  %0 = cnn.pad constant %x pads [1, 1] : tensor<2x3xf32> -> tensor<3x4xf32>
  return
}

// -----

func.func @pad_reflect_too_large(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{expected reflect pads smaller than dimension 0 (size 2), got 2 and 0}}
  %0 = cnn.pad reflect %x pads [2, 0, 0, 0] : tensor<2x3xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @pad_overflow(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{expected pads that keep dimension 0 within int64, got 9223372036854775807 and 0}}
  %0 = cnn.pad constant %x pads [9223372036854775807, 0, 0, 0] : tensor<2x3xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @pad_edge_empty(%x: tensor<0x3xf32>) {
  // expected-error@+1 {{expected edge padding of a non-empty dimension, 0 is empty}}
  %0 = cnn.pad edge %x pads [1, 0, 0, 0] : tensor<0x3xf32> -> tensor<1x3xf32>
  return
}

// -----

func.func @resize_rank(%x: tensor<1x1x2x2xf32>) {
  // expected-error@+1 {{expected a result of the input's rank and element type, got 'tensor<1x4x4xf32>'}}
  %0 = cnn.resize nearest %x scales [1.0, 1.0, 2.0, 2.0] coordinate_mode asymmetric nearest_mode floor : tensor<1x1x2x2xf32> -> tensor<1x4x4xf32>
  return
}

// -----

func.func @resize_scales_count(%x: tensor<1x1x2x2xf32>) {
  // expected-error@+1 {{expected 4 scales (one per dimension), got 2}}
  %0 = cnn.resize nearest %x scales [2.0, 2.0] coordinate_mode asymmetric nearest_mode floor : tensor<1x1x2x2xf32> -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @resize_scale_sign(%x: tensor<1x1x2x2xf32>) {
  // expected-error@+1 {{expected positive scales, got 0 in dimension 2}}
  %0 = cnn.resize nearest %x scales [1.0, 1.0, 0.0, 2.0] coordinate_mode asymmetric nearest_mode floor : tensor<1x1x2x2xf32> -> tensor<1x1x1x4xf32>
  return
}

// -----

func.func @resize_size(%x: tensor<1x1x2x2xf32>) {
  // expected-error@+1 {{expected dimension 3 of the result to be 2 x 2, got 5}}
  %0 = cnn.resize linear %x scales [1.0, 1.0, 2.0, 2.0] coordinate_mode half_pixel nearest_mode floor : tensor<1x1x2x2xf32> -> tensor<1x1x4x5xf32>
  return
}

//===----------------------------------------------------------------------===//
// Reductions and softmax
//===----------------------------------------------------------------------===//

// -----

func.func @reduce_no_axes(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{expected at least one axis}}
  %0 = cnn.reduce sum %x axes [] : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @reduce_axis_range(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{expected axes below the rank (2), got 2}}
  %0 = cnn.reduce sum %x axes [2] : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @reduce_axis_order(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{expected strictly increasing axes, got [2, 1]}}
  %0 = cnn.reduce sum %x axes [2, 1] : tensor<2x3x4xf32> -> tensor<2xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'cnn.softmax' op expected 'axis' (2) to be below the rank (2)}}
  %0 = cnn.softmax %x axis 2 : tensor<2x3xf32>
  return
}

// -----

func.func @log_softmax_axis(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'cnn.log_softmax' op expected 'axis' (5) to be below the rank (2)}}
  %0 = cnn.log_softmax %x axis 5 : tensor<2x3xf32>
  return
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

// -----

func.func @cross_entropy_logits(%l: tensor<2x3x4xf32>, %y: tensor<2xi64>) {
  // expected-error@+1 {{expected logits of shape [N, C], got 'tensor<2x3x4xf32>'}}
  %0 = cnn.softmax_cross_entropy %l, %y reduction mean : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<f32>
  return
}

// -----

func.func @cross_entropy_labels(%l: tensor<2x3xf32>, %y: tensor<3xi64>) {
  // expected-error@+1 {{expected labels of shape [2] (one per sample), got 'tensor<3xi64>'}}
  %0 = cnn.softmax_cross_entropy %l, %y reduction mean : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<f32>
  return
}

// -----

func.func @cross_entropy_smoothing(%l: tensor<2x3xf32>, %y: tensor<2xi32>) {
  // expected-error@+1 {{expected 'label_smoothing' in [0, 1], got 2}}
  %0 = cnn.softmax_cross_entropy %l, %y reduction mean {label_smoothing = 2.0 : f32} : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<f32>
  return
}

// -----

func.func @mse_types(%p: tensor<2x3xf32>, %t: tensor<3x2xf32>) {
  // expected-error@+1 {{expected the target to have the prediction's type 'tensor<2x3xf32>', got 'tensor<3x2xf32>'}}
  %0 = cnn.mse_loss %p, %t reduction mean : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<f32>
  return
}

// -----

func.func @conv_residual_type(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>, %r: tensor<1x4x4x4xf32>) {
  // expected-error@+1 {{expected the residual to have the result's type 'tensor<1x4x8x8xf32>', got 'tensor<1x4x4x4xf32>'}}
  %0 = cnn.conv %x, %w residual %r strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_activation_parameter(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error@+1 {{expected leaky_relu to have 'activation_alpha'}}
  %0 = cnn.conv %x, %w strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 activation leaky_relu : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @matmul_parameter_without_activation(%a: tensor<2x8xf32>, %b: tensor<8x3xf32>) {
  // expected-error@+1 {{expected 'activation_alpha' and 'activation_beta' only with an 'activation'}}
  %0 = cnn.matmul %a, %b {activation_alpha = 1.0 : f32} : (tensor<2x8xf32>, tensor<8x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @matmul_clip_bounds(%a: tensor<2x8xf32>, %b: tensor<8x3xf32>) {
  // expected-error@+1 {{expected clip's lower bound (activation_alpha = 6) to be at most its upper bound (activation_beta = 0)}}
  %0 = cnn.matmul %a, %b activation clip {activation_alpha = 6.0 : f32, activation_beta = 0.0 : f32} : (tensor<2x8xf32>, tensor<8x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @conv_nhwc_rank(%x: tensor<1x8x4xf32>, %w: tensor<3x4x4xf32>) {
  // expected-error@+1 {{'cnn.conv' op expected a rank-4 input with layout nhwc, got 'tensor<1x8x4xf32>'}}
  %0 = cnn.conv %x, %w strides [1] pads [0, 0] dilations [1] groups 1 layout nhwc : (tensor<1x8x4xf32>, tensor<3x4x4xf32>) -> tensor<1x6x4xf32>
}

// -----

func.func @conv_nhwc_channels(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x3x6xf32>) {
  // expected-error@+1 {{'cnn.conv' op expected the weight's input channels (3) times groups (1) to equal the input channels (4)}}
  %0 = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 layout nhwc : (tensor<1x8x8x4xf32>, tensor<3x3x3x6xf32>) -> tensor<1x6x6x6xf32>
}

// -----

func.func @conv_nhwc_result(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x4x6xf32>) {
  // expected-error@+2 {{'cnn.conv' op inferred type(s) 'tensor<1x6x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x6x6x6x1xf32>'}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = cnn.conv %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 layout nhwc : (tensor<1x8x8x4xf32>, tensor<3x3x4x6xf32>) -> tensor<1x6x6x6x1xf32>
}

// -----

func.func @pool_nhwc_rank(%x: tensor<1x4x4x4x2xf32>) {
  // expected-error@+1 {{'cnn.pool' op expected a rank-4 input with layout nhwc, got 'tensor<1x4x4x4x2xf32>'}}
  %0 = cnn.pool max %x kernel [2, 2, 2] strides [2, 2, 2] pads [0, 0, 0, 0, 0, 0] dilations [1, 1, 1] layout nhwc : tensor<1x4x4x4x2xf32> -> tensor<1x2x2x2x2xf32>
}

// -----

func.func @global_pool_nhwc_result(%x: tensor<1x4x4x8xf32>) {
  // expected-error@+2 {{'cnn.global_pool' op inferred type(s) 'tensor<1x1x1x8xf32>' are incompatible with return type(s) of operation 'tensor<1x8x1x1xf32>'}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = cnn.global_pool avg %x layout nhwc : tensor<1x4x4x8xf32> -> tensor<1x8x1x1xf32>
}

//===----------------------------------------------------------------------===//
// Gradients
//===----------------------------------------------------------------------===//

// -----

func.func @activation_grad_types(%x: tensor<4xf32>, %dy: tensor<3xf32>) {
  // expected-error@+1 {{'cnn.activation_grad' op failed to verify that all of {input, grad, result} have same type}}
  %0 = "cnn.activation_grad"(%x, %dy) <{kind = #cnn<activation relu>}> : (tensor<4xf32>, tensor<3xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @activation_grad_missing_alpha(%x: tensor<4xf32>, %dy: tensor<4xf32>) {
  // expected-error@+1 {{'cnn.activation_grad' op expected leaky_relu to have 'alpha'}}
  %0 = cnn.activation_grad leaky_relu %x, %dy : tensor<4xf32>
  return
}

// -----

func.func @activation_grad_extra_alpha(%x: tensor<4xf32>, %dy: tensor<4xf32>) {
  // expected-error@+1 {{'cnn.activation_grad' op expected relu to have no 'alpha'}}
  %0 = cnn.activation_grad relu %x, %dy {alpha = 1.0 : f32} : tensor<4xf32>
  return
}

// -----

func.func @activation_grad_missing_beta(%x: tensor<4xf32>, %dy: tensor<4xf32>) {
  // expected-error@+1 {{'cnn.activation_grad' op expected hard_sigmoid to have 'beta'}}
  %0 = cnn.activation_grad hard_sigmoid %x, %dy {alpha = 0.2 : f32} : tensor<4xf32>
  return
}

// -----

func.func @activation_grad_extra_beta(%x: tensor<4xf32>, %dy: tensor<4xf32>) {
  // expected-error@+1 {{'cnn.activation_grad' op expected elu to have no 'beta'}}
  %0 = cnn.activation_grad elu %x, %dy {alpha = 1.0 : f32, beta = 1.0 : f32} : tensor<4xf32>
  return
}

// -----

func.func @activation_grad_clip_bounds(%x: tensor<4xf32>, %dy: tensor<4xf32>) {
  // expected-error@+1 {{'cnn.activation_grad' op expected clip's lower bound (alpha = 6) to be at most its upper bound (beta = 0)}}
  %0 = cnn.activation_grad clip %x, %dy {alpha = 6.0 : f32, beta = 0.0 : f32} : tensor<4xf32>
  return
}

// -----

func.func @conv_weight_grad_result_rank(%x: tensor<1x3x8x8xf32>, %dy: tensor<1x4x6x6xf32>) {
  // expected-error@+1 {{'cnn.conv_weight_grad' op expected a rank-4 result [F, C / groups, KH, KW], got 'tensor<4x3x3xf32>'}}
  %0 = cnn.conv_weight_grad %x, %dy strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<1x4x6x6xf32>) -> tensor<4x3x3xf32>
  return
}

// -----

func.func @conv_weight_grad_result_element(%x: tensor<1x3x8x8xf32>, %dy: tensor<1x4x6x6xf32>) {
  // expected-error@+1 {{'cnn.conv_weight_grad' op expected a result of element type 'f32', got 'tensor<4x3x3x3xf64>'}}
  %0 = cnn.conv_weight_grad %x, %dy strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<1x4x6x6xf32>) -> tensor<4x3x3x3xf64>
  return
}

// -----

func.func @conv_weight_grad_groups(%x: tensor<1x4x8x8xf32>, %dy: tensor<1x6x6x6xf32>) {
  // expected-error@+1 {{'cnn.conv_weight_grad' op expected a result [F, C / groups, KH, KW] with F divisible by groups (2) and C = 4, got 'tensor<6x4x3x3xf32>'}}
  %0 = cnn.conv_weight_grad %x, %dy strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 2 : (tensor<1x4x8x8xf32>, tensor<1x6x6x6xf32>) -> tensor<6x4x3x3xf32>
  return
}

// -----

func.func @conv_weight_grad_input_rank(%x: tensor<1x3x8xf32>, %dy: tensor<1x4x6xf32>) {
  // expected-error@+1 {{'cnn.conv_weight_grad' op expected a rank-4 input [N, C, H, W], got 'tensor<1x3x8xf32>'}}
  %0 = cnn.conv_weight_grad %x, %dy strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8xf32>, tensor<1x4x6xf32>) -> tensor<4x3x3x3xf32>
  return
}

// -----

func.func @conv_weight_grad_grad_element(%x: tensor<1x3x8x8xf32>, %dy: tensor<1x4x6x6xf64>) {
  // expected-error@+1 {{'cnn.conv_weight_grad' op expected 'grad_output' to have element type 'f32', got 'tensor<1x4x6x6xf64>'}}
  %0 = cnn.conv_weight_grad %x, %dy strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<1x4x6x6xf64>) -> tensor<4x3x3x3xf32>
  return
}

// -----

func.func @conv_weight_grad_arity(%x: tensor<1x3x8x8xf32>, %dy: tensor<1x4x6x6xf32>) {
  // expected-error@+1 {{'cnn.conv_weight_grad' op expected 2 values in 'strides', got 1}}
  %0 = cnn.conv_weight_grad %x, %dy strides [1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<1x4x6x6xf32>) -> tensor<4x3x3x3xf32>
  return
}

// -----

func.func @conv_weight_grad_kernel_too_large(%x: tensor<1x3x2x8xf32>, %dy: tensor<1x4x1x6xf32>) {
  // expected-error@+1 {{'cnn.conv_weight_grad' op expected the padded input (2 + 0 + 0) to hold the dilated kernel (3) in spatial dimension 0}}
  %0 = cnn.conv_weight_grad %x, %dy strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x2x8xf32>, tensor<1x4x1x6xf32>) -> tensor<4x3x3x3xf32>
  return
}

// -----

func.func @conv_weight_grad_huge_pads(%x: tensor<1x3x8x8xf32>, %dy: tensor<1x4x6x6xf32>) {
  // expected-error@+1 {{'cnn.conv_weight_grad' op expected an output size below 2^62 in spatial dimension 0, got 4611686018427387910 (the pads are too large)}}
  %0 = cnn.conv_weight_grad %x, %dy strides [1, 1] pads [4611686018427387904, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<1x4x6x6xf32>) -> tensor<4x3x3x3xf32>
  return
}

// -----

func.func @conv_weight_grad_grad_shape(%x: tensor<1x3x8x8xf32>, %dy: tensor<1x4x8x8xf32>) {
  // expected-error@+1 {{'cnn.conv_weight_grad' op expected 'grad_output' of shape [1, 4, 6, 6] (the forward op's result), got 'tensor<1x4x8x8xf32>'}}
  %0 = cnn.conv_weight_grad %x, %dy strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x3x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<4x3x3x3xf32>
  return
}

// -----

func.func @pool_grad_count_include_pad(%x: tensor<1x2x4x4xf32>, %dy: tensor<1x2x2x2xf32>) {
  // expected-error@+1 {{'cnn.pool_grad' op expected 'count_include_pad' only on an average pool}}
  %0 = cnn.pool_grad max %x, %dy kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] count_include_pad : tensor<1x2x4x4xf32>, tensor<1x2x2x2xf32>
  return
}

// -----

func.func @pool_grad_input_rank(%x: tensor<1x2x4xf32>, %dy: tensor<1x2x2xf32>) {
  // expected-error@+1 {{'cnn.pool_grad' op expected a rank-4 input [N, C, H, W], got 'tensor<1x2x4xf32>'}}
  %0 = cnn.pool_grad max %x, %dy kernel [2] strides [2] pads [0, 0] dilations [1] : tensor<1x2x4xf32>, tensor<1x2x2xf32>
  return
}

// -----

func.func @pool_grad_arity(%x: tensor<1x2x4x4xf32>, %dy: tensor<1x2x2x2xf32>) {
  // expected-error@+1 {{'cnn.pool_grad' op expected 2 values in 'kernel', got 1}}
  %0 = cnn.pool_grad avg %x, %dy kernel [2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] : tensor<1x2x4x4xf32>, tensor<1x2x2x2xf32>
  return
}

// -----

func.func @pool_grad_grad_element(%x: tensor<1x2x4x4xf32>, %dy: tensor<1x2x2x2xf16>) {
  // expected-error@+1 {{'cnn.pool_grad' op expected 'grad_output' to have element type 'f32', got 'tensor<1x2x2x2xf16>'}}
  %0 = cnn.pool_grad avg %x, %dy kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] : tensor<1x2x4x4xf32>, tensor<1x2x2x2xf16>
  return
}

// -----

func.func @pool_grad_window_too_large(%x: tensor<1x2x4x4xf32>, %dy: tensor<1x2x1x1xf32>) {
  // expected-error@+1 {{'cnn.pool_grad' op expected the padded input (4 + 0 + 0) to hold the dilated kernel (5) in spatial dimension 1}}
  %0 = cnn.pool_grad max %x, %dy kernel [2, 3] strides [1, 1] pads [0, 0, 0, 0] dilations [1, 2] : tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>
  return
}

// -----

func.func @pool_grad_grad_shape(%x: tensor<1x2x6x6xf32>, %dy: tensor<1x2x3x3xf32>) {
  // With ceil_mode the forward pool has 4 x 4 windows.
  // expected-error@+1 {{'cnn.pool_grad' op expected 'grad_output' of shape [1, 2, 4, 4] (the forward op's result), got 'tensor<1x2x3x3xf32>'}}
  %0 = cnn.pool_grad avg %x, %dy kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] ceil_mode : tensor<1x2x6x6xf32>, tensor<1x2x3x3xf32>
  return
}

// -----

func.func @cross_entropy_grad_logits(%l: tensor<2x3x4xf32>, %y: tensor<2xi32>, %g: tensor<f32>) {
  // expected-error@+1 {{'cnn.softmax_cross_entropy_grad' op expected logits of shape [N, C], got 'tensor<2x3x4xf32>'}}
  %0 = cnn.softmax_cross_entropy_grad %l, %y, %g reduction mean : (tensor<2x3x4xf32>, tensor<2xi32>, tensor<f32>) -> tensor<2x3x4xf32>
  return
}

// -----

func.func @cross_entropy_grad_labels(%l: tensor<2x3xf32>, %y: tensor<3xi32>, %g: tensor<f32>) {
  // expected-error@+1 {{'cnn.softmax_cross_entropy_grad' op expected labels of shape [2] (one per sample), got 'tensor<3xi32>'}}
  %0 = cnn.softmax_cross_entropy_grad %l, %y, %g reduction mean : (tensor<2x3xf32>, tensor<3xi32>, tensor<f32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @cross_entropy_grad_smoothing(%l: tensor<2x3xf32>, %y: tensor<2xi32>, %g: tensor<f32>) {
  // expected-error@+1 {{'cnn.softmax_cross_entropy_grad' op expected 'label_smoothing' in [0, 1], got -0.5}}
  %0 = cnn.softmax_cross_entropy_grad %l, %y, %g reduction mean {label_smoothing = -0.5 : f32} : (tensor<2x3xf32>, tensor<2xi32>, tensor<f32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @cross_entropy_grad_grad_type(%l: tensor<2x3xf32>, %y: tensor<2xi32>, %g: tensor<f32>) {
  // `none` takes the gradient of each sample's loss.
  // expected-error@+1 {{'cnn.softmax_cross_entropy_grad' op expected 'grad' of type 'tensor<2xf32>' (the loss's), got 'tensor<f32>'}}
  %0 = cnn.softmax_cross_entropy_grad %l, %y, %g reduction none : (tensor<2x3xf32>, tensor<2xi32>, tensor<f32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @dropout_mask_ratio(%key: tensor<i64>) {
  // expected-error@+1 {{'cnn.dropout_mask' op expected 'ratio' in [0, 1), got 1}}
  %0 = cnn.dropout_mask %key {ratio = 1.0 : f32} : tensor<i64> -> tensor<4xf32>
  return
}
