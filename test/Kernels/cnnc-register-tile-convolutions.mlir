// RUN: cnnc-opt %s --cnnc-register-tile-convolutions=vector-bits=512 --canonicalize --split-input-file | FileCheck %s
// RUN: cnnc-opt %s --cnnc-register-tile-convolutions=vector-bits=256 --canonicalize --split-input-file | FileCheck %s --check-prefix=AVX2
// RUN: cnnc-opt %s --cnnc-register-tile-convolutions=vector-bits=0 --split-input-file | FileCheck %s --check-prefix=NONE

// 32 output channels are two AVX-512 vectors; the row of 8 pixels fits in
// one tile (16 accumulators): a parallel loop over the output rows, the
// sums started from zero (the init is never read), the window reduced in
// registers (kh, kw, c), one store per accumulator.
// With AVX2 (8 lanes, 12 accumulators) the tile is 4 pixels of 2 vectors:
// two channel tiles, two pixel tiles per row.
// CHECK-LABEL: func.func @conv
// CHECK:         scf.parallel (%[[OH:.*]]) = (%c0) to (%c8) step (%c1)
// CHECK-NOT:       vector.load %arg2
// CHECK:           scf.for %[[KH:.*]] = %c0 to %c3
// CHECK:             scf.for %[[KW:.*]] = %c0 to %c3
// CHECK:               scf.for %[[C:.*]] = %c0 to %c8
// CHECK:                 vector.load %arg1[%[[KH]], %[[KW]], %[[C]], %c0] : memref<3x3x8x32xf32>, vector<16xf32>
// CHECK:                 vector.load %arg1[%[[KH]], %[[KW]], %[[C]], %c16] : memref<3x3x8x32xf32>, vector<16xf32>
// CHECK-COUNT-8:         memref.load %arg0
// CHECK-NOT:             memref.load
// CHECK:                 scf.yield
// CHECK-COUNT-16:  vector.store {{.*}}, %arg2{{.*}} vector<16xf32>
// CHECK-NOT:     cnnk.conv2d
// AVX2-LABEL: func.func @conv
// AVX2:         scf.parallel (%{{.*}}, %{{.*}}, %{{.*}}) = (%c0, %c0, %c0) to (%c2, %c8, %c2) step (%c1, %c1, %c1)
// AVX2-NOT:       vector.load %arg2
// AVX2:           scf.for
// AVX2-COUNT-4:          memref.load %arg0
// AVX2-NOT:              memref.load
// AVX2:                  scf.yield
// NONE-LABEL: func.func @conv
// NONE:         cnnk.conv2d
func.func @conv(%x: memref<1x10x10x8xf32>, %w: memref<3x3x8x32xf32>, %o: memref<1x8x8x32xf32>) {
  cnnk.conv2d ins(%x, %w : memref<1x10x10x8xf32>, memref<3x3x8x32xf32>) outs(%o : memref<1x8x8x32xf32>) strides [1, 1] dilations [1, 1]
  return
}

// -----

// 37 pixels of 16 channels (one vector): 29 accumulators fit (a register
// to spare), and two tiles per row is the best any size gives (18.5
// pixels on average): tiles of 29 and a remainder tile of 8, chosen per
// iteration.
// CHECK-LABEL: func.func @remainder
// CHECK:         scf.parallel (%[[T:.*]]) = (%c0) to (%c2) step (%c1)
// CHECK:           %[[FULL:.*]] = arith.cmpi ult, %[[T]], %c1 : index
// CHECK:           scf.if %[[FULL]] {
// CHECK-COUNT-29:    vector.fma
// CHECK-NOT:         vector.fma
// CHECK:           } else {
// CHECK-COUNT-8:     vector.fma
// CHECK-NOT:         vector.fma
// CHECK:           }
func.func @remainder(%x: memref<1x1x37x4xf32>, %w: memref<1x1x4x16xf32>, %o: memref<1x1x37x16xf32>) {
  cnnk.conv2d ins(%x, %w : memref<1x1x37x4xf32>, memref<1x1x4x16xf32>) outs(%o : memref<1x1x37x16xf32>) strides [1, 1] dilations [1, 1]
  return
}

