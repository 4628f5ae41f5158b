//===- EntryPoints.cpp - The public C functions of a model in LLVM IR -----===//
//
// The graph function that the pipeline produces takes one bare pointer per
// input, per output and the workspace. Around it this file writes the
// public C functions of the header:
//
//   size_t NAME_workspace_size(void);
//   int NAME_run(const void *const *inputs, void *const *outputs,
//                void *workspace);
//
// and, for an object compiled with --train, around the train step, the
// evaluation and the initial state (cnnc-generate-train-step's functions):
//
//   size_t NAME_state_size(void);
//   size_t NAME_train_workspace_size(void);
//   int NAME_init_state(void *state);
//   int NAME_train_step(void *state, const void *input, const void *labels,
//                       const float *hyper, int64_t key, float *loss,
//                       void *logits, void *workspace);
//   int NAME_evaluate(const void *state, const void *input, void *logits,
//                     void *workspace);
//
// Each checks the CPU once (before any instruction the model was compiled
// for can run: it is itself compiled for baseline x86-64), checks its
// pointers, takes the thread's runtime workspace for a NULL one, and calls
// its graph. The state tensors are pointers into the one state buffer; the
// train step writes the new state after its workspace and copies it back.
// Every other definition becomes internal, so two models link into one
// program.
//
//===----------------------------------------------------------------------===//

#include "EntryPoints.h"

#include "cnnc/runtime.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/IRBuilder.h"

namespace cnnc {

namespace {

using llvm::IRBuilder;

llvm::Constant *cString(llvm::Module &module, llvm::StringRef text,
                        llvm::StringRef symbol) {
  llvm::LLVMContext &context = module.getContext();
  llvm::Constant *data = llvm::ConstantDataArray::getString(context, text);
  auto *global =
      new llvm::GlobalVariable(module, data->getType(), /*isConstant=*/true,
                               llvm::GlobalValue::PrivateLinkage, data, symbol);
  global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  return global;
}

/// Writes the body of one public function around a graph function: the CPU
/// check, argument checks, the workspace, the call.
class EntryBuilder {
public:
  EntryBuilder(llvm::Module &module, llvm::Function *entry,
               const ModelInterface &model)
      : module(module), context(module.getContext()), entry(entry),
        model(model), builder(context),
        ptrType(llvm::PointerType::get(context, 0)),
        i32(llvm::Type::getInt32Ty(context)) {
    auto *start = llvm::BasicBlock::Create(context, "entry", entry);
    builder.SetInsertPoint(start);
  }

  IRBuilder<> &irBuilder() { return builder; }

  /// if (!checked) { if ((s = cnnc_check_cpu_features(...))) return s;
  /// checked = 1; }
  void checkCPU(const std::string &features) {
    checkedFlag = new llvm::GlobalVariable(
        module, i32, /*isConstant=*/false, llvm::GlobalValue::InternalLinkage,
        llvm::ConstantInt::get(i32, 0),
        "__cnnc_" + model.name + "_cpu_checked");
    auto *load = builder.CreateAlignedLoad(i32, checkedFlag, llvm::Align(4));
    load->setAtomic(llvm::AtomicOrdering::Monotonic);
    auto *check = llvm::BasicBlock::Create(context, "check_cpu", entry);
    auto *checked = llvm::BasicBlock::Create(context, "cpu_ok", entry);
    builder.CreateCondBr(builder.CreateIsNull(load), check, checked);

    builder.SetInsertPoint(check);
    llvm::FunctionCallee checkFeatures = module.getOrInsertFunction(
        "cnnc_check_cpu_features",
        llvm::FunctionType::get(i32, {ptrType, ptrType}, false));
    llvm::Value *status = builder.CreateCall(
        checkFeatures,
        {cString(module, model.name, "__cnnc_" + model.name + "_name"),
         cString(module, features, "__cnnc_" + model.name + "_features")});
    auto *mark = llvm::BasicBlock::Create(context, "mark_cpu_ok", entry);
    builder.CreateCondBr(builder.CreateIsNull(status), mark,
                         failWith(CNNC_ERROR_CPU_FEATURES));
    builder.SetInsertPoint(mark);
    auto *store = builder.CreateAlignedStore(llvm::ConstantInt::get(i32, 1),
                                             checkedFlag, llvm::Align(4));
    store->setAtomic(llvm::AtomicOrdering::Monotonic);
    builder.CreateBr(checked);
    builder.SetInsertPoint(checked);
  }

