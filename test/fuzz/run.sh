#!/usr/bin/env bash
# Fuzzes the ONNX reader and importer: `make fuzz` (FUZZ_TIME seconds, 600 by
# default). The corpus grows in build/fuzz/onnx; a crashing input is written
# to build/fuzz/ and the command fails.
#
# Usage: test/fuzz/run.sh BUILD_DIR SECONDS
set -euo pipefail
build=${1:-build}
seconds=${2:-600}
here=$(cd "$(dirname "$0")" && pwd)
corpus="$build/fuzz/onnx"
mkdir -p "$corpus"
cp -n "$here"/corpus/onnx/* "$corpus"/
list="$here/../../../shared/conformance/onnx-node-cnn.txt"
[[ -f "$list" ]] || list="$here/../conformance/onnx-node-cnn.txt"
for t in $(grep '^test_' "$list"); do
  cp -n "/usr/share/libonnx-testdata/data/node/$t/model.onnx" "$corpus/$t.onnx"
done
exec "$build/bin/onnx-fuzzer" "$corpus" -max_total_time="$seconds" \
  -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$build/fuzz/"
