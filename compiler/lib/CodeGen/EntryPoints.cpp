//===- EntryPoints.cpp - NAME_run and NAME_workspace_size in LLVM IR ------===//
//
// The graph function that the pipeline produces takes one bare pointer per
// input, per output and the workspace. Around it this file writes the
// public C functions of the header:
//
//   size_t NAME_workspace_size(void);
//   int NAME_run(const void *const *inputs, void *const *outputs,
//                void *workspace);
//
// NAME_run checks the CPU once (before any instruction the model was
// compiled for can run: it is itself compiled for baseline x86-64), checks
// its pointers, takes the thread's runtime workspace for a NULL one, and
// calls the graph. Every other definition becomes internal, so two models
// link into one program.
//
//===----------------------------------------------------------------------===//

#include "EntryPoints.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/IRBuilder.h"

namespace cnnc {

namespace {

using llvm::IRBuilder;

llvm::Constant *cString(llvm::Module &module, llvm::StringRef text,
                        llvm::StringRef symbol) {
  llvm::LLVMContext &context = module.getContext();
  llvm::Constant *data = llvm::ConstantDataArray::getString(context, text);
  auto *global = new llvm::GlobalVariable(
      module, data->getType(), /*isConstant=*/true,
      llvm::GlobalValue::PrivateLinkage, data, symbol);
  global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  return global;
}

/// Writes NAME_run's body.
class RunBuilder {
public:
  RunBuilder(llvm::Module &module, llvm::Function *run,
             const ModelInterface &model)
      : module(module), context(module.getContext()), run(run), model(model),
        builder(context), ptrType(llvm::PointerType::get(context, 0)),
        i32(llvm::Type::getInt32Ty(context)) {
    failBlock = llvm::BasicBlock::Create(context, "fail", run);
    IRBuilder<> failBuilder(failBlock);
    failBuilder.CreateRet(llvm::ConstantInt::get(i32, 1));
  }

  void build(llvm::Function *graph, const std::string &features,
             uint64_t workspaceBytes) {
    llvm::Value *inputs = run->getArg(0);
    llvm::Value *outputs = run->getArg(1);
    llvm::Value *workspace = run->getArg(2);
    auto *entry = llvm::BasicBlock::Create(context, "entry", run, failBlock);
    builder.SetInsertPoint(entry);
    checkCPU(features);

    std::vector<llvm::Value *> arguments;
    collect(inputs, model.inputs, "input", arguments);
    collect(outputs, model.outputs, "output", arguments);

    // A NULL workspace: the runtime's, kept per thread for this model.
    llvm::BasicBlock *given = builder.GetInsertBlock();
    auto *acquire = llvm::BasicBlock::Create(context, "acquire", run);
    auto *ready = llvm::BasicBlock::Create(context, "ready", run);
    builder.CreateCondBr(builder.CreateIsNull(workspace), acquire, ready);
    builder.SetInsertPoint(acquire);
    llvm::Type *sizeType = module.getDataLayout().getIntPtrType(context);
    llvm::FunctionCallee threadWorkspace = module.getOrInsertFunction(
        "cnnc_thread_workspace",
        llvm::FunctionType::get(ptrType, {ptrType, sizeType}, false));
    llvm::Value *acquired = builder.CreateCall(
        threadWorkspace,
        {checkedFlag, llvm::ConstantInt::get(sizeType, workspaceBytes)});
    auto *haveMemory = llvm::BasicBlock::Create(context, "have_memory", run);
    builder.CreateCondBr(builder.CreateIsNull(acquired), failBlock,
                         haveMemory);
    builder.SetInsertPoint(haveMemory);
    builder.CreateBr(ready);

    builder.SetInsertPoint(ready);
    llvm::PHINode *memory = builder.CreatePHI(ptrType, 2, "workspace");
    memory->addIncoming(workspace, given);
    memory->addIncoming(acquired, haveMemory);
    arguments.push_back(memory);
    builder.CreateCall(graph, arguments);
    builder.CreateRet(llvm::ConstantInt::get(i32, 0));
  }

private:
  /// if (!checked) { if (cnnc_check_cpu_features(...)) return 1; checked=1; }
  void checkCPU(const std::string &features) {
    checkedFlag = new llvm::GlobalVariable(
        module, i32, /*isConstant=*/false, llvm::GlobalValue::InternalLinkage,
        llvm::ConstantInt::get(i32, 0), "__cnnc_" + model.name + "_cpu_checked");
    auto *load = builder.CreateAlignedLoad(i32, checkedFlag, llvm::Align(4));
    load->setAtomic(llvm::AtomicOrdering::Monotonic);
    auto *check = llvm::BasicBlock::Create(context, "check_cpu", run);
    auto *checked = llvm::BasicBlock::Create(context, "cpu_ok", run);
    builder.CreateCondBr(builder.CreateIsNull(load), check, checked);

    builder.SetInsertPoint(check);
    llvm::FunctionCallee checkFeatures = module.getOrInsertFunction(
        "cnnc_check_cpu_features",
        llvm::FunctionType::get(i32, {ptrType, ptrType}, false));
    llvm::Value *status = builder.CreateCall(
        checkFeatures,
        {cString(module, model.name, "__cnnc_" + model.name + "_name"),
         cString(module, features, "__cnnc_" + model.name + "_features")});
    auto *mark = llvm::BasicBlock::Create(context, "mark_cpu_ok", run);
    builder.CreateCondBr(builder.CreateIsNull(status), mark, failBlock);
    builder.SetInsertPoint(mark);
    auto *store = builder.CreateAlignedStore(llvm::ConstantInt::get(i32, 1),
                                             checkedFlag, llvm::Align(4));
    store->setAtomic(llvm::AtomicOrdering::Monotonic);
    builder.CreateBr(checked);
    builder.SetInsertPoint(checked);
  }

