//===- ObjectLoader.cpp - Run a compiled model's object in-process --------===//

#include "ObjectLoader.h"

#include "cnnc/runtime.h"

#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Support/MemoryBuffer.h"

namespace cnnc {

namespace {

/// The runtime functions compiled code may call, at their addresses in this
/// process (libcnnc_runtime is linked statically into cnnc).
llvm::orc::SymbolMap runtimeSymbols(llvm::orc::LLJIT &jit) {
  llvm::orc::SymbolMap symbols;
  auto add = [&](const char *name, auto *function) {
    symbols[jit.mangleAndIntern(name)] = {
        llvm::orc::ExecutorAddr::fromPtr(function),
        llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
  };
  add("cnnc_last_error", &cnnc_last_error);
  add("cnnc_set_error", &cnnc_set_error);
  add("cnnc_clear_error", &cnnc_clear_error);
  add("cnnc_workspace_alloc", &cnnc_workspace_alloc);
  add("cnnc_workspace_free", &cnnc_workspace_free);
  add("cnnc_thread_workspace", &cnnc_thread_workspace);
  add("cnnc_num_threads", &cnnc_num_threads);
  add("cnnc_parallel_for", &cnnc_parallel_for);
  add("cnnc_cpu_has_feature", &cnnc_cpu_has_feature);
  add("cnnc_check_cpu_features", &cnnc_check_cpu_features);
  return symbols;
}

} // namespace

LoadedModel::~LoadedModel() = default;

llvm::Expected<void *> LoadedModel::lookup(llvm::StringRef symbol) {
  llvm::Expected<llvm::orc::ExecutorAddr> address = jit->lookup(symbol);
  if (!address)
    return address.takeError();
  return address->toPtr<void *>();
}

llvm::Expected<std::unique_ptr<LoadedModel>>
LoadedModel::load(const std::string &object, llvm::StringRef name) {
  llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>> jit =
      llvm::orc::LLJITBuilder().create();
  if (!jit)
    return jit.takeError();
  llvm::orc::JITDylib &library = (*jit)->getMainJITDylib();
  if (llvm::Error error =
          library.define(llvm::orc::absoluteSymbols(runtimeSymbols(**jit))))
    return std::move(error);
  // The C library and libm (memcpy, expf, ...) from this process.
  llvm::Expected<std::unique_ptr<llvm::orc::DynamicLibrarySearchGenerator>>
      process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
          (*jit)->getDataLayout().getGlobalPrefix());
  if (!process)
    return process.takeError();
  library.addGenerator(std::move(*process));
  if (llvm::Error error = (*jit)->addObjectFile(
          llvm::MemoryBuffer::getMemBufferCopy(object, name + ".o")))
    return std::move(error);

  std::unique_ptr<LoadedModel> model(new LoadedModel);
  llvm::Expected<llvm::orc::ExecutorAddr> run =
      (*jit)->lookup((name + "_run").str());
  if (!run)
    return run.takeError();
  llvm::Expected<llvm::orc::ExecutorAddr> size =
      (*jit)->lookup((name + "_workspace_size").str());
  if (!size)
    return size.takeError();
  model->run = run->toPtr<RunFunction>();
  model->workspaceSize = size->toPtr<WorkspaceSizeFunction>();
  model->jit = std::move(*jit);
  return model;
}

} // namespace cnnc
