//===- Dataset.cpp - Fashion-MNIST, read and checked ----------------------===//

#include "Dataset.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace cnnc {

bool readDataset(llvm::StringRef spec, Dataset &data, llvm::StringRef flag) {
  llvm::StringRef name = spec, dir = "/usr/share/datasets/fashion-mnist";
  if (size_t colon = spec.find(':'); colon != llvm::StringRef::npos) {
    name = spec.take_front(colon);
    dir = spec.drop_front(colon + 1);
  }
  if (name != "fashion-mnist") {
    llvm::errs() << "cnnc: error: " << flag << " " << spec
                 << ": expected fashion-mnist or fashion-mnist:DIR\n";
    return false;
  }
  struct File {
    const char *name;
    cnnc_idx *into;
    int rank;
    std::string path = ""; // the file read: NAME, or NAME without .gz
  } files[] = {{"train-images-idx3-ubyte.gz", &data.trainImages, 3},
               {"train-labels-idx1-ubyte.gz", &data.trainLabels, 1},
               {"t10k-images-idx3-ubyte.gz", &data.testImages, 3},
               {"t10k-labels-idx1-ubyte.gz", &data.testLabels, 1}};
  for (File &file : files) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, file.name);
    if (!llvm::sys::fs::exists(path)) {
      // Also the uncompressed name.
      llvm::SmallString<256> plain(path);
      llvm::sys::path::replace_extension(plain, "");
      if (llvm::sys::fs::exists(plain))
        path = plain;
    }
    file.path = path.str().str();
    if (cnnc_idx_read(path.c_str(), file.into) != 0) {
      llvm::errs() << "cnnc: error: " << cnnc_last_error()
                   << " (Debian's dataset-fashion-mnist package installs the "
                      "files in /usr/share/datasets/fashion-mnist)\n";
      return false;
    }
    if (file.into->rank != file.rank) {
      llvm::errs() << "cnnc: error: " << path << ": expected an IDX array of "
                   << "rank " << file.rank << ", got rank " << file.into->rank
                   << "\n";
      return false;
    }
  }
  if (data.trainImages.dims[0] != data.trainLabels.dims[0] ||
      data.testImages.dims[0] != data.testLabels.dims[0]) {
    llvm::errs() << "cnnc: error: " << dir
                 << ": the image and label files disagree on the count\n";
    return false;
  }
  // The batches are 28x28 and the confusion matrix has 10 classes: other
  // images or labels would write past them.
  for (File &file : files) {
    const cnnc_idx &idx = *file.into;
    if (file.rank == 3 &&
        (idx.dims[1] != kImageSize || idx.dims[2] != kImageSize)) {
      llvm::errs() << "cnnc: error: " << file.path << ": images of "
                   << idx.dims[1] << "x" << idx.dims[2]
                   << " pixels; Fashion-MNIST's are 28x28\n";
      return false;
    }
    if (file.rank == 1)
      for (size_t i = 0; i < idx.size; ++i)
        if (idx.data[i] >= kClasses) {
          llvm::errs() << "cnnc: error: " << file.path << ": label "
                       << static_cast<int>(idx.data[i]) << " of item " << i
                       << " is not a class (0 to " << kClasses - 1 << ")\n";
          return false;
        }
  }
  return true;
}

} // namespace cnnc
