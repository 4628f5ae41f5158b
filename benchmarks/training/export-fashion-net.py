#!/usr/bin/env python3
"""Exports the Fashion-MNIST network (test/models/reference_models.py,
FashionNet) in training mode, BatchNormalization and Dropout kept, with a
symbolic batch that `cnnc train --batch` pins, and PyTorch's default
initialization from a seed.

Usage: export-fashion-net.py OUT.onnx [SEED]
"""
import os
import sys
import warnings

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "test", "models"))
from reference_models import FashionNet  # noqa: E402


def main():
    out = sys.argv[1]
    torch.manual_seed(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
    model = FashionNet().train()
    x = torch.randn(2, 1, 28, 28)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, x, out, opset_version=13,
                          input_names=["image"], output_names=["logits"],
                          dynamic_axes={"image": {0: "batch"},
                                        "logits": {0: "batch"}},
                          training=torch.onnx.TrainingMode.TRAINING,
                          do_constant_folding=False)


if __name__ == "__main__":
    main()