// -----

// Constant weights are packed per channel tile into a new global
// [F / 64, KH, KW, C, 64], which replaces the old one; strides and
// dilations index the input (a splat stays a literal). A row of 3 pixels takes 4 vectors of
// channels: 12 accumulators, where 2 vectors would use 6.
// CHECK-NOT:   memref.global "private" constant @w :
// CHECK:       memref.global "private" constant @w_packed : memref<1152xf32> = dense<5.000000e-01> {alignment = 64 : i64}
// CHECK-NOT:   memref.global "private" constant @w :
// CHECK-LABEL: func.func @packed
// CHECK:         %[[FLAT:.*]] = memref.get_global @w_packed : memref<1152xf32>
// CHECK:         %[[W:.*]] = memref.expand_shape %[[FLAT]] {{\[}}[0, 1, 2, 3, 4]] output_shape [1, 3, 3, 2, 64]
// CHECK:         scf.parallel (%[[OH:.*]]) = (%c0) to (%c3) step (%c1)
// CHECK:           scf.for %[[KH:.*]] = %c0 to %c3
// CHECK:             %[[IH:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK:             scf.for %[[KW:.*]] = %c0 to %c3
// CHECK:               scf.for %[[C:.*]] = %c0 to %c2
// CHECK:                 vector.load %[[W]][%c0, %[[KH]], %[[KW]], %[[C]], %c0] : memref<1x3x3x2x64xf32>, vector<16xf32>
// CHECK:                 vector.load %[[W]][%c0, %[[KH]], %[[KW]], %[[C]], %c16] : memref<1x3x3x2x64xf32>, vector<16xf32>
// CHECK:                 vector.load %[[W]][%c0, %[[KH]], %[[KW]], %[[C]], %c32] : memref<1x3x3x2x64xf32>, vector<16xf32>
// CHECK:                 vector.load %[[W]][%c0, %[[KH]], %[[KW]], %[[C]], %c48] : memref<1x3x3x2x64xf32>, vector<16xf32>
// CHECK:                 memref.load %arg0[%c0, %[[IH]], %{{.*}}, %[[C]]]
memref.global "private" constant @w : memref<3x3x2x64xf32> = dense<0.5> {alignment = 64 : i64}
func.func @packed(%x: memref<1x9x9x2xf32>, %o: memref<1x3x3x64xf32>) {
  %w = memref.get_global @w : memref<3x3x2x64xf32>
  cnnk.conv2d ins(%x, %w : memref<1x9x9x2xf32>, memref<3x3x2x64xf32>) outs(%o : memref<1x3x3x64xf32>) strides [2, 2] dilations [2, 2]
  return
}

// -----

