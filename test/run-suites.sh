#!/usr/bin/env bash
# Runs every test suite of cnnc against a build and ends with one line,
# "N passed, N failed", the totals over all suites. Exits non-zero when a
# test failed or was skipped, or when a suite ran no test at all.
#
# Usage: test/run-suites.sh [BUILD_DIR]
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
results="$build/test-results"
rm -rf "$results"
mkdir -p "$results"

llvm_bin=/usr/lib/llvm-22/bin
jobs=$(nproc)

# The network fuzzer's batch compares with ONNX Runtime (onnxruntime-node
# from npm, as `make bench` does).
CNNC_ORT_NODE_MODULES=$(bash "$root/benchmarks/harness/install-onnxruntime.sh" "$build")
export CNNC_ORT_NODE_MODULES

echo "== lit (FileCheck suites)"
"$llvm_bin/lit" -q -j "$jobs" --xunit-xml-output "$results/lit.xml" "$build/test"

echo "== GoogleTest (ctest)"
ctest --test-dir "$build" -j "$jobs" --output-on-failure \
  --output-junit "$results/unit.xml" | tail -n 3

/usr/bin/python3 "$root/test/summarize-results.py" \
  "lit=$results/lit.xml" "unit=$results/unit.xml"