  /// Loads array[i] for every tensor, failing with a message on NULL.
  void collect(llvm::Value *array,
               const std::vector<TensorDescription> &tensors,
               llvm::StringRef kind, std::vector<llvm::Value *> &arguments) {
    if (tensors.empty())
      return;
    failIfNull(array,
               model.name + "_run: the " + kind.str() + "s array is NULL");
    for (size_t i = 0; i < tensors.size(); ++i) {
      llvm::Value *slot = builder.CreateConstInBoundsGEP1_64(ptrType, array, i);
      llvm::Value *pointer =
          builder.CreateAlignedLoad(ptrType, slot, llvm::Align(8));
      std::string tensor = model.name + "_run: " + kind.str() + " " +
                           std::to_string(i) + " ('" + tensors[i].name + "')";
      failIfNull(pointer, tensor + " is NULL");
      // Aligned to its element (the code loads whole elements).
      uint64_t elements = 1;
      for (int64_t d : tensors[i].shape)
        elements *= static_cast<uint64_t>(d);
      uint64_t alignment =
          elements ? std::min<uint64_t>(tensors[i].bytes / elements, 8) : 1;
      if (alignment & (alignment - 1))
        alignment = 1;
      failIfMisaligned(pointer, alignment,
                       tensor + " is not aligned to its " +
                           std::to_string(alignment) + "-byte elements");
      arguments.push_back(pointer);
    }
  }

  /// if (!pointer) { cnnc_set_error("%s", message);
  ///                 return CNNC_ERROR_INVALID_ARGUMENT; }
  void failIfNull(llvm::Value *pointer, const std::string &message) {
    failIf(builder.CreateIsNull(pointer), message);
  }

  /// The same when `pointer` is not a multiple of `alignment` (a power of
  /// two).
  void failIfMisaligned(llvm::Value *pointer, uint64_t alignment,
                        const std::string &message) {
    if (alignment <= 1)
      return;
    llvm::Type *sizeType = module.getDataLayout().getIntPtrType(context);
    llvm::Value *low = builder.CreateAnd(
        builder.CreatePtrToInt(pointer, sizeType),
        llvm::ConstantInt::get(sizeType, alignment - 1));
    failIf(builder.CreateIsNotNull(low), message);
  }

  /// if (condition) { cnnc_set_error("%s", message);
  ///                  return CNNC_ERROR_INVALID_ARGUMENT; }
  void failIf(llvm::Value *condition, const std::string &message) {
    auto *report = llvm::BasicBlock::Create(context, "report", entry);
    auto *next = llvm::BasicBlock::Create(context, "next", entry);
    builder.CreateCondBr(condition, report, next);
    builder.SetInsertPoint(report);
    llvm::FunctionCallee setError = module.getOrInsertFunction(
        "cnnc_set_error", llvm::FunctionType::get(
                              llvm::Type::getVoidTy(context), {ptrType}, true));
    builder.CreateCall(setError, {cString(module, "%s", "__cnnc_percent_s"),
                                  cString(module, message, "__cnnc_message")});
    builder.CreateBr(failWith(CNNC_ERROR_INVALID_ARGUMENT));
    builder.SetInsertPoint(next);
  }

