//===- InterchangeReductions.cpp - Innermost parallel loop for vectors ----===//

#include "cnnc/Kernels/Passes.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace cnnc {
#define GEN_PASS_DEF_INTERCHANGEREDUCTIONS
#include "cnnc/Kernels/Passes.h.inc"
} // namespace cnnc

using namespace mlir;

namespace {

/// [parallel but the innermost..., reductions..., innermost parallel], or
/// empty when the order is right already (or there is nothing to move).
SmallVector<unsigned> interchange(linalg::LinalgOp op) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<unsigned> parallel, reduction;
  for (auto [i, iterator] : llvm::enumerate(iterators))
    (iterator == utils::IteratorType::parallel ? parallel : reduction)
        .push_back(i);
  if (reduction.empty() || parallel.empty())
    return {};
  unsigned innermost = parallel.pop_back_val();
  if (innermost > reduction.back())
    return {};
  SmallVector<unsigned> order(parallel);
  llvm::append_range(order, reduction);
  order.push_back(innermost);
  return order;
}

struct InterchangeReductionsPass
    : cnnc::impl::InterchangeReductionsBase<InterchangeReductionsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (linalg::isaConvolutionOpInterface(op) ||
          linalg::isaContractionOpInterface(op))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      SmallVector<unsigned> order = interchange(op);
      if (order.empty())
        continue;
      rewriter.setInsertionPoint(op);
      auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
      if (!generic) {
        FailureOr<linalg::GenericOp> generalized =
            linalg::generalizeNamedOp(rewriter, op);
        if (failed(generalized))
          continue;
        generic = *generalized;
      }
      if (failed(linalg::interchangeGenericOp(rewriter, generic, order)))
        return signalPassFailure();
    }
  }
};

} // namespace
