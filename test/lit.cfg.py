# -*- Python -*-
# lit configuration of cnnc's FileCheck suites.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "cnnc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "unit", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.cnnc_obj_root, "test")

config.substitutions.append(("%conformance_list", config.cnnc_conformance_list))
config.substitutions.append(("%cnnc_src_root", config.cnnc_src_root))
# Debian's Python, which has python3-onnx (not the python3 first on PATH).
config.substitutions.append(("%onnx_python", "/usr/bin/python3"))
config.substitutions.append(("%llvm_tools_dir", config.llvm_tools_dir))
# The bad-input catalogue's checker (test/errors/refuse.py) and its helpers.
errors_dir = os.path.join(config.cnnc_src_root, "test", "errors")
config.substitutions.append(
    ("%refuse", "/usr/bin/python3 " + os.path.join(errors_dir, "refuse.py")))
config.substitutions.append(
    ("%proto", "/usr/bin/python3 " + os.path.join(errors_dir, "Inputs", "proto.py")))
# onnxruntime-node for the network fuzzer (test/run-suites.sh installs it
# with benchmarks/harness/install-onnxruntime.sh, as `make bench` does).
config.substitutions.append(
    ("%ort_node_modules",
     os.environ.get("CNNC_ORT_NODE_MODULES",
                    os.path.join(config.cnnc_obj_root, "bench-node", "node_modules"))))
config.substitutions.append(
    ("%idx", "/usr/bin/python3 " + os.path.join(errors_dir, "Inputs", "idx.py")))
config.substitutions.append(("%cnnc_obj_root", config.cnnc_obj_root))

llvm_config.with_system_environment(["HOME", "TMP", "TEMP", "CNNC_SANITIZE",
                                     "ASAN_OPTIONS", "UBSAN_OPTIONS"])
llvm_config.use_default_substitutions()

tool_dirs = [config.cnnc_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(["cnnc", "cnnc-opt", "onnx-from-text", "onnx-fuzzer",
                                    "idx-fuzzer", "dsl-fuzzer"],
                                   tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# Tests that execute generated code run the AVX-512 variants only where the
# host has AVX-512 (x86-64-v4: F, BW, DQ, VL); tests that check what the
# compiler writes pin --mcpu and need no feature.
try:
    with open("/proc/cpuinfo") as cpuinfo:
        host_flags = set(cpuinfo.read().split())
except OSError:
    host_flags = set()
if {"avx512f", "avx512bw", "avx512dq", "avx512vl"} <= host_flags:
    config.available_features.add("avx512")
# The u8 x s8 dot product (vpdpbusd) the int8 kernels use with -mcpu=native.
if host_flags & {"avx512_vnni", "avx_vnni"}:
    config.available_features.add("vnni")
