//===- KernelOps.td - The cnnk dialect: fused kernel ops ---*- tablegen -*-===//
//
// The cnnk dialect holds the kernels that the graph's fusion decided on and
// that the kernel passes generate code for as one unit: a convolution or a
// matrix product with its bias, residual add and activation. The ops are
// destination-style and bufferizable, so the fused group survives
// bufferization whole; the cost model's choice (algorithm, register tile)
// is recorded on them. See docs/dialects/cnnk-rationale.md.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_KERNEL_IR_KERNELOPS_TD
#define CNNC_DIALECT_KERNEL_IR_KERNELOPS_TD

include "cnnc/Dialect/CNN/IR/CNNBase.td"
include "cnnc/Dialect/Kernel/IR/KernelEnums.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Kernel_Dialect : Dialect {
  let name = "cnnk";
  let cppNamespace = "::cnnc::cnnk";
  let summary = "Fused convolution and matrix-product kernels, on tensors "
                "and on memrefs.";
  let description = [{
    One op per kernel the code generator builds as a unit: `cnnk.conv2d`
    and `cnnk.matmul`, each with its epilogue (bias, residual add,
    activation) as operands and attributes, so that no pass has to find
    the epilogue again after bufferization. `cnnc-select-kernels` records
    the algorithm and the register tile on each op; the kernel passes
    build code from what is recorded.
  }];
  let dependentDialects = ["::cnnc::cnn::CNNDialect"];
  let useDefaultAttributePrinterParser = 1;
}

//===----------------------------------------------------------------------===//
// The recorded choice
//===----------------------------------------------------------------------===//

def CNNK_ConvolutionAlgorithmAttr
    : EnumAttr<Kernel_Dialect, CNNK_ConvolutionAlgorithm, "algorithm"> {
  let cppNamespace = "::cnnc::cnnk";
  let assemblyFormat = "$value";
}

// [rows, vectors, lanes]: pixels per tile, channel vectors per pixel, lanes
// per vector (more lanes than output channels: a masked tile).
def CNNK_Tile : ConfinedAttr<DenseI64ArrayAttr,
    [DenseArrayCount<3>, DenseArrayStrictlyPositive<DenseI64ArrayAttr>]>;

//===----------------------------------------------------------------------===//
// Operand types
//===----------------------------------------------------------------------===//

// Tensors before bufferization, memrefs (views too) after.
def CNNK_Shaped : AnyTypeOf<[StaticShapeTensorOf<[F32]>,
                             StaticShapeMemRefOf<[F32]>]>;

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

// What every cnnk op declares.
defvar CNNK_OpDeclarations = [{
  ::mlir::MutableOperandRange getDpsInitsMutable() {
    return getInitMutable();
  }
  /// Whether the operands are memrefs (after bufferization).
  bool hasBufferSemantics() {
    return ::llvm::isa<::mlir::MemRefType>(getInit().getType());
  }
}];

class CNNK_Op<string mnemonic, list<Trait> traits = []>
    : Op<Kernel_Dialect, mnemonic, traits # [
        AttrSizedOperandSegments,
        DestinationStyleOpInterface,
        DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let extraClassDeclaration = CNNK_OpDeclarations;
  let hasVerifier = 1;
}

