//===- OutlineParallelLoops.cpp - scf.parallel to chunk functions ---------===//
//
// The first half of threading compiled code. An outermost scf.parallel
//
//   scf.parallel (%i, %j, %k) = (0, 0, 0) to (8, 56, 56) step (1, 1, 1) {...}
//
// becomes a private function over a chunk of its leading dimensions,
// linearized (here %i and %j: 448 >= 64 chunks), with the rest an inner
// loop, and a call of it over the whole range:
//
//   func.func private @f_parallel_0(%begin: index, %end: index, %buf: ...)
//       attributes {cnnc.parallel_body} {
//     scf.for %n = %begin to %end step 1 {
//       %i = %n / 56   %j = %n % 56
//       scf.parallel (%k) = (0) to (56) step (1) { ... }
//     }
//   }
//   call @f_parallel_0(%c0, %c448, %buf)
//
// cnnc-lower-parallel-calls later turns the call into cnnc_parallel_for.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Conversion/Passes.h"
#include "cnnc/Dialect/CNN/IR/CompilerAttributes.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

namespace cnnc {
#define GEN_PASS_DEF_OUTLINEPARALLELLOOPS
#include "cnnc/Conversion/Passes.h.inc"
} // namespace cnnc

using namespace mlir;

namespace {

/// Chunks to aim for: enough to balance up to 16 threads.
constexpr int64_t kTargetChunks = 64;

struct StaticLoop {
  llvm::SmallVector<int64_t> lowerBounds, steps, extents;
};

std::optional<StaticLoop> staticBounds(scf::ParallelOp loop) {
  StaticLoop bounds;
  for (auto [lb, ub, step] : llvm::zip(loop.getLowerBound(),
                                       loop.getUpperBound(), loop.getStep())) {
    std::optional<int64_t> l = getConstantIntValue(lb);
    std::optional<int64_t> u = getConstantIntValue(ub);
    std::optional<int64_t> s = getConstantIntValue(step);
    if (!l || !u || !s || *s <= 0 || *u <= *l)
      return std::nullopt;
    bounds.lowerBounds.push_back(*l);
    bounds.steps.push_back(*s);
    bounds.extents.push_back((*u - *l + *s - 1) / *s);
  }
  return bounds;
}

/// Ops executed by one run of `block`, counting static scf.for trip counts.
int64_t workOf(Block &block) {
  int64_t work = 0;
  for (Operation &op : block) {
    int64_t inner = 0;
    for (Region &region : op.getRegions())
      for (Block &nested : region)
        inner += workOf(nested);
    int64_t trips = 1;
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
      std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound());
      std::optional<int64_t> step = getConstantIntValue(loop.getStep());
      if (lb && ub && step && *step > 0 && *ub > *lb)
        trips = (*ub - *lb + *step - 1) / *step;
    }
    work = std::min<int64_t>(work + 1 + trips * inner, int64_t(1) << 40);
  }
  return work;
}

bool isConstant(Value value) {
  Operation *op = value.getDefiningOp();
  return op && op->getNumOperands() == 0 && op->getNumRegions() == 0 &&
         op->hasTrait<OpTrait::ConstantLike>();
}

