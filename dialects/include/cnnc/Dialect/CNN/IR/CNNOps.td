//===- CNNOps.td - Operations of the cnn dialect -----------*- tablegen -*-===//
//
// Ops on statically shaped tensors, NCHW. Conventions shared by all ops:
//  * `pads` of an op with N spatial dimensions lists the N leading pads, then
//    the N trailing ones: [h_begin, w_begin, h_end, w_end] in 2-D (ONNX order).
//  * Axes are non-negative; frontends normalize negative ONNX axes.
//  * Results whose type follows from operands and attributes are inferred
//    (InferTypeOpInterface); the verifier checks the written type against it.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_CNN_IR_CNNOPS_TD
#define CNNC_DIALECT_CNN_IR_CNNOPS_TD

include "cnnc/Dialect/CNN/IR/CNNBase.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class CNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<CNN_Dialect, mnemonic, !listconcat([Pure], traits)>;

// An op whose result type follows from its operands and attributes. Its
// verifier runs the inference, which says what is wrong when it cannot
// infer; the interface then checks the written result type against it.
class CNN_InferringOp<string mnemonic, list<Trait> traits = []>
    : CNN_Op<mnemonic, !listconcat([InferTypeOpAdaptor], traits)> {
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

def CNN_ConstantOp : CNN_Op<"constant",
    [ConstantLike, AllTypesMatch<["value", "result"]>]> {
  let summary = "A tensor known at compile time: weights, biases, folded shapes.";
  let description = [{
    Weights imported from a model are dense resources (`dense_resource`) so
    that large tensors are never printed element by element; small tensors
    may be `dense` literals.

    ```mlir
    %w = cnn.constant dense_resource<conv1_weight> : tensor<64x3x7x7xf32>
    %b = cnn.constant dense<0.0> : tensor<64xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs CNN_AnyTensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Convolutions
//===----------------------------------------------------------------------===//

def CNN_ConvOp : CNN_InferringOp<"conv", [AttrSizedOperandSegments]> {
  let summary = "N-d grouped, strided, dilated convolution with optional bias "
                "and a fused epilogue.";
  let description = [{
    Cross-correlation of `input` [N, C_in, D1..Dk] with `weight`
    [C_out, C_in / groups, K1..Kk] (k = 1, 2 or 3 spatial dimensions), plus
    `bias` [C_out] when present. Spatial output sizes are
    `floor((D + pad_begin + pad_end - dilation * (K - 1) - 1) / stride) + 1`.
    A depthwise convolution is `groups = C_in = C_out`.

    The graph passes fuse what follows a convolution into it: `residual` (a
    tensor of the result's type) is added, then `activation` (with
    `activation_alpha` / `activation_beta`, as `cnn.activation` takes them)
    is applied: `act(conv(x, w) + bias + residual)`.

    With `layout nhwc` (2-D only, chosen by `cnnc-select-layout` for the CPU
    kernels) the channels come last: `input` [N, H, W, C_in], `weight`
    [KH, KW, C_in / groups, C_out] and the result [N, H', W', C_out].

    ```mlir
    %y = cnn.conv %x, %w, %b strides [2, 2] pads [3, 3, 3, 3] dilations [1, 1]
           groups 1
         : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>)
           -> tensor<1x64x112x112xf32>
    %z = cnn.conv %y, %w2, %b2 residual %y strides [1, 1] pads [1, 1, 1, 1]
           dilations [1, 1] groups 1 activation relu
         : (tensor<1x64x112x112xf32>, tensor<64x64x3x3xf32>, tensor<64xf32>,
            tensor<1x64x112x112xf32>) -> tensor<1x64x112x112xf32>
    ```
  }];
  let arguments = (ins CNN_FloatTensor:$input, CNN_FloatTensor:$weight,
                   Optional<CNN_FloatTensor>:$bias,
                   Optional<CNN_FloatTensor>:$residual,
                   CNN_PositiveI64Array:$strides,
                   CNN_NonNegativeI64Array:$pads,
                   CNN_PositiveI64Array:$dilations,
                   CNN_PositiveI64:$groups,
                   OptionalAttr<CNN_ActivationKindAttr>:$activation,
                   OptionalAttr<F32Attr>:$activation_alpha,
                   OptionalAttr<F32Attr>:$activation_beta,
                   CNN_DefaultLayoutAttr:$layout);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? (`residual` $residual^)? `strides` $strides
    `pads` $pads `dilations` $dilations `groups` $groups
    (`activation` `` $activation^)? (`layout` `` $layout^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def CNN_ConvTransposeOp : CNN_InferringOp<"conv_transpose"> {
  let summary = "N-d transposed (fractionally strided) convolution.";
  let description = [{
    The gradient of `cnn.conv` with respect to its input, used as an op:
    `input` [N, C_in, D1..Dk], `weight` [C_in, C_out / groups, K1..Kk],
    optional `bias` [C_out]. Spatial output sizes are
    `stride * (D - 1) + output_padding + dilation * (K - 1) + 1 - pad_begin
    - pad_end`. Frontends turn ONNX's `output_shape` and `auto_pad` into
    explicit `pads` and `output_padding`.

    ```mlir
    %y = cnn.conv_transpose %x, %w strides [2, 2] pads [0, 0, 0, 0]
           dilations [1, 1] output_padding [1, 1] groups 1
         : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x8x8xf32>
    ```
  }];
  let arguments = (ins CNN_FloatTensor:$input, CNN_FloatTensor:$weight,
                   Optional<CNN_FloatTensor>:$bias,
                   CNN_PositiveI64Array:$strides,
                   CNN_NonNegativeI64Array:$pads,
                   CNN_PositiveI64Array:$dilations,
                   CNN_NonNegativeI64Array:$output_padding,
                   CNN_PositiveI64:$groups);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? `strides` $strides `pads` $pads
    `dilations` $dilations `output_padding` $output_padding `groups` $groups
    attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def CNN_PoolOp : CNN_InferringOp<"pool",
    [AllElementTypesMatch<["input", "result"]>]> {
  let summary = "Max or average over sliding windows of the spatial dimensions.";
  let description = [{
    Windows of `kernel` with `strides`, `pads` and `dilations` over the 1, 2 or
    3 spatial dimensions of an [N, C, D1..Dk] input. Padded positions never
    win a max. An average divides by the number of input positions in the
    window, or by the full window size with `count_include_pad`, which only
    an average may carry. With `ceil_mode` the output size rounds up, and a
    last window that would start in the trailing padding is dropped.
    With `layout nhwc` a 2-D input is [N, H, W, C] (and so is the result).
    A max pool may take int8 or uint8 (a quantized tensor: the max of its
    integers is that of the values they stand for); an average takes
    floats.

    ```mlir
    %y = cnn.pool max %x kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1]
           dilations [1, 1]
         : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
    %z = cnn.pool avg %x kernel [3, 3] strides [2, 2] pads [0, 0, 0, 0]
           dilations [1, 1] ceil_mode count_include_pad
         : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
    ```
  }];
  let arguments = (ins CNN_PoolKindAttr:$kind,
                   CNN_FloatOrQuantizedTensor:$input,
                   CNN_PositiveI64Array:$kernel,
                   CNN_PositiveI64Array:$strides,
                   CNN_NonNegativeI64Array:$pads,
                   CNN_PositiveI64Array:$dilations,
                   UnitAttr:$ceil_mode, UnitAttr:$count_include_pad,
                   CNN_DefaultLayoutAttr:$layout);
  let results = (outs CNN_FloatOrQuantizedTensor:$result);
  let assemblyFormat = [{
    `` $kind $input `kernel` $kernel `strides` $strides `pads` $pads
    `dilations` $dilations (`ceil_mode` $ceil_mode^)?
    (`count_include_pad` $count_include_pad^)? (`layout` `` $layout^)?
    attr-dict
    `:` type($input) `->` type($result)
  }];
}

def CNN_GlobalPoolOp : CNN_InferringOp<"global_pool"> {
  let summary = "Max or average over all spatial positions of each channel.";
  let description = [{
    Reduces every spatial dimension of an [N, C, D1..Dk] tensor to size 1;
    with `layout nhwc`, of an [N, H, W, C] one.

    ```mlir
    %y = cnn.global_pool avg %x : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
    ```
  }];
  let arguments = (ins CNN_PoolKindAttr:$kind, CNN_FloatTensor:$input,
                   CNN_DefaultLayoutAttr:$layout);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = [{
    `` $kind $input (`layout` `` $layout^)? attr-dict `:` type($input) `->`
    type($result)
  }];
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

def CNN_BatchNormOp : CNN_Op<"batch_norm",
    [AllTypesMatch<["input", "result"]>,
     AllTypesMatch<["scale", "bias", "mean", "variance"]>]> {
  let summary = "Batch normalization with fixed statistics (inference form).";
  let description = [{
    `(input - mean) / sqrt(variance + epsilon) * scale + bias`, per channel
    (dimension 1); the four parameters have shape [C]. Graph passes fold it
    into the convolution before it.

    ```mlir
    %y = cnn.batch_norm %x, %gamma, %beta, %mean, %var {epsilon = 1.0e-05 : f32}
         : tensor<1x64x56x56xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins CNN_FloatTensor:$input, CNN_FloatTensor:$scale,
                   CNN_FloatTensor:$bias, CNN_FloatTensor:$mean,
                   CNN_FloatTensor:$variance,
                   DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict
    `:` type($input) `,` type($scale)
  }];
  let hasVerifier = 1;
}