def CNNK_Conv2DOp : CNNK_Op<"conv2d"> {
  let summary = "A channels-last 2-D convolution with its fused epilogue";
  let description = [{
    `result[n, oh, ow, f] = act(sum(input[n, oh*sh + kh*dh, ow*sw + kw*dw, c]
    * filter[kh, kw, c, f]) + bias[f] + residual[n, oh, ow, f])`: input
    [N, IH, IW, C] (already padded), filter [KH, KW, C, F], or [KH, KW, C]
    for a depthwise convolution (F = C, each channel its own filter), init
    and residual [N, OH, OW, F], bias [F]. The sums start from the bias or
    from zero: `init` gives the result its buffer and is never read.

    `algorithm` and `tile` are the cost model's choice, recorded by
    `cnnc-select-kernels`; without them the kernel passes choose.

    Example:

    ```mlir
    %y = cnnk.conv2d ins(%x, %w : tensor<1x58x58x64xf32>, tensor<3x3x64x64xf32>)
           bias(%b : tensor<64xf32>) outs(%init : tensor<1x56x56x64xf32>)
           strides [1, 1] dilations [1, 1] activation relu
           algorithm winograd4 -> tensor<1x56x56x64xf32>
    ```
  }];
  let arguments = (ins CNNK_Shaped:$input, CNNK_Shaped:$filter,
                   Optional<CNNK_Shaped>:$bias,
                   Optional<CNNK_Shaped>:$residual,
                   CNNK_Shaped:$init,
                   CNN_PositiveI64Array:$strides,
                   CNN_PositiveI64Array:$dilations,
                   OptionalAttr<CNN_ActivationKindAttr>:$activation,
                   OptionalAttr<F32Attr>:$activation_alpha,
                   OptionalAttr<F32Attr>:$activation_beta,
                   OptionalAttr<CNNK_ConvolutionAlgorithmAttr>:$algorithm,
                   OptionalAttr<CNNK_Tile>:$tile);
  let results = (outs Optional<StaticShapeTensorOf<[F32]>>:$result);
  let assemblyFormat = [{
    `ins` `(` $input `,` $filter `:` type($input) `,` type($filter) `)`
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    (`residual` `(` $residual^ `:` type($residual) `)`)?
    `outs` `(` $init `:` type($init) `)`
    `strides` $strides `dilations` $dilations
    (`activation` `` $activation^)? (`algorithm` `` $algorithm^)?
    (`tile` $tile^)? attr-dict (`->` type($result)^)?
  }];
  let extraClassDeclaration = CNNK_OpDeclarations # [{
    /// A depthwise convolution: the filter is [KH, KW, C].
    bool isDepthwise() {
      return ::llvm::cast<::mlir::ShapedType>(getFilter().getType())
                 .getRank() == 3;
    }
  }];
}

def CNNK_MatmulOp : CNNK_Op<"matmul"> {
  let summary = "A matrix product (or a batch of them) with its fused "
                "epilogue";
  let description = [{
    `result[m, n] = act(sum(lhs[m, k] * rhs[k, n]) + bias[n] +
    residual[m, n])`, or with a leading batch dimension on every operand but
    the bias ([B, M, K] x [B, K, N]: Winograd's products). `init` gives the
    result its buffer and is never read. `tile` is the recorded register
    tile, as for `cnnk.conv2d` (a product is a 1x1 convolution of one row
    of M pixels).

    Example:

    ```mlir
    %y = cnnk.matmul ins(%x, %w : tensor<1x512xf32>, tensor<512x1000xf32>)
           bias(%b : tensor<1000xf32>) outs(%init : tensor<1x1000xf32>)
           -> tensor<1x1000xf32>
    ```
  }];
  let arguments = (ins CNNK_Shaped:$lhs, CNNK_Shaped:$rhs,
                   Optional<CNNK_Shaped>:$bias,
                   Optional<CNNK_Shaped>:$residual,
                   CNNK_Shaped:$init,
                   OptionalAttr<CNN_ActivationKindAttr>:$activation,
                   OptionalAttr<F32Attr>:$activation_alpha,
                   OptionalAttr<F32Attr>:$activation_beta,
                   OptionalAttr<CNNK_Tile>:$tile);
  let results = (outs Optional<StaticShapeTensorOf<[F32]>>:$result);
  let assemblyFormat = [{
    `ins` `(` $lhs `,` $rhs `:` type($lhs) `,` type($rhs) `)`
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    (`residual` `(` $residual^ `:` type($residual) `)`)?
    `outs` `(` $init `:` type($init) `)`
    (`activation` `` $activation^)? (`tile` $tile^)? attr-dict
    (`->` type($result)^)?
  }];
}

#endif // CNNC_DIALECT_KERNEL_IR_KERNELOPS_TD
