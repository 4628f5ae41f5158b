"""`make bench`'s int8 rows: per network and batch, in one interleaved run,
cnnc int8, cnnc fp32, ONNX Runtime int8 on cnnc's QDQ export and ONNX
Runtime fp32.

The float model is bench.py's (random weights, seeded). `cnnc quantize`
calibrates it on CALIBRATION random inputs and writes the QDQ model; cnnc
compiles that (as `--quantize=int8` would) and ONNX Runtime runs the very
same file. Printed: the medians, cnnc int8's speed-up over cnnc fp32 and
its ratio to ONNX Runtime int8, cnnc int8's GOP/s (the integer operations
of `cnnc compile --report`, 2 per multiply-add) and percent of the int8
peak (harness/peak-int8.c: the multiply-accumulate sequence cnnc's kernel
uses here, on the same 2 threads), the object sizes, and how far cnnc's
int8 output is from ONNX Runtime's on the QDQ model (in units of the
output's quantization step) and from fp32.
"""
import os
import re
import statistics
import subprocess

import numpy
import onnx
import torch
from onnx import numpy_helper

LLVM_BIN = os.environ.get("LLVM_DIR", "/usr/lib/llvm-22") + "/bin"
CALIBRATION = 8
MODELS = ["resnet18:1", "resnet50:1", "mobilenet_v2:1", "resnet18:8",
          "resnet50:8", "mobilenet_v2:8"]


def int8_peak(harness, work):
    probe = os.path.join(work, "peak-int8")
    # The project's clang: GCC 12 keeps the accumulators in memory and
    # measures a third of the peak.
    subprocess.run([os.path.join(LLVM_BIN, "clang"), "-O3", "-std=c99",
                    "-pthread", os.path.join(harness, "peak-int8.c"), "-o",
                    probe], check=True)
    # The best of five: on a shared VM one run read anywhere from 700 to
    # 930 GOP/s, and a low peak flatters every percentage after it.
    lines = [subprocess.run([probe, "2"], check=True, capture_output=True,
                            text=True).stdout.strip() for _ in range(5)]
    line = max(lines, key=lambda text: float(text.split()[0]))
    return float(line.split()[0]), line + " (best of 5)"


def write_calibration(model_path, shape, directory):
    os.makedirs(directory, exist_ok=True)
    name = onnx.load(model_path, load_external_data=False).graph.input[0].name
    generator = torch.Generator().manual_seed(2)
    for i in range(CALIBRATION):
        x = torch.randn(*shape, generator=generator).numpy()
        tensor = numpy_helper.from_array(x, name)
        with open(os.path.join(directory, "input_%d.pb" % i), "wb") as f:
            f.write(tensor.SerializeToString())


def output_step(qdq_path):
    """The scale of the quantize that ends the QDQ model, if its output
    is a dequantize of one (else None)."""
    graph = onnx.load(qdq_path, load_external_data=False).graph
    producers = {out: node for node in graph.node for out in node.output}
    node = producers.get(graph.output[0].name)
    if node is None or node.op_type != "DequantizeLinear":
        return None
    scales = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    scale = scales.get(node.input[1])
    return float(scale.reshape(-1)[0]) if scale is not None else None


def rows(build, work, env, harness, check_numerics, build_timer, times_of,
         rounds, runs, specs=None):
    cnnc = os.path.join(build, "bin", "cnnc")
    peak, peak_line = int8_peak(harness, work)
    print("\nint8 peak (measured): %s" % peak_line)
    print("%-13s %5s %9s %9s %9s %9s %8s %8s %8s %6s %14s %s" % (
        "model", "batch", "int8 ms", "fp32 ms", "ORT i8 ms", "ORT f32",
        "fp32/i8", "i8/ORTi8", "GOP/s", "%peak", "object KB",
        "int8 vs ORT int8 / fp32"))
    for spec in specs or MODELS:
        name, _, batch = spec.partition(":")
        batch = int(batch or 1)
        directory = check_numerics.prepare(name, batch, work)
        float_path = os.path.join(directory, "model.onnx")
        _, shape = check_numerics.build(name)
        full_shape = (batch,) + tuple(shape)
        samples = os.path.join(directory, "calibration")
        write_calibration(float_path, full_shape, samples)
        qdq_path = os.path.join(directory, "model.int8.onnx")
        subprocess.run([cnnc, "quantize", float_path,
                        "--calibration=" + samples, "-o", qdq_path],
                       check=True, env=env, capture_output=True)
        int8_dir = os.path.join(directory, "int8")
        os.makedirs(int8_dir, exist_ok=True)
        int8_obj = os.path.join(int8_dir, "model.o")
        report = subprocess.run(
            [cnnc, "compile", qdq_path, "--batch", str(batch), "-o", int8_obj,
             "--report"],
            check=True, capture_output=True, text=True, env=env).stdout
        gops = float(re.search(r"compute: ([0-9.]+) GFLOPs", report).group(1))
        float_obj = os.path.join(directory, "model.o")
        subprocess.run([cnnc, "compile", float_path, "-o", float_obj],
                       check=True, env=env, capture_output=True)
        int8_exe = build_timer(build, int8_dir, int8_obj)
        float_exe = build_timer(build, directory, float_obj)
        x = torch.randn(*full_shape,
                        generator=torch.Generator().manual_seed(1))
        input_path = os.path.join(directory, "input.raw")
        x.numpy().astype("<f4").tofile(input_path)
        shape_text = "x".join(str(d) for d in full_shape)
        out = {k: os.path.join(directory, k + ".raw")
               for k in ("i8", "f32", "ort_i8", "ort_f32")}
        times = {k: [] for k in out}
        runner = os.path.join(harness, "ort-runner.js")
        for _ in range(rounds):
            for key, exe in (("i8", int8_exe), ("f32", float_exe)):
                times[key] += times_of(subprocess.run(
                    [exe, str(runs), input_path, out[key]], check=True,
                    capture_output=True, text=True, env=env).stdout)
            for key, path in (("ort_i8", qdq_path), ("ort_f32", float_path)):
                times[key] += times_of(subprocess.run(
                    ["node", runner, path, shape_text, input_path,
                     str(runs), out[key]], check=True, capture_output=True,
                    text=True, env=env).stdout)
        got = {k: numpy.fromfile(p, dtype="<f4") for k, p in out.items()}
        step = output_step(qdq_path)
        versus_ort = numpy.max(numpy.abs(got["i8"] - got["ort_i8"]))
        versus_float = numpy.max(numpy.abs(got["i8"] - got["f32"]))
        spread = numpy.max(numpy.abs(got["f32"])) or 1.0
        agreement = "%s / %.1f%% of max|fp32|" % (
            ("%.1f steps" % (versus_ort / step)) if step
            else ("%.3g abs" % versus_ort), 100 * versus_float / spread)
        i8, f32, ort_i8, ort_f32 = (statistics.median(times[k]) for k in
                                    ("i8", "f32", "ort_i8", "ort_f32"))
        rate = gops / (i8 / 1e3)
        sizes = "%d / %d" % (os.path.getsize(int8_obj) // 1024,
                             os.path.getsize(float_obj) // 1024)
        print("%-13s %5d %9.3f %9.3f %9.3f %9.3f %8.2f %8.2f %8.1f %6.1f "
              "%14s %s" % (name, batch, i8, f32, ort_i8, ort_f32, f32 / i8,
                           i8 / ort_i8, rate, 100 * rate / peak, sizes,
                           agreement), flush=True)