def CNN_BatchNormTrainOp : CNN_Op<"batch_norm_train",
    [AllTypesMatch<["input", "result"]>,
     AllTypesMatch<["scale", "bias", "running_mean", "running_variance",
                    "new_running_mean", "new_running_variance",
                    "batch_mean", "batch_inv_std"]>]> {
  let summary = "Batch normalization with batch statistics (training form).";
  let description = [{
    Normalizes with the mean and (biased) variance of the batch, computed per
    channel over N and the spatial dimensions, and returns the updated
    running statistics `momentum * running + (1 - momentum) * batch`, where
    the running variance takes the unbiased batch variance (as PyTorch
    does; ONNX's momentum is PyTorch's `1 - momentum`), or with
    `population_running_variance` the biased one (as ONNX specifies; the
    ONNX importer sets it). `batch_mean` and
    `batch_inv_std = 1 / sqrt(var + epsilon)` are kept for the backward pass.

    ```mlir
    %y, %rm, %rv, %bm, %bis = cnn.batch_norm_train %x, %gamma, %beta, %mean, %var
        {epsilon = 1.0e-05 : f32, momentum = 0.9 : f32}
        : tensor<8x16x14x14xf32>, tensor<16xf32>
    ```
  }];
  let arguments = (ins CNN_FloatTensor:$input, CNN_FloatTensor:$scale,
                   CNN_FloatTensor:$bias, CNN_FloatTensor:$running_mean,
                   CNN_FloatTensor:$running_variance,
                   DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon,
                   DefaultValuedAttr<F32Attr, "0.9">:$momentum,
                   UnitAttr:$population_running_variance);
  let results = (outs CNN_FloatTensor:$result,
                  CNN_FloatTensor:$new_running_mean,
                  CNN_FloatTensor:$new_running_variance,
                  CNN_FloatTensor:$batch_mean, CNN_FloatTensor:$batch_inv_std);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $running_mean `,` $running_variance
    attr-dict `:` type($input) `,` type($scale)
  }];
  let hasVerifier = 1;
}

