#!/usr/bin/env bash
# Installs every Debian package cnnc needs to build and test. Idempotent: when
# everything is already installed it only runs `dpkg-query` and returns.
#
# Usage: scripts/setup.sh [--bench]   (--bench adds what `make bench` needs)
set -euo pipefail

packages=(
  # Toolchain: LLVM/MLIR 22 (lit, FileCheck, mlir-tblgen), clang-22, lld-22.
  build-essential cmake ninja-build ccache
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools clang-22 lld-22
  libclang-rt-22-dev
  # Tests.
  googletest libgtest-dev
  # ONNX reading (the frontend) and the ONNX backend node tests.
  libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
  # The test scripts (Debian's /usr/bin/python3): reading ONNX files,
  # exporting torchvision models.
  python3-onnx python3-torch python3-torchvision
  # Data for `cnnc train` and its tests.
  dataset-fashion-mnist zlib1g-dev
)

if [[ "${1:-}" == "--bench" ]]; then
  packages+=(libopenblas0-openmp nodejs)
  # Node from nodesource carries its own npm, and conflicts with Debian's.
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done" >&2
