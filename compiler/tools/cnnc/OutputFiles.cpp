//===- OutputFiles.cpp - Write all of a command's files or none -----------===//

#include "OutputFiles.h"

#include "llvm/Support/FileSystem.h"

namespace cnnc {

mlir::LogicalResult writeFilesAtomically(
    llvm::ArrayRef<std::pair<std::string, std::string>> files) {
  std::vector<std::pair<llvm::sys::fs::TempFile, std::string>> temps;
  auto discardAll = [&] {
    for (auto &temp : temps)
      llvm::consumeError(temp.first.discard());
  };
  for (const auto &[path, contents] : files) {
    if (path == "-")
      continue;
    llvm::Expected<llvm::sys::fs::TempFile> temp =
        llvm::sys::fs::TempFile::create(path + ".tmp-%%%%%%");
    if (!temp) {
      llvm::errs() << "cnnc: error: cannot write '" << path
                   << "': " << llvm::toString(temp.takeError()) << "\n";
      discardAll();
      return mlir::failure();
    }
    llvm::raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    os << contents;
    os.flush();
    temps.emplace_back(std::move(*temp), path);
    if (os.has_error()) {
      llvm::errs() << "cnnc: error: cannot write '" << path
                   << "': " << os.error().message() << "\n";
      os.clear_error();
      discardAll();
      return mlir::failure();
    }
  }
  for (auto &[temp, path] : temps) {
    if (llvm::Error error = temp.keep(path)) {
      llvm::errs() << "cnnc: error: cannot write '" << path
                   << "': " << llvm::toString(std::move(error)) << "\n";
      discardAll();
      return mlir::failure();
    }
  }
  for (const auto &[path, contents] : files)
    if (path == "-") {
      llvm::outs() << contents;
      llvm::outs().flush();
    }
  return mlir::success();
}

} // namespace cnnc
