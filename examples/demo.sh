#!/usr/bin/env bash
# `make demo`: compiles the bundled default model (a small CNN for
# Fashion-MNIST, examples/fashion_mnist/fashion_cnn.onnx, trained by
# examples/fashion_mnist/train.py) to an object and a header, links it into
# a C program with the runtime, and classifies the 10,000 test images of
# Debian's dataset-fashion-mnist: predictions, accuracy, latency.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
out="$build/demo"
mkdir -p "$out"
model="$root/examples/fashion_mnist/fashion_cnn.onnx"

run() { echo "\$ $*"; "$@"; }
run "$build/bin/cnnc" compile "$model" --batch 1 -o "$out/fashion_cnn.o"
run cc -O2 -std=c99 -Wall -c "$root/examples/fashion_mnist/classify.c" \
  -I"$out" -I"$build/include" -o "$out/classify.o"
run c++ "$out/classify.o" "$out/fashion_cnn.o" -L"$build/lib" -lcnnc_runtime \
  -lz -pthread -o "$out/classify"
echo
run "$out/classify" /usr/share/datasets/fashion-mnist
