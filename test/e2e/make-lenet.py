#!/usr/bin/env python3
"""Writes LeNet-5 (random weights, seeded) as OUTDIR/lenet.onnx, a batch of
4 random images as OUTDIR/input.raw and PyTorch's logits for them as
OUTDIR/expected.raw (little-endian float32, dense) for the link test.

Usage: make-lenet.py OUTDIR
"""
import os
import sys
import warnings

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "models"))
from reference_models import LeNet5  # noqa: E402


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    torch.manual_seed(1)
    model = LeNet5().eval()
    x = torch.randn(4, 1, 28, 28)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, x, os.path.join(outdir, "lenet.onnx"),
                          opset_version=13, input_names=["image"],
                          output_names=["logits"])
    with torch.no_grad():
        y = model(x)
    x.numpy().astype("<f4").tofile(os.path.join(outdir, "input.raw"))
    y.numpy().astype("<f4").tofile(os.path.join(outdir, "expected.raw"))


if __name__ == "__main__":
    main()
