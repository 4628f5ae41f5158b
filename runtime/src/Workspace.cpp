//===- Workspace.cpp - Aligned workspace memory ---------------------------===//

#include "cnnc/runtime.h"

#include <cstdint>
#include <cstdlib>

extern "C" void *cnnc_workspace_alloc(size_t size) {
  if (size > SIZE_MAX - (CNNC_WORKSPACE_ALIGNMENT - 1)) {
    cnnc_set_error("cnnc: a workspace of %zu bytes is too large", size);
    return nullptr;
  }
  // aligned_alloc wants a multiple of the alignment, and a non-zero size.
  size_t rounded = (size + CNNC_WORKSPACE_ALIGNMENT - 1) &
                   ~static_cast<size_t>(CNNC_WORKSPACE_ALIGNMENT - 1);
  if (rounded == 0)
    rounded = CNNC_WORKSPACE_ALIGNMENT;
  void *memory = std::aligned_alloc(CNNC_WORKSPACE_ALIGNMENT, rounded);
  if (!memory)
    cnnc_set_error("cnnc: out of memory allocating a workspace of %zu bytes",
                   size);
  return memory;
}

extern "C" void cnnc_workspace_free(void *workspace) { std::free(workspace); }
