//===- Passes.td - cnnc's conversion passes ----------------*- tablegen -*-===//

#ifndef CNNC_CONVERSION_PASSES_TD
#define CNNC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertCNNToLinalg : Pass<"convert-cnn-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Lower cnn ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Every lowered cnn op becomes upstream ops on tensors: convolutions and
    pooling the named linalg ops (with tensor.pad for their padding), the
    elementwise families linalg.generic with the scalar function in arith
    and math, matmul linalg.matmul. Ops without a lowering yet make the pass
    fail with a message naming them.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect",
    "mlir::tensor::TensorDialect",
  ];
}

#endif // CNNC_CONVERSION_PASSES_TD
