#!/usr/bin/env bash
# `make bench`: installs what the benchmark needs (Debian's OpenBLAS for
# PyTorch, Node and onnxruntime-node from npm in build/bench-node), then
# runs benchmarks/bench.py. Usage: benchmarks/run.sh BUILD_DIR [MODEL:BATCH...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
shift || true
node_modules=$(bash "$root/benchmarks/harness/install-onnxruntime.sh" "$build")
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
exec /usr/bin/python3 "$root/benchmarks/bench.py" "$build" \
  "$node_modules" "$@"
