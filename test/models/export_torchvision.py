#!/usr/bin/env python3
"""Exports torchvision classification models to ONNX (opset 13) for the
importer's model tests. Weights are random (torchvision's initialisation,
seeded): nothing is downloaded, and the import only looks at the structure.

Usage: export_torchvision.py OUTDIR [MODEL ...]   (default: every model)
Run with Debian's /usr/bin/python3 (python3-torch, python3-torchvision).
"""
import os
import sys
import warnings

import torch
import torchvision

# name -> constructor arguments; 224x224 inputs except where noted.
MODELS = {
    "alexnet": {},
    "vgg11": {},
    "resnet18": {},
    "resnet50": {},
    "resnext50_32x4d": {},
    "mobilenet_v2": {},
    "mobilenet_v3_small": {},
    "mobilenet_v3_large": {},
    "squeezenet1_0": {},
    "squeezenet1_1": {},
    "densenet121": {},
    "googlenet": {"aux_logits": False, "init_weights": True},
    "shufflenet_v2_x1_0": {},
    "efficientnet_b0": {},
    "regnet_y_400mf": {},
    "mnasnet1_0": {},
}


def export(name, outdir):
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None, **MODELS[name])
    model.eval()
    x = torch.randn(1, 3, 224, 224)
    path = os.path.join(outdir, name + ".onnx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, x, path, opset_version=13,
                          input_names=["input"], output_names=["logits"])
    return path


def main():
    outdir = sys.argv[1]
    names = sys.argv[2:] or list(MODELS)
    os.makedirs(outdir, exist_ok=True)
    torch.set_num_threads(1)
    for name in names:
        print(export(name, outdir), flush=True)


if __name__ == "__main__":
    main()