  /// `given`, or (when NULL) the runtime's workspace of this thread for this
  /// entry point, of `bytes`. After checkCPU, whose flag is the key.
  /// A given workspace must be 64-byte aligned (the code's vectors and the
  /// plan's offsets assume it): `function`'s error otherwise.
  llvm::Value *workspace(llvm::Value *given, uint64_t bytes,
                         llvm::StringRef function = "") {
    auto *acquire = llvm::BasicBlock::Create(context, "acquire", entry);
    auto *checkGiven = llvm::BasicBlock::Create(context, "check_given", entry);
    auto *ready = llvm::BasicBlock::Create(context, "ready", entry);
    builder.CreateCondBr(builder.CreateIsNull(given), acquire, checkGiven);
    builder.SetInsertPoint(checkGiven);
    failIfMisaligned(given, 64,
                     (function.empty() ? model.name : function.str()) +
                         ": the workspace is not 64-byte aligned "
                         "(cnnc_workspace_alloc gives aligned memory)");
    llvm::BasicBlock *givenBlock = builder.GetInsertBlock();
    builder.CreateBr(ready);
    builder.SetInsertPoint(acquire);
    llvm::Type *sizeType = module.getDataLayout().getIntPtrType(context);
    llvm::FunctionCallee threadWorkspace = module.getOrInsertFunction(
        "cnnc_thread_workspace",
        llvm::FunctionType::get(ptrType, {ptrType, sizeType}, false));
    llvm::Value *acquired = builder.CreateCall(
        threadWorkspace,
        {checkedFlag, llvm::ConstantInt::get(sizeType, bytes)});
    auto *haveMemory = llvm::BasicBlock::Create(context, "have_memory", entry);
    builder.CreateCondBr(builder.CreateIsNull(acquired),
                         failWith(CNNC_ERROR_OUT_OF_MEMORY), haveMemory);
    builder.SetInsertPoint(haveMemory);
    builder.CreateBr(ready);

    builder.SetInsertPoint(ready);
    llvm::PHINode *memory = builder.CreatePHI(ptrType, 2, "workspace");
    memory->addIncoming(given, givenBlock);
    memory->addIncoming(acquired, haveMemory);
    return memory;
  }

  /// `base` + `bytes`.
  llvm::Value *offset(llvm::Value *base, uint64_t bytes) {
    return builder.CreateConstInBoundsGEP1_64(builder.getInt8Ty(), base, bytes);
  }

  void returnSuccess() {
    builder.CreateRet(llvm::ConstantInt::get(i32, CNNC_OK));
  }

