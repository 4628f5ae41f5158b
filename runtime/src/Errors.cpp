//===- Errors.cpp - Thread-local error messages ---------------------------===//

#include "cnnc/runtime.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace {
thread_local char lastError[1024] = "";
} // namespace

extern "C" const char *cnnc_last_error(void) { return lastError; }

extern "C" void cnnc_set_error(const char *format, ...) {
  // Format apart first: the arguments may include cnnc_last_error() itself.
  char message[sizeof(lastError)];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof(message), format, args);
  va_end(args);
  std::memcpy(lastError, message, sizeof(message));
}

extern "C" void cnnc_clear_error(void) { lastError[0] = '\0'; }