// Depthwise: vectors of the input, times the window's weights, as a
// sliding window along each kernel row: the row's three weight vectors
// loaded once, each of the 8 input columns the 6 pixels meet loaded once
// and multiplied into every (pixel, kernel column) that reads it (8 loads
// for 18 FMAs instead of 18). Per kernel row and channel vector: columns
// 0 and 7 serve one FMA each, 1 and 6 two, 2 to 5 three.
// CHECK-LABEL: func.func @depthwise
// CHECK:         scf.parallel (%[[OH:.*]]) = (%c0) to (%c6) step (%c1)
// CHECK:           scf.for %[[KH:.*]] = %c0 to %c3
// CHECK-NOT:         scf.for
// CHECK:             %[[W0:.*]] = vector.load %arg1[%[[KH]], %c0, %c0] : memref<3x3x32xf32>, vector<16xf32>
// CHECK:             %[[W1:.*]] = vector.load %arg1[%[[KH]], %c1, %c0] : memref<3x3x32xf32>, vector<16xf32>
// CHECK:             %[[W2:.*]] = vector.load %arg1[%[[KH]], %c2, %c0] : memref<3x3x32xf32>, vector<16xf32>
// CHECK:             %[[X0:.*]] = vector.load %arg0[%c0, %{{.*}}, %c0, %c0] : memref<1x8x8x32xf32>, vector<16xf32>
// CHECK-NEXT:        vector.fma %[[X0]], %[[W0]]
// CHECK-NEXT:        %[[X1:.*]] = vector.load %arg0[%c0, %{{.*}}, %c1, %c0]
// CHECK-NEXT:        vector.fma %[[X1]], %[[W1]]
// CHECK-NEXT:        vector.fma %[[X1]], %[[W0]]
// CHECK-NEXT:        %[[X2:.*]] = vector.load %arg0[%c0, %{{.*}}, %c2, %c0]
// CHECK-NEXT:        vector.fma %[[X2]], %[[W2]]
// CHECK-NEXT:        vector.fma %[[X2]], %[[W1]]
// CHECK-NEXT:        vector.fma %[[X2]], %[[W0]]
// CHECK-COUNT-5:     vector.load %arg0[%c0, %{{.*}}, %c{{[3-7]}}, %c0]
// CHECK:             vector.load %arg1[%[[KH]], %c0, %c16] : memref<3x3x32xf32>, vector<16xf32>
// CHECK-NOT:     cnnk.conv2d
func.func @depthwise(%x: memref<1x8x8x32xf32>, %w: memref<3x3x32xf32>, %o: memref<1x6x6x32xf32>) {
  cnnk.conv2d ins(%x, %w : memref<1x8x8x32xf32>, memref<3x3x32xf32>) outs(%o : memref<1x6x6x32xf32>) strides [1, 1] dilations [1, 1]
  return
}

// -----

// 10 output channels are no multiple of a vector. With AVX-512 they fit one
// 16-lane vector: the weights (an argument here: not packed) are read and
// the output written through masks of 10 lanes. With AVX2 (8 lanes) they
// do not: left to cnnc-lower-kernel-ops.
// CHECK-LABEL: func.func @odd_channels
// CHECK-NOT:     cnnk.conv2d
// CHECK:         %[[OUT:.*]] = memref.collapse_shape %arg2
// CHECK:         scf.for
// CHECK:           vector.maskedload %arg1[%c0, %c0, %{{.*}}, %c0], %{{.*}}, %{{.*}} : memref<1x1x3x10xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
// CHECK:           vector.fma
// CHECK:         vector.maskedstore %[[OUT]][%c0, %c0, %c0], %{{.*}}, %{{.*}} : memref<1x16x10xf32>, vector<16xi1>, vector<16xf32>
// AVX2-LABEL:  func.func @odd_channels
// AVX2:          cnnk.conv2d
func.func @odd_channels(%x: memref<1x4x4x3xf32>, %w: memref<1x1x3x10xf32>, %o: memref<1x4x4x10xf32>) {
  cnnk.conv2d ins(%x, %w : memref<1x4x4x3xf32>, memref<1x1x3x10xf32>) outs(%o : memref<1x4x4x10xf32>) strides [1, 1] dilations [1, 1]
  return
}

// -----

