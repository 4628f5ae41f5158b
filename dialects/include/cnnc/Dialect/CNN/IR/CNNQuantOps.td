//===- CNNQuantOps.td - Quantized tensors and integer kernels -*- tablegen -*-===//
//
// int8 in the graph, with ONNX's linear quantization:
//   quantize:   q = saturate(round_half_even(x / scale) + zero_point)
//   dequantize: x = (q - zero_point) * scale
// A scale and its zero point are 0-D (per tensor) or 1-D of the size of
// dimension `axis` (per axis, e.g. per output channel of a weight); `axis`
// is present exactly for per-axis parameters. int8 tensors are `i8`, uint8
// tensors `ui8`: the type carries the saturation range.
//
// The integer convolution and matrix product accumulate in int32 and subtract
// the zero points inside the sum; `cnn.requantize` maps the accumulator back
// to int8 or uint8. `cnnc-fold-quantization` turns the QDQ patterns of
// ONNX Runtime and PyTorch exports into these ops.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_CNN_IR_CNNQUANTOPS_TD
#define CNNC_DIALECT_CNN_IR_CNNQUANTOPS_TD

// The shape rule of a scale and its zero point, shared by the ops that take
// them (C++ in CNNQuantOps.cpp: ODS cannot relate a shape to an attribute).
class CNN_QuantParameterOp<string mnemonic, list<Trait> traits = []>
    : CNN_Op<mnemonic, !listconcat([AllShapesMatch<["input", "result"]>],
                                   traits)> {
  let hasVerifier = 1;
}

