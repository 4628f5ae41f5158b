//===- idx-fuzzer.cpp - libFuzzer target for the runtime's IDX reader -----===//
//
// Each input is written to a file and read with cnnc_idx_read, gzip or not:
// any input must give 0 with a consistent array or non-zero with a message,
// never a crash, a leak or an out-of-bounds access.
//
//===----------------------------------------------------------------------===//

#include "cnnc/runtime.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::string path =
      "/tmp/cnnc-idx-fuzz-" + std::to_string(getpid()) + ".idx";
  FILE *file = std::fopen(path.c_str(), "wb");
  if (!file)
    std::abort();
  std::fwrite(data, 1, size, file);
  std::fclose(file);
  cnnc_idx array;
  if (cnnc_idx_read(path.c_str(), &array) == 0) {
    size_t elements = 1;
    for (int d = 0; d < array.rank; ++d)
      elements *= static_cast<size_t>(array.dims[d]);
    if (array.rank < 1 || array.rank > 4 || elements != array.size ||
        (array.size && !array.data))
      std::abort();
    volatile uint8_t sum = 0;
    for (size_t i = 0; i < array.size; ++i)
      sum += array.data[i];
  } else if (cnnc_last_error()[0] == '\0' || array.data) {
    std::abort();
  }
  cnnc_idx_free(&array);
  return 0;
}
