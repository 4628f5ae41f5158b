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

extern "C" const char *cnnc_status_name(int status) {
  switch (status) {
  case CNNC_OK:
    return "ok";
  case CNNC_ERROR_INVALID_ARGUMENT:
    return "invalid argument";
  case CNNC_ERROR_CPU_FEATURES:
    return "CPU lacks features";
  case CNNC_ERROR_OUT_OF_MEMORY:
    return "out of memory";
  case CNNC_ERROR_IO:
    return "I/O error";
  case CNNC_ERROR_INTERNAL:
    return "internal error";
  default:
    return "unknown status";
  }
}