  /// The block that returns `status` (one per status, made on first use).
  llvm::BasicBlock *failWith(cnnc_status status) {
    llvm::BasicBlock *&block = failBlocks[status];
    if (!block) {
      block = llvm::BasicBlock::Create(context, "fail", entry);
      IRBuilder<>(block).CreateRet(llvm::ConstantInt::get(i32, status));
    }
    return block;
  }

private:
  llvm::Module &module;
  llvm::LLVMContext &context;
  llvm::Function *entry;
  const ModelInterface &model;
  IRBuilder<> builder;
  llvm::PointerType *ptrType;
  llvm::IntegerType *i32;
  llvm::DenseMap<int, llvm::BasicBlock *> failBlocks;
  llvm::GlobalVariable *checkedFlag = nullptr;
};

/// A public function `name` of `type`, compiled for baseline x86-64 (it runs
/// before the CPU check has passed).
llvm::Function *publicFunction(llvm::Module &module, llvm::FunctionType *type,
                               const std::string &name) {
  auto *function = llvm::Function::Create(
      type, llvm::GlobalValue::ExternalLinkage, name, module);
  function->addFnAttr("target-cpu", "x86-64");
  return function;
}

/// size_t NAME(void) { return value; }
void addSizeFunction(llvm::Module &module, const std::string &name,
                     uint64_t value) {
  llvm::LLVMContext &context = module.getContext();
  llvm::Type *sizeType = module.getDataLayout().getIntPtrType(context);
  auto *function =
      llvm::Function::Create(llvm::FunctionType::get(sizeType, false),
                             llvm::GlobalValue::ExternalLinkage, name, module);
  IRBuilder<> builder(llvm::BasicBlock::Create(context, "entry", function));
  builder.CreateRet(llvm::ConstantInt::get(sizeType, value));
}

uint64_t alignTo64(uint64_t bytes) { return (bytes + 63) / 64 * 64; }

/// The training entry points (Header.cpp states their contracts):
/// NAME_state_size, NAME_train_workspace_size, NAME_init_state,
/// NAME_train_step and NAME_evaluate.
llvm::Error addTrainingEntryPoints(llvm::Module &module,
                                   const ModelInterface &model,
                                   const std::string &features) {
  const TrainingInterface &training = *model.training;
  llvm::LLVMContext &context = module.getContext();
  auto *ptrType = llvm::PointerType::get(context, 0);
  auto *i32 = llvm::Type::getInt32Ty(context);
  auto *i64 = llvm::Type::getInt64Ty(context);
  auto graph = [&](llvm::StringRef role) -> llvm::Function * {
    llvm::Function *f = module.getFunction(graphSymbol(model.name, role));
    if (f)
      f->addFnAttr(llvm::Attribute::NoInline);
    return f;
  };
  llvm::Function *trainGraph = graph("train_step");
  llvm::Function *evaluateGraph = graph("evaluate");
  llvm::Function *initialGraph = graph("initial_state");
  if (!trainGraph || !evaluateGraph || !initialGraph)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "a training graph function is missing");
  // The train step writes the new state into scratch memory after its own
  // workspace, then copies it over the state.
  uint64_t trainWorkspace =
      alignTo64(training.trainWorkspaceBytes) + training.stateBytes;
  uint64_t workspaceBytes =
      std::max(trainWorkspace, training.evaluateWorkspaceBytes);
  addSizeFunction(module, model.name + "_state_size", training.stateBytes);
  addSizeFunction(module, model.name + "_train_workspace_size", workspaceBytes);
  const std::vector<StateTensor> &state = training.state;
  size_t modelState = training.modelStateCount;
  const std::string &n = model.name;

