//===- Workspace.cpp - Aligned workspace memory ---------------------------===//

#include "cnnc/runtime.h"

#include <cstdint>
#include <cstdlib>
#include <vector>

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

namespace {

/// The workspaces the runtime keeps for NULL-workspace calls: one per model
/// (keyed by an address in the model's object) and thread, freed when the
/// thread exits.
struct ThreadWorkspaces {
  struct Entry {
    const void *key;
    void *memory;
    size_t size;
  };
  std::vector<Entry> entries;
  ~ThreadWorkspaces() {
    for (Entry &entry : entries)
      cnnc_workspace_free(entry.memory);
  }
};

thread_local ThreadWorkspaces threadWorkspaces;

} // namespace

extern "C" void *cnnc_thread_workspace(const void *key, size_t size) {
  for (ThreadWorkspaces::Entry &entry : threadWorkspaces.entries) {
    if (entry.key != key)
      continue;
    if (entry.size >= size)
      return entry.memory;
    void *memory = cnnc_workspace_alloc(size);
    if (!memory)
      return nullptr;
    cnnc_workspace_free(entry.memory);
    entry.memory = memory;
    entry.size = size;
    return memory;
  }
  void *memory = cnnc_workspace_alloc(size);
  if (memory)
    threadWorkspaces.entries.push_back({key, memory, size});
  return memory;
}
