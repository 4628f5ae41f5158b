#!/usr/bin/env bash
# `make test-all`: every network of check-numerics.py (LeNet-5 and the
# torchvision classification models) compiled by cnnc and compared with
# PyTorch at batch 1 and 8. Ends with "N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
work="$build/test-all"
passed=0 failed=0
for batch in 1 8; do
  rm -rf "$work"
  /usr/bin/python3 "$root/test/models/check-numerics.py" "$build/bin/cnnc" \
    "$work" "$batch" all | tee "$build/test-all-b$batch.log"
  passed=$((passed + $(grep -c '^matched' "$build/test-all-b$batch.log")))
  failed=$((failed + $(grep -c '^FAILED' "$build/test-all-b$batch.log")))
done
rm -rf "$work"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
