#!/usr/bin/env python3
"""PyTorch's side of the train-step test: a network exported in training
mode (BatchNormalization and Dropout kept), a batch, and what PyTorch's
optimizer makes of it in STEPS steps.

Writes to OUTDIR: model.onnx; input.raw (float32) and labels.raw (int32);
expected/loss.txt (one loss per step); expected/<parameter>.raw (float32)
for every parameter and batch-norm statistic after the last step.

Usage: train-step-reference.py OUTDIR NETWORK OPTIMIZER STEPS
  NETWORK: lenet5 | bnnet (2 conv + batch norm + pooling + 2 linear)
  OPTIMIZER: sgd (lr 0.05, momentum 0.9, weight decay 5e-4) | adam | adamw
             (lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 1e-2)
"""
import os
import sys
import warnings

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "models"))
from reference_models import LeNet5  # noqa: E402


class BNNet(torch.nn.Module):
    """The network of the Fashion-MNIST acceptance run, without dropout (whose
    random draws differ between PyTorch and cnnc)."""

    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.BatchNorm2d(8),
            torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(8, 16, 3, padding=1), torch.nn.BatchNorm2d(16),
            torch.nn.ReLU(), torch.nn.MaxPool2d(2))
        self.classifier = torch.nn.Sequential(
            torch.nn.Flatten(), torch.nn.Linear(16 * 7 * 7, 32),
            torch.nn.ReLU(), torch.nn.Linear(32, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def optimizer(name, parameters):
    if name == "sgd":
        return torch.optim.SGD(parameters, lr=0.05, momentum=0.9,
                               weight_decay=5e-4)
    cls = torch.optim.Adam if name == "adam" else torch.optim.AdamW
    return cls(parameters, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
               weight_decay=1e-2)


def main():
    outdir, network, optimizer_name, steps = sys.argv[1:5]
    os.makedirs(os.path.join(outdir, "expected"), exist_ok=True)
    torch.manual_seed(7)
    torch.set_num_threads(1)
    model = LeNet5() if network == "lenet5" else BNNet()
    # Nonzero batch-norm parameters, so that their gradients are exercised.
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            torch.nn.init.uniform_(module.weight, 0.5, 1.5)
            torch.nn.init.uniform_(module.bias, -0.2, 0.2)
    x = torch.randn(8, 1, 28, 28)
    labels = torch.randint(0, 10, (8,))
    model.train()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, x, os.path.join(outdir, "model.onnx"),
                          opset_version=13, input_names=["image"],
                          output_names=["logits"],
                          training=torch.onnx.TrainingMode.TRAINING,
                          do_constant_folding=False)
    x.numpy().astype("<f4").tofile(os.path.join(outdir, "input.raw"))
    labels.numpy().astype("<i4").tofile(os.path.join(outdir, "labels.raw"))

    opt = optimizer(optimizer_name, model.parameters())
    losses = []
    for _ in range(int(steps)):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), labels)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    with open(os.path.join(outdir, "expected", "loss.txt"), "w") as f:
        f.write("\n".join("%.9g" % v for v in losses) + "\n")
    for name, value in model.state_dict().items():
        if value.dtype != torch.float32:
            continue  # num_batches_tracked
        value.numpy().astype("<f4").tofile(
            os.path.join(outdir, "expected", name + ".raw"))


if __name__ == "__main__":
    main()