  { // int NAME_init_state(void *state)
    llvm::Function *f =
        publicFunction(module, llvm::FunctionType::get(i32, {ptrType}, false),
                       n + "_init_state");
    EntryBuilder e(module, f, model);
    e.checkCPU(features);
    e.failIfNull(f->getArg(0), n + "_init_state: the state is NULL");
    std::vector<llvm::Value *> args;
    for (const StateTensor &tensor : state)
      args.push_back(e.offset(f->getArg(0), tensor.offset));
    args.push_back(e.workspace(llvm::ConstantPointerNull::get(ptrType),
                               training.initialStateWorkspaceBytes));
    e.irBuilder().CreateCall(initialGraph, args);
    e.returnSuccess();
  }
  { // int NAME_train_step(void *state, const void *input, const void *labels,
    //                     const float *hyper, int64_t key, float *loss,
    //                     void *logits, void *workspace)
    llvm::Function *f = publicFunction(
        module,
        llvm::FunctionType::get(i32,
                                {ptrType, ptrType, ptrType, ptrType, i64,
                                 ptrType, ptrType, ptrType},
                                false),
        n + "_train_step");
    EntryBuilder e(module, f, model);
    IRBuilder<> &b = e.irBuilder();
    llvm::Value *key = b.CreateAlloca(i64);
    b.CreateStore(f->getArg(4), key);
    e.checkCPU(features);
    const char *names[] = {"state", "input", "labels", "hyper"};
    for (int i = 0; i < 4; ++i)
      e.failIfNull(f->getArg(i),
                   n + "_train_step: the " + names[i] + " pointer is NULL");
    e.failIfNull(f->getArg(5), n + "_train_step: the loss pointer is NULL");
    e.failIfNull(f->getArg(6), n + "_train_step: the logits pointer is NULL");
    llvm::Value *workspace =
        e.workspace(f->getArg(7), workspaceBytes, n + "_train_step");
    llvm::Value *scratch =
        e.offset(workspace, alignTo64(training.trainWorkspaceBytes));
    std::vector<llvm::Value *> args;
    for (size_t i = 0; i < modelState; ++i)
      args.push_back(e.offset(f->getArg(0), state[i].offset));
    args.push_back(f->getArg(1));
    for (size_t i = modelState; i < state.size(); ++i)
      args.push_back(e.offset(f->getArg(0), state[i].offset));
    args.push_back(f->getArg(2));
    args.push_back(f->getArg(3));
    args.push_back(key);
    args.push_back(f->getArg(5));
    args.push_back(f->getArg(6));
    for (const StateTensor &tensor : state)
      args.push_back(e.offset(scratch, tensor.offset));
    args.push_back(workspace);
    b.CreateCall(trainGraph, args);
    b.CreateMemCpy(f->getArg(0), llvm::Align(1), scratch, llvm::Align(64),
                   training.stateBytes);
    e.returnSuccess();
  }
  { // int NAME_evaluate(const void *state, const void *input, void *logits,
    //                   void *workspace)
    llvm::Function *f =
        publicFunction(module,
                       llvm::FunctionType::get(
                           i32, {ptrType, ptrType, ptrType, ptrType}, false),
                       n + "_evaluate");
    EntryBuilder e(module, f, model);
    e.checkCPU(features);
    e.failIfNull(f->getArg(0), n + "_evaluate: the state is NULL");
    e.failIfNull(f->getArg(1), n + "_evaluate: the input is NULL");
    e.failIfNull(f->getArg(2), n + "_evaluate: the logits pointer is NULL");
    llvm::Value *workspace =
        e.workspace(f->getArg(3), workspaceBytes, n + "_evaluate");
    std::vector<llvm::Value *> args;
    for (size_t i = 0; i < modelState; ++i)
      args.push_back(e.offset(f->getArg(0), state[i].offset));
    args.push_back(f->getArg(1));
    args.push_back(f->getArg(2));
    args.push_back(workspace);
    e.irBuilder().CreateCall(evaluateGraph, args);
    e.returnSuccess();
  }
  return llvm::Error::success();
}

/// One image's workspace, rounded up to 64 bytes.
uint64_t imageWorkspaceBytes(const ModelInterface &model) {
  return (model.workspaceBytes + 63) / 64 * 64;
}

/// The workspace of NAME_run: the graph's, or for a batch compiled one
/// image at a time one image's per image (they run concurrently).
uint64_t workspaceBytesOf(const ModelInterface &model) {
  if (model.batchSplit <= 1)
    return model.workspaceBytes;
  return imageWorkspaceBytes(model) * model.batchSplit;
}

/// A batch compiled for one image (cnnc-split-batch): the images run
/// concurrently, one per task of the runtime's parallel-for, each with its
/// own slice of the workspace; the graph's own parallel loops run serially
/// inside a task (the pool runs a nested loop on the calling thread). No
/// thread waits on another between layers, and each keeps its image's
/// activations in its caches. `arguments` are the inputs', the outputs'
/// and the workspace's pointers.
void callPerImage(llvm::Module &module, IRBuilder<> &b, llvm::Function *graph,
                  const ModelInterface &model,
                  llvm::ArrayRef<llvm::Value *> arguments) {
  llvm::LLVMContext &context = module.getContext();
  llvm::Type *i64 = b.getInt64Ty();
  auto *ptrType = llvm::PointerType::get(context, 0);
  // The task: void task(void **pointers, int64_t begin, int64_t end).
  auto *taskType = llvm::FunctionType::get(b.getVoidTy(),
                                           {ptrType, i64, i64}, false);
  auto *task = llvm::Function::Create(taskType,
                                      llvm::GlobalValue::InternalLinkage,
                                      graph->getName() + "_image_task", module);
  {
    IRBuilder<> t(llvm::BasicBlock::Create(context, "entry", task));
    llvm::BasicBlock *loop = llvm::BasicBlock::Create(context, "image", task);
    llvm::BasicBlock *done = llvm::BasicBlock::Create(context, "done", task);
    llvm::Value *pointers = task->getArg(0);
    llvm::Value *begin = task->getArg(1), *end = task->getArg(2);
    t.CreateCondBr(t.CreateICmpULT(begin, end), loop, done);
    t.SetInsertPoint(loop);
    llvm::PHINode *image = t.CreatePHI(i64, 2, "i");
    image->addIncoming(begin, &task->getEntryBlock());
    std::vector<llvm::Value *> perImage;
    std::vector<uint64_t> strides;
    for (const TensorDescription &tensor : model.inputs)
      strides.push_back(tensor.bytes / model.batchSplit);
    for (const TensorDescription &tensor : model.outputs)
      strides.push_back(tensor.bytes / model.batchSplit);
    strides.push_back(imageWorkspaceBytes(model));
    for (auto [k, stride] : llvm::enumerate(strides)) {
      llvm::Value *slot = t.CreateConstGEP1_64(ptrType, pointers, k);
      llvm::Value *base = t.CreateLoad(ptrType, slot);
      perImage.push_back(t.CreateGEP(
          t.getInt8Ty(), base,
          t.CreateMul(image, llvm::ConstantInt::get(i64, stride))));
    }
    t.CreateCall(graph, perImage);
    llvm::Value *next = t.CreateAdd(image, llvm::ConstantInt::get(i64, 1));
    image->addIncoming(next, loop);
    t.CreateCondBr(t.CreateICmpULT(next, end), loop, done);
    t.SetInsertPoint(done);
    t.CreateRetVoid();
  }
  // The pointers in an array on the caller's stack, then the parallel-for.
  llvm::BasicBlock &entry =
      b.GetInsertBlock()->getParent()->getEntryBlock();
  IRBuilder<> allocas(&entry, entry.begin());
  auto *arrayType = llvm::ArrayType::get(ptrType, arguments.size());
  llvm::Value *array = allocas.CreateAlloca(arrayType, nullptr, "pointers");
  for (auto [k, pointer] : llvm::enumerate(arguments))
    b.CreateStore(pointer, b.CreateConstGEP2_64(arrayType, array, 0, k));
  llvm::FunctionCallee parallelFor = module.getOrInsertFunction(
      "cnnc_parallel_for", b.getVoidTy(), i64, i64, ptrType, ptrType);
  b.CreateCall(parallelFor,
               {llvm::ConstantInt::get(i64, model.batchSplit),
                llvm::ConstantInt::get(i64, 1), task, array});
}

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

  addSizeFunction(module, model.name + "_workspace_size",
                  workspaceBytesOf(model));
  llvm::LLVMContext &context = module.getContext();
  auto *ptrType = llvm::PointerType::get(context, 0);
  llvm::Function *run = publicFunction(
      module,
      llvm::FunctionType::get(llvm::Type::getInt32Ty(context),
                              {ptrType, ptrType, ptrType}, false),
      model.name + "_run");
  std::string features = llvm::join(target.requiredFeatures, ",");
  EntryBuilder e(module, run, model);
  e.checkCPU(features);
  std::vector<llvm::Value *> arguments;
  e.collect(run->getArg(0), model.inputs, "input", arguments);
  e.collect(run->getArg(1), model.outputs, "output", arguments);
  arguments.push_back(e.workspace(run->getArg(2), workspaceBytesOf(model),
                                  model.name + "_run"));
  if (model.batchSplit <= 1)
    e.irBuilder().CreateCall(graph, arguments);
  else
    callPerImage(module, e.irBuilder(), graph, model, arguments);
  e.returnSuccess();
  if (model.training)
    return addTrainingEntryPoints(module, model, features);
  return llvm::Error::success();
}

} // namespace cnnc
