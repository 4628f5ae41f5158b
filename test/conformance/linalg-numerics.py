#!/usr/bin/env python3
"""Checks the numbers of the cnn -> linalg lowering against ONNX's expected
outputs, before cnnc has its own code generation: each model is imported and
lowered with `cnnc compile --emit=linalg`, wrapped in a driver that feeds the
test data's inputs as constants, compiled by upstream mlir-opt to LLVM and run
with mlir-runner (test-only; cnnc's generated code will not need the runner
libraries). Outputs must match with numpy.allclose(rtol=1e-3, atol=1e-5).

Usage: linalg-numerics.py CNNC LLVM_BIN_DIR DATA_DIR TEST... (or @LIST_FILE)
"""
import os
import re
import subprocess
import sys
import tempfile

import numpy
import onnx
from onnx import numpy_helper

import onnx_test_data

PIPELINE = ",".join([
    "one-shot-bufferize{bufferize-function-boundaries}",
    "convert-linalg-to-loops", "expand-strided-metadata", "lower-affine",
    "convert-scf-to-cf", "convert-math-to-llvm", "convert-math-to-libm",
    "convert-arith-to-llvm", "finalize-memref-to-llvm",
    "convert-func-to-llvm", "convert-cf-to-llvm",
    "reconcile-unrealized-casts"])


def dense(array):
    """A dense literal of any shape, as the hex of its float32 bytes."""
    shape = "".join("%dx" % d for d in array.shape)
    data = array.astype("<f4").tobytes().hex().upper()
    return 'dense<"0x%s"> : tensor<%sf32>' % (data, shape)


def driver(lowered, inputs, outputs):
    """The lowered module plus a @run that calls @main on constant inputs
    and prints every result."""
    body = lowered.rstrip()
    assert body.endswith("}")
    lines = ["  func.func private @printMemrefF32(memref<*xf32>)",
             "  func.func @run() {"]
    args = []
    for i, array in enumerate(inputs):
        shape = "".join("%dx" % d for d in array.shape)
        lines.append("    %%in%d = arith.constant %s" % (i, dense(array)))
        args.append(("%%in%d" % i, "tensor<%sf32>" % shape))
    result_types = ["tensor<%sf32>" % "".join("%dx" % d for d in o.shape)
                    for o in outputs]
    lines.append("    %%r:%d = call @main(%s) : (%s) -> (%s)" % (
        len(outputs), ", ".join(a for a, _ in args),
        ", ".join(t for _, t in args), ", ".join(result_types)))
    for i, t in enumerate(result_types):
        lines.append("    %%m%d = bufferization.to_buffer %%r#%d : %s to memref<%s>"
                     % (i, i, t, t[len("tensor<"):-1]))
        lines.append("    %%u%d = memref.cast %%m%d : memref<%s> to memref<*xf32>"
                     % (i, i, t[len("tensor<"):-1]))
        lines.append("    call @printMemrefF32(%%u%d) : (memref<*xf32>) -> ()" % i)
    lines += ["    return", "  }"]
    return body[:-1] + "\n".join(lines) + "\n}\n"


def run_test(cnnc, bindir, test_dir, work):
    model = onnx.load(os.path.join(test_dir, "model.onnx"))
    data = os.path.join(test_dir, "test_data_set_0")
    files = onnx_test_data.input_files(test_dir)
    tensors = {name: numpy_helper.to_array(onnx.load_tensor(path))
               for name, path in files.items()}
    expected = [numpy_helper.to_array(onnx.load_tensor(
        os.path.join(data, "output_%d.pb" % i)))
        for i in range(len(model.graph.output))]
    # Integer inputs (shapes, axes) are constants, not arguments; others
    # that must be constants (Clip's bounds, Resize's scales) are bound when
    # cnnc asks for them.
    bound = [n for n, a in tensors.items() if a.dtype.kind != "f"]
    lowered = onnx_test_data.run_binding_constants(
        [cnnc, "compile", os.path.join(test_dir, "model.onnx"),
         "--emit=linalg", "-o", "-"], files, bound)
    if lowered.returncode != 0:
        return "cnnc: " + lowered.stderr.strip()
    arguments = [a for n, a in tensors.items() if n not in bound]
    source = os.path.join(work, "driver.mlir")
    with open(source, "w") as f:
        f.write(driver(lowered.stdout, arguments, expected))
    llvm = subprocess.run([os.path.join(bindir, "mlir-opt"), source,
                           "--pass-pipeline=builtin.module(" + PIPELINE + ")"],
                          capture_output=True, text=True)
    if llvm.returncode != 0:
        return "mlir-opt: " + llvm.stderr.strip()[:2000]
    libdir = os.path.join(os.path.dirname(bindir), "lib")
    run = subprocess.run([os.path.join(bindir, "mlir-runner"), "-e", "run",
                          "-entry-point-result=void",
                          "-shared-libs=%s/libmlir_runner_utils.so" % libdir,
                          "-shared-libs=%s/libmlir_c_runner_utils.so" % libdir],
                         input=llvm.stdout, capture_output=True, text=True)
    if run.returncode != 0:
        return "mlir-runner: " + run.stderr.strip()[:2000]
    printed = run.stdout.split("Unranked Memref")[1:]
    if len(printed) != len(expected):
        return "expected %d outputs, got %d" % (len(expected), len(printed))
    for i, (text, want) in enumerate(zip(printed, expected)):
        body = text[text.index("\n"):]
        numbers = re.findall(r"-?(?:nan|inf|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)", body)
        got = numpy.array([float(n) for n in numbers], dtype=numpy.float64)
        if want.size == 0:
            continue  # Nothing to compare; the shape was checked by cnnc.
        if got.size != want.size:
            return "output %d: %d values, expected %d" % (i, got.size, want.size)
        got = got.reshape(want.shape)
        if not numpy.allclose(got, want, rtol=1e-3, atol=1e-5):
            error = numpy.max(numpy.abs(got - want))
            return "output %d differs: max abs error %g" % (i, error)
    return None


def main():
    cnnc, bindir, data_dir = sys.argv[1:4]
    tests = []
    for arg in sys.argv[4:]:
        if arg.startswith("@"):
            with open(arg[1:]) as f:
                tests += [t.strip() for t in f if t.startswith("test_")]
        else:
            tests.append(arg)
    failures = 0
    for test in tests:
        with tempfile.TemporaryDirectory() as work:
            error = run_test(cnnc, bindir, os.path.join(data_dir, test), work)
        if error:
            failures += 1
            print("FAILED %s: %s" % (test, error))
        else:
            print("matched %s" % test)
    print("%d of %d match" % (len(tests) - failures, len(tests)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
