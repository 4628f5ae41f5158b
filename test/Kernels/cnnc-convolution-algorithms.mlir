// RUN: cnnc-opt %s --split-input-file --cnnc-convolution-algorithms="vector-bits=512 algorithm=winograd4" --canonicalize | FileCheck %s --check-prefix=F4
// RUN: cnnc-opt %s --split-input-file --cnnc-convolution-algorithms="vector-bits=256 algorithm=winograd2" --canonicalize | FileCheck %s --check-prefix=F2
// RUN: cnnc-opt %s --split-input-file --cnnc-convolution-algorithms="vector-bits=512 algorithm=im2col" --canonicalize | FileCheck %s --check-prefix=IM2COL
// RUN: cnnc-opt %s --split-input-file --cnnc-convolution-algorithms="vector-bits=512" --canonicalize | FileCheck %s --check-prefix=AUTO
// RUN: cnnc-opt %s --split-input-file --cnnc-convolution-algorithms="vector-bits=0 algorithm=winograd4" | FileCheck %s --check-prefix=NONE
// RUN: not cnnc-opt %s --split-input-file --cnnc-convolution-algorithms="algorithm=fft" 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: for the --algorithm option: Cannot find option named 'fft'!

memref.global "private" constant @w : memref<3x3x8x16xf32> = dense<0.5>

// A 3x3 convolution of 8 to 16 channels on an 8x8 output, with its bias
// and a ReLU. F(4x4, 3x3): the weights
// transformed at compile time into a new global [36, 8, 16] (the old one
// erased), the input transform over the 2x2 tiles into [36, 4, 8], the
// products from zero ([36, 4, 16]), the output transform, which starts
// from the bias and stores the ReLU of the sum straight into %o.
// F4-LABEL: memref.global "private" constant @w_winograd4 : memref<4608xf32>
// F4-NOT:     @w :
// F4-LABEL: func.func @winograd
// F4:         memref.expand_shape %{{.*}} output_shape [36, 8, 16]
// F4:         %[[V:.*]] = memref.alloc() {alignment = 64 : i64} : memref<36x4x8xf32>
// F4:         %[[M:.*]] = memref.alloc() {alignment = 64 : i64} : memref<36x4x16xf32>
// F4:         scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c2, %c2)
// F4-COUNT-36:  vector.load %arg0
// F4-COUNT-36:  vector.store %{{.*}}, %[[V]]
// F4:         cnnk.matmul ins(%[[V]], %{{.*}} : memref<36x4x8xf32>, memref<36x8x16xf32>) outs(%[[M]] : memref<36x4x16xf32>){{$}}
// F4:         scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c2, %c2)
// F4-COUNT-36:  vector.load %[[M]]
// F4:           vector.load %arg1
// F4-COUNT-16:  arith.maximumf
// F4:           vector.store %{{.*}}, %arg2
// F4-NOT:     cnnk.conv2d
// F2-LABEL: func.func @winograd
// F2:         memref.alloc() {alignment = 64 : i64} : memref<16x16x8xf32>
// F2:         cnnk.matmul ins(%{{.*}}, %{{.*}} : memref<16x16x8xf32>, memref<16x8x16xf32>)
// IM2COL-LABEL: func.func @winograd
// The gather, then a 1x1 cnnk.conv2d of its rows with the same bias and
// activation.
// IM2COL:         %[[ROWS:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x8x8x72xf32>
// IM2COL:         scf.parallel
// IM2COL:         memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : memref<3x3x8x16xf32> into memref<72x16xf32>
// IM2COL-NEXT:    %[[W:.*]] = memref.expand_shape
// IM2COL-NEXT:    cnnk.conv2d ins(%[[ROWS]], %[[W]] : memref<1x8x8x72xf32>, memref<1x1x72x16xf32>) bias(%arg1 : memref<16xf32>) outs(%arg2 : memref<1x8x8x16xf32>) strides [1, 1] dilations [1, 1] activation relu{{$}}
// AUTO-LABEL: func.func @winograd
// AUTO:         cnnk.matmul
// NONE-LABEL: func.func @winograd
// NONE:         cnnk.conv2d
func.func @winograd(%x: memref<1x10x10x8xf32>, %b: memref<16xf32>, %o: memref<1x8x8x16xf32>) {
  %w = memref.get_global @w : memref<3x3x8x16xf32>
  cnnk.conv2d ins(%x, %w : memref<1x10x10x8xf32>, memref<3x3x8x16xf32>) bias(%b : memref<16xf32>) outs(%o : memref<1x8x8x16xf32>) strides [1, 1] dilations [1, 1] activation relu
  return
}

// -----

memref.global "private" constant @w2 : memref<3x3x8x8xf32> = dense<0.25>

