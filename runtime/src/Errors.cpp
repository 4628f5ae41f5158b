//===- Errors.cpp - Thread-local error messages ---------------------------===//

#include "cnnc/runtime.h"

#include <cstdarg>
#include <cstdio>

namespace {
thread_local char lastError[1024] = "";
} // namespace

extern "C" const char *cnnc_last_error(void) { return lastError; }

extern "C" void cnnc_set_error(const char *format, ...) {
  va_list args;
  va_start(args, format);
  std::vsnprintf(lastError, sizeof(lastError), format, args);
  va_end(args);
}

extern "C" void cnnc_clear_error(void) { lastError[0] = '\0'; }