// The op's bias, residual and activation happen in the tile: accumulators
// start from the bias vector, the residual is added and the ReLU applied
// to them before the store. A 1x1 convolution of an unpadded input sees
// its activations, the residual's too, as [N, H*W, C]: the 16 pixels of
// the 4x4 image are one row, one tile of 16 accumulators.
// CHECK-LABEL: func.func @epilogue
// CHECK-SAME:    (%[[X:.*]]: memref<1x4x4x16xf32>, %[[W:.*]]: memref<1x1x16x16xf32>, %[[B:.*]]: memref<16xf32>, %[[R:.*]]: memref<1x4x4x16xf32>, %[[O:.*]]: memref<1x4x4x16xf32>)
// CHECK-DAG:     %[[XF:.*]] = memref.collapse_shape %[[X]] {{\[}}[0], [1, 2], [3]] : memref<1x4x4x16xf32> into memref<1x16x16xf32>
// CHECK-DAG:     %[[OF:.*]] = memref.collapse_shape %[[O]] {{\[}}[0], [1, 2], [3]] : memref<1x4x4x16xf32> into memref<1x16x16xf32>
// CHECK-DAG:     %[[RF:.*]] = memref.collapse_shape %[[R]] {{\[}}[0], [1, 2], [3]] : memref<1x4x4x16xf32> into memref<1x16x16xf32>
// CHECK:         %[[BIAS:.*]] = vector.load %[[B]][%c0] : memref<16xf32>, vector<16xf32>
// CHECK:         %[[SUMS:.*]]:16 = scf.for {{.*}} iter_args(%{{.*}} = %[[BIAS]], %{{.*}} = %[[BIAS]],
// CHECK:           memref.load %[[XF]][%c0, %c15, %{{.*}}] : memref<1x16x16xf32>
// CHECK:         %[[RES:.*]] = vector.load %[[RF]][%c0, %c0, %c0] : memref<1x16x16xf32>, vector<16xf32>
// CHECK:         %[[ADD:.*]] = arith.addf %[[SUMS]]#0, %[[RES]] : vector<16xf32>
// CHECK:         %[[RELU:.*]] = arith.maximumf %[[ADD]], %{{.*}} : vector<16xf32>
// CHECK:         vector.store %[[RELU]], %[[OF]][%c0, %c0, %c0] : memref<1x16x16xf32>, vector<16xf32>
// CHECK-NOT:     cnnk.conv2d
func.func @epilogue(%x: memref<1x4x4x16xf32>, %w: memref<1x1x16x16xf32>, %b: memref<16xf32>, %r: memref<1x4x4x16xf32>, %o: memref<1x4x4x16xf32>) {
  cnnk.conv2d ins(%x, %w : memref<1x4x4x16xf32>, memref<1x1x16x16xf32>) bias(%b : memref<16xf32>) residual(%r : memref<1x4x4x16xf32>) outs(%o : memref<1x4x4x16xf32>) strides [1, 1] dilations [1, 1] activation relu
  return
}

// -----

// A tile recorded on the op (by cnnc-select-kernels, for the flattened
// row of 64 pixels) is the one built, whatever the vector width: 4 pixels
// of one 16-lane vector, 16 pixel tiles.
// CHECK-LABEL: func.func @recorded_tile
// CHECK:         scf.parallel (%{{.*}}) = (%c0) to (%c16) step (%c1)
// CHECK-COUNT-4:   vector.fma {{.*}} : vector<16xf32>
// CHECK-NOT:       vector.fma
// CHECK-COUNT-4:   vector.store {{.*}} : memref<1x64x16xf32>, vector<16xf32>
// AVX2-LABEL:  func.func @recorded_tile
// AVX2:          scf.parallel (%{{.*}}) = (%c0) to (%c16) step (%c1)
// AVX2-COUNT-4:   vector.fma {{.*}} : vector<16xf32>
func.func @recorded_tile(%x: memref<1x8x8x4xf32>, %w: memref<1x1x4x16xf32>, %o: memref<1x8x8x16xf32>) {
  cnnk.conv2d ins(%x, %w : memref<1x8x8x4xf32>, memref<1x1x4x16xf32>) outs(%o : memref<1x8x8x16xf32>) strides [1, 1] dilations [1, 1] tile [4, 1, 16]
  return
}

// -----

