//===- Reduction.cpp - sum, mean and max over axes ------------------------===//

#include "StructuredBuilders.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

#include <limits>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::lowering;

namespace {

/// A linalg.generic reducing the axes into size-1 dimensions; the mean
/// divides by the count; without keep_dims the unit dimensions collapse.
struct ReduceLowering : OpConversionPattern<cnn::ReduceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::ReduceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    cnn::ReduceKind kind = op.getKind();
    double infinity = std::numeric_limits<double>::infinity();
    double initial = kind == cnn::ReduceKind::Max   ? -infinity
                     : kind == cnn::ReduceKind::Min ? infinity
                                                    : 0.0;
    Value reduced = reduceKeepingDims(
        rewriter, loc, adaptor.getInput(), op.getAxes(), initial,
        [&](OpBuilder &b, Location l, Value x, Value acc) -> Value {
          if (kind == cnn::ReduceKind::Max)
            return arith::MaximumFOp::create(b, l, x, acc);
          if (kind == cnn::ReduceKind::Min)
            return arith::MinimumFOp::create(b, l, x, acc);
          return arith::AddFOp::create(b, l, x, acc);
        });
    if (op.getKind() == cnn::ReduceKind::Mean) {
      int64_t count = 1;
      for (int64_t axis : op.getAxes())
        count *= op.getInput().getType().getDimSize(axis);
      auto keptType = cast<RankedTensorType>(reduced.getType());
      reduced = elementwise(
          rewriter, loc, keptType, reduced,
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            return arith::DivFOp::create(
                b, l, args[0],
                floatConstant(b, l, keptType.getElementType(),
                              static_cast<double>(count)));
          });
    }
    RankedTensorType type = op.getType();
    if (reduced.getType() != type) {
      auto keptType = cast<RankedTensorType>(reduced.getType());
      std::optional<SmallVector<ReassociationIndices>> groups =
          getReassociationIndicesForCollapse(keptType.getShape(),
                                             type.getShape());
      if (!groups)
        return rewriter.notifyMatchFailure(op, "cannot collapse the result");
      reduced = tensor::CollapseShapeOp::create(rewriter, loc, type, reduced,
                                                *groups);
    }
    rewriter.replaceOp(op, reduced);
    return success();
  }
};

} // namespace

void cnnc::lowering::populateReductionLowerings(RewritePatternSet &patterns) {
  patterns.add<ReduceLowering>(patterns.getContext());
}
