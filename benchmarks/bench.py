#!/usr/bin/env python3
"""`make bench`: cnnc next to ONNX Runtime and PyTorch, in one run.

For each model (random weights, seeded; exported with BatchNorm kept, as
the model tests do) and batch: cnnc compiles it (-O3, --mcpu=native; the
compile time is reported) and a C program links the object
(harness/time-model.c); ONNX Runtime runs the same ONNX file from Node
(harness/ort-runner.js: 2 intra-op threads, all graph optimizations);
PyTorch runs the network frozen (TorchScript trace, freeze,
optimize_for_inference; 2 threads). The same input goes to all three and
their outputs must agree (rtol 1e-3, atol 1e-4 against PyTorch). The
engines alternate in rounds (each: a warm-up, then RUNS runs), and the
medians over all rounds are compared: ratios cnnc/ORT and cnnc/PyTorch,
and cnnc's GFLOP/s (the FLOPs of `cnnc compile --report`) and percent of
the machine's FP32 peak, measured first by harness/peak-flops.c (AVX-512
FMA chains, AVX2 where the CPU lacks AVX-512) on the same 2 threads.

Usage: bench.py BUILD_DIR NODE_MODULES_DIR [MODEL:BATCH ...]
"""
import os
import re
import statistics
import subprocess
import sys
import time
import warnings

import numpy
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HARNESS = os.path.join(ROOT, "benchmarks", "harness")
sys.path.insert(0, os.path.join(ROOT, "test", "models"))
import importlib  # noqa: E402
check_numerics = importlib.import_module("check-numerics")  # noqa: E402

ROUNDS, RUNS = 3, 10
DEFAULT = ["lenet5:1", "simplecnn:1", "resnet18:1", "mobilenet_v2:1",
           "resnet50:1", "lenet5:8", "simplecnn:8", "resnet18:8",
           "mobilenet_v2:8", "resnet50:8"]


def times_of(output):
    return [float(t) for t in output.split()]


def torch_runner(model, x):
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frozen = torch.jit.optimize_for_inference(
            torch.jit.freeze(torch.jit.trace(model, x)))

    def run(runs):
        with torch.no_grad():
            y = frozen(x)
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                y = frozen(x)
                times.append((time.perf_counter() - start) * 1e3)
        return times, y.numpy()
    return run


def main():
    build, node_modules = os.path.abspath(sys.argv[1]), sys.argv[2]
    specs = sys.argv[3:] or DEFAULT
    torch.set_num_threads(2)
    env = dict(os.environ, CNNC_NUM_THREADS="2",
               NODE_PATH=os.path.abspath(node_modules))
    for variable in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        env.pop(variable, None)
    work = os.path.join(build, "bench")
    os.makedirs(work, exist_ok=True)
    probe = os.path.join(work, "peak-flops")
    subprocess.run(["cc", "-O3", "-std=c99", "-pthread",
                    os.path.join(HARNESS, "peak-flops.c"), "-o", probe],
                   check=True)
    peak_line = subprocess.run([probe, "2"], check=True, capture_output=True,
                               text=True).stdout.strip()
    peak = float(peak_line.split()[0])
    print("FP32 peak (measured): %s" % peak_line)
    print("%-13s %5s %9s %9s %9s %8s %8s %8s %6s %9s" % (
        "model", "batch", "cnnc ms", "ORT ms", "torch ms", "/ORT",
        "/torch", "GFLOP/s", "%peak", "compile s"))
    for spec in specs:
        name, _, batch = spec.partition(":")
        batch = int(batch or 1)
        directory = check_numerics.prepare(name, batch, work)
        onnx_path = os.path.join(directory, "model.onnx")
        model, shape = check_numerics.build(name)
        model.eval()
        x = torch.randn(batch, *shape, generator=torch.Generator().manual_seed(1))
        input_path = os.path.join(directory, "input.raw")
        x.numpy().astype("<f4").tofile(input_path)

        obj = os.path.join(directory, "model.o")
        start = time.perf_counter()
        report = subprocess.run(
            [os.path.join(build, "bin", "cnnc"), "compile", onnx_path, "-O3",
             "-o", obj, "--report"], check=True, capture_output=True,
            text=True, env=env).stdout
        compile_seconds = time.perf_counter() - start
        gflops = float(re.search(r"compute: ([0-9.]+) GFLOPs", report).group(1))
        exe = os.path.join(directory, "time-model")
        subprocess.run(["cc", "-O2", "-std=c99", "-DMODEL_HEADER=\"model.h\"",
                        "-DMODEL=model", "-I" + directory,
                        "-I" + os.path.join(build, "include"), "-c",
                        os.path.join(HARNESS, "time-model.c"), "-o",
                        exe + ".o"], check=True)
        subprocess.run(["c++", exe + ".o", obj,
                        "-L" + os.path.join(build, "lib"), "-lcnnc_runtime",
                        "-pthread", "-o", exe], check=True)
        torch_run = torch_runner(model, x)
        shape_text = "x".join(str(d) for d in x.shape)
        ours, ort, theirs = [], [], []
        for _ in range(ROUNDS):
            out = os.path.join(directory, "cnnc.raw")
            ours += times_of(subprocess.run(
                [exe, str(RUNS), input_path, out], check=True,
                capture_output=True, text=True, env=env).stdout)
            ort_out = os.path.join(directory, "ort.raw")
            ort += times_of(subprocess.run(
                ["node", os.path.join(HARNESS, "ort-runner.js"), onnx_path,
                 shape_text, input_path, str(RUNS), ort_out], check=True,
                capture_output=True, text=True, env=env).stdout)
            times, reference = torch_run(RUNS)
            theirs += times
        agree = []
        for engine, path in (("cnnc", out), ("ORT", ort_out)):
            got = numpy.fromfile(path, dtype="<f4").reshape(reference.shape)
            if not numpy.allclose(got, reference, rtol=1e-3, atol=1e-4):
                agree.append("%s DISAGREES (max abs error %g)" % (
                    engine, numpy.max(numpy.abs(got - reference))))
        a, o, t = (statistics.median(v) for v in (ours, ort, theirs))
        rate = gflops / (a / 1e3)
        print("%-13s %5d %9.3f %9.3f %9.3f %8.2f %8.2f %8.1f %6.1f %9.1f %s" % (
            name, batch, a, o, t, a / o, a / t, rate, 100 * rate / peak,
            compile_seconds, "; ".join(agree)), flush=True)


if __name__ == "__main__":
    main()
