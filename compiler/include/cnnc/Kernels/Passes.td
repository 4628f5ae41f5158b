//===- Passes.td - cnnc's kernel passes on linalg ----------*- tablegen -*-===//

#ifndef CNNC_KERNELS_PASSES_TD
#define CNNC_KERNELS_PASSES_TD

include "mlir/Pass/PassBase.td"

def InterchangeReductions : Pass<"cnnc-interchange-reductions",
                                 "mlir::func::FuncOp"> {
  let summary = "Loop order for vectorization: the innermost parallel "
                "dimension inside the reductions";
  let description = [{
    Convolutions, poolings and contractions (matmul) are generalized and
    their loops reordered as: the parallel dimensions but the innermost,
    then the reduction dimensions, then the innermost parallel dimension
    (a convolution's output width, a matmul's columns). The innermost loop
    then walks the output, and for unit strides the input, contiguously
    with a loop-invariant weight: a loop that LLVM vectorizes, where the
    named ops' order ends in a scalar reduction. The outer parallel
    dimensions stay outermost for the thread pool.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

#endif // CNNC_KERNELS_PASSES_TD
