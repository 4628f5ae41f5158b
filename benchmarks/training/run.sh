#!/usr/bin/env bash
# `make bench-train`: installs what the comparison needs (the benchmark's
# packages and onnxruntime-node, as `make bench` does), then runs
# benchmarks/training/compare.py. Usage: run.sh BUILD_DIR [compare.py flags]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
shift || true
node_modules=$(bash "$root/benchmarks/harness/install-onnxruntime.sh" "$build")
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
exec /usr/bin/python3 "$root/benchmarks/training/compare.py" "$build" \
  "$node_modules" "$@"
