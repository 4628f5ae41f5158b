// RUN: cnnc-opt %s --cnnc-convert-cnn-to-linalg=int8-multiply-add-bits=256 --split-input-file | FileCheck %s --check-prefix=AVX2
// RUN: cnnc-opt %s --cnnc-convert-cnn-to-linalg=int8-multiply-add-bits=512 --split-input-file | FileCheck %s --check-prefix=AVX512
// RUN: cnnc-opt %s --cnnc-convert-cnn-to-linalg="int8-dot-product-bits=512 int8-multiply-add-bits=512" --split-input-file | FileCheck %s --check-prefix=VNNI

// Without vpdpbusd, the u8 x s8 kernel's step is vpmaddubsw (the products of
// channels 2k and 2k + 1 summed into int16), vpmaddwd by ones (pairs of
// those into int32) and an add, where no pair of weights can saturate int16
// with any uint8 inputs: 255 * (64 + 64) = 32640 fits.
// AVX2-LABEL: func.func @fits
// AVX2:         arith.constant dense_resource<packed_int8> : tensor<2x1x1x1x32xi8>
// AVX2:         %[[ONES:.*]] = arith.constant dense<1> : vector<16xi16>
// AVX2:         scf.forall
// AVX2:           %[[PAIRS:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"({{.*}}) : (vector<32xi8>, vector<32xi8>) -> vector<16xi16>
// AVX2-NEXT:      %[[QUADS:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%[[PAIRS]], %[[ONES]]) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// AVX2-NEXT:      arith.addi %{{.*}}, %[[QUADS]] : vector<8xi32>
// AVX2-COUNT-3:   llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// AVX2-NOT:       llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// AVX2:           scf.forall.in_parallel
// AVX512-LABEL: func.func @fits
// AVX512:         llvm.call_intrinsic "llvm.x86.avx512.pmaddubs.w.512"({{.*}}) : (vector<64xi8>, vector<64xi8>) -> vector<32xi16>
// AVX512-NEXT:    llvm.call_intrinsic "llvm.x86.avx512.pmaddw.d.512"({{.*}}) : (vector<32xi16>, vector<32xi16>) -> vector<16xi32>
// With vpdpbusd, that.
// VNNI-LABEL:   func.func @fits
// VNNI-NOT:       pmadd
// VNNI:           llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
func.func @fits(%x: tensor<1x2x4x4xui8>) -> tensor<1x16x4x4xi32> {
  %w = cnn.constant dense<64> : tensor<16x2x1x1xi8>
  %xz = cnn.constant dense<0> : tensor<ui8>
  %wz = cnn.constant dense<0> : tensor<i8>
  %0 = cnn.conv_integer %x, %w, %xz, %wz strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1
       : (tensor<1x2x4x4xui8>, tensor<16x2x1x1xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x16x4x4xi32>
  return %0 : tensor<1x16x4x4xi32>
}

// -----

// 255 * (-65 - 65) = -33150 saturates int16: the generic loops.
// AVX2-LABEL:   func.func @saturates
// AVX2-NOT:       llvm.call_intrinsic
// AVX2-NOT:       scf.forall
// AVX2:           return
// AVX512-LABEL: func.func @saturates
// AVX512-NOT:     llvm.call_intrinsic
// AVX512:         return
// VNNI-LABEL:   func.func @saturates
// VNNI:           llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
func.func @saturates(%x: tensor<1x2x4x4xui8>) -> tensor<1x16x4x4xi32> {
  %w = cnn.constant dense<-65> : tensor<16x2x1x1xi8>
  %xz = cnn.constant dense<0> : tensor<ui8>
  %wz = cnn.constant dense<0> : tensor<i8>
  %0 = cnn.conv_integer %x, %w, %xz, %wz strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1
       : (tensor<1x2x4x4xui8>, tensor<16x2x1x1xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x16x4x4xi32>
  return %0 : tensor<1x16x4x4xi32>
}

// -----

// One input channel, padded to four with zero weights: each pair is
// (127, 0), 255 * 127 = 32385 fits.
// AVX2-LABEL:   func.func @padded_pair
// AVX2:           tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 0, 3]
// AVX2:           llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
func.func @padded_pair(%x: tensor<1x1x4x4xui8>) -> tensor<1x8x4x4xi32> {
  %w = cnn.constant dense<127> : tensor<8x1x1x1xi8>
  %xz = cnn.constant dense<0> : tensor<ui8>
  %wz = cnn.constant dense<0> : tensor<i8>
  %0 = cnn.conv_integer %x, %w, %xz, %wz strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1
       : (tensor<1x1x4x4xui8>, tensor<8x1x1x1xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x8x4x4xi32>
  return %0 : tensor<1x8x4x4xi32>
}

// -----

// A matrix product with a weight that fits: the same kernel; one that does
// not: the generic loops.
// AVX2-LABEL:   func.func @matmul
// AVX2:           llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// AVX2-LABEL:   func.func @matmul_saturates
// AVX2-NOT:       llvm.call_intrinsic
// AVX2:           return
func.func @matmul(%a: tensor<2x8xui8>) -> tensor<2x3xi32> {
  %b = cnn.constant dense<-64> : tensor<8x3xi8>
  %az = cnn.constant dense<128> : tensor<ui8>
  %bz = cnn.constant dense<0> : tensor<i8>
  %0 = cnn.matmul_integer %a, %b, %az, %bz : (tensor<2x8xui8>, tensor<8x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}
func.func @matmul_saturates(%a: tensor<2x8xui8>) -> tensor<2x3xi32> {
  %b = cnn.constant dense<100> : tensor<8x3xi8>
  %az = cnn.constant dense<128> : tensor<ui8>
  %bz = cnn.constant dense<0> : tensor<i8>
  %0 = cnn.matmul_integer %a, %b, %az, %bz : (tensor<2x8xui8>, tensor<8x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}
