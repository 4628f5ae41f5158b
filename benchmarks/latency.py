#!/usr/bin/env python3
"""Latency of cnnc-compiled models next to PyTorch's, measured in one run.

For each model (random weights, seeded; exported with BatchNorm kept): cnnc
compiles it (-O3, --mcpu=native) and a C program links the object
(benchmarks/harness/time-model.c); PyTorch runs the same network frozen
(TorchScript trace + optimize_for_inference). Both use 2 threads. The two
engines alternate in rounds (warm-up, then runs), and the medians over all
rounds are compared. A first step toward `make bench` (issue 8), which adds
ONNX Runtime.

Usage: latency.py BUILD_DIR [MODEL[:BATCH] ...]
"""
import os
import statistics
import subprocess
import sys
import time
import warnings

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "models"))
import importlib  # noqa: E402
check_numerics = importlib.import_module("check-numerics")  # noqa: E402

ROUNDS, RUNS = 3, 10


def torch_times(model, x, runs):
    with torch.no_grad():
        traced = torch.jit.optimize_for_inference(
            torch.jit.freeze(torch.jit.trace(model, x)))
        traced(x)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            traced(x)
            times.append((time.perf_counter() - start) * 1e3)
    return times


def main():
    build = os.path.abspath(sys.argv[1])
    specs = sys.argv[2:] or ["lenet5:1", "simplecnn:1", "resnet18:1",
                             "mobilenet_v2:1", "resnet50:1"]
    torch.set_num_threads(2)
    os.environ["CNNC_NUM_THREADS"] = "2"
    work = os.path.join(build, "bench-latency")
    os.makedirs(work, exist_ok=True)
    print("%-14s %5s %12s %12s %8s" % ("model", "batch", "cnnc ms",
                                       "PyTorch ms", "ratio"))
    for spec in specs:
        name, _, batch = spec.partition(":")
        batch = int(batch or 1)
        directory = check_numerics.prepare(name, batch, work)
        model, shape = check_numerics.build(name)
        model.eval()
        x = torch.randn(batch, *shape)
        obj = os.path.join(directory, "model.o")
        subprocess.run([os.path.join(build, "bin", "cnnc"), "compile",
                        os.path.join(directory, "model.onnx"), "-O3",
                        "-o", obj], check=True)
        exe = os.path.join(directory, "time-model")
        subprocess.run(["cc", "-O2", "-std=c99", "-DMODEL_HEADER=\"model.h\"",
                        "-DMODEL=model", "-I" + directory,
                        "-I" + os.path.join(build, "include"), "-c",
                        os.path.join(ROOT, "benchmarks", "harness",
                                     "time-model.c"), "-o", exe + ".o"],
                       check=True)
        subprocess.run(["c++", exe + ".o", obj, "-L" + os.path.join(build, "lib"),
                        "-lcnnc_runtime", "-pthread", "-o", exe], check=True)
        ours, theirs = [], []
        for _ in range(ROUNDS):
            out = subprocess.run([exe, str(RUNS)], check=True,
                                 capture_output=True, text=True).stdout
            ours += [float(t) for t in out.split()]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                theirs += torch_times(model, x, RUNS)
        a, b = statistics.median(ours), statistics.median(theirs)
        print("%-14s %5d %12.3f %12.3f %8.2f" % (name, batch, a, b, a / b),
              flush=True)


if __name__ == "__main__":
    main()
