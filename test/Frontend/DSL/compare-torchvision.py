#!/usr/bin/env python3
"""Checks that an exported .cnn model has torchvision's layer structure and
parameters: the same number of nodes of each op type, the same multiset of
initializer shapes, and the same parameter count (batch-norm running
statistics counted apart), against torchvision's model exported in training
mode (its batch norms kept).

Usage: compare-torchvision.py MODEL.onnx TORCHVISION_NAME
"""
import sys
import warnings
from collections import Counter

import numpy
import onnx
import torch
import torchvision


def ops(model):
    return Counter(n.op_type for n in model.graph.node
                   if n.op_type not in ("Constant", "Identity"))


def main():
    ours = onnx.load(sys.argv[1])
    reference = getattr(torchvision.models, sys.argv[2])().train()
    path = sys.argv[1] + ".torchvision.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(reference, torch.randn(2, 3, 224, 224), path,
                          opset_version=13, do_constant_folding=False,
                          training=torch.onnx.TrainingMode.TRAINING)
    theirs = onnx.load(path)
    shapes = [Counter(tuple(i.dims) for i in m.graph.initializer if i.dims)
              for m in (ours, theirs)]
    parameters = sum(p.numel() for p in reference.parameters())
    statistics = sum(b.numel() for n, b in reference.named_buffers()
                     if "running" in n)
    exported = sum(
        int(numpy.prod(i.dims)) for i in ours.graph.initializer
        if i.dims and "running" not in i.name)
    ok = ops(ours) == ops(theirs) and shapes[0] == shapes[1] and \
        exported == parameters
    print("%s: ops %s; initializer shapes %s; parameters %d (torchvision "
          "%d), batch-norm statistics %d" %
          (sys.argv[2], "same" if ops(ours) == ops(theirs) else "DIFFERENT",
           "same" if shapes[0] == shapes[1] else "DIFFERENT", exported,
           parameters, statistics))
    print(" ".join("%s=%d" % kv for kv in sorted(ops(ours).items())))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
