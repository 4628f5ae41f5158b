#!/usr/bin/env python3
"""Checks the model `cnnc train -o` wrote: onnx.checker accepts it, it is in
inference form (no Dropout, batch norms with one output, the normalization
as its first nodes), and compiled on its own by `cnnc run` it scores the
first LIMIT test images exactly as cnnc train reported (TRAIN_LOG: its
stdout; the last epoch's accuracy).

Usage: score-exported.py MODEL.onnx CNNC DATA_DIR LIMIT TRAIN_LOG WORKDIR
"""
import gzip
import os
import re
import subprocess
import sys

import numpy
import onnx
from onnx import numpy_helper


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return numpy.frombuffer(data, numpy.uint8, offset=4 + 4 * rank).reshape(dims)


def main():
    model_path, cnnc, data_dir, limit, log, work = sys.argv[1:7]
    limit = int(limit)
    model = onnx.load(model_path)
    onnx.checker.check_model(model)
    ops = [n.op_type for n in model.graph.node]
    assert "Dropout" not in ops, ops
    assert ops[:2] == ["Sub", "Div"], ops
    for node in model.graph.node:
        if node.op_type == "BatchNormalization":
            assert len(node.output) == 1, node
    print("onnx.checker: ok; inference form: ok (%s)" % " ".join(ops))

    images = read_idx(os.path.join(data_dir, "t10k-images-idx3-ubyte.gz"))[:limit]
    labels = read_idx(os.path.join(data_dir, "t10k-labels-idx1-ubyte.gz"))[:limit]
    x = (images.astype(numpy.float32) / 255).reshape(limit, 1, 28, 28)
    os.makedirs(work, exist_ok=True)
    tensor = numpy_helper.from_array(x, model.graph.input[0].name)
    with open(os.path.join(work, "input.pb"), "wb") as f:
        f.write(tensor.SerializeToString())
    subprocess.run([cnnc, "run", model_path, "--input",
                    "%s=%s" % (model.graph.input[0].name,
                               os.path.join(work, "input.pb")),
                    "--output-dir", work], check=True)
    out = onnx.TensorProto()
    with open(os.path.join(work, "output_0.pb"), "rb") as f:
        out.ParseFromString(f.read())
    logits = numpy_helper.to_array(out)
    accuracy = 100.0 * (logits.argmax(1) == labels).mean()
    with open(log) as f:
        reported = [float(a) for a in re.findall(
            r"^\s*\d+\s+[\d.]+\s+([\d.]+)%", f.read(), re.M)][-1]
    print("exported model, cnnc run: %.2f%%; cnnc train reported %.2f%%" %
          (accuracy, reported))
    if abs(accuracy - reported) > 0.005:
        print("MISMATCH")
        return 1
    print("same accuracy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
