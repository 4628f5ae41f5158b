#!/usr/bin/env python3
"""Trains the bundled default model, a small CNN for 28x28 Fashion-MNIST
images, with PyTorch, and exports it to ONNX (fashion_cnn.onnx, batch
dimension symbolic). cnnc does not train yet; when `cnnc train` exists it
will produce this file instead.

The network takes pixel values scaled to [0, 1] (no other normalization)
and returns the 10 class logits:
  conv 3x3 1->16, BatchNorm, ReLU, max pool 2
  conv 3x3 16->32, BatchNorm, ReLU, max pool 2
  linear 1568->128, ReLU, dropout 0.25, linear 128->10
Recipe: Adam (lr 1e-3, cosine to 0 over the run), batch 64, 4 epochs,
random horizontal flips, seed 0. Prints the test accuracy per epoch.

Usage: train.py [OUT.onnx] [DATA_DIR]   (Debian's /usr/bin/python3)
"""
import gzip
import os
import struct
import sys
import time
import warnings

import numpy
import torch

DATA = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, kind, rank = struct.unpack(">HBB", data[:4])
    assert zero == 0 and kind == 0x08, path
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return numpy.frombuffer(data, numpy.uint8, offset=4 + 4 * rank).reshape(dims)


def load(directory, split):
    images = read_idx(os.path.join(directory, "%s-images-idx3-ubyte.gz" % split))
    labels = read_idx(os.path.join(directory, "%s-labels-idx1-ubyte.gz" % split))
    x = torch.from_numpy(images.astype(numpy.float32) / 255.0).unsqueeze(1)
    return x, torch.from_numpy(labels.astype(numpy.int64))


class FashionCNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.BatchNorm2d(16),
            torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.BatchNorm2d(32),
            torch.nn.ReLU(), torch.nn.MaxPool2d(2))
        self.classifier = torch.nn.Sequential(
            torch.nn.Flatten(), torch.nn.Linear(32 * 7 * 7, 128),
            torch.nn.ReLU(), torch.nn.Dropout(0.25), torch.nn.Linear(128, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        predictions = torch.cat([model(x[i:i + 1000]).argmax(1)
                                 for i in range(0, len(x), 1000)])
    return (predictions == y).float().mean().item()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "fashion_cnn.onnx")
    directory = sys.argv[2] if len(sys.argv) > 2 else DATA
    torch.manual_seed(0)
    torch.set_num_threads(os.cpu_count() or 1)
    train_x, train_y = load(directory, "train")
    test_x, test_y = load(directory, "t10k")
    model = FashionCNN()
    epochs, batch = 4, 64
    steps = epochs * ((len(train_x) + batch - 1) // batch)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, steps)
    loss_fn = torch.nn.CrossEntropyLoss()
    for epoch in range(epochs):
        start = time.time()
        model.train()
        order = torch.randperm(len(train_x))
        for i in range(0, len(train_x), batch):
            index = order[i:i + batch]
            x = train_x[index]
            flip = torch.rand(len(index)) < 0.5
            x[flip] = x[flip].flip(3)
            optimizer.zero_grad()
            loss = loss_fn(model(x), train_y[index])
            loss.backward()
            optimizer.step()
            schedule.step()
        print("epoch %d: loss %.4f, test accuracy %.2f%% (%.0f s)" % (
            epoch + 1, loss.item(), 100 * accuracy(model, test_x, test_y),
            time.time() - start), flush=True)
    model.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, test_x[:1], out, opset_version=13,
                          training=torch.onnx.TrainingMode.PRESERVE,
                          input_names=["image"], output_names=["logits"],
                          dynamic_axes={"image": {0: "batch"},
                                        "logits": {0: "batch"}})
    print("wrote %s: test accuracy %.2f%%" % (
        out, 100 * accuracy(model, test_x, test_y)))


if __name__ == "__main__":
    main()