// As the workspace plan leaves them: the operands are views of the
// workspace and the weights a reshape of a flat argument; the depthwise
// convolution's bias starts its accumulators and its residual is added
// before the stores into the output's view.
// CHECK-LABEL: func.func @workspace_views
// CHECK-SAME:    (%[[X:.*]]: memref<1x4x4x16xf32>, %[[W:.*]]: memref<144xf32>, %[[B:.*]]: memref<16xf32>, %[[R:.*]]: memref<1x4x4x16xf32>, %[[WS:.*]]: memref<4096xi8>)
// CHECK-DAG:     %[[O:.*]] = memref.view %[[WS]][%c0][] : memref<4096xi8> to memref<1x4x4x16xf32>
// CHECK:         %[[BIAS:.*]] = vector.load %[[B]][%c0] : memref<16xf32>, vector<16xf32>
// CHECK:         scf.for {{.*}} iter_args(%{{.*}} = %[[BIAS]],
// CHECK:         vector.load %[[R]]
// CHECK:         arith.addf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK:         vector.store %{{.*}}, %[[O]][%c0, %{{.*}}, %{{.*}}, %c0] : memref<1x4x4x16xf32>, vector<16xf32>
// CHECK-NOT:     cnnk.conv2d
func.func @workspace_views(%x: memref<1x4x4x16xf32>, %w: memref<144xf32>, %b: memref<16xf32>, %r: memref<1x4x4x16xf32>, %ws: memref<4096xi8>) {
  %c0 = arith.constant 0 : index
  %o = memref.view %ws[%c0][] : memref<4096xi8> to memref<1x4x4x16xf32>
  %wk = memref.expand_shape %w [[0, 1, 2]] output_shape [3, 3, 16] : memref<144xf32> into memref<3x3x16xf32>
  %c2048 = arith.constant 2048 : index
  %in = memref.view %ws[%c2048][] : memref<4096xi8> to memref<1x6x6x16xf32>
  cnnk.conv2d ins(%in, %wk : memref<1x6x6x16xf32>, memref<3x3x16xf32>) bias(%b : memref<16xf32>) residual(%r : memref<1x4x4x16xf32>) outs(%o : memref<1x4x4x16xf32>) strides [1, 1] dilations [1, 1]
  return
}

// -----

// A large input (538 KB a row of images) widened from 48 to 256 channels by
// a small weight (48 KB): the pixels are the outer loops, the channel tiles
// the inner one, so that each input row is read once (from L1) by all the
// channel tiles: (pixel tiles, channel tiles), the 46 rows of 61 pixels
// one row of 2806. AVX-512: 6 pixels of 4 vectors (468 pixel tiles, the
// last of 4, and 4 channel tiles); with AVX2 6 pixels of 2 vectors (16 channel
// tiles).
// CHECK-LABEL: func.func @pixels_outer
// CHECK:         scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c468, %c4) step (%c1, %c1)
// AVX2-LABEL: func.func @pixels_outer
// AVX2:         scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c468, %c16) step (%c1, %c1)
// NONE-LABEL: func.func @pixels_outer
// NONE:         cnnk.conv2d
func.func @pixels_outer(%x: memref<1x46x61x48xf32>, %w: memref<1x1x48x256xf32>, %o: memref<1x46x61x256xf32>) {
  cnnk.conv2d ins(%x, %w : memref<1x46x61x48xf32>, memref<1x1x48x256xf32>) outs(%o : memref<1x46x61x256xf32>) strides [1, 1] dilations [1, 1]
  return
}

// -----

// A batch of 4 matrix products [10 x 8] x [8 x 32] (Winograd's, one per
// tile position): 4 images of one row of 10 pixels, 1x1, each with its own
// weights, packed per channel tile as [4, 1, 8, 32]. The sums start at
// zero (%m is not read), the weights indexed by the batch.
// CHECK-LABEL: memref.global "private" constant @u_packed : memref<1024xf32>
// CHECK-LABEL: func.func @batched
// CHECK:         %[[U:.*]] = memref.expand_shape %{{.*}} output_shape [4, 1, 8, 32]
// CHECK:         scf.parallel (%[[P:.*]]) = (%c0) to (%c4) step (%c1)
// CHECK-NOT:       vector.load %arg1
// CHECK:           scf.for %[[C:.*]] = %c0 to %c8
// CHECK:             vector.load %[[U]][%[[P]], %c0, %[[C]], %c0] : memref<4x1x8x32xf32>, vector<16xf32>
// CHECK:             vector.load %[[U]][%[[P]], %c0, %[[C]], %c16] : memref<4x1x8x32xf32>, vector<16xf32>
// CHECK-COUNT-10:    memref.load %arg0[%[[P]], %{{.*}}, %[[C]]] : memref<4x10x8xf32>
// CHECK:           scf.yield
// CHECK-COUNT-20:  vector.store %{{.*}}, %arg1[%[[P]], %{{.*}}, %{{.*}}] : memref<4x10x32xf32>, vector<16xf32>
// CHECK-NOT:     cnnk.matmul
// AVX2-LABEL: func.func @batched
// AVX2:         scf.parallel
// NONE-LABEL: func.func @batched
// NONE:         cnnk.matmul
memref.global "private" constant @u : memref<4x8x32xf32> = dense<0.5>

