//===- Dataset.h - Fashion-MNIST, read and checked --------------*- C++ -*-===//
//
// The dataset `cnnc train --data` trains on and `cnnc compile --calibration`
// calibrates on: Fashion-MNIST's IDX files, read with the runtime's reader
// and checked (28x28 images, labels 0 to 9, counts that agree) before any
// buffer is sized from them.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TOOLS_CNNC_DATASET_H
#define CNNC_TOOLS_CNNC_DATASET_H

#include "cnnc/runtime.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace cnnc {

constexpr int kClasses = 10;
constexpr int64_t kImageSize = 28;

/// The Fashion-MNIST files, read with the runtime's IDX reader.
struct Dataset {
  cnnc_idx trainImages{}, trainLabels{}, testImages{}, testLabels{};
  ~Dataset() {
    cnnc_idx_free(&trainImages);
    cnnc_idx_free(&trainLabels);
    cnnc_idx_free(&testImages);
    cnnc_idx_free(&testLabels);
  }
};

/// Reads `spec` (fashion-mnist or fashion-mnist:DIR; the default folder is
/// Debian's dataset-fashion-mnist), given with the command-line `flag`;
/// false, with the error printed, when a file is missing, malformed or
/// inconsistent.
bool readDataset(llvm::StringRef spec, Dataset &data,
                 llvm::StringRef flag = "--data");

} // namespace cnnc

#endif // CNNC_TOOLS_CNNC_DATASET_H