def CNN_QuantizeOp : CNN_QuantParameterOp<"quantize",
    [AllElementTypesMatch<["zero_point", "result"]>,
     AllShapesMatch<["scale", "zero_point"]>]> {
  let summary = "float to int8 or uint8: saturate(round(x / scale) + zero point).";
  let description = [{
    Rounds halves to even and saturates to the result type's range, as
    ONNX's QuantizeLinear. `scale` must be positive; a scale known at
    compile time is checked when the op is verified.

    ```mlir
    %q = cnn.quantize %x, %s, %z
         : (tensor<1x3x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x3x4x4xui8>
    %w = cnn.quantize %x, %s, %z axis 1
         : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<1x3x4x4xi8>
    ```
  }];
  let arguments = (ins StaticShapeTensorOf<[F32]>:$input, CNN_ScaleTensor:$scale,
                   CNN_QuantizedTensor:$zero_point,
                   OptionalAttr<CNN_NonNegativeI64>:$axis);
  let results = (outs CNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $zero_point (`axis` $axis^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def CNN_DequantizeOp : CNN_QuantParameterOp<"dequantize",
    [AllElementTypesMatch<["input", "zero_point"]>,
     AllShapesMatch<["scale", "zero_point"]>]> {
  let summary = "int8, uint8 or int32 to float: (q - zero point) * scale.";
  let description = [{
    ONNX's DequantizeLinear. An int32 input (a bias, an accumulator) has a
    zero point of zero.

    ```mlir
    %x = cnn.dequantize %q, %s, %z
         : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins CNN_IntegerTensor:$input, CNN_ScaleTensor:$scale,
                   CNN_IntegerTensor:$zero_point,
                   OptionalAttr<CNN_NonNegativeI64>:$axis);
  let results = (outs StaticShapeTensorOf<[F32]>:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $zero_point (`axis` $axis^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def CNN_RequantizeOp : CNN_QuantParameterOp<"requantize",
    [AllElementTypesMatch<["zero_point", "result"]>]> {
  let summary = "int32 accumulator to int8 or uint8: "
                "saturate(round(acc * multiplier) + zero point).";
  let description = [{
    The epilogue of an integer kernel. `multiplier` is
    `input_scale * weight_scale / output_scale`, per tensor or per output
    channel (`axis`); the product is rounded half to even in float, as ONNX
    Runtime's QLinearConv does. The output's zero point is 0-D.

    ```mlir
    %y = cnn.requantize %acc, %m, %z axis 1
         : (tensor<1x8x7x7xi32>, tensor<8xf32>, tensor<ui8>) -> tensor<1x8x7x7xui8>
    ```
  }];
  let arguments = (ins CNN_AccumulatorTensor:$input,
                   CNN_ScaleTensor:$multiplier,
                   CNN_QuantizedTensor:$zero_point,
                   OptionalAttr<CNN_NonNegativeI64>:$axis);
  let results = (outs CNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input `,` $multiplier `,` $zero_point (`axis` $axis^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def CNN_CastOp : CNN_Op<"cast", [AllShapesMatch<["input", "result"]>]> {
  let summary = "Elementwise conversion between element types.";
  let description = [{
    ONNX's Cast: float to integer truncates toward zero (values out of the
    target's range are undefined, as in ONNX), integer to float rounds to
    nearest, integers extend or truncate by their signedness.

    ```mlir
    %z = cnn.cast %x : tensor<f32> -> tensor<ui8>
    ```
  }];
  let arguments = (ins CNN_AnyTensor:$input);
  let results = (outs CNN_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def CNN_ConvIntegerOp : CNN_InferringOp<"conv_integer",
    [AllElementTypesMatch<["input", "input_zero_point"]>,
     AllElementTypesMatch<["weight", "weight_zero_point"]>]> {
  let summary = "2-D grouped convolution of int8/uint8 tensors, accumulated "
                "in int32.";
  let description = [{
    `sum((x - x_zero) * (w - w_zero)) + bias` over each window, in int32, with
    `input` [N, C_in, H, W] and `weight` [C_out, C_in / groups, KH, KW] as
    `cnn.conv`. Padding reads the input's zero point, so padded taps add
    nothing. `input_zero_point` is 0-D; `weight_zero_point` is 0-D or
    [C_out] (per output channel); `bias` is int32 [C_out]. ONNX's
    ConvInteger, and the core of QLinearConv and of a folded QDQ
    convolution.

    With `layout nhwc` (chosen by `cnnc-select-layout`, as for `cnn.conv`)
    `input` is [N, H, W, C_in] and the result [N, H', W', C_out], so that
    int8 activations stay channels last from one layer to the next; the
    weight stays [C_out, C_in / groups, KH, KW] (a constant the kernel
    packs anyway).

    ```mlir
    %acc = cnn.conv_integer %x, %w, %xz, %wz strides [1, 1] pads [0, 0, 0, 0]
             dilations [1, 1] groups 1
           : (tensor<1x1x3x3xui8>, tensor<1x1x2x2xui8>, tensor<ui8>, tensor<ui8>)
             -> tensor<1x1x2x2xi32>
    ```
  }];
  let arguments = (ins CNN_QuantizedTensor:$input, CNN_QuantizedTensor:$weight,
                   CNN_QuantizedTensor:$input_zero_point,
                   CNN_QuantizedTensor:$weight_zero_point,
                   Optional<CNN_AccumulatorTensor>:$bias,
                   CNN_PositiveI64Array:$strides,
                   CNN_NonNegativeI64Array:$pads,
                   CNN_PositiveI64Array:$dilations,
                   CNN_PositiveI64:$groups,
                   CNN_DefaultLayoutAttr:$layout);
  let results = (outs CNN_AccumulatorTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $input_zero_point `,` $weight_zero_point
    (`bias` $bias^)? `strides` $strides `pads` $pads `dilations` $dilations
    `groups` $groups (`layout` `` $layout^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def CNN_MatmulIntegerOp : CNN_InferringOp<"matmul_integer",
    [AllElementTypesMatch<["lhs", "lhs_zero_point"]>,
     AllElementTypesMatch<["rhs", "rhs_zero_point"]>]> {
  let summary = "Batched matrix product of int8/uint8 tensors, accumulated in "
                "int32.";
  let description = [{
    `sum_k (lhs[.., m, k] - lhs_zero) * (rhs[.., k, n] - rhs_zero[n]) +
    bias[n]` in int32; batch dimensions broadcast as `cnn.matmul`'s.
    `lhs_zero_point` is 0-D; `rhs_zero_point` 0-D or [N] (per column);
    `bias` int32 [N]. ONNX's MatMulInteger, the core of QLinearMatMul and
    of a folded QDQ Gemm.

    ```mlir
    %acc = cnn.matmul_integer %a, %b, %az, %bz
           : (tensor<4x3xui8>, tensor<3x2xui8>, tensor<ui8>, tensor<ui8>)
             -> tensor<4x2xi32>
    ```
  }];
  let arguments = (ins CNN_QuantizedTensor:$lhs, CNN_QuantizedTensor:$rhs,
                   CNN_QuantizedTensor:$lhs_zero_point,
                   CNN_QuantizedTensor:$rhs_zero_point,
                   Optional<CNN_AccumulatorTensor>:$bias);
  let results = (outs CNN_AccumulatorTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs `,` $lhs_zero_point `,` $rhs_zero_point (`bias` $bias^)?
    attr-dict
    `:` functional-type(operands, results)
  }];
}

#endif // CNNC_DIALECT_CNN_IR_CNNQUANTOPS_TD
