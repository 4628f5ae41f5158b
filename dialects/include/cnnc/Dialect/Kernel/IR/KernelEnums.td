//===- KernelEnums.td - The cnnk dialect's enums -----------*- tablegen -*-===//
//
// Apart from KernelOps.td so that their C++ is generated without the cnn
// dialect's enums, which the ops' file includes.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_KERNEL_IR_KERNELENUMS_TD
#define CNNC_DIALECT_KERNEL_IR_KERNELENUMS_TD

include "mlir/IR/EnumAttr.td"

def CNNK_ConvolutionAlgorithm : I32EnumAttr<"ConvolutionAlgorithm",
    "how a convolution is computed", [
      // The register-tiled direct convolution.
      I32EnumAttrCase<"Direct", 0, "direct">,
      // The windows gathered into rows of KH*KW*C values, then a 1x1
      // convolution over them.
      I32EnumAttrCase<"Im2col", 1, "im2col">,
      // Winograd F(2x2, 3x3): 4x4 input tiles.
      I32EnumAttrCase<"Winograd2", 2, "winograd2">,
      // Winograd F(4x4, 3x3): 6x6 input tiles.
      I32EnumAttrCase<"Winograd4", 3, "winograd4">,
    ]> {
  let cppNamespace = "::cnnc";
  let genSpecializedAttr = 0;
}

#endif // CNNC_DIALECT_KERNEL_IR_KERNELENUMS_TD
