#!/usr/bin/env python3
"""`make bench-train`: cnnc train next to PyTorch on Fashion-MNIST.

Exports FashionNet in training mode (export-fashion-net.py), trains it with
`cnnc train` and with PyTorch (train-pytorch.py, same seed, so the same
initial weights) on the same recipe, one after the other in this run, and
scores cnnc's exported model in ONNX Runtime. Prints a markdown table:
per epoch the training loss, test accuracy and seconds of each, then ONNX
Runtime's accuracy of the exported model next to cnnc's own.

Usage: compare.py BUILD_DIR NODE_MODULES [--epochs 3] [--batch 64]
         [--lr 0.05] [--momentum 0.9] [--weight-decay 0] [--seed 0]
         [--optimizer sgd] [--flip] [--train-limit N] [--test-limit N]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = "/usr/share/datasets/fashion-mnist"


def run(command, env=None):
    print("$ " + " ".join(command), file=sys.stderr, flush=True)
    result = subprocess.run(command, stdout=subprocess.PIPE, text=True,
                            env=env)
    sys.stderr.write(result.stdout)
    if result.returncode != 0:
        sys.exit("failed: " + " ".join(command))
    return result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("node_modules")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", default="0.05")
    parser.add_argument("--momentum", default="0.9")
    parser.add_argument("--weight-decay", default="0")
    parser.add_argument("--seed", default="0")
    parser.add_argument("--optimizer", default="sgd")
    parser.add_argument("--flip", action="store_true")
    parser.add_argument("--train-limit", type=int, default=0)
    parser.add_argument("--test-limit", type=int, default=0)
    args = parser.parse_args()
    cnnc = os.path.join(args.build, "bin", "cnnc")
    work = tempfile.mkdtemp(prefix="cnnc-bench-train-")
    model = os.path.join(work, "fashion-net.onnx")
    trained = os.path.join(work, "trained.onnx")
    run(["/usr/bin/python3", os.path.join(HERE, "export-fashion-net.py"),
         model, args.seed])

    command = [cnnc, "train", model, "--data", "fashion-mnist:" + DATA,
               "--epochs", str(args.epochs), "--batch", str(args.batch),
               "--optimizer", args.optimizer, "--lr", args.lr,
               "--momentum", args.momentum, "--weight-decay",
               args.weight_decay, "--schedule", "cosine", "--seed", args.seed,
               "-o", trained]
    if args.flip:
        command += ["--augment", "flip"]
    if args.train_limit:
        command += ["--train-limit", str(args.train_limit)]
    if args.test_limit:
        command += ["--test-limit", str(args.test_limit)]
    env = dict(os.environ, CNNC_NUM_THREADS="2")
    cnnc_out = run(command, env)
    cnnc_epochs = [tuple(float(v) for v in m.groups()) for m in re.finditer(
        r"^\s*\d+\s+([\d.]+)\s+([\d.]+)%\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+) s$",
        cnnc_out, re.M)]

    torch_out = run(["/usr/bin/python3", os.path.join(HERE, "train-pytorch.py"),
                     DATA, str(args.epochs), str(args.batch), args.lr,
                     args.momentum, args.weight_decay, args.seed,
                     args.optimizer, str(args.train_limit),
                     str(args.test_limit)])
    torch_epochs = [tuple(float(v) for v in m.groups()) for m in re.finditer(
        r"loss ([\d.]+) accuracy ([\d.]+) seconds ([\d.]+)", torch_out)]

    ort_env = dict(os.environ, NODE_PATH=args.node_modules)
    ort_out = run(["node", os.path.join(HERE, "ort-score.js"), trained, DATA,
                   "100", str(args.test_limit or "")], ort_env)
    ort_accuracy = float(re.search(r"accuracy ([\d.]+)", ort_out).group(1))

    if len(cnnc_epochs) != args.epochs or len(torch_epochs) != args.epochs:
        sys.exit("could not read every epoch's numbers")
    print("FashionNet on Fashion-MNIST: %s, lr %s, momentum %s, weight decay "
          "%s, cosine per step, batch %d%s, 2 threads" %
          (args.optimizer, args.lr, args.momentum, args.weight_decay,
           args.batch, ", random flips" if args.flip else ""))
    print()
    print("| epoch | cnnc loss | cnnc accuracy | cnnc s | PyTorch loss | "
          "PyTorch accuracy | PyTorch s |")
    print("|---|---|---|---|---|---|---|")
    for i, (c, t) in enumerate(zip(cnnc_epochs, torch_epochs), 1):
        print("| %d | %.4f | %.2f%% | %.1f | %.4f | %.2f%% | %.1f |" %
              (i, c[0], c[1], c[2], t[0], t[1], t[2]))
    print()
    print("cnnc's exported model in ONNX Runtime: %.2f%% (cnnc: %.2f%%)" %
          (ort_accuracy, cnnc_epochs[-1][1]))
    print("last epoch: cnnc - PyTorch = %+.2f points" %
          (cnnc_epochs[-1][1] - torch_epochs[-1][1]))


if __name__ == "__main__":
    main()