def CNN_InstanceNormOp : CNN_Op<"instance_norm",
    [AllTypesMatch<["input", "result"]>, AllTypesMatch<["scale", "bias"]>]> {
  let summary = "Normalization of each channel of each sample on its own.";
  let description = [{
    `(input - mean) / sqrt(variance + epsilon) * scale + bias` where mean and
    variance are taken over the spatial dimensions of each (n, c); `scale`
    and `bias` have shape [C].

    ```mlir
    %y = cnn.instance_norm %x, %s, %b {epsilon = 1.0e-05 : f32}
         : tensor<2x3x4x5xf32>, tensor<3xf32>
    ```
  }];
  let arguments = (ins CNN_FloatTensor:$input, CNN_FloatTensor:$scale,
                   CNN_FloatTensor:$bias,
                   DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias attr-dict `:` type($input) `,` type($scale)
  }];
  let hasVerifier = 1;
}

def CNN_LrnOp : CNN_Op<"lrn", [AllTypesMatch<["input", "result"]>]> {
  let summary = "Local response normalization across channels (AlexNet).";
  let description = [{
    `input / (bias + alpha / size * sum of squares over the size channels
    centered on c) ^ beta`, for an input of rank 3 or more.

    ```mlir
    %y = cnn.lrn %x {size = 5, alpha = 1.0e-04 : f32, beta = 7.5e-01 : f32,
                     bias = 2.0 : f32} : tensor<1x96x55x55xf32>
    ```
  }];
  let arguments = (ins CNN_FloatTensor:$input, CNN_PositiveI64:$size,
                   DefaultValuedAttr<F32Attr, "1.0e-4">:$alpha,
                   DefaultValuedAttr<F32Attr, "0.75">:$beta,
                   DefaultValuedAttr<F32Attr, "1.0">:$bias);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

def CNN_ActivationOp : CNN_Op<"activation",
    [AllTypesMatch<["input", "result"]>]> {
  let summary = "An activation function applied to every element.";
  let description = [{
    The activation family, one op so that fusion passes match it once and
    fused convolutions carry the same (kind, alpha, beta) triple. The two
    parameters mean, per kind (as in oneDNN's eltwise primitive):

    | kind | alpha | beta | function |
    |------|-------|------|----------|
    | relu, sigmoid, tanh, hard_swish, softplus, gelu, gelu_tanh, silu | - | - | |
    | leaky_relu | slope | - | `x < 0 ? alpha * x : x` |
    | clip | lower bound | upper bound | `min(max(x, alpha), beta)` (relu6: 0, 6) |
    | hard_sigmoid | slope | offset | `max(0, min(1, alpha * x + beta))` |
    | elu | scale | - | `x < 0 ? alpha * (exp(x) - 1) : x` |
    | selu | alpha | gamma | `gamma * (x < 0 ? alpha * (exp(x) - 1) : x)` |

    A parameter the kind needs must be present, one it does not take must be
    absent.

    ```mlir
    %y = cnn.activation relu %x : tensor<1x64x56x56xf32>
    %z = cnn.activation clip %x {alpha = 0.0 : f32, beta = 6.0 : f32}
         : tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins CNN_ActivationKindAttr:$kind, CNN_FloatTensor:$input,
                   OptionalAttr<F32Attr>:$alpha, OptionalAttr<F32Attr>:$beta);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = "`` $kind $input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def CNN_PReluOp : CNN_Op<"prelu", [AllTypesMatch<["input", "result"]>]> {
  let summary = "Leaky relu whose slope is a tensor (learned, per channel).";
  let description = [{
    `x < 0 ? slope * x : x`, with `slope` broadcast to the input's shape
    (numpy rules, in one direction: the result has the input's shape).

    ```mlir
    %y = cnn.prelu %x, %slope : tensor<1x16x8x8xf32>, tensor<16x1x1xf32>
    ```
  }];
  let arguments = (ins CNN_FloatTensor:$input, CNN_FloatTensor:$slope);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $slope attr-dict `:` type($input) `,` type($slope)
  }];
  let hasVerifier = 1;
}

def CNN_UnaryOp : CNN_Op<"unary", [AllTypesMatch<["input", "result"]>]> {
  let summary = "An elementwise math function of one operand.";
  let description = [{
    ```mlir
    %y = cnn.unary sqrt %x : tensor<3x4xf32>
    ```
  }];
  let arguments = (ins CNN_UnaryKindAttr:$kind, CNN_FloatTensor:$input);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = "`` $kind $input attr-dict `:` type($input)";
  let hasFolder = 1;
}

def CNN_BinaryOp : CNN_InferringOp<"binary"> {
  let summary = "An elementwise function of two operands, with broadcasting.";
  let description = [{
    Operands of the same element type broadcast against each other with
    numpy's rules: shapes align at the right, and a dimension of size 1
    stretches to the other operand's size.

    ```mlir
    %y = cnn.binary add %a, %b
         : (tensor<1x64x56x56xf32>, tensor<64x1x1xf32>) -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins CNN_BinaryKindAttr:$kind, CNN_FloatTensor:$lhs,
                   CNN_FloatTensor:$rhs);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = [{
    `` $kind $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def CNN_DropoutOp : Op<CNN_Dialect, "dropout",
    [AllTypesMatch<["input", "result"]>]> {
  let summary = "Random zeroing of elements during training.";
  let description = [{
    In training, each element is zeroed with probability `ratio` and the
    others are scaled by `1 / (1 - ratio)`, drawing from the runtime's
    random stream seeded by `seed`. In inference it is the identity, and the
    inference pipeline removes it. It is not `Pure`: two dropouts of the same
    value draw different masks.

    ```mlir
    %y = cnn.dropout %x {ratio = 5.0e-01 : f32} : tensor<8x4096xf32>
    ```
  }];
  let arguments = (ins CNN_FloatTensor:$input,
                   DefaultValuedAttr<F32Attr, "0.5">:$ratio,
                   DefaultValuedAttr<I64Attr, "0">:$seed);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def CNN_MatmulOp : CNN_InferringOp<"matmul"> {
  let summary = "Batched matrix product with optional transposes, bias and a "
                "fused activation.";
  let description = [{
    `alpha * op(lhs) x op(rhs) + beta * bias`, where `op` transposes the last
    two dimensions when `transpose_lhs` / `transpose_rhs` is set. Operands
    have rank 2 or more; leading (batch) dimensions broadcast with numpy's
    rules. `bias`, when present, broadcasts to the result's shape. ONNX's
    Gemm and MatMul both import to this op. The graph passes fuse a
    following activation into it (`activation`, `activation_alpha`,
    `activation_beta`, as `cnn.activation` takes them).

    ```mlir
    %y = cnn.matmul %x, %w, %b transpose_rhs {alpha = 1.0 : f32, beta = 1.0 : f32}
         : (tensor<1x512xf32>, tensor<1000x512xf32>, tensor<1000xf32>)
           -> tensor<1x1000xf32>
    %z = cnn.matmul %x, %w transpose_rhs activation relu
         : (tensor<1x512xf32>, tensor<1000x512xf32>) -> tensor<1x1000xf32>
    ```
  }];
  let arguments = (ins CNN_FloatTensor:$lhs, CNN_FloatTensor:$rhs,
                   Optional<CNN_FloatTensor>:$bias,
                   UnitAttr:$transpose_lhs, UnitAttr:$transpose_rhs,
                   DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                   DefaultValuedAttr<F32Attr, "1.0">:$beta,
                   OptionalAttr<CNN_ActivationKindAttr>:$activation,
                   OptionalAttr<F32Attr>:$activation_alpha,
                   OptionalAttr<F32Attr>:$activation_beta);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`,` $bias^)? (`transpose_lhs` $transpose_lhs^)?
    (`transpose_rhs` $transpose_rhs^)? (`activation` `` $activation^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def CNN_ConcatOp : CNN_InferringOp<"concat"> {
  let summary = "Concatenation of tensors along one axis.";
  let description = [{
    The operands agree in rank, element type and every dimension but `axis`.

    ```mlir
    %y = cnn.concat %a, %b axis 1
         : (tensor<1x64x28x28xf32>, tensor<1x32x28x28xf32>) -> tensor<1x96x28x28xf32>
    ```
  }];
  let arguments = (ins Variadic<CNN_AnyTensor>:$inputs,
                   CNN_NonNegativeI64:$axis);
  let results = (outs CNN_AnyTensor:$result);
  let assemblyFormat = [{
    $inputs `axis` $axis attr-dict `:` functional-type($inputs, results)
  }];
  let hasFolder = 1;
}

def CNN_ReshapeOp : CNN_Op<"reshape"> {
  let summary = "The same elements in row-major order, in another shape.";
  let description = [{
    The result type is the new shape; it has as many elements as the input.
    ONNX's Reshape, Flatten, Squeeze and Unsqueeze all import to this op,
    since with static shapes they differ only in how the shape is written.

    ```mlir
    %y = cnn.reshape %x : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
    ```
  }];
  let arguments = (ins CNN_AnyTensor:$input);
  let results = (outs CNN_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def CNN_TransposeOp : CNN_InferringOp<"transpose"> {
  let summary = "A permutation of the dimensions.";
  let description = [{
    Result dimension `i` is input dimension `permutation[i]`. Two transposes
    in a row fold into one; a transpose that keeps the order of the
    dimensions of size above 1 canonicalizes to a `cnn.reshape`.

    ```mlir
    %y = cnn.transpose %x permutation [0, 2, 3, 1]
         : tensor<1x3x224x224xf32> -> tensor<1x224x224x3xf32>
    ```
  }];
  let arguments = (ins CNN_AnyTensor:$input,
                   CNN_NonNegativeI64Array:$permutation);
  let results = (outs CNN_AnyTensor:$result);
  let assemblyFormat = [{
    $input `permutation` $permutation attr-dict `:` type($input) `->` type($result)
  }];
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def CNN_SliceOp : CNN_InferringOp<"slice"> {
  let summary = "A strided window of a tensor, possibly reversed.";
  let description = [{
    Result element `j` along dimension `d` is input element
    `offsets[d] + j * strides[d]`, for `j < sizes[d]`. Strides are non-zero
    and may be negative (a reversed slice). Every element read lies inside
    the input; frontends clamp ONNX's out-of-range starts and ends.

    ```mlir
    %y = cnn.slice %x offsets [0, 1] sizes [2, 3] strides [1, 2]
         : tensor<4x8xf32> -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins CNN_AnyTensor:$input,
                   CNN_NonNegativeI64Array:$offsets,
                   CNN_NonNegativeI64Array:$sizes,
                   DenseI64ArrayAttr:$strides);
  let results = (outs CNN_AnyTensor:$result);
  let assemblyFormat = [{
    $input `offsets` $offsets `sizes` $sizes `strides` $strides attr-dict
    `:` type($input) `->` type($result)
  }];
  let hasFolder = 1;
}

def CNN_PadOp : CNN_InferringOp<"pad"> {
  let summary = "Padding of every dimension with a constant, a reflection or the edge.";
  let description = [{
    `pads` lists the leading pad of each dimension, then the trailing ones.
    `constant` fills with `value`; `reflect` mirrors the input without
    repeating the edge (each pad smaller than the dimension); `edge` repeats
    the border element (dimensions that are padded are non-empty).

    ```mlir
    %y = cnn.pad reflect %x pads [0, 0, 1, 1, 0, 0, 1, 1]
         : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
    %z = cnn.pad constant %x pads [0, 0, 2, 2, 0, 0, 2, 2] {value = 0.0 : f32}
         : tensor<1x3x8x8xf32> -> tensor<1x3x12x12xf32>
    ```
  }];
  let arguments = (ins CNN_PadModeAttr:$mode, CNN_FloatTensor:$input,
                   CNN_NonNegativeI64Array:$pads,
                   DefaultValuedAttr<F32Attr, "0.0">:$value);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = [{
    `` $mode $input `pads` $pads attr-dict `:` type($input) `->` type($result)
  }];
  let hasFolder = 1;
}

def CNN_ResizeOp : CNN_Op<"resize"> {
  let summary = "Nearest or linear interpolation to a new spatial size.";
  let description = [{
    Output coordinate `x` maps to an input coordinate by `coordinate_mode`
    with the per-dimension `scales` (output size / input size); `nearest`
    rounds it by `nearest_mode`, `linear` interpolates between neighbours.
    The result type carries the output size, which must be the input size
    times the scale, to within rounding (frontends take it from ONNX's
    `sizes` or compute `floor(size * scale)`).

    ```mlir
    %y = cnn.resize nearest %x scales [1.0, 1.0, 2.0, 2.0]
           coordinate_mode asymmetric nearest_mode floor
         : tensor<1x64x14x14xf32> -> tensor<1x64x28x28xf32>
    ```
  }];
  let arguments = (ins CNN_ResizeModeAttr:$mode, CNN_FloatTensor:$input,
                   DenseF32ArrayAttr:$scales,
                   CNN_CoordinateModeAttr:$coordinate_mode,
                   CNN_NearestModeAttr:$nearest_mode);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = [{
    `` $mode $input `scales` $scales `coordinate_mode` `` $coordinate_mode
    `nearest_mode` `` $nearest_mode attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Reductions and softmax
//===----------------------------------------------------------------------===//

def CNN_ReduceOp : CNN_InferringOp<"reduce"> {
  let summary = "Sum, mean or max over a set of axes.";
  let description = [{
    `axes` are distinct, sorted and in range; reduced dimensions are kept as
    size 1 with `keep_dims`, dropped otherwise.

    ```mlir
    %y = cnn.reduce mean %x axes [2, 3] keep_dims
         : tensor<1x1280x7x7xf32> -> tensor<1x1280x1x1xf32>
    ```
  }];
  let arguments = (ins CNN_ReduceKindAttr:$kind, CNN_FloatTensor:$input,
                   CNN_NonNegativeI64Array:$axes, UnitAttr:$keep_dims);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = [{
    `` $kind $input `axes` $axes (`keep_dims` $keep_dims^)? attr-dict
    `:` type($input) `->` type($result)
  }];
}

class CNN_SoftmaxOpBase<string mnemonic, string formula>
    : CNN_Op<mnemonic, [AllTypesMatch<["input", "result"]>]> {
  let summary = formula # " along one axis.";
  let arguments = (ins CNN_FloatTensor:$input, CNN_NonNegativeI64:$axis);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = "$input `axis` $axis attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def CNN_SoftmaxOp : CNN_SoftmaxOpBase<"softmax", "exp(x) / sum(exp(x))"> {
  let description = [{
    Normalized exponentials along `axis` (ONNX's pre-13 "flatten to 2-D"
    semantics are rewritten by the frontend with reshapes).

    ```mlir
    %y = cnn.softmax %x axis 1 : tensor<1x1000xf32>
    ```
  }];
}

def CNN_LogSoftmaxOp
    : CNN_SoftmaxOpBase<"log_softmax", "x - log(sum(exp(x)))"> {
  let description = [{
    The logarithm of the softmax, computed stably.

    ```mlir
    %y = cnn.log_softmax %x axis 1 : tensor<8x10xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

def CNN_SoftmaxCrossEntropyOp : CNN_InferringOp<"softmax_cross_entropy"> {
  let summary = "Cross-entropy of softmax(logits) against class indices.";
  let description = [{
    `logits` [N, C] and `labels` [N] (integer class indices in [0, C)). With
    `label_smoothing` s the target puts `1 - s + s / C` on the label and
    `s / C` elsewhere. `reduction` `mean` and `sum` give a scalar (a 0-d
    tensor), `none` the [N] per-sample losses.

    ```mlir
    %loss = cnn.softmax_cross_entropy %logits, %labels reduction mean
              {label_smoothing = 1.0e-01 : f32}
            : (tensor<64x10xf32>, tensor<64xi64>) -> tensor<f32>
    ```
  }];
  let arguments = (ins CNN_FloatTensor:$logits, CNN_IndexTensor:$labels,
                   CNN_LossReductionAttr:$reduction,
                   DefaultValuedAttr<F32Attr, "0.0">:$label_smoothing);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = [{
    $logits `,` $labels `reduction` `` $reduction attr-dict
    `:` functional-type(operands, results)
  }];
}

def CNN_MseLossOp : CNN_InferringOp<"mse_loss"> {
  let summary = "Mean squared error between a prediction and a target.";
  let description = [{
    `(prediction - target)^2` elementwise; `mean` and `sum` reduce it to a
    scalar, `none` keeps the prediction's shape. Both operands have the same
    type.

    ```mlir
    %loss = cnn.mse_loss %pred, %target reduction mean
            : (tensor<8x1xf32>, tensor<8x1xf32>) -> tensor<f32>
    ```
  }];
  let arguments = (ins CNN_FloatTensor:$prediction, CNN_FloatTensor:$target,
                   CNN_LossReductionAttr:$reduction);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = [{
    $prediction `,` $target `reduction` `` $reduction attr-dict
    `:` functional-type(operands, results)
  }];
}

include "cnnc/Dialect/CNN/IR/CNNGradientOps.td"
include "cnnc/Dialect/CNN/IR/CNNQuantOps.td"

#endif // CNNC_DIALECT_CNN_IR_CNNOPS_TD