  /// Loads array[i] for every tensor, failing with a message on NULL.
  void collect(llvm::Value *array, const std::vector<TensorDescription> &tensors,
               llvm::StringRef kind, std::vector<llvm::Value *> &arguments) {
    if (tensors.empty())
      return;
    failIf(builder.CreateIsNull(array),
           model.name + "_run: the " + kind.str() + "s array is NULL");
    for (size_t i = 0; i < tensors.size(); ++i) {
      llvm::Value *slot = builder.CreateConstInBoundsGEP1_64(ptrType, array, i);
      llvm::Value *pointer = builder.CreateAlignedLoad(ptrType, slot,
                                                       llvm::Align(8));
      failIf(builder.CreateIsNull(pointer),
             model.name + "_run: " + kind.str() + " " + std::to_string(i) +
                 " ('" + tensors[i].name + "') is NULL");
      arguments.push_back(pointer);
    }
  }

  /// if (condition) { cnnc_set_error("%s", message); return 1; }
  void failIf(llvm::Value *condition, const std::string &message) {
    auto *report = llvm::BasicBlock::Create(context, "report", run);
    auto *next = llvm::BasicBlock::Create(context, "next", run);
    builder.CreateCondBr(condition, report, next);
    builder.SetInsertPoint(report);
    llvm::FunctionCallee setError = module.getOrInsertFunction(
        "cnnc_set_error", llvm::FunctionType::get(
                              llvm::Type::getVoidTy(context), {ptrType}, true));
    builder.CreateCall(setError,
                       {cString(module, "%s", "__cnnc_percent_s"),
                        cString(module, message, "__cnnc_message")});
    builder.CreateBr(failBlock);
    builder.SetInsertPoint(next);
  }

  llvm::Module &module;
  llvm::LLVMContext &context;
  llvm::Function *run;
  const ModelInterface &model;
  IRBuilder<> builder;
  llvm::PointerType *ptrType;
  llvm::IntegerType *i32;
  llvm::BasicBlock *failBlock;
  llvm::GlobalVariable *checkedFlag = nullptr;
};

} // namespace

llvm::Error addEntryPoints(llvm::Module &module, llvm::StringRef graphName,
                           const ModelInterface &model,
                           const EntryPointTarget &target) {
  llvm::Function *graph = module.getFunction(graphName);
  if (!graph || graph->isDeclaration())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "no graph function '" + graphName + "'");
  size_t expected = model.inputs.size() + model.outputs.size() + 1;
  if (graph->arg_size() != expected)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "the graph function takes " + std::to_string(graph->arg_size()) +
            " arguments; the interface has " + std::to_string(expected));

  // Everything the pipeline defined is private to this object, and compiled
  // for the target CPU.
  for (llvm::Function &function : module) {
    if (function.isDeclaration())
      continue;
    function.setLinkage(llvm::GlobalValue::InternalLinkage);
    function.addFnAttr("target-cpu", target.cpu);
    if (!target.features.empty())
      function.addFnAttr("target-features", target.features);
    // LLVM keeps to 256-bit vectors on AVX-512 CPUs unless told: the
    // kernels are long, regular loops that gain from the full width.
    if (llvm::is_contained(target.requiredFeatures, "avx512f"))
      function.addFnAttr("prefer-vector-width", "512");
  }
  for (llvm::GlobalVariable &global : module.globals())
    if (!global.isDeclaration())
      global.setLinkage(llvm::GlobalValue::InternalLinkage);
  graph->addFnAttr(llvm::Attribute::NoInline);

  llvm::LLVMContext &context = module.getContext();
  llvm::Type *sizeType = module.getDataLayout().getIntPtrType(context);
  auto *workspaceSize = llvm::Function::Create(
      llvm::FunctionType::get(sizeType, false),
      llvm::GlobalValue::ExternalLinkage, model.name + "_workspace_size",
      module);
  IRBuilder<> builder(llvm::BasicBlock::Create(context, "entry", workspaceSize));
  builder.CreateRet(llvm::ConstantInt::get(sizeType, model.workspaceBytes));

  auto *ptrType = llvm::PointerType::get(context, 0);
  auto *run = llvm::Function::Create(
      llvm::FunctionType::get(llvm::Type::getInt32Ty(context),
                              {ptrType, ptrType, ptrType}, false),
      llvm::GlobalValue::ExternalLinkage, model.name + "_run", module);
  // Baseline x86-64: this code runs before the CPU check has passed.
  run->addFnAttr("target-cpu", "x86-64");
  RunBuilder(module, run, model)
      .build(graph, llvm::join(target.requiredFeatures, ","),
             model.workspaceBytes);
  return llvm::Error::success();
}

} // namespace cnnc
