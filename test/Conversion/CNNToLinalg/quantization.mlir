// RUN: cnnc-opt %s --cnnc-convert-cnn-to-linalg --split-input-file | FileCheck %s

// Quantize per axis to uint8: x / scale rounded half to even, plus the zero
// point (read unsigned), saturated to [0, 255] in float; the scale and zero
// point indexed by the axis. The ui8 types are gone after the lowering.
// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @quantize_per_axis(
// CHECK-SAME:    %{{.*}}: tensor<2x3xf32>, %{{.*}}: tensor<3xf32>, %{{.*}}: tensor<3xi8>) -> tensor<2x3xi8>
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[AXIS]], #[[AXIS]], #[[ID]]]
// CHECK:           arith.divf
// CHECK-NEXT:      math.roundeven
// CHECK-NEXT:      arith.uitofp
// CHECK-NEXT:      arith.addf
// CHECK-NEXT:      arith.constant 0.000000e+00 : f32
// CHECK-NEXT:      arith.maxnumf
// CHECK-NEXT:      arith.constant 2.550000e+02 : f32
// CHECK-NEXT:      arith.minnumf
// CHECK-NEXT:      arith.fptosi {{.*}} : f32 to i32
// CHECK-NEXT:      arith.trunci {{.*}} : i32 to i8
// CHECK-NOT:     ui8
// CHECK-NOT:     tensor.bitcast
func.func @quantize_per_axis(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %z: tensor<3xui8>) -> tensor<2x3xui8> {
  %0 = cnn.quantize %x, %s, %z axis 1 : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xui8>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// -----

// Dequantize int8: (q - zero point) in int32, signed, times the scale.
// CHECK-LABEL: func.func @dequantize
// CHECK:         linalg.generic
// CHECK:           arith.extsi {{.*}} : i8 to i32
// CHECK-NEXT:      arith.extsi {{.*}} : i8 to i32
// CHECK-NEXT:      arith.subi
// CHECK-NEXT:      arith.sitofp
// CHECK-NEXT:      arith.mulf
func.func @dequantize(%q: tensor<4xi8>, %s: tensor<f32>, %z: tensor<i8>) -> tensor<4xf32> {
  %0 = cnn.dequantize %q, %s, %z : (tensor<4xi8>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Requantize to int8: acc * multiplier rounded, zero point added, saturated
// to [-128, 127].
// CHECK-LABEL: func.func @requantize
// CHECK:         linalg.generic
// CHECK:           arith.sitofp {{.*}} : i32 to f32
// CHECK-NEXT:      arith.mulf
// CHECK-NEXT:      math.roundeven
// CHECK:           arith.constant -1.280000e+02 : f32
// CHECK:           arith.constant 1.270000e+02 : f32
func.func @requantize(%acc: tensor<2x3xi32>, %m: tensor<f32>, %z: tensor<i8>) -> tensor<2x3xi8> {
  %0 = cnn.requantize %acc, %m, %z : (tensor<2x3xi32>, tensor<f32>, tensor<i8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

// The grouped integer convolution as sum x*w - xz * sum(w - wz) - wz * sum x:
// the input padded with its zero point and moved channels-last, the weight
// to [F, KH, KW, C]; the products with the group's channels innermost; the
// weight sums per channel; the window sums per group (the weight zero point
// is not a zero constant); then one generic that subtracts both, adds the
// bias and writes NCHW.
// CHECK-DAG:   #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 + d5, (d3 floordiv 4) * 2 + d6)>
// CHECK-DAG:   #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d3, d4, d5, d6)>
// CHECK-DAG:   #[[GROUP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 + d5, d3 * 2 + d6)>
// CHECK-LABEL: func.func @conv_integer
// CHECK:         %[[XZ:.*]] = tensor.extract %arg2[] : tensor<i8>
// CHECK:         %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:           tensor.yield %[[XZ]] : i8
// CHECK:         %[[X:.*]] = linalg.transpose ins(%[[PAD]] : tensor<1x4x7x7xi8>) {{.*}} permutation = [0, 2, 3, 1]
// CHECK:         %[[WT:.*]] = linalg.transpose ins(%arg1 : tensor<8x2x3x3xi8>) {{.*}} permutation = [0, 2, 3, 1]
// CHECK:         %[[P:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[W]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[X]], %[[WT]] : {{.*}}) outs({{.*}} : tensor<1x5x5x8xi32>)
// CHECK:           arith.extui
// CHECK-NEXT:      arith.extsi
// CHECK-NEXT:      arith.muli
// CHECK-NEXT:      arith.addi
// CHECK:         %[[WS:.*]] = linalg.generic {{.*}} ins(%[[WT]], %arg3 : tensor<8x3x3x2xi8>, tensor<8xi8>) outs({{.*}} : tensor<8xi32>)
// CHECK:         %[[XS:.*]] = linalg.generic {indexing_maps = [#[[GROUP]], {{.*}}]{{.*}} ins(%[[X]], {{.*}}) outs({{.*}} : tensor<1x5x5x2xi32>)
// CHECK:         linalg.generic {{.*}} ins(%[[P]], %[[WS]], %arg2, %[[XS]], %arg3, %arg4 : {{.*}}) outs({{.*}} : tensor<1x8x5x5xi32>)
func.func @conv_integer(%x: tensor<1x4x5x5xui8>, %w: tensor<8x2x3x3xi8>, %xz: tensor<ui8>, %wz: tensor<8xi8>, %b: tensor<8xi32>) -> tensor<1x8x5x5xi32> {
  %0 = cnn.conv_integer %x, %w, %xz, %wz bias %b strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 2
       : (tensor<1x4x5x5xui8>, tensor<8x2x3x3xi8>, tensor<ui8>, tensor<8xi8>, tensor<8xi32>) -> tensor<1x8x5x5xi32>
  return %0 : tensor<1x8x5x5xi32>
}

// -----

// A depthwise integer convolution: the products channels first over
// (n, f, oh | kh, kw | ow) on the padded NCHW input, stride 2, the output
// width innermost (walked contiguously, the weight invariant in it); the
// corrections then read them with the identity map.
// CHECK-DAG:   #[[DIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d3, d5 * 2 + d4)>
// CHECK-DAG:   #[[DW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, 0, d3, d4)>
// CHECK-DAG:   #[[DOUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>
// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @depthwise
// CHECK:         %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:         %[[P:.*]] = linalg.generic {indexing_maps = [#[[DIN]], #[[DW]], #[[DOUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]} ins(%[[PAD]], %arg1 : tensor<1x6x9x9xi8>, tensor<6x1x3x3xi8>) outs({{.*}} : tensor<1x6x4x4xi32>)
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], {{.*}}]{{.*}} ins(%[[P]], {{.*}}) outs({{.*}} : tensor<1x6x4x4xi32>)
func.func @depthwise(%x: tensor<1x6x7x7xui8>, %w: tensor<6x1x3x3xi8>, %xz: tensor<ui8>, %wz: tensor<i8>) -> tensor<1x6x4x4xi32> {
  %wz0 = cnn.constant dense<0> : tensor<i8>
  %0 = cnn.conv_integer %x, %w, %xz, %wz0 strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] groups 6
       : (tensor<1x6x7x7xui8>, tensor<6x1x3x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x6x4x4xi32>
  return %0 : tensor<1x6x4x4xi32>
}

// -----

// Channels last (layout nhwc), over (n, oh, ow | kh, kw | f): the channels
// innermost, where the padded NHWC input, the [KH, KW, C] weight (transposed
// at compile time: the constant's [f, tap] bytes as [tap, f]) and the
// products are all contiguous; the corrections read the products NHWC.
// CHECK-DAG:   #[[CIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d3, d2 * 2 + d4, d5)>
// CHECK-DAG:   #[[CW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d4, d5)>
// CHECK-DAG:   #[[COUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>
// CHECK-DAG:   #[[CID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @depthwise_channels_last
// CHECK:         %[[PAD:.*]] = tensor.pad %arg0 low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK:         %[[W:.*]] = arith.constant dense<{{\[}}{{\[}}[0, 6], [1, 7]], {{\[}}[3, 9], [4, 10]]]> : tensor<2x2x2xi8>
// CHECK:         %[[P:.*]] = linalg.generic {indexing_maps = [#[[CIN]], #[[CW]], #[[COUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]} ins(%[[PAD]], %[[W]] : tensor<1x9x9x2xi8>, tensor<2x2x2xi8>) outs({{.*}} : tensor<1x4x4x2xi32>)
// CHECK:         linalg.generic {indexing_maps = [#[[CID]], {{.*}}]{{.*}} ins(%[[P]], {{.*}}) outs({{.*}} : tensor<1x4x4x2xi32>)
func.func @depthwise_channels_last(%x: tensor<1x7x7x2xui8>, %xz: tensor<ui8>) -> tensor<1x4x4x2xi32> {
  %wt = cnn.constant dense<[[[[0, 1], [3, 4]]], [[[6, 7], [9, 10]]]]> : tensor<2x1x2x2xi8>
  %wz0 = cnn.constant dense<0> : tensor<i8>
  %0 = cnn.conv_integer %x, %wt, %xz, %wz0 strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] groups 2 layout nhwc
       : (tensor<1x7x7x2xui8>, tensor<2x1x2x2xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x4x4x2xi32>
  return %0 : tensor<1x4x4x2xi32>
}

// -----

// The batched integer product with a 2-D rhs broadcast over the batch and a
// per-column rhs zero point.
// CHECK-DAG:   #[[LHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG:   #[[RHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d3, d2)>
// CHECK-DAG:   #[[COL:.*]] = affine_map<(d0, d1, d2, d3) -> (d2)>
// CHECK-LABEL: func.func @matmul_integer
// CHECK:         linalg.fill
// CHECK:         linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], {{.*}}, #[[COL]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
func.func @matmul_integer(%a: tensor<2x4x3xui8>, %b: tensor<3x2xi8>, %az: tensor<ui8>, %bz: tensor<2xi8>) -> tensor<2x4x2xi32> {
  %0 = cnn.matmul_integer %a, %b, %az, %bz : (tensor<2x4x3xui8>, tensor<3x2xi8>, tensor<ui8>, tensor<2xi8>) -> tensor<2x4x2xi32>
  return %0 : tensor<2x4x2xi32>
}

// -----

// Cast: float to uint8 truncates (fptoui), int64 to float converts signed;
// a ui8 constant keeps its bytes as i8 (200 prints as -56).
// CHECK-LABEL: func.func @cast
// CHECK:         arith.constant dense<[-56, 1]> : tensor<2xi8>
// CHECK:           arith.fptoui {{.*}} : f32 to i8
// CHECK:           arith.sitofp {{.*}} : i64 to f32
// CHECK:           arith.uitofp {{.*}} : i8 to f32
func.func @cast(%x: tensor<f32>, %i: tensor<2xi64>) -> (tensor<ui8>, tensor<2xf32>, tensor<2xf32>) {
  %c = cnn.constant dense<[200, 1]> : tensor<2xui8>
  %0 = cnn.cast %x : tensor<f32> -> tensor<ui8>
  %1 = cnn.cast %i : tensor<2xi64> -> tensor<2xf32>
  %2 = cnn.cast %c : tensor<2xui8> -> tensor<2xf32>
  return %0, %1, %2 : tensor<ui8>, tensor<2xf32>, tensor<2xf32>
}

// -----

// A max pool of uint8: padded with 0 (the least value never wins: a window
// always holds an input), linalg's unsigned max pooling from 0, channels
// last as it is.
// CHECK-LABEL: func.func @max_pool_uint8
// CHECK:         %[[LOW:.*]] = arith.constant 0 : i8
// CHECK:         %[[PAD:.*]] = tensor.pad %arg0 low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK:           tensor.yield %[[LOW]] : i8
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[LOW]] : i8) outs(%{{.*}} : tensor<1x3x3x16xi8>)
// CHECK:         linalg.pooling_nhwc_max_unsigned {{.*}} ins(%[[PAD]], %{{.*}} : tensor<1x8x8x16xi8>, tensor<3x3xi8>) outs(%[[INIT]] : tensor<1x3x3x16xi8>)
func.func @max_pool_uint8(%x: tensor<1x6x6x16xui8>) -> tensor<1x3x3x16xui8> {
  %0 = cnn.pool max %x kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] layout nhwc : tensor<1x6x6x16xui8> -> tensor<1x3x3x16xui8>
  return %0 : tensor<1x3x3x16xui8>
}

// -----

// int8 channels first: the signed max pooling from -128, transposed to
// channels last and back.
// CHECK-LABEL: func.func @max_pool_int8_nchw
// CHECK:         %[[LOW:.*]] = arith.constant -128 : i8
// CHECK:         %[[T:.*]] = linalg.transpose ins(%arg0 : tensor<1x4x6x6xi8>) {{.*}} permutation = [0, 2, 3, 1]
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[LOW]] : i8)
// CHECK:         %[[P:.*]] = linalg.pooling_nhwc_max {{.*}} ins(%[[T]], %{{.*}}) outs(%[[INIT]] : tensor<1x3x3x4xi8>)
// CHECK:         linalg.transpose ins(%[[P]] : tensor<1x3x3x4xi8>) {{.*}} permutation = [0, 3, 1, 2]
func.func @max_pool_int8_nchw(%x: tensor<1x4x6x6xi8>) -> tensor<1x4x3x3xi8> {
  %0 = cnn.pool max %x kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] : tensor<1x4x6x6xi8> -> tensor<1x4x3x3xi8>
  return %0 : tensor<1x4x3x3xi8>
}
