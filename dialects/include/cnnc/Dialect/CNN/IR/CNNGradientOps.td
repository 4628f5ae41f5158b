//===- CNNGradientOps.td - The backward ops of the cnn dialect -*- tablegen -*-===//
//
// Part of CNNOps.td (which includes it): the ops that cnnc-generate-train-step
// writes for the backward pass. Their verifiers are in CNNOps.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_CNN_IR_CNNGRADIENTOPS_TD
#define CNNC_DIALECT_CNN_IR_CNNGRADIENTOPS_TD

//===----------------------------------------------------------------------===//
// Gradients
//
// What `cnnc-generate-train-step` writes for the backward pass where the
// forward ops cannot say it themselves. Gradients that are forward ops in
// another form (a convolution's input gradient is a cnn.conv_transpose, a
// matmul's are matmuls, a batch norm's are broadcasting binary ops and
// reductions) use those ops.
//===----------------------------------------------------------------------===//

def CNN_ActivationGradOp : CNN_Op<"activation_grad",
    [AllTypesMatch<["input", "grad", "result"]>]> {
  let summary = "The gradient through an activation: grad * f'(input).";
  let description = [{
    `input` is what the activation (of `kind`, `alpha`, `beta` as
    `cnn.activation` takes them) was applied to, `grad` the gradient of the
    loss with respect to its result. Where f is not differentiable the
    one-sided derivative from the right is taken (relu'(0) = 0, as PyTorch).

    ```mlir
    %dx = cnn.activation_grad relu %x, %dy : tensor<8x16x14x14xf32>
    ```
  }];
  let arguments = (ins CNN_ActivationKindAttr:$kind, CNN_FloatTensor:$input,
                   CNN_FloatTensor:$grad, OptionalAttr<F32Attr>:$alpha,
                   OptionalAttr<F32Attr>:$beta);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = [{
    `` $kind $input `,` $grad attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
}

def CNN_ConvWeightGradOp : CNN_Op<"conv_weight_grad"> {
  let summary = "The gradient of a 2-D convolution with respect to its weight.";
  let description = [{
    For `y = cnn.conv(input, w)` (layout nchw) with these `strides`, `pads`,
    `dilations` and `groups`, and `grad_output` = dL/dy, the result is
    dL/dw, of w's type [F, C / groups, KH, KW]: the sum over the batch and
    the output positions of `grad_output[n, f, oh, ow] *
    input[n, g * C / groups + c, oh * sh + kh * dh - ph, ow * sw + kw * dw - pw]`
    (g the group of f; padded positions read zero).

    ```mlir
    %dw = cnn.conv_weight_grad %x, %dy strides [1, 1] pads [1, 1, 1, 1]
            dilations [1, 1] groups 1
          : (tensor<8x3x32x32xf32>, tensor<8x16x32x32xf32>)
            -> tensor<16x3x3x3xf32>
    ```
  }];
  let arguments = (ins CNN_FloatTensor:$input, CNN_FloatTensor:$grad_output,
                   CNN_PositiveI64Array:$strides,
                   CNN_NonNegativeI64Array:$pads,
                   CNN_PositiveI64Array:$dilations,
                   CNN_PositiveI64:$groups);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $grad_output `strides` $strides `pads` $pads `dilations`
    $dilations `groups` $groups attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def CNN_PoolGradOp : CNN_Op<"pool_grad",
    [AllTypesMatch<["input", "result"]>]> {
  let summary = "The gradient of a 2-D max or average pool with respect to "
                "its input.";
  let description = [{
    `input` and the window attributes are those of the `cnn.pool` (layout
    nchw) whose result's gradient is `grad_output`. A max pool routes each
    window's gradient to the first position (in row-major window order)
    that holds the window's maximum, as PyTorch does; an average pool
    spreads it evenly over the positions its divisor counted.

    ```mlir
    %dx = cnn.pool_grad max %x, %dy kernel [2, 2] strides [2, 2]
            pads [0, 0, 0, 0] dilations [1, 1]
          : tensor<8x16x28x28xf32>, tensor<8x16x14x14xf32>
    ```
  }];
  let arguments = (ins CNN_PoolKindAttr:$kind, CNN_FloatTensor:$input,
                   CNN_FloatTensor:$grad_output,
                   CNN_PositiveI64Array:$kernel,
                   CNN_PositiveI64Array:$strides,
                   CNN_NonNegativeI64Array:$pads,
                   CNN_PositiveI64Array:$dilations,
                   UnitAttr:$ceil_mode, UnitAttr:$count_include_pad);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = [{
    `` $kind $input `,` $grad_output `kernel` $kernel `strides` $strides
    `pads` $pads `dilations` $dilations (`ceil_mode` $ceil_mode^)?
    (`count_include_pad` $count_include_pad^)? attr-dict
    `:` type($input) `,` type($grad_output)
  }];
  let hasVerifier = 1;
}

def CNN_SoftmaxCrossEntropyGradOp
    : CNN_Op<"softmax_cross_entropy_grad",
             [AllTypesMatch<["logits", "result"]>]> {
  let summary = "The gradient of cnn.softmax_cross_entropy with respect to "
                "its logits.";
  let description = [{
    `(softmax(logits) - target) * grad` per sample, with the smoothed
    one-hot target of `cnn.softmax_cross_entropy` and `grad` the gradient of
    the loss (a 0-d tensor for `mean` and `sum`, [N] for `none`); `mean`
    divides by N.

    ```mlir
    %dlogits = cnn.softmax_cross_entropy_grad %logits, %labels, %dloss
                 reduction mean {label_smoothing = 1.0e-01 : f32}
               : (tensor<64x10xf32>, tensor<64xi32>, tensor<f32>)
                 -> tensor<64x10xf32>
    ```
  }];
  let arguments = (ins CNN_FloatTensor:$logits, CNN_IndexTensor:$labels,
                   CNN_FloatTensor:$grad, CNN_LossReductionAttr:$reduction,
                   DefaultValuedAttr<F32Attr, "0.0">:$label_smoothing);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = [{
    $logits `,` $labels `,` $grad `reduction` `` $reduction attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def CNN_DropoutMaskOp : CNN_Op<"dropout_mask"> {
  let summary = "The scaled keep-mask of a training dropout.";
  let description = [{
    Each element is `1 / (1 - ratio)` with probability `1 - ratio`, else 0,
    drawn from a counter-based generator: a hash of (`seed`, `key`, the
    element's position). The train step's caller passes a new `key` each
    step (the runtime's step counter), and every dropout of a graph has its
    own `seed`, so masks differ between steps and layers but a step can be
    replayed. The forward pass multiplies by the mask, and so does the
    backward one.

    ```mlir
    %mask = cnn.dropout_mask %key {ratio = 5.0e-01 : f32, seed = 3 : i64}
            : tensor<i64> -> tensor<8x4096xf32>
    ```
  }];
  let arguments = (ins 0DTensorOf<[I64]>:$key,
                   DefaultValuedAttr<F32Attr, "0.5">:$ratio,
                   DefaultValuedAttr<I64Attr, "0">:$seed);
  let results = (outs CNN_FloatTensor:$result);
  let assemblyFormat = "$key attr-dict `:` type($key) `->` type($result)";
  let hasVerifier = 1;
}

#endif // CNNC_DIALECT_CNN_IR_CNNGRADIENTOPS_TD
