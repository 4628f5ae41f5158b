//===- ObjectLoader.h - Run a compiled model's object in-process -*- C++ -*-===//
//
// `cnnc run` links the object that `cnnc compile` would write into the
// running process with LLVM's ORC JIT linker, resolving the runtime's
// functions to the copy of libcnnc_runtime linked into cnnc, and hands out
// NAME_run and NAME_workspace_size.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TOOLS_CNNC_OBJECTLOADER_H
#define CNNC_TOOLS_CNNC_OBJECTLOADER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace llvm::orc {
class LLJIT;
} // namespace llvm::orc

namespace cnnc {

class LoadedModel {
public:
  using RunFunction = int (*)(const void *const *, void *const *, void *);
  using WorkspaceSizeFunction = size_t (*)();

  /// Links `object` (a relocatable object from `cnnc compile`) and looks up
  /// the entry points of model `name`.
  static llvm::Expected<std::unique_ptr<LoadedModel>>
  load(const std::string &object, llvm::StringRef name);
  ~LoadedModel();

  RunFunction run = nullptr;
  WorkspaceSizeFunction workspaceSize = nullptr;

  /// The address of another public function of the object (the training
  /// entry points).
  llvm::Expected<void *> lookup(llvm::StringRef symbol);

private:
  LoadedModel() = default;
  std::unique_ptr<llvm::orc::LLJIT> jit;
};

} // namespace cnnc

#endif // CNNC_TOOLS_CNNC_OBJECTLOADER_H
