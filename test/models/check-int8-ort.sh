#!/usr/bin/env bash
# The int8 path against ONNX Runtime (part of `make test-all`): the demo's
# Fashion-MNIST model quantized by `cnnc quantize` (calibrated on 256
# training images) is scored on the 10,000 test images by ONNX Runtime from
# the QDQ file and by cnnc's object compiled from the same file; the two
# accuracies agree within 0.2 points and cnnc's is within 0.5 points of the
# float model's. Prints "matched int8_fashion_ort: ..." or "FAILED ...".
# Usage: check-int8-ort.sh BUILD_DIR NODE_MODULES WORK_DIR
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1 node_modules=$2 work=$3
data=/usr/share/datasets/fashion-mnist
model="$root/examples/fashion_mnist/fashion_cnn.onnx"
mkdir -p "$work/float"
fail() { echo "FAILED int8_fashion_ort: $*"; exit 0; }
"$build/bin/cnnc" quantize "$model" --batch 1 --calibration=fashion-mnist \
  -o "$work/fashion_int8.onnx" || fail "cnnc quantize"
"$build/bin/cnnc" compile "$work/fashion_int8.onnx" --batch 1 \
  -o "$work/fashion_cnn.o" || fail "cnnc compile of the QDQ file"
"$build/bin/cnnc" compile "$model" --batch 1 -o "$work/float/fashion_cnn.o" ||
  fail "cnnc compile of the float model"
for dir in "$work" "$work/float"; do
  cc -std=c99 -c "$root/examples/fashion_mnist/classify.c" -I"$dir" \
    -I"$build/include" -o "$dir/classify.o" &&
  c++ "$dir/classify.o" "$dir/fashion_cnn.o" -L"$build/lib" -lcnnc_runtime \
    -lz -pthread -o "$dir/classify" || fail "linking classify.c"
done
cnnc_int8=$("$work/classify" "$data" | sed -n 's/^accuracy: \([0-9.]*\)%.*/\1/p')
cnnc_float=$("$work/float/classify" "$data" | sed -n 's/^accuracy: \([0-9.]*\)%.*/\1/p')
ort_int8=$(NODE_PATH="$node_modules" node "$root/benchmarks/training/ort-score.js" \
  "$work/fashion_int8.onnx" "$data" 1 | sed -n 's/^accuracy \([0-9.]*\) .*/\1/p')
[[ -n "$cnnc_int8" && -n "$cnnc_float" && -n "$ort_int8" ]] ||
  fail "no accuracy (cnnc int8 '$cnnc_int8', float '$cnnc_float', ORT '$ort_int8')"
summary="cnnc int8 $cnnc_int8%, ONNX Runtime int8 $ort_int8%, cnnc float $cnnc_float%"
awk -v a="$cnnc_int8" -v o="$ort_int8" -v f="$cnnc_float" 'BEGIN {
  d = a - o; if (d < 0) d = -d; e = a - f; if (e < 0) e = -e;
  exit !(d <= 0.2 && e <= 0.5) }' || fail "$summary"
echo "matched int8_fashion_ort: $summary"
