//===- LowerParallelCalls.cpp - Chunk calls to cnnc_parallel_for ----------===//
//
// The second half of threading compiled code, on the LLVM dialect:
//
//   llvm.call @f_parallel_0(%c0, %count, %a, %b)
//
// becomes
//
//   %context = llvm.alloca ... : !llvm.struct<(ptr, ptr)>   (entry block)
//   llvm.store %a / %b into the context
//   llvm.call @cnnc_parallel_for(%count, %c1, @f_parallel_0_task, %context)
//
// where @f_parallel_0_task(%context, %begin, %end) loads the captured values
// and calls @f_parallel_0(%begin, %end, ...) on its chunk.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Conversion/Passes.h"
#include "cnnc/Dialect/CNN/IR/CompilerAttributes.h"

namespace cnnc {
#define GEN_PASS_DEF_LOWERPARALLELCALLS
#include "cnnc/Conversion/Passes.h.inc"
} // namespace cnnc

using namespace mlir;

namespace {


LLVM::LLVMFuncOp runtimeParallelFor(ModuleOp module, OpBuilder &builder) {
  if (auto existing = module.lookupSymbol<LLVM::LLVMFuncOp>("cnnc_parallel_for"))
    return existing;
  MLIRContext *context = module.getContext();
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(module.getBody());
  auto i64 = IntegerType::get(context, 64);
  auto ptr = LLVM::LLVMPointerType::get(context);
  return LLVM::LLVMFuncOp::create(
      builder, module.getLoc(), "cnnc_parallel_for",
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context),
                                  {i64, i64, ptr, ptr}));
}

/// @body_task(%context, %begin, %end): loads the captures, calls @body.
LLVM::LLVMFuncOp createTask(ModuleOp module, LLVM::LLVMFuncOp body,
                            LLVM::LLVMStructType contextType,
                            OpBuilder &builder) {
  MLIRContext *context = module.getContext();
  Location loc = body.getLoc();
  auto i64 = IntegerType::get(context, 64);
  auto ptr = LLVM::LLVMPointerType::get(context);
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointAfter(body);
  auto task = LLVM::LLVMFuncOp::create(
      builder, loc, (body.getName() + "_task").str(),
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context),
                                  {ptr, i64, i64}),
      LLVM::Linkage::Internal);
  Block *entry = task.addEntryBlock(builder);
  builder.setInsertionPointToStart(entry);
  llvm::SmallVector<Value> arguments{entry->getArgument(1),
                                     entry->getArgument(2)};
  for (auto [i, type] : llvm::enumerate(contextType.getBody())) {
    Value field = LLVM::GEPOp::create(
        builder, loc, ptr, contextType, entry->getArgument(0),
        llvm::ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(i)});
    arguments.push_back(LLVM::LoadOp::create(builder, loc, type, field));
  }
  LLVM::CallOp::create(builder, loc, body, arguments);
  LLVM::ReturnOp::create(builder, loc, ValueRange());
  return task;
}

struct LowerParallelCallsPass
    : cnnc::impl::LowerParallelCallsBase<LowerParallelCallsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    OpBuilder builder(context);
    llvm::SmallVector<LLVM::CallOp> calls;
    module.walk([&](LLVM::CallOp call) {
      std::optional<StringRef> callee = call.getCallee();
      if (!callee)
        return;
      auto body = module.lookupSymbol<LLVM::LLVMFuncOp>(*callee);
      if (body && body->hasAttr(cnnc::attrs::kParallelBody))
        calls.push_back(call);
    });
    auto i64 = IntegerType::get(context, 64);
    auto ptr = LLVM::LLVMPointerType::get(context);
    for (LLVM::CallOp call : calls) {
      auto body = module.lookupSymbol<LLVM::LLVMFuncOp>(*call.getCallee());
      Location loc = call.getLoc();
      ValueRange captured = call.getArgOperands().drop_front(2);
      llvm::SmallVector<Type> fieldTypes(captured.getTypes());
      auto contextType = LLVM::LLVMStructType::getLiteral(context, fieldTypes);
      LLVM::LLVMFuncOp task = createTask(module, body, contextType, builder);

      // The context lives in the caller's frame, allocated once on entry.
      auto caller = call->getParentOfType<LLVM::LLVMFuncOp>();
      builder.setInsertionPointToStart(&caller.getBody().front());
      Value one = LLVM::ConstantOp::create(builder, loc, i64,
                                           builder.getI64IntegerAttr(1));
      Value contextPointer =
          LLVM::AllocaOp::create(builder, loc, ptr, contextType, one);

      builder.setInsertionPoint(call);
      for (auto [i, value] : llvm::enumerate(captured)) {
        Value field = LLVM::GEPOp::create(
            builder, loc, ptr, contextType, contextPointer,
            llvm::ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(i)});
        LLVM::StoreOp::create(builder, loc, value, field);
      }
      Value taskAddress = LLVM::AddressOfOp::create(builder, loc, task);
      Value count = call.getArgOperands()[1];
      LLVM::CallOp::create(builder, loc, runtimeParallelFor(module, builder),
                           ValueRange{count, one, taskAddress,
                                      contextPointer});
      call.erase();
    }
    module.walk([](LLVM::LLVMFuncOp function) {
      function->removeAttr(cnnc::attrs::kParallelBody);
    });
  }
};

} // namespace