func.func @batched(%v: memref<4x10x8xf32>, %m: memref<4x10x32xf32>) {
  %u = memref.get_global @u : memref<4x8x32xf32>
  cnnk.matmul ins(%v, %u : memref<4x10x8xf32>, memref<4x8x32xf32>) outs(%m : memref<4x10x32xf32>)
  return
}

// -----

// A 1x1 convolution writing the interior of a padded buffer (a strided
// subview, which does not collapse): the pixels are still numbered through
// the image, 7x7 = 49 of them, each split into (row, column) once per tile.
// CHECK-LABEL: func.func @flat_strided
// CHECK-NOT:     memref.collapse_shape
// CHECK:         arith.divui %{{.*}}, %c7 : index
// CHECK:         arith.remui %{{.*}}, %c7 : index
// CHECK:         vector.store %{{.*}}, %{{.*}} : memref<1x7x7x32xf32, strided<[2592, 288, 32, 1], offset: 320>>, vector<16xf32>
func.func @flat_strided(%x: memref<1x7x7x16xf32>, %w: memref<1x1x16x32xf32>, %p: memref<1x9x9x32xf32>) {
  %o = memref.subview %p[0, 1, 1, 0] [1, 7, 7, 32] [1, 1, 1, 1] : memref<1x9x9x32xf32> to memref<1x7x7x32xf32, strided<[2592, 288, 32, 1], offset: 320>>
  cnnk.conv2d ins(%x, %w : memref<1x7x7x16xf32>, memref<1x1x16x32xf32>) outs(%o : memref<1x7x7x32xf32, strided<[2592, 288, 32, 1], offset: 320>>) strides [1, 1] dilations [1, 1]
  return
}

// -----

// A matrix product with a bias and an activation: one image of one row of
// 10 pixels ([1, 10, 8] and [1, 10, 32] views), 1x1, the bias the sums'
// start, the sigmoid applied before the stores.
// CHECK-LABEL: func.func @matmul
// CHECK-DAG:     %[[A:.*]] = memref.expand_shape %arg0 {{\[}}[0, 1], [2]] output_shape [1, 10, 8]
// CHECK-DAG:     %[[O:.*]] = memref.expand_shape %arg3 {{\[}}[0, 1], [2]] output_shape [1, 10, 32]
// CHECK:         vector.load %arg2[%c0] : memref<32xf32>, vector<16xf32>
// CHECK:         scf.for
// CHECK:           memref.load %[[A]]
// CHECK:         math.exp {{.*}} : vector<16xf32>
// CHECK:         vector.store {{.*}}, %[[O]]
// CHECK-NOT:     cnnk.matmul
// NONE-LABEL: func.func @matmul
// NONE:         cnnk.matmul
func.func @matmul(%a: memref<10x8xf32>, %b: memref<8x32xf32>, %bias: memref<32xf32>, %o: memref<10x32xf32>) {
  cnnk.matmul ins(%a, %b : memref<10x8xf32>, memref<8x32xf32>) bias(%bias : memref<32xf32>) outs(%o : memref<10x32xf32>) activation sigmoid
  return
}
