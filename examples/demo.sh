#!/usr/bin/env bash
# `make demo`: runs cnnc on the bundled default model, LeNet-5.
#
# What the compiler can do today: read a network in the cnn dialect, check
# every op (shapes, channels, attributes), fold what is constant and print
# the graph. Code generation (an object file and a C header) and the ONNX
# frontend are the next issues; this script will compile and run the model
# then.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
model="$root/examples/lenet5.mlir"

echo "cnnc compile examples/lenet5.mlir --emit=cnn"
echo
"$build/bin/cnnc" compile "$model" --emit=cnn -o -
echo
ops=$("$build/bin/cnnc" compile "$model" --emit=cnn -o - | grep -c ' = cnn\.' || true)
echo "LeNet-5: verified and folded, $ops cnn ops."
