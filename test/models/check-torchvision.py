#!/usr/bin/env python3
"""Exports torchvision models to ONNX (opset 13, random weights) and imports
each with `cnnc compile --emit=cnn -O0`: the import must succeed, every
tensor must be static, and only graph ops may be left (no shape arithmetic:
no integer tensors except constants folded into attributes).

Usage: check-torchvision.py CNNC OUTDIR MODEL...  (or `all`)
Run with Debian's /usr/bin/python3 (python3-torch, python3-torchvision).
"""
import collections
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_torchvision  # noqa: E402

GRAPH_OPS = {
    "cnn.conv", "cnn.pool", "cnn.global_pool", "cnn.activation",
    "cnn.binary", "cnn.matmul", "cnn.reshape", "cnn.concat",
    "cnn.batch_norm", "cnn.constant", "cnn.slice", "cnn.transpose",
    "cnn.reduce", "cnn.dropout", "cnn.softmax", "cnn.pad",
}


def check(cnnc, path):
    result = subprocess.run([cnnc, "compile", path, "--emit=cnn", "-O0",
                             "-o", "-", "--mlir-elide-resource-strings-if-larger=1"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        return "import failed: " + result.stderr.strip()
    body = result.stdout.split("{-#")[0]
    ops = collections.Counter(re.findall(r"= (cnn\.[a-z_]+)", body))
    unexpected = set(ops) - GRAPH_OPS
    if unexpected:
        return "unexpected ops: " + ", ".join(sorted(unexpected))
    if re.search(r"tensor<[^>]*\?", body):
        return "dynamic tensor types left"
    integer = [t for t in re.findall(r"tensor<([^>]*)>", body)
               if re.search(r"x?i(1|8|16|32|64)$", t)]
    if integer:
        return "integer tensors left: " + ", ".join(sorted(set(integer)))
    return ops


def main():
    cnnc, outdir = sys.argv[1:3]
    names = sys.argv[3:]
    if names == ["all"]:
        names = list(export_torchvision.MODELS)
    os.makedirs(outdir, exist_ok=True)
    failures = 0
    for name in names:
        path = export_torchvision.export(name, outdir)
        ops = check(cnnc, path)
        if isinstance(ops, str):
            failures += 1
            print("FAILED %s: %s" % (name, ops))
        else:
            print("%s: %s" % (name, ", ".join(
                "%d %s" % (n, op[4:]) for op, n in sorted(ops.items()))))
    print("%d of %d models imported" % (len(names) - failures, len(names)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
