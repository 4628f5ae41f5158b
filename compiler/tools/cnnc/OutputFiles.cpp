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

namespace {

/// How an output is written: through a temporary file renamed over it (a
/// regular file, or none yet), or straight into it (a device such as
/// /dev/null, or a pipe), which a rename would replace by a regular file.
enum class OutputKind { File, Stream, Stdout };

mlir::FailureOr<OutputKind> outputKind(llvm::StringRef path) {
  if (path == "-")
    return OutputKind::Stdout;
  llvm::sys::fs::file_status status;
  if (llvm::sys::fs::status(path, status) ||
      status.type() == llvm::sys::fs::file_type::regular_file)
    return OutputKind::File;
  if (status.type() == llvm::sys::fs::file_type::character_file ||
      status.type() == llvm::sys::fs::file_type::fifo_file)
    return OutputKind::Stream;
  llvm::errs() << "cnnc: error: cannot write '" << path << "': "
               << (status.type() == llvm::sys::fs::file_type::directory_file
                       ? "Is a directory"
                       : "not a regular file, a device or a pipe")
               << "\n";
  return mlir::failure();
}

/// Writes `contents` into the existing device or pipe `path`.
mlir::LogicalResult writeStream(llvm::StringRef path,
                                llvm::StringRef contents) {
  std::error_code error;
  llvm::raw_fd_ostream os(path, error, llvm::sys::fs::OF_None);
  if (!error) {
    os << contents;
    os.flush();
    error = os.error();
    os.clear_error();
  }
  if (!error)
    return mlir::success();
  llvm::errs() << "cnnc: error: cannot write '" << path
               << "': " << error.message() << "\n";
  return mlir::failure();
}

} // namespace

mlir::LogicalResult writeFilesAtomically(
    llvm::ArrayRef<std::pair<std::string, std::string>> files) {
  std::vector<std::pair<llvm::sys::fs::TempFile, std::string>> temps;
  auto discardAll = [&] {
    for (auto &temp : temps)
      llvm::consumeError(temp.first.discard());
  };
  std::vector<OutputKind> kinds;
  for (const auto &[path, contents] : files) {
    mlir::FailureOr<OutputKind> kind = outputKind(path);
    if (failed(kind))
      return mlir::failure();
    kinds.push_back(*kind);
  }
  for (auto [kind, file] : llvm::zip_equal(kinds, files)) {
    const auto &[path, contents] = file;
    if (kind != OutputKind::File)
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
  // Devices and pipes take their bytes before any file is renamed into
  // place, so that a full device leaves no other output behind.
  for (auto [kind, file] : llvm::zip_equal(kinds, files))
    if (kind == OutputKind::Stream &&
        failed(writeStream(file.first, file.second))) {
      discardAll();
      return mlir::failure();
    }
  for (auto &[temp, path] : temps) {
    if (llvm::Error error = temp.keep(path)) {
      llvm::errs() << "cnnc: error: cannot write '" << path
                   << "': " << llvm::toString(std::move(error)) << "\n";
      discardAll();
      return mlir::failure();
    }
  }
  for (auto [kind, file] : llvm::zip_equal(kinds, files))
    if (kind == OutputKind::Stdout) {
      llvm::outs() << file.second;
      llvm::outs().flush();
    }
  return mlir::success();
}

} // namespace cnnc
