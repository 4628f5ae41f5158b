//===- Datasets.cpp - IDX files (MNIST, Fashion-MNIST) --------------------===//
//
// The IDX format: a 4-byte magic (0, 0, element type, rank), one big-endian
// 32-bit size per dimension, then the elements. Files may be gzip-compressed
// (as Debian ships them); zlib reads both forms, so programs that call this
// link with -lz.
//
//===----------------------------------------------------------------------===//

#include "cnnc/runtime.h"

#include <zlib.h>

#include <cstdlib>
#include <cstring>

namespace {

/// Reads exactly `size` bytes; false on a short read.
bool readAll(gzFile file, void *buffer, size_t size) {
  auto *bytes = static_cast<unsigned char *>(buffer);
  while (size > 0) {
    unsigned chunk = size > (1u << 30) ? (1u << 30) : static_cast<unsigned>(size);
    int got = gzread(file, bytes, chunk);
    if (got <= 0)
      return false;
    bytes += got;
    size -= static_cast<size_t>(got);
  }
  return true;
}

int fail(gzFile file, cnnc_idx *out, const char *format, const char *path,
         int status = CNNC_ERROR_IO) {
  if (file)
    gzclose(file);
  cnnc_idx_free(out);
  cnnc_set_error(format, path);
  return status;
}

} // namespace

extern "C" int cnnc_idx_read(const char *path, cnnc_idx *out) {
  std::memset(out, 0, sizeof(*out));
  gzFile file = gzopen(path, "rb");
  if (!file)
    return fail(nullptr, out, "cannot open the IDX file '%s'", path);
  unsigned char magic[4];
  if (!readAll(file, magic, 4) || magic[0] != 0 || magic[1] != 0)
    return fail(file, out, "'%s' is not an IDX file", path);
  if (magic[2] != 0x08)
    return fail(file, out,
                "'%s' holds elements other than unsigned bytes", path);
  if (magic[3] < 1 || magic[3] > 4)
    return fail(file, out,
                "'%s' has a rank other than 1 to 4", path);
  out->rank = magic[3];
  size_t size = 1;
  for (int d = 0; d < out->rank; ++d) {
    unsigned char big[4];
    if (!readAll(file, big, 4))
      return fail(file, out, "'%s' is truncated", path);
    out->dims[d] = (int64_t(big[0]) << 24) | (int64_t(big[1]) << 16) |
                   (int64_t(big[2]) << 8) | int64_t(big[3]);
    if (out->dims[d] == 0 || size > (size_t(1) << 40) / size_t(out->dims[d]))
      return fail(file, out, "'%s' has an empty or huge dimension",
                  path);
    size *= static_cast<size_t>(out->dims[d]);
  }
  // The header's sizes are not trusted with memory: the buffer grows as
  // the data actually arrives, so a lying header fails as truncated.
  size_t capacity = size < (size_t(1) << 20) ? size : (size_t(1) << 20);
  out->data = static_cast<uint8_t *>(std::malloc(capacity));
  if (!out->data)
    return fail(file, out, "out of memory reading '%s'", path,
                  CNNC_ERROR_OUT_OF_MEMORY);
  size_t filled = 0;
  while (filled < size) {
    if (filled == capacity) {
      capacity = capacity * 2 < size ? capacity * 2 : size;
      auto *grown = static_cast<uint8_t *>(std::realloc(out->data, capacity));
      if (!grown)
        return fail(file, out, "out of memory reading '%s'", path,
                  CNNC_ERROR_OUT_OF_MEMORY);
      out->data = grown;
    }
    if (!readAll(file, out->data + filled, capacity - filled))
      return fail(file, out, "'%s' is truncated", path);
    filled = capacity;
  }
  out->size = size;
  gzclose(file);
  return CNNC_OK;
}

extern "C" void cnnc_idx_free(cnnc_idx *idx) {
  if (!idx)
    return;
  std::free(idx->data);
  std::memset(idx, 0, sizeof(*idx));
}
