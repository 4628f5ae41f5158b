#!/usr/bin/env python3
"""Compiles real networks with cnnc and compares their outputs with PyTorch.

Each model (random weights, seeded; BatchNorm statistics and affine
parameters randomized so that BatchNorm is not the identity) is exported
with training=torch.onnx.TrainingMode.PRESERVE, which keeps the
BatchNormalization nodes that the default eval export folds away. PyTorch's
eval-mode output on a random batch is saved in the ONNX test-data layout and
`cnnc run --check` must match it within rtol 1e-3 / atol 1e-4.

Usage: check-numerics.py CNNC OUTDIR BATCH [-O0..-O3] MODEL...   (`all` for
every one; the -O level is cnnc's, -O2 when not given)
Run with Debian's /usr/bin/python3 (python3-torch, python3-torchvision).
"""
import os
import subprocess
import sys
import time
import warnings

import torch
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_torchvision  # noqa: E402
from reference_models import LeNet5, SimpleCNN  # noqa: E402


def build(name):
    torch.manual_seed(0)
    if name == "lenet5":
        return LeNet5(), (1, 28, 28)
    if name == "simplecnn":
        model = SimpleCNN()
    else:
        import torchvision
        model = getattr(torchvision.models, name)(
            weights=None, **export_torchvision.MODELS[name])
    # Non-trivial BatchNorm: random statistics and affine parameters.
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            with torch.no_grad():
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 2.0)
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.5, 0.5)
    return model, (3, 224, 224)


def prepare(name, batch, outdir):
    model, shape = build(name)
    model.eval()
    x = torch.randn(batch, *shape)
    directory = os.path.join(outdir, "%s_b%d" % (name, batch))
    data = os.path.join(directory, "test_data_set_0")
    os.makedirs(data, exist_ok=True)
    path = os.path.join(directory, "model.onnx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, x, path, opset_version=13,
                          training=torch.onnx.TrainingMode.PRESERVE,
                          input_names=["input"], output_names=["logits"])
    with torch.no_grad():
        y = model(x)
    for file, array in (("input_0.pb", x), ("output_0.pb", y)):
        with open(os.path.join(data, file), "wb") as f:
            f.write(numpy_helper.from_array(array.numpy()).SerializeToString())
    return directory


ALL = ["lenet5", "simplecnn"] + list(export_torchvision.MODELS)


def main():
    cnnc, outdir, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
    names = sys.argv[4:]
    level = "-O2"
    if names and names[0] in ("-O0", "-O1", "-O2", "-O3"):
        level, names = names[0], names[1:]
    if names == ["all"]:
        names = ALL
    failures = 0
    for name in names:
        directory = prepare(name, batch, outdir)
        start = time.time()
        result = subprocess.run(
            [cnnc, "run", os.path.join(directory, "model.onnx"), "--check",
             os.path.join(directory, "test_data_set_0"), "--rtol", "1e-3",
             "--atol", "1e-4", level], capture_output=True, text=True)
        seconds = time.time() - start
        output = (result.stdout + result.stderr).strip()
        if result.returncode != 0:
            failures += 1
            print("FAILED %s batch %d %s (exit %d): %s" % (
                name, batch, level, result.returncode, output))
        else:
            print("matched %s batch %d %s in %.1f s: %s" % (
                name, batch, level, seconds, output))
    print("%d of %d models match PyTorch at batch %d %s"
          % (len(names) - failures, len(names), batch, level))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
