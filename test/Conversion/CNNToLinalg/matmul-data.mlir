// RUN: cnnc-opt %s --cnnc-convert-cnn-to-linalg --split-input-file | FileCheck %s

// A Gemm with a per-column bias and unit scales: one cnnk.matmul with the
// bias and the activation.
// CHECK-LABEL: func.func @gemm_fused
// CHECK:         %[[T:.*]] = linalg.transpose ins(%arg1 : tensor<10x8xf32>) outs(%{{.*}} : tensor<8x10xf32>) permutation = [1, 0]
// CHECK:         cnnk.matmul ins(%arg0, %[[T]] : tensor<2x8xf32>, tensor<8x10xf32>) bias(%arg2 : tensor<10xf32>) outs(%{{.*}} : tensor<2x10xf32>) activation relu -> tensor<2x10xf32>
// CHECK-NOT:     linalg.generic
func.func @gemm_fused(%a: tensor<2x8xf32>, %b: tensor<10x8xf32>, %c: tensor<10xf32>) -> tensor<2x10xf32> {
  %0 = cnn.matmul %a, %b, %c transpose_rhs activation relu {alpha = 1.0 : f32, beta = 1.0 : f32} : (tensor<2x8xf32>, tensor<10x8xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// A bias of the product's shape is the kernel op's residual.
// CHECK-LABEL: func.func @gemm_full_bias
// CHECK:         cnnk.matmul ins(%arg0, %arg1 : tensor<2x8xf32>, tensor<8x10xf32>) residual(%arg2 : tensor<2x10xf32>) outs(%{{.*}} : tensor<2x10xf32>) -> tensor<2x10xf32>
func.func @gemm_full_bias(%a: tensor<2x8xf32>, %b: tensor<8x10xf32>, %c: tensor<2x10xf32>) -> tensor<2x10xf32> {
  %0 = cnn.matmul %a, %b, %c {alpha = 1.0 : f32, beta = 1.0 : f32} : (tensor<2x8xf32>, tensor<8x10xf32>, tensor<2x10xf32>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// A scaled Gemm: the transposed operand, the product, then alpha and the
// bias.
// CHECK-LABEL: func.func @gemm
// CHECK:         %[[T:.*]] = linalg.transpose ins(%arg1 : tensor<10x8xf32>) outs(%{{.*}} : tensor<8x10xf32>) permutation = [1, 0]
// CHECK:         %[[P:.*]] = cnnk.matmul ins(%arg0, %[[T]] : tensor<2x8xf32>, tensor<8x10xf32>) outs(%{{.*}} : tensor<2x10xf32>) -> tensor<2x10xf32>
// CHECK:         linalg.generic {{.*}} ins(%[[P]], %arg2 : tensor<2x10xf32>, tensor<10xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.mulf
// CHECK:           arith.addf
func.func @gemm(%a: tensor<2x8xf32>, %b: tensor<10x8xf32>, %c: tensor<10xf32>) -> tensor<2x10xf32> {
  %0 = cnn.matmul %a, %b, %c transpose_rhs {alpha = 2.0 : f32, beta = 0.5 : f32} : (tensor<2x8xf32>, tensor<10x8xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_transpose_concat
// CHECK:         %[[S:.*]] = arith.constant dense<[2, 12]> : tensor<2xindex>
// CHECK:         %[[R:.*]] = tensor.reshape %arg0(%[[S]]) : (tensor<2x3x4xf32>, tensor<2xindex>) -> tensor<2x12xf32>
// CHECK:         %[[T:.*]] = linalg.transpose ins(%[[R]] : tensor<2x12xf32>) outs(%{{.*}} : tensor<12x2xf32>) permutation = [1, 0]
// CHECK:         tensor.concat dim(0) %[[T]], %[[T]] : (tensor<12x2xf32>, tensor<12x2xf32>) -> tensor<24x2xf32>
func.func @reshape_transpose_concat(%x: tensor<2x3x4xf32>) -> tensor<24x2xf32> {
  %0 = cnn.reshape %x : tensor<2x3x4xf32> -> tensor<2x12xf32>
  %1 = cnn.transpose %0 permutation [1, 0] : tensor<2x12xf32> -> tensor<12x2xf32>
  %2 = cnn.concat %1, %1 axis 0 : (tensor<12x2xf32>, tensor<12x2xf32>) -> tensor<24x2xf32>
  return %2 : tensor<24x2xf32>
}

// -----

// Softmax: the maximum, exp(x - max), the sum, the quotient.
// CHECK-LABEL: func.func @softmax
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<2x10xf32>)
// CHECK:           arith.maxnumf
// CHECK:         linalg.generic
// CHECK:           arith.subf
// CHECK:           math.exp
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]}
// CHECK:           arith.addf
// CHECK:         linalg.generic
// CHECK:           arith.divf
// CHECK-NOT:     linalg.softmax
func.func @softmax(%x: tensor<2x10xf32>) -> tensor<2x10xf32> {
  %0 = cnn.softmax %x axis 1 : tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// Inference batch normalization: (x - mean) / sqrt(var + eps) * scale + bias,
// the parameters read along dimension 1.
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm
// CHECK:         linalg.generic {indexing_maps = [#{{.*}}, #[[CH]], #[[CH]], #[[CH]], #[[CH]], #{{.*}}]
// CHECK:           arith.subf
// CHECK:           arith.constant 1.000000e-03 : f32
// CHECK:           math.sqrt
// CHECK:           arith.divf
// CHECK:           arith.mulf
// CHECK:           arith.addf
func.func @batch_norm(%x: tensor<1x3x4x4xf32>, %c: tensor<3xf32>) -> tensor<1x3x4x4xf32> {
  %0 = cnn.batch_norm %x, %c, %c, %c, %c {epsilon = 1.0e-3 : f32} : tensor<1x3x4x4xf32>, tensor<3xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

// log_softmax: (x - max) - log(sum(exp(x - max))).
// CHECK-LABEL: func.func @log_softmax
// CHECK:         linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]}
// CHECK:           arith.maximumf
// CHECK:         linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]}
// CHECK:           math.exp
// CHECK:         linalg.generic
// CHECK:           math.log
func.func @log_softmax(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = cnn.log_softmax %x axis 0 : tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func.func @pad
// CHECK:         %[[V:.*]] = arith.constant 2.500000e+00 : f32
// CHECK:         tensor.pad %arg0 low[0, 1] high[2, 0]
// CHECK:           tensor.yield %[[V]]
func.func @pad(%x: tensor<2x3xf32>) -> tensor<4x4xf32> {
  %0 = cnn.pad constant %x pads [0, 1, 2, 0] {value = 2.5 : f32} : tensor<2x3xf32> -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// Batched: the leading dimensions collapse into one for a batched
// cnnk.matmul.
// CHECK-LABEL: func.func @batched
// CHECK:         %[[A:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1], [2], [3]] : tensor<2x3x4x5xf32> into tensor<6x4x5xf32>
// CHECK:         %[[B:.*]] = tensor.collapse_shape %arg1 {{\[}}[0, 1], [2], [3]] : tensor<2x3x5x6xf32> into tensor<6x5x6xf32>
// CHECK:         %[[P:.*]] = cnnk.matmul ins(%[[A]], %[[B]] : tensor<6x4x5xf32>, tensor<6x5x6xf32>) outs(%{{.*}} : tensor<6x4x6xf32>) -> tensor<6x4x6xf32>
// CHECK:         tensor.expand_shape %[[P]] {{\[}}[0, 1], [2], [3]] output_shape [2, 3, 4, 6] : tensor<6x4x6xf32> into tensor<2x3x4x6xf32>
func.func @batched(%a: tensor<2x3x4x5xf32>, %b: tensor<2x3x5x6xf32>) -> tensor<2x3x4x6xf32> {
  %0 = cnn.matmul %a, %b {alpha = 1.0 : f32, beta = 1.0 : f32} : (tensor<2x3x4x5xf32>, tensor<2x3x5x6xf32>) -> tensor<2x3x4x6xf32>
  return %0 : tensor<2x3x4x6xf32>
}

// -----

// Positive strides: a strided tensor.extract_slice.
// CHECK-LABEL: func.func @slice
// CHECK:         tensor.extract_slice %arg0[0, 1] [2, 3] [1, 2] : tensor<4x8xf32> to tensor<2x3xf32>
func.func @slice(%x: tensor<4x8xf32>) -> tensor<2x3xf32> {
  %0 = cnn.slice %x offsets [0, 1] sizes [2, 3] strides [1, 2] : tensor<4x8xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A negative stride reverses: the copy reads offset + j * stride.
// CHECK-DAG:   #[[REV:.*]] = affine_map<(d0, d1) -> (d0, -d1 + 7)>
// CHECK-LABEL: func.func @reversed
// CHECK:         linalg.generic {indexing_maps = [#[[REV]], #{{.*}}]{{.*}} ins(%arg0 : tensor<2x8xf32>)
func.func @reversed(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = cnn.slice %x offsets [0, 7] sizes [2, 8] strides [1, -1] : tensor<2x8xf32> -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// Reflect padding mirrors the index around the border (without repeating
// it); only padded dimensions compute an index.
// CHECK-LABEL: func.func @reflect
// CHECK:         linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x6x4xf32>)
// CHECK:           linalg.index 2
// CHECK:           arith.subi
// CHECK:           arith.cmpi slt
// CHECK:           arith.select
// CHECK:           arith.cmpi sgt
// CHECK:           tensor.extract %arg0
func.func @reflect(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x6x4xf32> {
  %0 = cnn.pad reflect %x pads [0, 0, 1, 0, 0, 0, 1, 0] : tensor<1x2x4x4xf32> -> tensor<1x2x6x4xf32>
  return %0 : tensor<1x2x6x4xf32>
}

// -----

// Edge padding clamps the index into the input.
// CHECK-LABEL: func.func @edge
// CHECK:         linalg.generic
// CHECK:           arith.maxsi
// CHECK:           arith.minsi
// CHECK:           tensor.extract %arg0
func.func @edge(%x: tensor<3x4xf32>) -> tensor<3x7xf32> {
  %0 = cnn.pad edge %x pads [0, 2, 0, 1] : tensor<3x4xf32> -> tensor<3x7xf32>
  return %0 : tensor<3x7xf32>
}

// -----

// A matmul's fused activation stays on the kernel op.
// CHECK-LABEL: func.func @fused_matmul
// CHECK:         cnnk.matmul {{.*}} activation sigmoid
// CHECK-NOT:     linalg.generic
func.func @fused_matmul(%a: tensor<2x8xf32>, %b: tensor<8x3xf32>) -> tensor<2x3xf32> {
  %0 = cnn.matmul %a, %b activation sigmoid : (tensor<2x8xf32>, tensor<8x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
