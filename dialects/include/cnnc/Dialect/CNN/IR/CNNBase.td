//===- CNNBase.td - The cnn dialect, its types and enums ---*- tablegen -*-===//
//
// The cnn dialect is cnnc's graph IR: a convolutional network on statically
// shaped tensors, in NCHW order, with one op per computation structure. See
// docs/dialects/cnn-rationale.md for why the op set looks the way it does.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_CNN_IR_CNNBASE_TD
#define CNNC_DIALECT_CNN_IR_CNNBASE_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/OpBase.td"

def CNN_Dialect : Dialect {
  let name = "cnn";
  let cppNamespace = "::cnnc::cnn";
  let summary = "The graph of a convolutional network on static-shaped tensors.";
  let description = [{
    The `cnn` dialect is the graph level of cnnc. Frontends (ONNX, the cnnc
    DSL) produce it; graph passes fold, fuse and differentiate it; kernel
    passes lower it to linalg. Every tensor has a static shape and activations
    are laid out NCHW (batch, channels, spatial dimensions).

    Ops describe a computation structure (a sliding window, an elementwise
    map, a reduction) and take the scalar function as an enum, so that passes
    match one op per structure and fused kernels carry the same enum.
  }];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 1;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def CNN_Float : AnyTypeOf<[F16, BF16, F32, F64]>;

// Activations, weights and everything computed in floating point.
def CNN_FloatTensor : StaticShapeTensorOf<[CNN_Float]>;

// Class labels for the losses.
def CNN_IndexTensor : StaticShapeTensorOf<[I32, I64]>;

// Data movement ops do not look at the elements. Unsigned 8-bit integers
// are quantized uint8 tensors; every other integer is signless.
def CNN_AnyTensor : StaticShapeTensorOf<[CNN_Float, AnySignlessInteger, UI8]>;

// Quantized tensors: int8 (signless i8) or uint8 (ui8); the sign decides
// the saturation range, [-128, 127] or [0, 255].
def CNN_QuantizedTensor : StaticShapeTensorOf<[I8, UI8]>;

// What a max pool takes: float, or quantized (the max of the integers is
// that of the values they stand for, the scale being positive).
def CNN_FloatOrQuantizedTensor
    : StaticShapeTensorOf<[CNN_Float, I8, UI8]>;

// What a dequantization reads: quantized tensors and int32 accumulators.
def CNN_IntegerTensor : StaticShapeTensorOf<[I8, UI8, I32]>;

// int32 accumulators of the integer convolution and matrix product.
def CNN_AccumulatorTensor : StaticShapeTensorOf<[I32]>;

def CNN_ScaleTensor : StaticShapeTensorOf<[F32]>;

//===----------------------------------------------------------------------===//
// Attribute constraints
//===----------------------------------------------------------------------===//

def CNN_PositiveI64Array
    : ConfinedAttr<DenseI64ArrayAttr,
                   [DenseArrayStrictlyPositive<DenseI64ArrayAttr>]>;
def CNN_NonNegativeI64Array
    : ConfinedAttr<DenseI64ArrayAttr,
                   [DenseArrayNonNegative<DenseI64ArrayAttr>]>;
def CNN_PositiveI64 : ConfinedAttr<I64Attr, [IntPositive]>;
def CNN_NonNegativeI64 : ConfinedAttr<I64Attr, [IntNonNegative]>;

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

class CNN_EnumAttr<EnumAttrInfo info, string name>
    : EnumAttr<CNN_Dialect, info, name> {
  let assemblyFormat = "$value";
}

def CNN_ActivationKind : I32EnumAttr<"ActivationKind",
    "an activation function", [
      I32EnumAttrCase<"Relu", 0, "relu">,
      I32EnumAttrCase<"LeakyRelu", 1, "leaky_relu">,
      I32EnumAttrCase<"Clip", 2, "clip">,
      I32EnumAttrCase<"Sigmoid", 3, "sigmoid">,
      I32EnumAttrCase<"HardSigmoid", 4, "hard_sigmoid">,
      I32EnumAttrCase<"HardSwish", 5, "hard_swish">,
      I32EnumAttrCase<"Tanh", 6, "tanh">,
      I32EnumAttrCase<"Elu", 7, "elu">,
      I32EnumAttrCase<"Selu", 8, "selu">,
      I32EnumAttrCase<"Softplus", 9, "softplus">,
      I32EnumAttrCase<"Gelu", 10, "gelu">,
      I32EnumAttrCase<"GeluTanh", 11, "gelu_tanh">,
      I32EnumAttrCase<"Silu", 12, "silu">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::cnnc::cnn";
}
def CNN_ActivationKindAttr : CNN_EnumAttr<CNN_ActivationKind, "activation">;

def CNN_UnaryKind : I32EnumAttr<"UnaryKind", "an elementwise math function", [
      I32EnumAttrCase<"Exp", 0, "exp">,
      I32EnumAttrCase<"Log", 1, "log">,
      I32EnumAttrCase<"Sqrt", 2, "sqrt">,
      I32EnumAttrCase<"Neg", 3, "neg">,
      I32EnumAttrCase<"Abs", 4, "abs">,
      I32EnumAttrCase<"Reciprocal", 5, "reciprocal">,
      // To the nearest integer, halves to even (ONNX's Round).
      I32EnumAttrCase<"Round", 6, "round">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::cnnc::cnn";
}
def CNN_UnaryKindAttr : CNN_EnumAttr<CNN_UnaryKind, "unary">;

def CNN_BinaryKind : I32EnumAttr<"BinaryKind",
    "an elementwise function of two operands", [
      I32EnumAttrCase<"Add", 0, "add">,
      I32EnumAttrCase<"Sub", 1, "sub">,
      I32EnumAttrCase<"Mul", 2, "mul">,
      I32EnumAttrCase<"Div", 3, "div">,
      I32EnumAttrCase<"Max", 4, "max">,
      I32EnumAttrCase<"Min", 5, "min">,
      I32EnumAttrCase<"Pow", 6, "pow">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::cnnc::cnn";
}
def CNN_BinaryKindAttr : CNN_EnumAttr<CNN_BinaryKind, "binary">;

def CNN_PoolKind : I32EnumAttr<"PoolKind", "how a pooling window is combined", [
      I32EnumAttrCase<"Max", 0, "max">,
      I32EnumAttrCase<"Avg", 1, "avg">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::cnnc::cnn";
}
def CNN_PoolKindAttr : CNN_EnumAttr<CNN_PoolKind, "pool">;

def CNN_ReduceKind : I32EnumAttr<"ReduceKind", "how a reduction combines", [
      I32EnumAttrCase<"Sum", 0, "sum">,
      I32EnumAttrCase<"Mean", 1, "mean">,
      I32EnumAttrCase<"Max", 2, "max">,
      I32EnumAttrCase<"Min", 3, "min">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::cnnc::cnn";
}
def CNN_ReduceKindAttr : CNN_EnumAttr<CNN_ReduceKind, "reduce">;

def CNN_PadMode : I32EnumAttr<"PadMode", "how padding values are chosen", [
      I32EnumAttrCase<"Constant", 0, "constant">,
      I32EnumAttrCase<"Reflect", 1, "reflect">,
      I32EnumAttrCase<"Edge", 2, "edge">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::cnnc::cnn";
}
def CNN_PadModeAttr : CNN_EnumAttr<CNN_PadMode, "pad_mode">;

def CNN_ResizeMode : I32EnumAttr<"ResizeMode", "how resize interpolates", [
      I32EnumAttrCase<"Nearest", 0, "nearest">,
      I32EnumAttrCase<"Linear", 1, "linear">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::cnnc::cnn";
}
def CNN_ResizeModeAttr : CNN_EnumAttr<CNN_ResizeMode, "resize_mode">;

def CNN_CoordinateMode : I32EnumAttr<"CoordinateMode",
    "how an output coordinate of resize maps to an input coordinate", [
      I32EnumAttrCase<"HalfPixel", 0, "half_pixel">,
      I32EnumAttrCase<"PytorchHalfPixel", 1, "pytorch_half_pixel">,
      I32EnumAttrCase<"AlignCorners", 2, "align_corners">,
      I32EnumAttrCase<"Asymmetric", 3, "asymmetric">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::cnnc::cnn";
}
def CNN_CoordinateModeAttr : CNN_EnumAttr<CNN_CoordinateMode, "coordinate_mode">;

def CNN_NearestMode : I32EnumAttr<"NearestMode",
    "how nearest-neighbour resize rounds a coordinate", [
      I32EnumAttrCase<"RoundPreferFloor", 0, "round_prefer_floor">,
      I32EnumAttrCase<"RoundPreferCeil", 1, "round_prefer_ceil">,
      I32EnumAttrCase<"Floor", 2, "floor">,
      I32EnumAttrCase<"Ceil", 3, "ceil">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::cnnc::cnn";
}
def CNN_NearestModeAttr : CNN_EnumAttr<CNN_NearestMode, "nearest_mode">;

def CNN_LossReduction : I32EnumAttr<"LossReduction",
    "how per-sample losses are combined", [
      I32EnumAttrCase<"Mean", 0, "mean">,
      I32EnumAttrCase<"Sum", 1, "sum">,
      I32EnumAttrCase<"None", 2, "none">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::cnnc::cnn";
}
def CNN_LossReductionAttr : CNN_EnumAttr<CNN_LossReduction, "loss_reduction">;

// The training choices a model, a pass option and the command line share
// (cnnc-generate-train-step's `loss` and `optimizer`, `cnnc train --loss`,
// a .cnn file's `loss` statement): plain enums with their spellings.
def CNN_LossKind : I32EnumAttr<"LossKind", "the loss a model is trained on", [
      I32EnumAttrCase<"CrossEntropy", 0, "cross_entropy">,
      I32EnumAttrCase<"MSE", 1, "mse">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::cnnc::cnn";
}
def CNN_OptimizerKind : I32EnumAttr<"OptimizerKind",
    "how a train step updates the parameters", [
      I32EnumAttrCase<"SGD", 0, "sgd">,
      I32EnumAttrCase<"Adam", 1, "adam">,
      I32EnumAttrCase<"AdamW", 2, "adamw">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::cnnc::cnn";
}

def CNN_Layout : I32EnumAttr<"Layout",
    "where a 2-D convolution or pooling keeps the channels", [
      I32EnumAttrCase<"NCHW", 0, "nchw">,
      I32EnumAttrCase<"NHWC", 1, "nhwc">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::cnnc::cnn";
}
def CNN_LayoutAttr : CNN_EnumAttr<CNN_Layout, "layout">;
def CNN_DefaultLayoutAttr
    : DefaultValuedAttr<CNN_LayoutAttr, "::cnnc::cnn::Layout::NCHW">;

#endif // CNNC_DIALECT_CNN_IR_CNNBASE_TD
