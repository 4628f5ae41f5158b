//===- CollapseSpatialDims.cpp - An image's pixels as one loop ------------===//

#include "cnnc/Kernels/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace cnnc {
#define GEN_PASS_DEF_COLLAPSESPATIALDIMS
#include "cnnc/Kernels/Passes.h.inc"
} // namespace cnnc

using namespace mlir;

namespace {

/// The dimensions from the third on, when `op` is elementwise on tensors,
/// of rank 4 or more, its maps plain dimensions, and they are contiguous in
/// every map; else none.
std::optional<ReassociationIndices> spatialDims(linalg::GenericOp op) {
  unsigned rank = op.getNumLoops();
  if (rank < 4 || op.getNumReductionLoops() != 0 ||
      !op.hasPureTensorSemantics())
    return std::nullopt;
  // Plain dimensions only (no strides, offsets or reversals: a slice's
  // generic), and no body that reads its indices.
  if (!llvm::all_of(op.getIndexingMapsArray(), [](AffineMap map) {
        return map.isProjectedPermutation();
      }))
    return std::nullopt;
  if (!op.getBody()->getOps<linalg::IndexOp>().empty())
    return std::nullopt;
  ReassociationIndices spatial;
  for (unsigned d = 2; d < rank; ++d)
    spatial.push_back(d);
  if (!linalg::areDimSequencesPreserved(op.getIndexingMapsArray(), {spatial}))
    return std::nullopt;
  return spatial;
}

struct CollapseSpatialDimsPass
    : cnnc::impl::CollapseSpatialDimsBase<CollapseSpatialDimsPass> {
  void runOnOperation() override {
    SmallVector<std::pair<linalg::GenericOp, ReassociationIndices>> ops;
    getOperation().walk([&](linalg::GenericOp op) {
      if (std::optional<ReassociationIndices> spatial = spatialDims(op))
        ops.push_back({op, *spatial});
    });
    IRRewriter rewriter(&getContext());
    for (auto &[op, spatial] : ops) {
      SmallVector<ReassociationIndices> folded{spatial};
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::CollapseResult> collapsed =
          linalg::collapseOpIterationDims(op, folded, rewriter);
      if (failed(collapsed))
        continue;
      rewriter.replaceOp(op, collapsed->results);
    }
  }
};

} // namespace
