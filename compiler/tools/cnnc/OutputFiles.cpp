//===- OutputFiles.cpp - Write all of a command's files or none -----------===//

#include "OutputFiles.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace cnnc {

namespace {

/// True when `a` and `b` name one file: the same existing file, or the same
/// path once made absolute and cleaned.
bool sameFile(llvm::StringRef a, llvm::StringRef b) {
  bool equivalent = false;
  if (!llvm::sys::fs::equivalent(a, b, equivalent) && equivalent)
    return true;
  auto normal = [](llvm::StringRef path) {
    llvm::SmallString<256> text(path);
    llvm::sys::fs::make_absolute(text);
    llvm::sys::path::remove_dots(text, /*remove_dot_dot=*/true);
    return std::string(text);
  };
  return normal(a) == normal(b);
}

} // namespace

mlir::LogicalResult checkOutputPaths(llvm::ArrayRef<std::string> outputs,
                                     llvm::ArrayRef<std::string> inputs) {
  for (auto [i, output] : llvm::enumerate(outputs)) {
    if (output == "-")
      continue;
    for (const std::string &input : inputs)
      if (input != "-" && sameFile(output, input)) {
        llvm::errs() << "cnnc: error: the output '" << output
                     << "' is the input '" << input
                     << "'; choose another output path (cnnc never "
                        "overwrites its inputs)\n";
        return mlir::failure();
      }
    for (const std::string &other : outputs.drop_front(i + 1))
      if (other != "-" && sameFile(output, other)) {
        llvm::errs() << "cnnc: error: two outputs are one file: '" << output
                     << "' and '" << other << "'\n";
        return mlir::failure();
      }
  }
  return mlir::success();
}

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
