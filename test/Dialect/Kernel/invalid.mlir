// RUN: cnnc-opt %s -split-input-file -verify-diagnostics

// One case per verifier branch of the cnnk dialect, in the order of
// KernelOps.cpp, after the constraints ODS checks.

func.func @f64(%x: tensor<1x3x3x1xf64>, %w: tensor<1x1x1x1xf64>, %o: tensor<1x3x3x1xf64>) {
  // expected-error @+1 {{operand #0 must be}}
  %y = "cnnk.conv2d"(%x, %w, %o) {operandSegmentSizes = array<i32: 1, 1, 0, 0, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x3x3x1xf64>, tensor<1x1x1x1xf64>, tensor<1x3x3x1xf64>) -> tensor<1x3x3x1xf64>
  return
}

// -----

func.func @tile_count(%x: tensor<1x3x3x1xf32>, %w: tensor<1x1x1x16xf32>, %o: tensor<1x3x3x16xf32>) {
  // expected-error @+1 {{'tile' failed to satisfy constraint}}
  %y = cnnk.conv2d ins(%x, %w : tensor<1x3x3x1xf32>, tensor<1x1x1x16xf32>) outs(%o : tensor<1x3x3x16xf32>) strides [1, 1] dilations [1, 1] tile [4, 16] -> tensor<1x3x3x16xf32>
  return
}

// -----

func.func @zero_stride(%x: tensor<1x3x3x1xf32>, %w: tensor<1x1x1x16xf32>, %o: tensor<1x3x3x16xf32>) {
  // expected-error @+1 {{'strides' failed to satisfy constraint}}
  %y = cnnk.conv2d ins(%x, %w : tensor<1x3x3x1xf32>, tensor<1x1x1x16xf32>) outs(%o : tensor<1x3x3x16xf32>) strides [0, 1] dilations [1, 1] -> tensor<1x3x3x16xf32>
  return
}

// -----

func.func @rank(%x: tensor<3x3x1xf32>, %w: tensor<1x1x1x16xf32>, %o: tensor<1x3x3x16xf32>) {
  // expected-error @+1 {{input and init must be [N, H, W, C]}}
  %y = cnnk.conv2d ins(%x, %w : tensor<3x3x1xf32>, tensor<1x1x1x16xf32>) outs(%o : tensor<1x3x3x16xf32>) strides [1, 1] dilations [1, 1] -> tensor<1x3x3x16xf32>
  return
}

// -----

func.func @filter_rank(%x: tensor<1x3x3x1xf32>, %w: tensor<1x16xf32>, %o: tensor<1x3x3x16xf32>) {
  // expected-error @+1 {{filter must be [KH, KW, C, F], or [KH, KW, C] for a depthwise convolution; got [1, 16]}}
  %y = cnnk.conv2d ins(%x, %w : tensor<1x3x3x1xf32>, tensor<1x16xf32>) outs(%o : tensor<1x3x3x16xf32>) strides [1, 1] dilations [1, 1] -> tensor<1x3x3x16xf32>
  return
}

// -----

func.func @three_strides(%x: tensor<1x3x3x1xf32>, %w: tensor<1x1x1x16xf32>, %o: tensor<1x3x3x16xf32>) {
  // expected-error @+1 {{takes 2 strides and 2 dilations}}
  %y = cnnk.conv2d ins(%x, %w : tensor<1x3x3x1xf32>, tensor<1x1x1x16xf32>) outs(%o : tensor<1x3x3x16xf32>) strides [1, 1, 1] dilations [1, 1] -> tensor<1x3x3x16xf32>
  return
}

// -----

func.func @channels(%x: tensor<1x3x3x2xf32>, %w: tensor<1x1x1x16xf32>, %o: tensor<1x3x3x16xf32>) {
  // expected-error @+1 {{filter has 1 input channels, the input 2}}
  %y = cnnk.conv2d ins(%x, %w : tensor<1x3x3x2xf32>, tensor<1x1x1x16xf32>) outs(%o : tensor<1x3x3x16xf32>) strides [1, 1] dilations [1, 1] -> tensor<1x3x3x16xf32>
  return
}

// -----

func.func @reach(%x: tensor<1x2x2x1xf32>, %w: tensor<3x3x1x16xf32>, %o: tensor<1x1x1x16xf32>) {
  // expected-error @+1 {{input is smaller than the filter's reach}}
  %y = cnnk.conv2d ins(%x, %w : tensor<1x2x2x1xf32>, tensor<3x3x1x16xf32>) outs(%o : tensor<1x1x1x16xf32>) strides [1, 1] dilations [1, 1] -> tensor<1x1x1x16xf32>
  return
}

// -----

func.func @output_shape(%x: tensor<1x5x5x1xf32>, %w: tensor<3x3x1x16xf32>, %o: tensor<1x3x3x16xf32>) {
  // expected-error @+1 {{init must be [1, 2, 2, 16] for this input and filter, got [1, 3, 3, 16]}}
  %y = cnnk.conv2d ins(%x, %w : tensor<1x5x5x1xf32>, tensor<3x3x1x16xf32>) outs(%o : tensor<1x3x3x16xf32>) strides [2, 2] dilations [1, 1] -> tensor<1x3x3x16xf32>
  return
}

