#!/usr/bin/env bash
# Runs the suites of test/run-suites.sh against a build made with
# AddressSanitizer and UndefinedBehaviorSanitizer (make test-sanitize). The C
# programs the end-to-end tests compile and link against the sanitized
# runtime are built with the same sanitizers: `cc` and `c++` are clang with
# -fsanitize=address,undefined first on PATH.
#
# Options, each with its reason:
#   detect_container_overflow=0  Debian's LLVM/MLIR libraries are not
#       instrumented; std::vector annotations that one side makes and the
#       other does not give false reports (ASan's documented caveat).
#   allow_user_poisoning=0  LLVM's headers (BumpPtrAllocator, compiled into
#       cnnc with ASan on) poison and unpoison allocator memory that the
#       uninstrumented libLLVM/libMLIR hand out without doing so: every
#       MLIRContext reports use-after-poison. Poisoning only by ASan itself.
#   allocator_may_return_null=1  a request too large to serve returns NULL,
#       as libc's does, instead of aborting: the runtime's contract (an
#       out-of-memory code) is what is tested.
#   halt_on_error=1, abort_on_error=0, exitcode=86  the first report fails
#       the test, with a code no command of cnnc uses.
#   UBSAN: print_stacktrace=1, halt_on_error=1.
# No suppressions.
#
# Usage: test/sanitize.sh BUILD_DIR
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
wrappers="$build/sanitize-bin"
mkdir -p "$wrappers"
for tool in cc:clang c++:clang++; do
  name=${tool%%:*} compiler=${tool#*:}
  printf '#!/bin/sh\nexec /usr/lib/llvm-22/bin/%s -fsanitize=address,undefined -fno-sanitize-recover=all "$@"\n' \
    "$compiler" > "$wrappers/$name"
  chmod +x "$wrappers/$name"
done
export PATH="$wrappers:$PATH"
export CNNC_SANITIZE=1
export ASAN_OPTIONS=detect_container_overflow=0:allow_user_poisoning=0:allocator_may_return_null=1:halt_on_error=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
exec bash "$root/test/run-suites.sh" "$build"
