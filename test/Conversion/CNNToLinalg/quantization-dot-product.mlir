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
// AVX512:         scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 1, 8)
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

// -----

// With layout nhwc (cnnc-select-layout's choice) the input is padded where
// it is, along H and W, and read as it is: no transpose of the activation.
// Each pixel's 16 channels are one contiguous int32 vector of the NHWC
// result, written as it is, and the corrections run over the NHWC result
// with the channels innermost.
// AVX512-DAG:   #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// AVX512-DAG:   #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// AVX512-LABEL: func.func @channels_last
// AVX512-SAME:    (%[[X:.*]]: tensor<1x8x8x32xi8>)
// AVX512:         %[[P:.*]] = tensor.pad %[[X]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// AVX512-NOT:     linalg.transpose ins(%[[P]]
// AVX512:         scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 1, 8)
// AVX512-COUNT-8:   llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// AVX512-NOT:       vector.transpose
// AVX512-COUNT-8:   vector.transfer_write %{{.*}} : vector<16xi32>, tensor<1x1x8x16xi32>
// AVX512:           tensor.parallel_insert_slice %{{.*}} [1, 1, 8, 16] [1, 1, 1, 1] : tensor<1x1x8x16xi32> into tensor<1x8x8x16xi32>
// AVX512:         linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #{{.*}}, #[[ID]]]{{.*}} outs(%{{.*}} : tensor<1x8x8x16xi32>)
func.func @channels_last(%x: tensor<1x8x8x32xui8>) -> tensor<1x8x8x16xi32> {
  %w = cnn.constant dense<1> : tensor<16x32x3x3xi8>
  %xz = cnn.constant dense<3> : tensor<ui8>
  %wz = cnn.constant dense<0> : tensor<i8>
  %0 = cnn.conv_integer %x, %w, %xz, %wz strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 layout nhwc
       : (tensor<1x8x8x32xui8>, tensor<16x32x3x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x8x8x16xi32>
  return %0 : tensor<1x8x8x16xi32>
}

// -----

// A channels-last layer that ends in a requantization (constant zero
// points, bias and multiplier) ends in the kernel's store: per tile the
// sums start from the channels' offsets (bias - xz * sum w: 100 - 3 * 288
// = -764, zeros past the 20 channels), the multipliers are read, per pixel
// the vector is requantized as cnn.requantize does it (sitofp,
// * multiplier, roundeven, + zero point, saturated to [-128, 127]) and
// written as 16 bytes of the int8 NHWC result. No int32 tensor and no loop
// after the kernel.
// AVX512-LABEL: func.func @requantized
// AVX512:         %[[OFF:.*]] = arith.constant dense<[-764, {{.*}}, -764, 0, {{.*}}, 0]> : tensor<32xi32>
// AVX512:         %[[MUL:.*]] = arith.constant dense<[1.250000e-01, {{.*}}, 0.000000e+00]> : tensor<32xf32>
// AVX512:         %[[R:.*]] = scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 1, 6) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<1x6x6x20xi8>)
// AVX512:           tensor.extract_slice %{{.*}} [1, 1, 6, 20] [1, 1, 1, 1] : tensor<1x6x6x20xi8> to tensor<1x1x6x20xi8>
// AVX512:           %[[START:.*]] = vector.transfer_read %[[OFF]][%{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<32xi32>, vector<16xi32>
// AVX512:           scf.for {{.*}} iter_args(%{{.*}} = %[[START]], %{{.*}} = %[[START]],
// AVX512-COUNT-6:   llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// AVX512:           vector.transfer_read %[[MUL]][%{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<32xf32>, vector<16xf32>
// AVX512:           arith.sitofp %{{.*}} : vector<16xi32> to vector<16xf32>
// AVX512:           math.roundeven %{{.*}} : vector<16xf32>
// AVX512:           arith.constant dense<-5.000000e+00> : vector<16xf32>
// AVX512:           arith.constant dense<-1.280000e+02> : vector<16xf32>
// AVX512:           arith.constant dense<1.270000e+02> : vector<16xf32>
// AVX512:           arith.trunci %{{.*}} : vector<16xi32> to vector<16xi8>
// AVX512:           vector.transfer_write %{{.*}} : vector<16xi8>, tensor<1x1x6x20xi8>
// AVX512:       return %[[R]] : tensor<1x6x6x20xi8>
// Without the kernel the requantization stays its own loop.
// NONE-LABEL:   func.func @requantized
// NONE:           math.roundeven %{{.*}} : f32
func.func @requantized(%x: tensor<1x6x6x32xui8>) -> tensor<1x6x6x20xi8> {
  %w = cnn.constant dense<1> : tensor<20x32x3x3xi8>
  %xz = cnn.constant dense<3> : tensor<ui8>
  %wz = cnn.constant dense<0> : tensor<i8>
  %b = cnn.constant dense<100> : tensor<20xi32>
  %m = cnn.constant dense<0.125> : tensor<20xf32>
  %yz = cnn.constant dense<-5> : tensor<i8>
  %0 = cnn.conv_integer %x, %w, %xz, %wz bias %b strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 layout nhwc
       : (tensor<1x6x6x32xui8>, tensor<20x32x3x3xi8>, tensor<ui8>, tensor<i8>, tensor<20xi32>) -> tensor<1x6x6x20xi32>
  %1 = cnn.requantize %0, %m, %yz axis 3 : (tensor<1x6x6x20xi32>, tensor<20xf32>, tensor<i8>) -> tensor<1x6x6x20xi8>
  return %1 : tensor<1x6x6x20xi8>
}

// -----

// A multiplier known only at run time: the products, then the loop that
// corrects and the requantization's own loop.
// AVX512-LABEL: func.func @runtime_multiplier
// AVX512:         scf.forall {{.*}} -> (tensor<1x6x6x16xi32>)
// AVX512:         linalg.generic
// AVX512:           math.roundeven %{{.*}} : f32
func.func @runtime_multiplier(%x: tensor<1x6x6x32xui8>, %m: tensor<f32>) -> tensor<1x6x6x16xui8> {
  %w = cnn.constant dense<1> : tensor<16x32x3x3xi8>
  %xz = cnn.constant dense<3> : tensor<ui8>
  %wz = cnn.constant dense<0> : tensor<i8>
  %0 = cnn.conv_integer %x, %w, %xz, %wz strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 layout nhwc
       : (tensor<1x6x6x32xui8>, tensor<16x32x3x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x6x6x16xi32>
  %1 = cnn.requantize %0, %m, %xz : (tensor<1x6x6x16xi32>, tensor<f32>, tensor<ui8>) -> tensor<1x6x6x16xui8>
  return %1 : tensor<1x6x6x16xui8>
}

// -----

// A QDQ residual block after the requantization (dequantize, + the
// dequantized skip tensor, relu, quantize; parameters per tensor and
// constant) ends in the store too, exactly as the float loop computes it:
// the requantized lanes dequantized (zero point 7, scale 0.5) as
// round(clamp(x, 0 - 7, 255 - 7)) * 0.5, which is the integers' value
// without their round trip through int32; the skip tensor's 16 bytes of
// the same pixel read and dequantized (zero point 9, scale 0.25), added,
// relu, divided by the output scale 0.75, rounded and saturated. One
// forall, no loop after it.
// AVX512-LABEL: func.func @residual_block
// AVX512-SAME:    (%[[X:.*]]: tensor<1x6x6x32xi8>, %[[SKIP:.*]]: tensor<1x6x6x16xi8>)
// AVX512:         %[[R:.*]] = scf.forall
// AVX512-COUNT-6:   llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// AVX512:           %[[S:.*]] = vector.transfer_read %[[SKIP]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}], %{{.*}} : tensor<1x6x6x16xi8>, vector<16xi8>
// AVX512:           arith.constant dense<-7.000000e+00> : vector<16xf32>
// AVX512:           %[[LO:.*]] = arith.maxnumf %{{.*}}, %{{.*}} : vector<16xf32>
// AVX512:           arith.constant dense<2.480000e+02> : vector<16xf32>
// AVX512:           %[[HI:.*]] = arith.minnumf %[[LO]], %{{.*}} : vector<16xf32>
// AVX512:           %[[RND:.*]] = math.roundeven %[[HI]] : vector<16xf32>
// AVX512:           arith.constant dense<5.000000e-01> : vector<16xf32>
// AVX512:           %[[M1:.*]] = arith.mulf %[[RND]], %{{.*}} : vector<16xf32>
// AVX512:           %[[SW:.*]] = arith.extui %[[S]] : vector<16xi8> to vector<16xi32>
// AVX512:           %[[D2:.*]] = arith.subi %[[SW]], %{{.*}} : vector<16xi32>
// AVX512:           %[[F2:.*]] = arith.sitofp %[[D2]]
// AVX512:           %[[M2:.*]] = arith.mulf %[[F2]], %{{.*}} : vector<16xf32>
// AVX512:           %[[SUM:.*]] = arith.addf %[[M1]], %[[M2]] : vector<16xf32>
// AVX512:           %[[RELU:.*]] = arith.maximumf %[[SUM]], %{{.*}} : vector<16xf32>
// AVX512:           arith.divf %[[RELU]], %{{.*}} : vector<16xf32>
// AVX512:           math.roundeven
// AVX512:           arith.trunci %{{.*}} : vector<16xi32> to vector<16xi8>
// AVX512:           vector.transfer_write %{{.*}} : vector<16xi8>, tensor<1x1x6x16xi8>
// AVX512-NOT:     linalg.generic
// AVX512:         return
func.func @residual_block(%x: tensor<1x6x6x32xui8>, %skip: tensor<1x6x6x16xui8>) -> tensor<1x6x6x16xui8> {
  %w = cnn.constant dense<1> : tensor<16x32x1x1xi8>
  %xz = cnn.constant dense<3> : tensor<ui8>
  %wz = cnn.constant dense<0> : tensor<i8>
  %m = cnn.constant dense<0.125> : tensor<f32>
  %z1 = cnn.constant dense<7> : tensor<ui8>
  %s1 = cnn.constant dense<0.5> : tensor<f32>
  %z2 = cnn.constant dense<9> : tensor<ui8>
  %s2 = cnn.constant dense<0.25> : tensor<f32>
  %s3 = cnn.constant dense<0.75> : tensor<f32>
  %z3 = cnn.constant dense<0> : tensor<ui8>
  %0 = cnn.conv_integer %x, %w, %xz, %wz strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 layout nhwc
       : (tensor<1x6x6x32xui8>, tensor<16x32x1x1xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x6x6x16xi32>
  %1 = cnn.requantize %0, %m, %z1 : (tensor<1x6x6x16xi32>, tensor<f32>, tensor<ui8>) -> tensor<1x6x6x16xui8>
  %2 = cnn.dequantize %1, %s1, %z1 : (tensor<1x6x6x16xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x6x6x16xf32>
  %3 = cnn.dequantize %skip, %s2, %z2 : (tensor<1x6x6x16xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x6x6x16xf32>
  %4 = cnn.binary add %3, %2 : (tensor<1x6x6x16xf32>, tensor<1x6x6x16xf32>) -> tensor<1x6x6x16xf32>
  %5 = cnn.activation relu %4 : tensor<1x6x6x16xf32>
  %6 = cnn.quantize %5, %s3, %z3 : (tensor<1x6x6x16xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x6x6x16xui8>
  return %6 : tensor<1x6x6x16xui8>
}

// -----

// A skip tensor dequantized per channel: the block stays the float loop
// after the kernel (which still requantizes in its store).
// AVX512-LABEL: func.func @residual_per_channel
// AVX512:         scf.forall {{.*}} -> (tensor<1x6x6x16xi8>)
// AVX512-NOT:       arith.divf
// AVX512:         linalg.generic
// AVX512:           arith.divf %{{.*}} : f32
func.func @residual_per_channel(%x: tensor<1x6x6x32xui8>, %skip: tensor<1x6x6x16xui8>) -> tensor<1x6x6x16xui8> {
  %w = cnn.constant dense<1> : tensor<16x32x1x1xi8>
  %xz = cnn.constant dense<3> : tensor<ui8>
  %wz = cnn.constant dense<0> : tensor<i8>
  %m = cnn.constant dense<0.125> : tensor<f32>
  %z1 = cnn.constant dense<7> : tensor<ui8>
  %s1 = cnn.constant dense<0.5> : tensor<f32>
  %z2 = cnn.constant dense<9> : tensor<16xui8>
  %s2 = cnn.constant dense<0.25> : tensor<16xf32>
  %s3 = cnn.constant dense<0.75> : tensor<f32>
  %0 = cnn.conv_integer %x, %w, %xz, %wz strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 layout nhwc
       : (tensor<1x6x6x32xui8>, tensor<16x32x1x1xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x6x6x16xi32>
  %1 = cnn.requantize %0, %m, %z1 : (tensor<1x6x6x16xi32>, tensor<f32>, tensor<ui8>) -> tensor<1x6x6x16xui8>
  %2 = cnn.dequantize %1, %s1, %z1 : (tensor<1x6x6x16xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x6x6x16xf32>
  %3 = cnn.dequantize %skip, %s2, %z2 axis 3 : (tensor<1x6x6x16xui8>, tensor<16xf32>, tensor<16xui8>) -> tensor<1x6x6x16xf32>
  %4 = cnn.binary add %2, %3 : (tensor<1x6x6x16xf32>, tensor<1x6x6x16xf32>) -> tensor<1x6x6x16xf32>
  %6 = cnn.quantize %4, %s3, %z1 : (tensor<1x6x6x16xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x6x6x16xui8>
  return %6 : tensor<1x6x6x16xui8>
}