/// Outlines `loop` from `parent` into a function named `name`; false when
/// the loop is left as it is.
bool outline(scf::ParallelOp loop, func::FuncOp parent, llvm::StringRef name,
             int64_t minWork) {
  if (loop.getNumResults() != 0)
    return false;
  std::optional<StaticLoop> bounds = staticBounds(loop);
  if (!bounds)
    return false;
  int64_t bodyOps = workOf(*loop.getBody());
  int64_t total = 1;
  for (int64_t extent : bounds->extents)
    total = std::min<int64_t>(total * extent, int64_t(1) << 40);
  if (total < 2 || total * bodyOps < minWork)
    return false;
  size_t rank = bounds->extents.size();
  size_t outer = 0;
  int64_t count = 1;
  while (outer < rank && count < kTargetChunks)
    count *= bounds->extents[outer++];

  llvm::SetVector<Value> used;
  getUsedValuesDefinedAbove(loop.getRegion(), used);
  llvm::SmallVector<Value> captured, constants;
  for (Value value : used)
    (isConstant(value) ? constants : captured).push_back(value);

  MLIRContext *context = loop.getContext();
  Location loc = loop.getLoc();
  OpBuilder builder(parent);
  Type index = builder.getIndexType();
  llvm::SmallVector<Type> argumentTypes{index, index};
  for (Value value : captured)
    argumentTypes.push_back(value.getType());
  auto function = func::FuncOp::create(
      builder, loc, name, FunctionType::get(context, argumentTypes, {}));
  function.setPrivate();
  function->setAttr(cnnc::attrs::kParallelBody, UnitAttr::get(context));
  Block *entry = function.addEntryBlock();

  builder.setInsertionPointToStart(entry);
  IRMapping mapping;
  for (Value value : constants)
    mapping.map(value, builder.clone(*value.getDefiningOp())->getResult(0));
  for (auto [value, argument] :
       llvm::zip(captured, entry->getArguments().drop_front(2)))
    mapping.map(value, argument);
  auto constant = [&](OpBuilder &b, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value one = constant(builder, 1);
  auto chunk = scf::ForOp::create(builder, loc, entry->getArgument(0),
                                  entry->getArgument(1), one);
  func::ReturnOp::create(builder, loc);

  // The leading induction variables from the linear one.
  builder.setInsertionPointToStart(chunk.getBody());
  Value remaining = chunk.getInductionVar();
  llvm::SmallVector<Value> ivs(outer);
  for (size_t d = outer; d-- > 0;) {
    Value extent = constant(builder, bounds->extents[d]);
    Value position =
        d == 0 ? remaining
               : arith::RemUIOp::create(builder, loc, remaining, extent)
                     .getResult();
    if (d != 0)
      remaining = arith::DivUIOp::create(builder, loc, remaining, extent);
    Value scaled = arith::MulIOp::create(
        builder, loc, position, constant(builder, bounds->steps[d]));
    ivs[d] = arith::AddIOp::create(builder, loc, scaled,
                                   constant(builder, bounds->lowerBounds[d]));
  }
  for (size_t d = 0; d < outer; ++d)
    mapping.map(loop.getInductionVars()[d], ivs[d]);

  auto cloneBody = [&](OpBuilder &b) {
    for (Operation &op : loop.getBody()->without_terminator())
      b.clone(op, mapping);
  };
  if (outer == rank) {
    cloneBody(builder);
  } else {
    llvm::SmallVector<Value> lbs, ubs, steps;
    for (size_t d = outer; d < rank; ++d) {
      lbs.push_back(constant(builder, bounds->lowerBounds[d]));
      ubs.push_back(constant(builder, bounds->lowerBounds[d] +
                                          bounds->extents[d] *
                                              bounds->steps[d]));
      steps.push_back(constant(builder, bounds->steps[d]));
    }
    scf::ParallelOp::create(
        builder, loc, lbs, ubs, steps,
        [&](OpBuilder &b, Location, ValueRange inner) {
          for (size_t d = outer; d < rank; ++d)
            mapping.map(loop.getInductionVars()[d], inner[d - outer]);
          cloneBody(b);
        });
  }

  builder.setInsertionPoint(loop);
  llvm::SmallVector<Value> operands{constant(builder, 0),
                                    constant(builder, count)};
  llvm::append_range(operands, captured);
  func::CallOp::create(builder, loc, function, operands);
  loop.erase();
  return true;
}

struct OutlineParallelLoopsPass
    : cnnc::impl::OutlineParallelLoopsBase<OutlineParallelLoopsPass> {
  using OutlineParallelLoopsBase::OutlineParallelLoopsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    llvm::SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
    for (func::FuncOp function : functions) {
      if (function.isExternal() || function->hasAttr(cnnc::attrs::kParallelBody))
        continue;
      llvm::SmallVector<scf::ParallelOp> loops;
      for (Block &block : function.getBody())
        for (auto loop : block.getOps<scf::ParallelOp>())
          loops.push_back(loop);
      unsigned next = 0;
      for (scf::ParallelOp loop : loops) {
        std::string name;
        do
          name = (function.getName() + "_parallel_" + llvm::Twine(next++)).str();
        while (symbols.lookup(name));
        if (outline(loop, function, name, minWork))
          symbols.insert(module.lookupSymbol(name));
      }
    }
  }
};

} // namespace
