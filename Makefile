# cnnc: the two commands of the README, and the build behind them.
#
#   make          set up (install Debian packages), build into build/
#   make test     set up, build, run every suite; ends with "N passed, N failed"
#   make demo     set up, build, run the compiler on the bundled default model
#   make test-all `make test`, then every model network at batch 1 and 8
#   make test-sanitize  build into build-sanitize with AddressSanitizer and
#                 UndefinedBehaviorSanitizer, run the lit and unit suites
#   make fuzz     set up, build, fuzz the ONNX reader and importer for 10 minutes
#   make fuzz-nets  random whole networks against ONNX Runtime, every
#                 configuration (FUZZ_NETS=10000 graphs from seed FUZZ_SEED)
#   make bench    set up (with the benchmark's packages), build, compare cnnc
#                 with ONNX Runtime and PyTorch
#   make bench-train  cnnc train next to PyTorch on Fashion-MNIST (3 epochs;
#                 BENCH_TRAIN_FLAGS="--epochs 10 ..." for others)
#
# Every target runs scripts/setup.sh first; it returns at once when all the
# packages are installed.

LLVM_DIR  ?= /usr/lib/llvm-22
BUILD_DIR ?= build
BUILD_TYPE ?= Release
CMAKE_LAUNCHER := $(if $(shell command -v ccache 2>/dev/null),-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# Paths inside the checkout hashed relative to it: a clone elsewhere (CI's)
# hits the cache another checkout filled.
export CCACHE_BASEDIR := $(CURDIR)

.PHONY: all setup configure build test test-all test-sanitize demo fuzz fuzz-nets bench bench-train clean

all: build

setup:
	@bash scripts/setup.sh

$(BUILD_DIR)/build.ninja: Makefile | setup
	cmake -S . -B $(BUILD_DIR) -G Ninja \
	  -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DCMAKE_C_COMPILER=$(LLVM_DIR)/bin/clang \
	  -DCMAKE_CXX_COMPILER=$(LLVM_DIR)/bin/clang++ \
	  -DLLVM_USE_LINKER=lld \
	  -DLLVM_ENABLE_WERROR=ON \
	  -DMLIR_DIR=$(LLVM_DIR)/lib/cmake/mlir \
	  $(CMAKE_LAUNCHER)

configure: setup $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR)

test: build
	@bash test/run-suites.sh $(BUILD_DIR)

test-all: test
	@bash test/models/run-all.sh $(BUILD_DIR)

# The same build with ASan and UBSan (LLVM's own switch: HandleLLVMOptions
# adds the flags to every target); the suites run with the sanitizers'
# options of test/sanitize.sh.
SANITIZE_DIR ?= build-sanitize
test-sanitize: setup
	cmake -S . -B $(SANITIZE_DIR) -G Ninja \
	  -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_C_COMPILER=$(LLVM_DIR)/bin/clang \
	  -DCMAKE_CXX_COMPILER=$(LLVM_DIR)/bin/clang++ \
	  -DLLVM_USE_LINKER=lld \
	  -DLLVM_USE_SANITIZER="Address;Undefined" \
	  -DMLIR_DIR=$(LLVM_DIR)/lib/cmake/mlir \
	  $(CMAKE_LAUNCHER)
	cmake --build $(SANITIZE_DIR)
	@bash test/sanitize.sh $(SANITIZE_DIR)

demo: build
	@bash examples/demo.sh $(BUILD_DIR)

bench: build
	@bash benchmarks/run.sh $(BUILD_DIR)

BENCH_TRAIN_FLAGS ?=
bench-train: build
	@bash benchmarks/training/run.sh $(BUILD_DIR) $(BENCH_TRAIN_FLAGS)

FUZZ_TIME ?= 600
fuzz: build
	@bash test/fuzz/run.sh $(BUILD_DIR) $(FUZZ_TIME)

FUZZ_NETS ?= 10000
FUZZ_SEED ?= 1000
fuzz-nets: build
	@node_modules=$$(bash benchmarks/harness/install-onnxruntime.sh $(BUILD_DIR)) && \
	  /usr/bin/python3 test/fuzz/netgen/fuzz-nets.py --all-configs \
	    --cnnc $(BUILD_DIR)/bin/cnnc --node-modules "$$node_modules" \
	    --seeds $(FUZZ_SEED):$$(( $(FUZZ_SEED) + $(FUZZ_NETS) - 1 )) \
	    --work $(BUILD_DIR)/fuzz-nets --failures $(BUILD_DIR)/fuzz-nets/failures

clean:
	rm -rf $(BUILD_DIR)
