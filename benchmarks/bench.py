#!/usr/bin/env python3
"""`make bench`: cnnc next to ONNX Runtime and PyTorch, in one run.

For each model (random weights, seeded; exported with BatchNorm kept, as
the model tests do) and batch: cnnc compiles it (the defaults: -O2,
--mcpu=native, the cost model's convolution algorithms; the
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

Then every distinct convolution of ResNet-50 (batch 1; conv + bias + ReLU,
what its convolutions are after batch-norm folding) is compiled and timed
on its own, once per algorithm that applies (direct, im2col, Winograd
F(2x2,3x3) and F(4x4,3x3)), with the cost model's choice marked: GFLOP/s
(the direct convolution's FLOPs over the chosen one's time) and percent of
peak per layer, and the FLOP-weighted average over the network's 53
convolutions.

Then the int8 rows (bench_int8.py): ResNet-18, ResNet-50 and MobileNetV2 at
batch 1 and 8, quantized by `cnnc quantize`: cnnc int8, cnnc fp32, ONNX
Runtime int8 on the same QDQ file and ONNX Runtime fp32, interleaved, with
GOP/s and percent of the measured int8 peak (harness/peak-int8.c).

Usage: bench.py BUILD_DIR NODE_MODULES_DIR [MODEL:BATCH ... | convs | int8
| int8:MODEL:BATCH ...] ("convs": ResNet-50's convolutions only; "int8":
the int8 rows only)
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
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
import bench_int8  # noqa: E402

# Many short rounds: the engines alternate often, so a burst of load from
# elsewhere on the machine falls on all three alike.
ROUNDS, RUNS = 6, 5
DEFAULT = ["lenet5:1", "simplecnn:1", "resnet18:1", "mobilenet_v2:1",
           "resnet50:1", "lenet5:8", "simplecnn:8", "resnet18:8",
           "mobilenet_v2:8", "resnet50:8", "int8"]


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


def build_timer(build, directory, obj):
    """Links `obj` (model `model`) into harness/time-model.c."""
    exe = os.path.join(directory, "time-model")
    subprocess.run(["cc", "-O2", "-std=c99", "-DMODEL_HEADER=\"model.h\"",
                    "-DMODEL=model", "-I" + directory,
                    "-I" + os.path.join(build, "include"), "-c",
                    os.path.join(HARNESS, "time-model.c"), "-o",
                    exe + ".o"], check=True)
    subprocess.run(["c++", exe + ".o", obj,
                    "-L" + os.path.join(build, "lib"), "-lcnnc_runtime",
                    "-pthread", "-o", exe], check=True)
    return exe


def resnet50_convolutions():
    """(in, out, kernel, stride, padding, size) -> how many of ResNet-50's
    convolutions have that shape, with the input size each one sees."""
    import torchvision
    model = torchvision.models.resnet50()
    shapes = {}

    def hook(module, inputs, _):
        key = (module.in_channels, module.out_channels, module.kernel_size[0],
               module.stride[0], module.padding[0], inputs[0].shape[-1])
        shapes[key] = shapes.get(key, 0) + 1
    for m in model.modules():
        if isinstance(m, torch.nn.Conv2d):
            m.register_forward_hook(hook)
    with torch.no_grad():
        model(torch.randn(1, 3, 224, 224))
    return shapes


def channels_last_conv(cin, cout, k, stride, pad, size, out):
    """One convolution + bias + ReLU in the cnn dialect, channels-last from
    input to output (as inside a network after cnnc-select-layout), with
    random weights: the kernel alone, without the layout changes that a
    one-layer ONNX model would add."""
    rng = numpy.random.default_rng(0)

    def blob(shape):
        data = rng.standard_normal(shape, dtype=numpy.float32) * 0.05
        return "0x04000000" + data.astype("<f4").tobytes().hex().upper()
    w = "%dx%dx%dx%d" % (k, k, cin, cout)
    return """func.func @model(%%x: tensor<1x%(s)dx%(s)dx%(ci)dxf32>) -> tensor<1x%(o)dx%(o)dx%(co)dxf32> {
  %%w = cnn.constant dense_resource<w> : tensor<%(w)sxf32>
  %%b = cnn.constant dense_resource<b> : tensor<%(co)dxf32>
  %%y = cnn.conv %%x, %%w, %%b strides [%(st)d, %(st)d] pads [%(p)d, %(p)d, %(p)d, %(p)d] dilations [1, 1] groups 1 activation relu layout nhwc : (tensor<1x%(s)dx%(s)dx%(ci)dxf32>, tensor<%(w)sxf32>, tensor<%(co)dxf32>) -> tensor<1x%(o)dx%(o)dx%(co)dxf32>
  return %%y : tensor<1x%(o)dx%(o)dx%(co)dxf32>
}
{-#
  dialect_resources: { builtin: { w: "%(wb)s", b: "%(bb)s" } }
#-}
""" % dict(s=size, ci=cin, o=out, co=cout, w=w, st=stride, p=pad,
           wb=blob((k, k, cin, cout)), bb=blob((cout,)))


ALGORITHMS = ("direct", "im2col", "winograd2", "winograd4")


def chosen_algorithm(build, model_path, env):
    """The algorithm `cnnc compile --report` shows for the one convolution
    of `model_path`."""
    report = subprocess.run(
        [os.path.join(build, "bin", "cnnc"), "compile", model_path,
         "-o", os.devnull, "--report"], check=True, capture_output=True,
        text=True, env=env).stdout
    for algorithm in ALGORITHMS:
        if re.search(r"\b%s\b" % algorithm, report):
            return algorithm
    raise RuntimeError("no algorithm in the report:\n" + report)


def conv_layers(build, work, env, peak):
    """Each distinct convolution of ResNet-50 timed with every algorithm
    that applies to it (--conv-algorithm), next to the one the cost model
    picks; GFLOP/s are the direct convolution's FLOPs over the time (for
    Winograd, the effective rate)."""
    print("\nResNet-50's convolutions, each on its own (batch 1, conv + bias "
          "+ ReLU, channels-last in and out), ms per algorithm; "
          "* = the cost model's choice:")
    print("%-26s %5s %9s %9s %9s %9s  %-9s %8s %6s" % (
        "in->out kxk/stride @size", "count", *ALGORITHMS, "chosen",
        "GFLOP/s", "%peak"))
    total_flops = total_seconds = best_seconds = 0.0
    for (cin, cout, k, stride, pad, size), count in sorted(
            resnet50_convolutions().items(), key=lambda kv: kv[0][5],
            reverse=True):
        directory = os.path.join(work, "conv-%d-%d-%d-%d-%d" % (
            cin, cout, k, stride, size))
        os.makedirs(directory, exist_ok=True)
        out = (size + 2 * pad - k) // stride + 1
        model_path = os.path.join(directory, "model.mlir")
        with open(model_path, "w") as f:
            f.write(channels_last_conv(cin, cout, k, stride, pad, size, out))
        x = torch.randn(1, size, size, cin)
        input_path = os.path.join(directory, "input.raw")
        x.numpy().astype("<f4").tofile(input_path)
        chosen = chosen_algorithm(build, model_path, env)
        applicable = {"direct"}
        if k > 1:
            applicable.add("im2col")
        if k == 3 and stride == 1:
            applicable |= {"winograd2", "winograd4"}
        exes = {}
        for algorithm in sorted(applicable):
            variant = os.path.join(directory, algorithm)
            os.makedirs(variant, exist_ok=True)
            obj = os.path.join(variant, "model.o")
            subprocess.run([os.path.join(build, "bin", "cnnc"), "compile",
                            model_path, "-o", obj, "--name", "model",
                            "--conv-algorithm=" + algorithm], check=True,
                           env=env)
            exes[algorithm] = build_timer(build, variant, obj)
        times = {algorithm: [] for algorithm in exes}
        for _ in range(ROUNDS):
            for algorithm, exe in exes.items():
                times[algorithm] += times_of(subprocess.run(
                    [exe, str(RUNS), input_path,
                     os.path.join(directory, "out.raw")], check=True,
                    capture_output=True, text=True, env=env).stdout)
        ms = {a: statistics.median(t) for a, t in times.items()}
        flops = 2.0 * cout * out * out * cin * k * k
        rate = flops / (ms[chosen] / 1e3) / 1e9
        total_flops += flops * count
        total_seconds += ms[chosen] / 1e3 * count
        best_seconds += min(ms.values()) / 1e3 * count
        columns = ["%9s" % ("%.3f%s" % (ms[a], "*" if a == chosen else "")
                            if a in ms else "-") for a in ALGORITHMS]
        print("%-26s %5d %s  %-9s %8.1f %6.1f" % (
            "%d->%d %dx%d/%d @%d" % (cin, cout, k, k, stride, size), count,
            " ".join(columns), chosen, rate, 100 * rate / peak), flush=True)
    rate = total_flops / total_seconds / 1e9
    print("all %d convolutions as chosen: %.2f GFLOP (direct) in %.1f ms, "
          "%.1f GFLOP/s, %.1f%% of peak; the fastest algorithm of each: "
          "%.1f ms" % (sum(resnet50_convolutions().values()),
                       total_flops / 1e9, total_seconds * 1e3, rate,
                       100 * rate / peak, best_seconds * 1e3))


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
    int8_specs = [spec.partition(":")[2] for spec in specs
                  if spec.startswith("int8")]
    if len(int8_specs) < len(specs):
        print("%-13s %5s %9s %9s %9s %8s %8s %8s %6s %9s" % (
            "model", "batch", "cnnc ms", "ORT ms", "torch ms", "/ORT",
            "/torch", "GFLOP/s", "%peak", "compile s"))
    for spec in specs:
        if spec == "convs" or spec.startswith("int8"):
            continue
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
            [os.path.join(build, "bin", "cnnc"), "compile", onnx_path,
             "-o", obj, "--report"], check=True, capture_output=True,
            text=True, env=env).stdout
        compile_seconds = time.perf_counter() - start
        gflops = float(re.search(r"compute: ([0-9.]+) GFLOPs", report).group(1))
        exe = build_timer(build, directory, obj)
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
    if any(spec.startswith("resnet50") or spec == "convs" for spec in specs):
        conv_layers(build, work, env, peak)
    if int8_specs:
        bench_int8.rows(build, work, env, HARNESS, check_numerics,
                        build_timer, times_of, ROUNDS, RUNS,
                        [spec for spec in int8_specs if spec])


if __name__ == "__main__":
    main()
