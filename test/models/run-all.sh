#!/usr/bin/env bash
# `make test-all`: every network of check-numerics.py (LeNet-5, SimpleCNN
# and the torchvision classification models) compiled by cnnc and compared
# with PyTorch at batch 1 and 8 (-O3), and at batch 1 without the graph
# passes (-O0); then the .cnn examples exported and run in ONNX Runtime, and
# the int8 export of the demo's model scored by ONNX Runtime and by cnnc,
# and 8 threads running one model 10,000 times each.
# Ends with "N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
work="$build/test-all"
passed=0 failed=0
for run in "1 -O3" "8 -O3" "1 -O0"; do
  set -- $run
  log="$build/test-all-b$1$2.log"
  rm -rf "$work"
  /usr/bin/python3 "$root/test/models/check-numerics.py" "$build/bin/cnnc" \
    "$work" "$1" "$2" all | tee "$log"
  passed=$((passed + $(grep -c '^matched' "$log")))
  failed=$((failed + $(grep -c '^FAILED' "$log")))
done
rm -rf "$work"

# The .cnn examples exported and run in ONNX Runtime (installed as for
# `make bench`).
node_modules=$(bash "$root/benchmarks/harness/install-onnxruntime.sh" "$build")
log="$build/test-all-dsl-ort.log"
/usr/bin/python3 "$root/test/models/check-dsl-ort.py" "$build/bin/cnnc" \
  "$node_modules" "$build/test-all-dsl" | tee "$log"
passed=$((passed + $(grep -c '^matched' "$log")))
failed=$((failed + $(grep -c '^FAILED' "$log")))
rm -rf "$build/test-all-dsl"

# The int8 export scored by ONNX Runtime against cnnc's int8 object.
log="$build/test-all-int8-ort.log"
rm -rf "$build/test-all-int8"
bash "$root/test/models/check-int8-ort.sh" "$build" "$node_modules" \
  "$build/test-all-int8" | tee "$log"
passed=$((passed + $(grep -c '^matched' "$log")))
failed=$((failed + $(grep -c '^FAILED' "$log")))
rm -rf "$build/test-all-int8"

# NAME_run from 8 threads at once, 10,000 calls each, every output
# bit-identical to one run's (test/e2e/stress-app.c; make test runs 300).
stress="$build/test-all-stress"
rm -rf "$stress" && mkdir -p "$stress"
if /usr/bin/python3 "$root/test/e2e/make-lenet.py" "$stress" >/dev/null &&
   "$build/bin/cnnc" compile "$stress/lenet.onnx" -o "$stress/stress.o" &&
   cc -std=c99 -O2 -c "$root/test/e2e/stress-app.c" -I"$stress" \
     -I"$build/include" -o "$stress/stress-app.o" &&
   c++ "$stress/stress-app.o" "$stress/stress.o" -L"$build/lib" \
     -lcnnc_runtime -pthread -o "$stress/stress-app" &&
   line=$("$stress/stress-app" "$stress/input.raw" 8 10000); then
  echo "matched stress: $line"
  passed=$((passed + 1))
else
  echo "FAILED stress: ${line:-the stress program did not build or run}"
  failed=$((failed + 1))
fi
rm -rf "$stress"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
