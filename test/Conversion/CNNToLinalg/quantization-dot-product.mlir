// RUN: cnnc-opt %s --cnnc-convert-cnn-to-linalg=int8-dot-product-bits=512 --split-input-file | FileCheck %s --check-prefix=AVX512
// RUN: cnnc-opt %s --cnnc-convert-cnn-to-linalg=int8-dot-product-bits=256 --split-input-file | FileCheck %s --check-prefix=AVX256
// RUN: cnnc-opt %s --cnnc-convert-cnn-to-linalg --split-input-file | FileCheck %s --check-prefix=NONE

// A uint8 x int8 convolution of one group with a constant weight on the
// target's vpdpbusd: 3 input channels padded to 4, the weight packed at
// compile time as [F / lanes, KH, KW, C / 4, 4 * lanes] (one partial tile of
// 4 channels for 512 bits: 16 lanes), each output row an iteration of an
// scf.forall, tiles of 8 pixels (8 columns: one whole tile), a vpdpbusd per
// pixel and step of 4 channels.
// AVX512-LABEL: func.func @stem
// AVX512:         tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 0, 1]
// AVX512:         arith.constant dense_resource<packed_int8> : tensor<1x3x3x1x64xi8>
// AVX512:         scf.forall (%{{.*}}, %{{.*}}) in (1, 8)
// AVX512:           scf.for %{{.*}} = %{{.*}} to %c8 step %c8
// AVX512-COUNT-8:     llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"({{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// The 8 pixels by 16 lanes transposed in registers and written channels
// first, one run of 8 pixels per channel (the result rounded up to 16
// channels, the 4 that exist a view of it), so that the corrections read
// and write NCHW contiguously.
// AVX512:           vector.transpose %{{.*}}, [1, 0] : vector<8x16xi32> to vector<16x8xi32>
// AVX512-COUNT-16:  vector.transfer_write %{{.*}} {in_bounds = [true]} : vector<8xi32>, tensor<1x16x1x8xi32>
// AVX512:           scf.forall.in_parallel
// AVX512:             tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%{{.*}}, 0, %{{.*}}, 0] [1, 16, 1, 8] [1, 1, 1, 1] : tensor<1x16x1x8xi32> into tensor<1x16x8x8xi32>
// AVX512:         tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 4, 8, 8] [1, 1, 1, 1] : tensor<1x16x8x8xi32> to tensor<1x4x8x8xi32>
// AVX256-LABEL: func.func @stem
// AVX256:         arith.constant dense_resource<packed_int8> : tensor<1x3x3x1x32xi8>
// AVX256-COUNT-8: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"({{.*}}) : (vector<8xi32>, vector<32xi8>, vector<32xi8>) -> vector<8xi32>
// Without a dot product instruction, the generic loops.
// NONE-LABEL:   func.func @stem
// NONE-NOT:       llvm.call_intrinsic
// NONE-NOT:       scf.forall
func.func @stem(%x: tensor<1x3x8x8xui8>) -> tensor<1x4x8x8xi32> {
  %w = cnn.constant dense<1> : tensor<4x3x3x3xi8>
  %xz = cnn.constant dense<3> : tensor<ui8>
  %wz = cnn.constant dense<0> : tensor<i8>
  %0 = cnn.conv_integer %x, %w, %xz, %wz strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1
       : (tensor<1x3x8x8xui8>, tensor<4x3x3x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x4x8x8xi32>
  return %0 : tensor<1x4x8x8xi32>
}

// -----

// 11 output columns: one tile of 8 pixels, then the remaining 3 as one tile
// of 3 accumulators (the transfers stay in bounds but along the channels).
// AVX512-LABEL: func.func @remainder
// AVX512:         scf.for %{{.*}} = %c0{{.*}} to %c8{{.*}} step %c8
// AVX512-COUNT-8:   llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// AVX512:         scf.for %{{.*}} = %c8{{.*}} to %c11{{.*}} step %c3
// AVX512-COUNT-3:   llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// AVX512-NOT:       llvm.call_intrinsic
// AVX512:         scf.forall.in_parallel
func.func @remainder(%x: tensor<1x4x1x11xui8>) -> tensor<1x16x1x11xi32> {
  %w = cnn.constant dense<2> : tensor<16x4x1x1xi8>
  %xz = cnn.constant dense<0> : tensor<ui8>
  %wz = cnn.constant dense<0> : tensor<i8>
  %0 = cnn.conv_integer %x, %w, %xz, %wz strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1
       : (tensor<1x4x1x11xui8>, tensor<16x4x1x1xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x16x1x11xi32>
  return %0 : tensor<1x16x1x11xi32>
}

// -----

// A uint8 x constant int8 matrix product: the 1x1 convolution of one row of
// M pixels, then the corrections and the bias.
// AVX512-LABEL: func.func @matmul
// AVX512:         tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] output_shape [1, 1, 2, 8]
// AVX512:         llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// AVX512:         tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] : tensor<1x1x2x3xi32> into tensor<2x3xi32>
func.func @matmul(%a: tensor<2x8xui8>, %bias: tensor<3xi32>) -> tensor<2x3xi32> {
  %b = cnn.constant dense<1> : tensor<8x3xi8>
  %az = cnn.constant dense<128> : tensor<ui8>
  %bz = cnn.constant dense<0> : tensor<i8>
  %0 = cnn.matmul_integer %a, %b, %az, %bz bias %bias : (tensor<2x8xui8>, tensor<8x3xi8>, tensor<ui8>, tensor<i8>, tensor<3xi32>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// An int8 activation (no vpdpbusd form) stays on the generic loops.
// AVX512-LABEL: func.func @signed_input
// AVX512-NOT:     llvm.call_intrinsic
func.func @signed_input(%x: tensor<1x4x3x3xi8>) -> tensor<1x4x3x3xi32> {
  %w = cnn.constant dense<1> : tensor<4x4x1x1xi8>
  %z = cnn.constant dense<0> : tensor<i8>
  %0 = cnn.conv_integer %x, %w, %z, %z strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1
       : (tensor<1x4x3x3xi8>, tensor<4x4x1x1xi8>, tensor<i8>, tensor<i8>) -> tensor<1x4x3x3xi32>
  return %0 : tensor<1x4x3x3xi32>
}
