#!/usr/bin/env python3
"""The .cnn examples against ONNX Runtime (`make test-all`): each example is
exported (`cnnc export`), checked by onnx.checker (full_check), and run in
ONNX Runtime and by cnnc (`cnnc run` on the .cnn file) on the same random
batch of 2; the outputs must agree within rtol 1e-3 / atol 1e-4. Prints
"matched NAME ..." or "FAILED NAME ..." per example.

Usage: check-dsl-ort.py CNNC NODE_MODULES WORKDIR
"""
import glob
import os
import subprocess
import sys

import numpy
import onnx
from onnx import numpy_helper

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def main():
    cnnc, node_modules, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    failed = 0
    for source in sorted(glob.glob(os.path.join(ROOT, "examples", "dsl", "*.cnn"))):
        name = os.path.basename(source)[:-4]
        model_path = os.path.join(work, name + ".onnx")
        try:
            subprocess.run([cnnc, "export", source, "-o", model_path], check=True)
            model = onnx.load(model_path)
            onnx.checker.check_model(model, full_check=True)
            graph_input = model.graph.input[0]
            dims = [d.dim_value for d in graph_input.type.tensor_type.shape.dim]
            shape = [2] + dims[1:]
            x = numpy.random.default_rng(0).random(shape, dtype=numpy.float32)
            x_pb = os.path.join(work, name + ".input.pb")
            x_raw = os.path.join(work, name + ".input.raw")
            with open(x_pb, "wb") as f:
                f.write(numpy_helper.from_array(x, graph_input.name).SerializeToString())
            x.tofile(x_raw)
            out_dir = os.path.join(work, name + ".cnnc")
            subprocess.run([cnnc, "run", source, "--batch", "2", "--input",
                            "%s=%s" % (graph_input.name, x_pb),
                            "--output-dir", out_dir], check=True)
            tensor = onnx.TensorProto()
            with open(os.path.join(out_dir, "output_0.pb"), "rb") as f:
                tensor.ParseFromString(f.read())
            ours = numpy_helper.to_array(tensor)
            ort_raw = os.path.join(work, name + ".ort.raw")
            subprocess.run(["node", os.path.join(ROOT, "benchmarks", "harness", "ort-runner.js"),
                            model_path, "x".join(map(str, shape)), x_raw, "1", ort_raw],
                           check=True, stdout=subprocess.DEVNULL,
                           env=dict(os.environ, NODE_PATH=node_modules))
            theirs = numpy.fromfile(ort_raw, numpy.float32).reshape(ours.shape)
            error = numpy.abs(ours - theirs)
            ok = bool(numpy.all(error <= 1e-4 + 1e-3 * numpy.abs(theirs)))
            print("%s %s: onnx.checker ok, %d nodes, output %s, max abs "
                  "difference cnnc vs ONNX Runtime %.3g" %
                  ("matched" if ok else "FAILED", name, len(model.graph.node),
                   list(ours.shape), error.max()), flush=True)
            failed += not ok
        except (subprocess.CalledProcessError, onnx.checker.ValidationError) as e:
            print("FAILED %s: %s" % (name, e), flush=True)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
