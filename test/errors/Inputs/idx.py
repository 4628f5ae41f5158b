"""Writes a Fashion-MNIST-shaped IDX dataset (train and t10k images and
labels, uncompressed) that is wrong in one way:

  idx.py DIR [--count N] [--labels N] [--size S] [--rank R] [--truncate]

--count images of SxS pixels (default 8 of 28x28), --labels labels (default
as many as images), --rank the rank written in the images' magic (default 3),
--truncate cuts the image files in half.
"""
import argparse
import os
import struct

parser = argparse.ArgumentParser()
parser.add_argument("dir")
parser.add_argument("--count", type=int, default=8)
parser.add_argument("--labels", type=int)
parser.add_argument("--size", type=int, default=28)
parser.add_argument("--rank", type=int, default=3)
parser.add_argument("--truncate", action="store_true")
args = parser.parse_args()
labels = args.count if args.labels is None else args.labels

os.makedirs(args.dir, exist_ok=True)
for split in ("train", "t10k"):
    images = struct.pack(">BBBBIII", 0, 0, 8, args.rank, args.count,
                         args.size, args.size)
    images += bytes(args.count * args.size * args.size)
    if args.truncate:
        images = images[: len(images) // 2]
    with open(os.path.join(args.dir, f"{split}-images-idx3-ubyte"), "wb") as f:
        f.write(images)
    with open(os.path.join(args.dir, f"{split}-labels-idx1-ubyte"), "wb") as f:
        f.write(struct.pack(">BBBBI", 0, 0, 8, 1, labels))
        f.write(bytes(i % 10 for i in range(labels)))