// -----

func.func @mixed(%x: tensor<1x3x3x1xf32>, %w: memref<1x1x1x16xf32>, %o: tensor<1x3x3x16xf32>) {
  // expected-error @+1 {{operands must be all tensors or all memrefs}}
  %y = cnnk.conv2d ins(%x, %w : tensor<1x3x3x1xf32>, memref<1x1x1x16xf32>) outs(%o : tensor<1x3x3x16xf32>) strides [1, 1] dilations [1, 1] -> tensor<1x3x3x16xf32>
  return
}

// -----

func.func @memref_result(%x: memref<1x3x3x1xf32>, %w: memref<1x1x1x16xf32>, %o: memref<1x3x3x16xf32>) {
  // expected-error @+1 {{on memrefs has no result}}
  %y = cnnk.conv2d ins(%x, %w : memref<1x3x3x1xf32>, memref<1x1x1x16xf32>) outs(%o : memref<1x3x3x16xf32>) strides [1, 1] dilations [1, 1] -> tensor<1x3x3x16xf32>
  return
}

// -----

func.func @no_result(%x: tensor<1x3x3x1xf32>, %w: tensor<1x1x1x16xf32>, %o: tensor<1x3x3x16xf32>) {
  // expected-error @+1 {{on tensors returns one tensor of the init's type}}
  cnnk.conv2d ins(%x, %w : tensor<1x3x3x1xf32>, tensor<1x1x1x16xf32>) outs(%o : tensor<1x3x3x16xf32>) strides [1, 1] dilations [1, 1]
  return
}

// -----

func.func @bias(%x: tensor<1x3x3x1xf32>, %w: tensor<1x1x1x16xf32>, %b: tensor<8xf32>, %o: tensor<1x3x3x16xf32>) {
  // expected-error @+1 {{bias must be [16] (one per output channel), got [8]}}
  %y = cnnk.conv2d ins(%x, %w : tensor<1x3x3x1xf32>, tensor<1x1x1x16xf32>) bias(%b : tensor<8xf32>) outs(%o : tensor<1x3x3x16xf32>) strides [1, 1] dilations [1, 1] -> tensor<1x3x3x16xf32>
  return
}

// -----

func.func @residual(%x: tensor<1x3x3x1xf32>, %w: tensor<1x1x1x16xf32>, %r: tensor<1x3x3x8xf32>, %o: tensor<1x3x3x16xf32>) {
  // expected-error @+1 {{residual must have the init's shape [1, 3, 3, 16], got [1, 3, 3, 8]}}
  %y = cnnk.conv2d ins(%x, %w : tensor<1x3x3x1xf32>, tensor<1x1x1x16xf32>) residual(%r : tensor<1x3x3x8xf32>) outs(%o : tensor<1x3x3x16xf32>) strides [1, 1] dilations [1, 1] -> tensor<1x3x3x16xf32>
  return
}

// -----

func.func @matmul_rank(%a: tensor<2x8xf32>, %b: tensor<1x8x4xf32>, %o: tensor<2x4xf32>) {
  // expected-error @+1 {{operands must be all [M, K], [K, N], [M, N] or all batched [B, M, K], [B, K, N], [B, M, N]}}
  %y = cnnk.matmul ins(%a, %b : tensor<2x8xf32>, tensor<1x8x4xf32>) outs(%o : tensor<2x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x2x8xf32>, %b: tensor<3x8x4xf32>, %o: tensor<2x2x4xf32>) {
  // expected-error @+1 {{batch sizes differ: 2, 3, 2}}
  %y = cnnk.matmul ins(%a, %b : tensor<2x2x8xf32>, tensor<3x8x4xf32>) outs(%o : tensor<2x2x4xf32>) -> tensor<2x2x4xf32>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<2x8xf32>, %b: tensor<6x4xf32>, %o: tensor<2x4xf32>) {
  // expected-error @+1 {{contracts 8 columns of the lhs with 6 rows of the rhs}}
  %y = cnnk.matmul ins(%a, %b : tensor<2x8xf32>, tensor<6x4xf32>) outs(%o : tensor<2x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @matmul_init(%a: tensor<2x8xf32>, %b: tensor<8x4xf32>, %o: tensor<2x5xf32>) {
  // expected-error @+1 {{init must be [2, 4] per product, got [2, 5]}}
  %y = cnnk.matmul ins(%a, %b : tensor<2x8xf32>, tensor<8x4xf32>) outs(%o : tensor<2x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @matmul_bias(%a: tensor<2x8xf32>, %b: tensor<8x4xf32>, %c: tensor<2x4xf32>, %o: tensor<2x4xf32>) {
  // expected-error @+1 {{bias must be [4] (one per output channel), got [2, 4]}}
  %y = cnnk.matmul ins(%a, %b : tensor<2x8xf32>, tensor<8x4xf32>) bias(%c : tensor<2x4xf32>) outs(%o : tensor<2x4xf32>) -> tensor<2x4xf32>
  return
}
