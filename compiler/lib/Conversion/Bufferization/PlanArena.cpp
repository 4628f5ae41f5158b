//===- PlanArena.cpp - Every intermediate buffer in one workspace ---------===//
//
// After bufferization a function's intermediates are memref.alloc ops in
// its body. This pass gives each a byte range of one workspace argument:
//   1. live ranges: from the allocation to the last op (in body order) that
//      uses the buffer or a view of it;
//   2. placement: the largest buffer first, each at the lowest aligned
//      offset that no buffer with an overlapping live range occupies;
//   3. rewriting: each alloc becomes a memref.view of the workspace.
// The workspace is the function's last argument, memref<SIZExi8>.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Conversion/Passes.h"
#include "cnnc/Dialect/CNN/IR/CompilerAttributes.h"

#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>

namespace cnnc {
#define GEN_PASS_DEF_PLANARENA
#include "cnnc/Conversion/Passes.h.inc"
} // namespace cnnc

using namespace mlir;

namespace {

struct Buffer {
  memref::AllocOp alloc;
  int64_t bytes = 0;
  int64_t first = 0, last = 0; // Live range: positions in the body.
  int64_t offset = -1;
};

/// Bytes of one element of a buffer: bits rounded up to bytes, as LLVM
/// stores them; index is 64 bits.
int64_t elementBytes(Type type) {
  if (type.isIndex())
    return 8;
  return (type.getIntOrFloatBitWidth() + 7) / 8;
}

/// The position of the last op in `body` that uses `root` or a view of it.
int64_t lastUse(Value root, Block &body,
                const llvm::DenseMap<Operation *, int64_t> &position) {
  int64_t last = position.lookup(root.getDefiningOp());
  llvm::SmallVector<Value> worklist{root};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = body.findAncestorOpInBlock(*use.getOwner());
      if (user)
        last = std::max(last, position.lookup(user));
      // A view aliases its source: its uses keep the buffer alive.
      Operation *owner = use.getOwner();
      if (auto view = dyn_cast<ViewLikeOpInterface>(owner);
          view && view.getViewSource() == value)
        llvm::append_range(worklist, owner->getResults());
      else if (isa<memref::ReshapeOp>(owner) &&
               use.getOperandNumber() == 0)
        llvm::append_range(worklist, owner->getResults());
    }
  }
  return last;
}

int64_t alignTo(int64_t value, int64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

/// Assigns offsets, the largest buffer first; returns the workspace size.
int64_t placeBuffers(llvm::MutableArrayRef<Buffer> buffers,
                     int64_t alignment) {
  llvm::SmallVector<Buffer *> order;
  for (Buffer &buffer : buffers)
    order.push_back(&buffer);
  // Allocations sit at distinct positions: a total order.
  llvm::sort(order, [](const Buffer *a, const Buffer *b) {
    return a->bytes != b->bytes ? a->bytes > b->bytes : a->first < b->first;
  });
  int64_t total = 0;
  llvm::SmallVector<const Buffer *> placed;
  for (Buffer *buffer : order) {
    // The byte ranges taken by placed buffers that live at the same time.
    llvm::SmallVector<std::pair<int64_t, int64_t>> taken;
    for (const Buffer *other : placed)
      if (other->first <= buffer->last && buffer->first <= other->last)
        taken.push_back({other->offset, other->offset + other->bytes});
    llvm::sort(taken);
    int64_t offset = 0;
    for (auto [begin, end] : taken) {
      if (offset + buffer->bytes <= begin)
        break;
      offset = std::max(offset, alignTo(end, alignment));
    }
    buffer->offset = offset;
    total = std::max(total, offset + buffer->bytes);
    placed.push_back(buffer);
  }
  return alignTo(total, alignment);
}

LogicalResult planFunction(func::FuncOp function, int64_t alignment) {
  Block &body = function.getBody().front();
  llvm::DenseMap<Operation *, int64_t> position;
  for (auto [index, op] : llvm::enumerate(body))
    position[&op] = static_cast<int64_t>(index);

  llvm::SmallVector<Buffer> buffers;
  WalkResult walk = function.walk([&](memref::AllocOp alloc) {
    MemRefType type = alloc.getType();
    if (alloc->getBlock() != &body)
      return alloc.emitError()
                 << "cannot plan an allocation inside a region into the "
                    "workspace",
             WalkResult::interrupt();
    if (!type.hasStaticShape() || !type.getLayout().isIdentity())
      return alloc.emitError() << "cannot plan a buffer of type " << type
                               << " into the workspace: the shape must be "
                                  "static, the layout the identity",
             WalkResult::interrupt();
    Buffer buffer;
    buffer.alloc = alloc;
    buffer.bytes = std::max<int64_t>(
        alignTo(type.getNumElements() * elementBytes(type.getElementType()),
                alignment),
        alignment);
    buffer.first = position.lookup(alloc);
    buffer.last = lastUse(alloc, body, position);
    buffers.push_back(buffer);
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();

  int64_t size = placeBuffers(buffers, alignment);
  MLIRContext *context = function.getContext();
  auto workspaceType = MemRefType::get({size}, IntegerType::get(context, 8));
  unsigned index = function.getNumArguments();
  if (failed(function.insertArgument(
          index, workspaceType,
          DictionaryAttr::get(context,
                              {NamedAttribute(
                                  StringAttr::get(context, cnnc::attrs::kName),
                                  StringAttr::get(context, "workspace"))}),
          function.getLoc())))
    return failure();
  Value workspace = function.getArgument(index);
  function->setAttr(cnnc::attrs::kWorkspaceSize,
                    IntegerAttr::get(IntegerType::get(context, 64), size));

  OpBuilder builder(context);
  for (Buffer &buffer : buffers) {
    builder.setInsertionPoint(buffer.alloc);
    Location loc = buffer.alloc.getLoc();
    Value offset = arith::ConstantIndexOp::create(builder, loc, buffer.offset);
    Value view = memref::ViewOp::create(builder, loc, buffer.alloc.getType(),
                                        workspace, offset, ValueRange());
    for (Operation *user :
         llvm::make_early_inc_range(buffer.alloc->getUsers()))
      if (isa<memref::DeallocOp>(user))
        user->erase();
    buffer.alloc.replaceAllUsesWith(view);
    buffer.alloc.erase();
  }
  return success();
}

struct PlanArenaPass : cnnc::impl::PlanArenaBase<PlanArenaPass> {
  using PlanArenaBase::PlanArenaBase;

  void runOnOperation() override {
    if (alignment <= 0 || (alignment & (alignment - 1))) {
      getOperation().emitError()
          << "cnnc-plan-arena: alignment must be a power of two, got "
          << alignment;
      return signalPassFailure();
    }
    for (auto function : getOperation().getOps<func::FuncOp>())
      if (!function.isExternal() &&
          failed(planFunction(function, alignment)))
        return signalPassFailure();
  }
};

} // namespace
