#!/usr/bin/env bash
# The peak memory (max RSS) of a linked ResNet-18 program, next to what it
# must hold: the weights (the object's data), the workspace and the inputs
# and outputs. Usage: benchmarks/memory/rss.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
work="$build/bench-memory"
mkdir -p "$work"
/usr/bin/python3 - "$work" <<'PY'
import sys, warnings, torch, torchvision
torch.manual_seed(0)
model = torchvision.models.resnet18(weights=None).eval()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    torch.onnx.export(model, torch.randn(1, 3, 224, 224), sys.argv[1] + "/resnet18.onnx",
                      opset_version=13, training=torch.onnx.TrainingMode.PRESERVE,
                      input_names=["input"], output_names=["logits"])
PY
"$build/bin/cnnc" compile "$work/resnet18.onnx" -o "$work/resnet18.o"
cc -O2 -c "$root/benchmarks/memory/run-once.c" -DMODEL_HEADER='"resnet18.h"' \
  -DMODEL=resnet18 -I"$work" -I"$build/include" -o "$work/run-once.o"
c++ "$work/run-once.o" "$work/resnet18.o" -L"$build/lib" -lcnnc_runtime \
  -pthread -o "$work/run-once"
weights=$(size -A "$work/resnet18.o" | awk '$1 ~ /^\.(l?rodata|data)/ {s += $2} END {print s}')
echo "resnet18: weights (object data) $((weights / 1024)) KiB"
"$work/run-once"
