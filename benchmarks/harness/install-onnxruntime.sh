#!/usr/bin/env bash
# Installs what running models in ONNX Runtime needs (the benchmark's Debian
# packages, Node and onnxruntime-node from npm in BUILD_DIR/bench-node; see
# DESIGN.md) unless it is there, and prints the node_modules folder.
# Usage: install-onnxruntime.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
bash "$root/scripts/setup.sh" --bench >&2
node_dir="$build/bench-node"
if [[ ! -d "$node_dir/node_modules/onnxruntime-node" ]]; then
  mkdir -p "$node_dir"
  (cd "$node_dir" && npm install --no-audit --no-fund onnxruntime-node \
     --onnxruntime-node-install=skip) >&2
fi
echo "$node_dir/node_modules"
