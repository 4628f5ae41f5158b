//===- Passes.td - cnnc's conversion passes ----------------*- tablegen -*-===//

#ifndef CNNC_CONVERSION_PASSES_TD
#define CNNC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertCNNToLinalg : Pass<"cnnc-convert-cnn-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Lower cnn ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Every lowered cnn op becomes upstream ops on tensors, but the fused
    kernels: a channels-last convolution of one group or depthwise, and an
    f32 matmul, become `cnnk.conv2d` / `cnnk.matmul` with their bias,
    residual and activation (the kernel passes generate their code). The
    other convolutions and pooling become the named linalg ops (with
    tensor.pad for their padding), the elementwise families linalg.generic
    with the scalar function in arith and math. Ops without a lowering yet
    make the pass fail with a message naming them.
  }];
  let options = [
    Option<"int8DotProductBits", "int8-dot-product-bits", "unsigned",
           /*default=*/"0",
           "Width of the target's u8 x s8 dot product (vpdpbusd: 512 with "
           "AVX512-VNNI, 256 with AVX-VNNI), which the integer convolution's "
           "kernel uses; 0: none">,
    Option<"int8MultiplyAddBits", "int8-multiply-add-bits", "unsigned",
           /*default=*/"0",
           "Without a dot product, the width of the target's u8 x s8 "
           "multiply-add pair (vpmaddubsw + vpmaddwd: 512 with AVX512BW, 256 "
           "with AVX2), which the kernel uses where the constant weight's "
           "pair sums cannot saturate int16; 0: none. Elsewhere the generic "
           "loops">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "cnnc::cnnk::KernelDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::LLVM::LLVMDialect",
    "mlir::math::MathDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
    "mlir::vector::VectorDialect",
  ];
}

def FlattenConstants : Pass<"cnnc-flatten-constants", "mlir::func::FuncOp"> {
  let summary = "Multi-dimensional tensor constants as 1-D constants + reshape";
  let description = [{
    Every `arith.constant` of a ranked tensor of rank 2 or more becomes a
    1-D constant of the same elements (the same resource blob, not a copy)
    and a `tensor.expand_shape` back to its shape, which bufferizes to a
    view. The weights' globals are then flat arrays: LLVM represents one as
    a single data array, where a 4-D global is nested arrays down to the
    innermost dimension (every 1x1 kernel its own constant), which makes
    the LLVM pipeline slower by orders of magnitude on real networks.
  }];
  let dependentDialects = ["mlir::tensor::TensorDialect"];
}

def Bufferize : Pass<"cnnc-bufferize", "mlir::ModuleOp"> {
  let summary = "Tensors to buffers; results become out-parameters";
  let description = [{
    One-Shot Bufferize over the whole module, function boundaries included
    (identity layouts), copies as linalg.copy so that no runtime memcpy
    helper is needed; then every memref result of a function becomes an
    out-parameter appended after the inputs, so the caller owns the outputs.
    A result computed in a fresh buffer is computed in its out-parameter
    instead, with no copy; a result that is an argument or a constant is
    copied.
  }];
  let dependentDialects = [
    "mlir::bufferization::BufferizationDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::memref::MemRefDialect",
  ];
}

def FillPaddingBorders : Pass<"cnnc-fill-padding-borders",
                              "mlir::func::FuncOp"> {
  let summary = "A padded buffer's constant fill only where the copy that "
                "follows does not write";
  let description = [{
    A bufferized `tensor.pad` fills its whole buffer with the pad value
    (`linalg.map` yielding a constant, or `linalg.fill`) and then copies the
    source into a subview of it (`linalg.copy`, static offsets and sizes,
    unit strides). The interior is written twice: the fill becomes fills of
    the border only, up to two slabs per dimension (before and after the
    interior along that dimension, within the interior along the ones
    before it). For a 3x3 convolution's input at 56x56 that is 8% of the
    buffer instead of all of it.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::memref::MemRefDialect"];
}

def WriteIntoPadding : Pass<"cnnc-write-into-padding",
                            "mlir::func::FuncOp"> {
  let summary = "The ops that write a padded buffer's source write its "
                "interior instead";
  let description = [{
    A `linalg.copy` of a fresh buffer into a static subview of another
    fresh buffer (a bufferized `tensor.pad`'s interior), in one block.
    Bufferization reuses buffers, so the value copied is the one written
    since the last op before the copy that overwrites the source whole
    (`linalg.broadcast`, `linalg.fill`), or since its first use; it must
    be dead after the copy (the source's next use overwrites it whole).
    The ops in that range, all structured, get the interior subview
    instead of the source (they write it directly, through a strided
    memref), the padded buffer is allocated before the first of them, and
    the copy (and the source buffer, when nothing else uses it) is erased.
    One pass less over every padded activation.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::memref::MemRefDialect"];
}

def PlanArena : Pass<"cnnc-plan-arena", "mlir::ModuleOp"> {
  let summary = "Place every intermediate buffer in one workspace argument";
  let description = [{
    Every `memref.alloc` of a bufferized function becomes a `memref.view`
    into one `memref<Nxi8>` workspace argument appended to the function, N
    known at compile time. Buffers share bytes when their lifetimes do not
    overlap: a buffer lives from its allocation to the last use of it or of
    any view of it, in the order of the function body. Offsets are assigned
    greedily, the largest buffer first, each at the lowest offset (aligned
    to `alignment` bytes) that no live-overlapping buffer occupies. The
    function gets `cnnc.workspace_size`, the argument `cnn.name =
    "workspace"`. Allocations inside regions, or of dynamic shape, are
    errors.
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", /*default=*/"64",
           "Byte alignment of every buffer in the workspace">,
  ];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

def OutlineParallelLoops : Pass<"cnnc-outline-parallel-loops",
                                 "mlir::ModuleOp"> {
  let summary = "Outline outermost scf.parallel loops into chunk functions";
  let description = [{
    Each outermost `scf.parallel` of a function (static bounds, no
    reductions) with enough work to be worth threads becomes a private
    function `@<func>_parallel_<n>(%begin: index, %end: index, captured
    values...)` that runs the iterations [begin, end) of the loop's leading
    dimensions, linearized (enough of them for `4 * threads` chunks; the
    other dimensions stay an inner loop). The loop is replaced by a call of
    that function over the whole range, so the program stays correct, and
    the function is marked `cnnc.parallel_body` for
    `cnnc-lower-parallel-calls`, which makes the call a runtime parallel-for.
    Constants used by the loop are cloned into the function, not passed.
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", /*default=*/"32768",
           "Loops that run fewer ops (iterations times body ops, inner "
           "loops' static trip counts included) stay serial">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::func::FuncDialect",
    "mlir::scf::SCFDialect",
  ];
}

def LowerParallelCalls : Pass<"cnnc-lower-parallel-calls", "mlir::ModuleOp"> {
  let summary = "Calls of parallel chunk functions to cnnc_parallel_for";
  let description = [{
    Runs on the LLVM dialect. Every call of a function marked
    `cnnc.parallel_body` (from `cnnc-outline-parallel-loops`) whose first two
    arguments are the range [0, count) becomes `cnnc_parallel_for(count,
    grain, task, context)`: the other arguments are stored in a stack
    struct, the context, and `task` is a new function that loads them and
    calls the body on its chunk. The runtime's thread pool runs the chunks.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

#endif // CNNC_CONVERSION_PASSES_TD