// A 5x5 output: F(2x2) takes 3x3 tiles, the last row and column of which
// overhang. The input transform reads zero past the 7x7 input (a clamped
// index, then a select); the output transform stores only inside the 5x5
// output. The sums start from zero (no load of %o).
// F2-LABEL: func.func @overhang
// F2:         memref.alloc() {alignment = 64 : i64} : memref<16x9x8xf32>
// F2:         scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c3, %c3)
// F2:           arith.minui %{{.*}}, %c6 : index
// F2:           arith.select
// F2:         cnnk.matmul
// F2:         scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c3, %c3)
// F2-NOT:       vector.load %arg1
// F2:           scf.if
// F2:             vector.store %{{.*}}, %arg1
// F4-LABEL: func.func @overhang
// F4:         memref.alloc() {alignment = 64 : i64} : memref<36x4x8xf32>
func.func @overhang(%x: memref<1x7x7x8xf32>, %o: memref<1x5x5x8xf32>) {
  %w = memref.get_global @w2 : memref<3x3x8x8xf32>
  cnnk.conv2d ins(%x, %w : memref<1x7x7x8xf32>, memref<3x3x8x8xf32>) outs(%o : memref<1x5x5x8xf32>) strides [1, 1] dilations [1, 1]
  return
}

// -----

memref.global "private" constant @stem : memref<7x7x3x16xf32> = dense<0.125>

// ResNet's stem, small: 7x7, stride 2, 3 input channels. im2col gathers
// rows of 7 * 7 * 3 = 147 values per output pixel, then a 1x1 convolution
// with the same weights seen as [1, 1, 147, 16]; Winograd does not apply.
// IM2COL-LABEL: func.func @im2col
// IM2COL:         %[[ROWS:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x8x8x147xf32>
// IM2COL:         scf.parallel (%{{.*}}) = (%c0) to (%c8)
// IM2COL:           memref.load %arg0
// IM2COL:           memref.store %{{.*}}, %[[ROWS]]
// IM2COL:         cnnk.conv2d ins(%[[ROWS]], %{{.*}} : memref<1x8x8x147xf32>, memref<1x1x147x16xf32>) outs(%arg1 : memref<1x8x8x16xf32>) strides [1, 1] dilations [1, 1]
// F4-LABEL: func.func @im2col
// F4:         cnnk.conv2d {{.*}} strides [2, 2] dilations [1, 1]
// AUTO-LABEL: func.func @im2col
// AUTO:         cnnk.conv2d {{.*}} strides [2, 2] dilations [1, 1]
func.func @im2col(%x: memref<1x21x21x3xf32>, %o: memref<1x8x8x16xf32>) {
  %w = memref.get_global @stem : memref<7x7x3x16xf32>
  cnnk.conv2d ins(%x, %w : memref<1x21x21x3xf32>, memref<7x7x3x16xf32>) outs(%o : memref<1x8x8x16xf32>) strides [2, 2] dilations [1, 1]
  return
}

// -----

// Weights that are an argument (a training step's): no Winograd.
// F4-LABEL: func.func @weights_not_constant
// F4:         cnnk.conv2d
// F4-NOT:     cnnk.matmul
// AUTO-LABEL: func.func @weights_not_constant
// AUTO:         cnnk.conv2d
func.func @weights_not_constant(%x: memref<1x10x10x8xf32>, %w: memref<3x3x8x16xf32>, %o: memref<1x8x8x16xf32>) {
  cnnk.conv2d ins(%x, %w : memref<1x10x10x8xf32>, memref<3x3x8x16xf32>) outs(%o : memref<1x8x8x16xf32>) strides [1, 1] dilations [1, 1]
  return
}

// -----

memref.global "private" constant @w3 : memref<3x3x8x16xf32> = dense<0.5>

// Strided: no Winograd, and the cost model keeps it direct.
// F4-LABEL: func.func @strided
// F4:         cnnk.conv2d {{.*}} strides [2, 2] dilations [1, 1]
// AUTO-LABEL: func.func @strided
// AUTO:         cnnk.conv2d {{.*}} strides [2, 2] dilations [1, 1]
// AUTO-NOT:     memref.alloc
func.func @strided(%x: memref<1x17x17x8xf32>, %o: memref<1x8x8x16xf32>) {
  %w = memref.get_global @w3 : memref<3x3x8x16xf32>
  cnnk.conv2d ins(%x, %w : memref<1x17x17x8xf32>, memref<3x3x8x16xf32>) outs(%o : memref<1x8x8x16xf32>) strides [2, 2] dilations [1, 1]
  return
}

// -----

memref.global "private" constant @w4 : memref<3x3x8x16xf32> = dense<0.5>

// The algorithm recorded on the op (cnnc-select-kernels') is the one
// applied, whatever the option asks: im2col here, where the forced
// winograd4 would transform the weights.
// F4-LABEL: func.func @recorded
// F4:         memref.alloc() {alignment = 64 : i64} : memref<1x8x8x72xf32>
// F4:         cnnk.conv2d {{.*}} memref<1x8x8x72xf32>, memref<1x1x72x16xf32>
// F4-NOT:     cnnk.matmul
// AUTO-LABEL: func.func @recorded
// AUTO:         memref.alloc() {alignment = 64 : i64} : memref<1x8x8x72xf32>
func.func @recorded(%x: memref<1x10x10x8xf32>, %o: memref<1x8x8x16xf32>) {
  %w = memref.get_global @w4 : memref<3x3x8x16xf32>
  cnnk.conv2d ins(%x, %w : memref<1x10x10x8xf32>, memref<3x3x8x16xf32>) outs(%o : memref<1x8x8x16xf32>) strides [1, 1] dilations [1, 1] algorithm im2col
  return
}
