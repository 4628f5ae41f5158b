#!/usr/bin/env bash
# `make bench-train`: installs what the comparison needs (the benchmark's
# packages and onnxruntime-node, as `make bench` does), then runs
# benchmarks/training/compare.py. Usage: run.sh BUILD_DIR [compare.py flags]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
shift || true
bash "$root/scripts/setup.sh" --bench
node_dir="$build/bench-node"
if [[ ! -d "$node_dir/node_modules/onnxruntime-node" ]]; then
  mkdir -p "$node_dir"
  (cd "$node_dir" && npm install --no-audit --no-fund onnxruntime-node \
     --onnxruntime-node-install=skip)
fi
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
exec /usr/bin/python3 "$root/benchmarks/training/compare.py" "$build" \
  "$node_dir/node_modules" "$@"
