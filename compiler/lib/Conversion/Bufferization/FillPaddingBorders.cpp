//===- FillPaddingBorders.cpp - Pad values only where no copy writes ------===//

#include "cnnc/Conversion/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace cnnc {
#define GEN_PASS_DEF_FILLPADDINGBORDERS
#include "cnnc/Conversion/Passes.h.inc"
} // namespace cnnc

using namespace mlir;

namespace {

/// The constant a linalg.fill or a constant-yielding linalg.map writes into
/// its whole output, and that output; null when `op` is neither.
std::pair<Value, Value> constantFill(Operation *op) {
  if (auto fill = dyn_cast<linalg::FillOp>(op)) {
    if (fill.hasPureBufferSemantics() &&
        fill.value().getDefiningOp<arith::ConstantOp>())
      return {fill.value(), fill.output()};
    return {};
  }
  auto map = dyn_cast<linalg::MapOp>(op);
  if (!map || !map.hasPureBufferSemantics() || !map.getInputs().empty())
    return {};
  auto yield = cast<linalg::YieldOp>(map.getMapper().front().getTerminator());
  Value value = yield.getOperand(0);
  if (!value.getDefiningOp<arith::ConstantOp>())
    return {};
  return {value, map.getInit()};
}

struct FillPaddingBordersPass
    : cnnc::impl::FillPaddingBordersBase<FillPaddingBordersPass> {
  void runOnOperation() override {
    SmallVector<Operation *> fills;
    getOperation().walk([&](Operation *op) {
      if (constantFill(op).first)
        fills.push_back(op);
    });
    for (Operation *fill : fills)
      rewrite(fill);
  }

  /// fill(buffer); subview = subview(buffer); copy(src, subview) with the
  /// subview static, of unit strides: the fill goes to the border only.
  void rewrite(Operation *fill) {
    auto [fillValue, filled] = constantFill(fill);
    Value value = fillValue, buffer = filled;
    auto type = dyn_cast<MemRefType>(buffer.getType());
    if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity())
      return;
    // The subview and the copy right after the fill.
    auto subview = dyn_cast_or_null<memref::SubViewOp>(fill->getNextNode());
    if (!subview || subview.getSource() != buffer)
      return;
    auto copy = dyn_cast_or_null<linalg::CopyOp>(subview->getNextNode());
    if (!copy || copy.getOutputs()[0] != subview.getResult() ||
        copy.getInputs()[0] == buffer)
      return;
    ArrayRef<int64_t> offsets = subview.getStaticOffsets();
    ArrayRef<int64_t> sizes = subview.getStaticSizes();
    ArrayRef<int64_t> strides = subview.getStaticStrides();
    if (llvm::any_of(offsets, ShapedType::isDynamic) ||
        llvm::any_of(sizes, ShapedType::isDynamic) ||
        llvm::any_of(strides, [](int64_t s) { return s != 1; }) ||
        static_cast<int64_t>(sizes.size()) != type.getRank())
      return;
    // The border: along each dimension d, the slab before and the slab after
    // the interior, spanning the interior along the dimensions before d and
    // everything along those after it.
    OpBuilder b(fill);
    Location loc = fill->getLoc();
    ArrayRef<int64_t> shape = type.getShape();
    int64_t rank = type.getRank();
    auto fillSlab = [&](int64_t d, int64_t begin, int64_t extent) {
      if (extent <= 0)
        return;
      SmallVector<int64_t> slabOffsets(rank, 0), slabSizes(shape);
      for (int64_t e = 0; e < d; ++e) {
        slabOffsets[e] = offsets[e];
        slabSizes[e] = sizes[e];
      }
      slabOffsets[d] = begin;
      slabSizes[d] = extent;
      Value slab =
          memref::SubViewOp::create(b, loc, buffer, slabOffsets, slabSizes,
                                    SmallVector<int64_t>(rank, 1));
      linalg::FillOp::create(b, loc, value, slab);
    };
    for (int64_t d = 0; d < rank; ++d) {
      fillSlab(d, 0, offsets[d]);
      fillSlab(d, offsets[d] + sizes[d], shape[d] - offsets[d] - sizes[d]);
    }
    fill->erase();
  }
};

} // namespace
