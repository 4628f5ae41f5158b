#!/usr/bin/env python3
"""PyTorch's side of the training benchmark: FashionNet (the network that
export-fashion-net.py exports, from the same seed, so the same initial
weights) trained on Fashion-MNIST with the recipe `cnnc train` is given:
SGD with momentum (or Adam/AdamW), the learning rate annealed per optimizer
step (CosineAnnealingLR, T_max = total steps), batches of a fixed size from
a shuffled training set (the last partial batch dropped, as cnnc's static
shapes do), inputs (x / 255 - mean) / std, 2 threads. Prints one line per
epoch: "epoch N loss L accuracy A seconds S" (S: the training part).

Usage: train-pytorch.py DATA_DIR EPOCHS BATCH LR MOMENTUM WEIGHT_DECAY SEED
       [OPTIMIZER] [TRAIN_LIMIT] [TEST_LIMIT]
"""
import gzip
import math
import os
import sys
import time

import numpy
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "test", "models"))
from reference_models import FashionNet  # noqa: E402

MEAN, STD = 0.2860, 0.3530


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return numpy.frombuffer(data, numpy.uint8, offset=4 + 4 * rank).reshape(dims)


def main():
    data_dir, epochs, batch, lr, momentum, decay, seed = sys.argv[1:8]
    optimizer_name = sys.argv[8] if len(sys.argv) > 8 else "sgd"
    train_limit = int(sys.argv[9]) if len(sys.argv) > 9 else 0
    test_limit = int(sys.argv[10]) if len(sys.argv) > 10 else 0
    epochs, batch, seed = int(epochs), int(batch), int(seed)
    lr, momentum, decay = float(lr), float(momentum), float(decay)
    torch.set_num_threads(2)
    torch.manual_seed(seed)
    model = FashionNet()

    def load(prefix, limit):
        x = read_idx(os.path.join(data_dir, prefix + "-images-idx3-ubyte.gz"))
        y = read_idx(os.path.join(data_dir, prefix + "-labels-idx1-ubyte.gz"))
        if limit:
            x, y = x[:limit], y[:limit]
        x = (torch.from_numpy(x.astype(numpy.float32)) / 255 - MEAN) / STD
        return x.unsqueeze(1), torch.from_numpy(y.astype(numpy.int64))

    train_x, train_y = load("train", train_limit)
    test_x, test_y = load("t10k", test_limit)
    if optimizer_name == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum,
                              weight_decay=decay)
    else:
        cls = torch.optim.Adam if optimizer_name == "adam" else torch.optim.AdamW
        opt = cls(model.parameters(), lr=lr, weight_decay=decay)
    steps = len(train_x) // batch
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps * epochs)
    generator = torch.Generator().manual_seed(seed)
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(train_x), generator=generator)
        start = time.perf_counter()
        total = 0.0
        for s in range(steps):
            index = order[s * batch:(s + 1) * batch]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(train_x[index]),
                                                     train_y[index])
            loss.backward()
            opt.step()
            scheduler.step()
            total += loss.item()
        seconds = time.perf_counter() - start
        model.eval()
        with torch.no_grad():
            predicted = torch.cat([model(test_x[i:i + 1000]).argmax(1)
                                   for i in range(0, len(test_x), 1000)])
        accuracy = 100.0 * (predicted == test_y).float().mean().item()
        print("epoch %d loss %.4f accuracy %.2f seconds %.1f" %
              (epoch, total / steps, accuracy, seconds), flush=True)
    assert not math.isnan(total)


if __name__ == "__main__":
    main()
