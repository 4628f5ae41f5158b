"""Differential fuzzing of whole networks: cnnc against ONNX Runtime.

  fuzz-nets.py --cnnc BIN --node-modules DIR --seeds FIRST:LAST --work DIR
               [--all-configs] [--jobs J] [--failures DIR]

For every seed, netgen.py makes a random valid network and its input;
ONNX Runtime (onnxruntime-node, optimizations off: its reference kernels)
computes the expected output, and `cnnc run --check` compares cnnc's within
the tolerances below under a set of configurations: -O0, -O2, every
--conv-algorithm and, on an AVX-512 host, --mcpu=x86-64-v3 (the AVX2 code).
--all-configs runs every configuration on every graph (make fuzz-nets);
without it each graph runs at -O2 and one other configuration chosen by its
seed, so a fixed-seed batch still covers them all (make test).

A failure is any configuration that crashes, refuses the valid graph (exit
2) or computes other numbers. Each is shrunk automatically: the graph is cut
at the earliest tensor where it still fails, then nodes that keep their
input's shape are bypassed one by one while it still fails; the reproducer
(model.onnx, input_0.pb, output_0.pb from ONNX Runtime and command.sh) goes
to --failures/seed-N. The last line is "netgen: G graphs, R runs, F failed".
"""
import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys

import numpy as np
import onnx
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netgen  # noqa: E402

# numpy.allclose semantics: |cnnc - ort| <= atol + rtol * |ort|. Winograd
# transforms lose a few more bits than a direct sum.
TOLERANCE = {"default": (1e-3, 1e-4), "winograd": (2e-3, 1e-3)}


def configurations():
    configs = [["--O0"], ["--O2"], ["--conv-algorithm=direct"],
               ["--conv-algorithm=im2col"], ["--conv-algorithm=winograd2"],
               ["--conv-algorithm=winograd4"]]
    with open("/proc/cpuinfo") as f:
        if "avx512f" in f.read().split():
            configs.append(["--mcpu=x86-64-v3"])
    return configs


def tolerance(config):
    kind = "winograd" if any("winograd" in c for c in config) else "default"
    return TOLERANCE[kind]


class Reference:
    """ONNX Runtime through ort-batch.js, many models per Node process."""

    def __init__(self, node_modules):
        self.env = dict(os.environ, NODE_PATH=node_modules)
        self.script = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                   "ort-batch.js")

    def run(self, dirs, listing):
        with open(listing, "w") as f:
            for d in dirs:
                shape = "x".join(str(v) for v in np.load(
                    os.path.join(d, "input.npy"), mmap_mode="r").shape)
                f.write(f"{d}/model.onnx {d}/input.raw {shape} {d}/ort.raw\n")
        subprocess.run(["node", self.script, listing], env=self.env,
                       check=True)
        results = {}
        for d in dirs:
            error = os.path.join(d, "ort.raw.error")
            if os.path.exists(error):
                results[d] = open(error).read().strip()
                continue
            with open(os.path.join(d, "ort.raw.dims")) as f:
                dims = [int(v) for v in f.read().split("x") if v.strip()]
            data = np.fromfile(os.path.join(d, "ort.raw"), np.float32)
            tensor = numpy_helper.from_array(data.reshape(dims), "output")
            with open(os.path.join(d, "output_0.pb"), "wb") as f:
                f.write(tensor.SerializeToString())
            results[d] = None
        return results


def write_case(d, model, data):
    os.makedirs(d, exist_ok=True)
    onnx.save(model, os.path.join(d, "model.onnx"))
    np.save(os.path.join(d, "input.npy"), data)
    data.tofile(os.path.join(d, "input.raw"))
    with open(os.path.join(d, "input_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(data, "input").SerializeToString())


def cnnc_command(cnnc, d, config):
    rtol, atol = tolerance(config)
    return [cnnc, "run", os.path.join(d, "model.onnx"), "--check", d,
            f"--rtol={rtol}", f"--atol={atol}"] + config


def run_cnnc(cnnc, d, config):
    """None when cnnc agrees with the reference, else what went wrong."""
    try:
        run = subprocess.run(cnnc_command(cnnc, d, config), capture_output=True,
                             text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return "no exit within 300 s"
    if run.returncode == 0:
        return None
    what = {1: "mismatch", 2: "refused a valid graph"}.get(
        run.returncode, f"exit {run.returncode}" if run.returncode > 0
        else f"crash (signal {-run.returncode})")
    return what + ": " + " ".join((run.stdout + run.stderr).split())[:400]


def shapes_of(model):
    inferred = onnx.shape_inference.infer_shapes(model)
    shapes = {}
    for info in list(inferred.graph.value_info) + list(inferred.graph.output):
        dims = info.type.tensor_type.shape.dim
        shapes[info.name] = [d.dim_value for d in dims]
    return shapes


def prune(model, output):
    """The model cut at tensor `output`: the nodes it needs, nothing else."""
    shapes = shapes_of(model)
    needed, nodes = {output}, []
    for node in reversed(model.graph.node):
        if any(o in needed for o in node.output):
            nodes.append(node)
            needed.update(i for i in node.input if i)
    graph = onnx.helper.make_graph(
        list(reversed(nodes)), model.graph.name, model.graph.input,
        [onnx.helper.make_tensor_value_info(output, onnx.TensorProto.FLOAT,
                                            shapes.get(output))],
        [t for t in model.graph.initializer if t.name in needed])
    return onnx.helper.make_model(graph, opset_imports=model.opset_import,
                                  ir_version=model.ir_version)


def bypass(model, index):
    """The model without node `index`, its consumers reading its input; None
    when that would change a shape."""
    node = model.graph.node[index]
    shapes = shapes_of(model)
    source, out = node.input[0], node.output[0]
    src_shape = shapes.get(source) or list(
        d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim)
    if shapes.get(out) != src_shape or out == model.graph.output[0].name:
        return None
    smaller = onnx.ModelProto()
    smaller.CopyFrom(model)
    del smaller.graph.node[index]
    for other in smaller.graph.node:
        for i, name in enumerate(other.input):
            if name == out:
                other.input[i] = source
    return prune(smaller, smaller.graph.output[0].name)


def shrink(model, data, config, cnnc, reference, work):
    """The smallest failing form of `model` the two reductions find."""
    trial = [0]

    def fails(candidate):
        trial[0] += 1
        d = os.path.join(work, f"shrink-{trial[0]}")
        write_case(d, candidate, data)
        if reference.run([d], os.path.join(d, "list"))[d] is not None:
            return False
        return run_cnnc(cnnc, d, config) is not None

    for node in model.graph.node:
        candidate = prune(model, node.output[0])
        if len(candidate.graph.node) < len(model.graph.node) and fails(candidate):
            model = candidate
            break
    changed = True
    while changed:
        changed = False
        for index in range(len(model.graph.node)):
            candidate = bypass(model, index)
            if candidate is not None and fails(candidate):
                model, changed = candidate, True
                break
    return model


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cnnc", required=True)
    parser.add_argument("--node-modules", required=True)
    parser.add_argument("--seeds", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--failures")
    parser.add_argument("--all-configs", action="store_true")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--chunk", type=int, default=200)
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(args.node_modules, "onnxruntime-node")):
        sys.exit(f"fuzz-nets.py: no onnxruntime-node in {args.node_modules} "
                 "(benchmarks/harness/install-onnxruntime.sh installs it)")
    first, last = (int(v) for v in args.seeds.split(":"))
    failures_dir = args.failures or os.path.join(args.work, "failures")
    configs = configurations()
    others = [config for config in configs if config != ["--O2"]]
    reference = Reference(args.node_modules)
    graphs = runs = 0
    failures = []
    for start in range(first, last + 1, args.chunk):
        seeds = range(start, min(start + args.chunk, last + 1))
        chunk_dir = os.path.join(args.work, f"chunk-{start}")
        shutil.rmtree(chunk_dir, ignore_errors=True)
        cases = {}
        for seed in seeds:
            model, data = netgen.generate(seed)
            d = os.path.join(chunk_dir, f"seed-{seed}")
            write_case(d, model, data)
            cases[d] = (seed, model, data)
        results = reference.run(list(cases), os.path.join(chunk_dir, "list"))
        jobs = []
        for d, error in results.items():
            seed = cases[d][0]
            if error is not None:
                failures.append((seed, None, f"ONNX Runtime refused it: {error}"))
                continue
            graphs += 1
            chosen = configs if args.all_configs else \
                [["--O2"], others[seed % len(others)]]
            jobs += [(d, config) for config in chosen]
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            outcomes = list(pool.map(lambda j: run_cnnc(args.cnnc, *j), jobs))
        runs += len(jobs)
        for (d, config), outcome in zip(jobs, outcomes):
            if outcome is None:
                continue
            seed, model, data = cases[d]
            small = shrink(model, data, config, args.cnnc, reference,
                           os.path.join(chunk_dir, f"shrink-{seed}"))
            out = os.path.join(failures_dir, f"seed-{seed}{''.join(config).replace('-', '_')}")
            write_case(out, small, data)
            reference.run([out], os.path.join(out, "list"))
            for scratch in ("list", "input.npy", "input.raw", "ort.raw",
                            "ort.raw.dims"):
                os.remove(os.path.join(out, scratch))
            with open(os.path.join(out, "command.sh"), "w") as f:
                f.write("# " + outcome + "\n" +
                        " ".join(cnnc_command("cnnc", ".", config)) + "\n")
            failures.append((seed, config, f"{outcome} (reproducer with "
                             f"{len(small.graph.node)} of "
                             f"{len(model.graph.node)} nodes: {out})"))
        shutil.rmtree(chunk_dir, ignore_errors=True)
        print(f"netgen: seeds {seeds.start}-{seeds.stop - 1}: {len(failures)} "
              "failed so far", flush=True)
    for seed, config, what in failures:
        print(f"FAIL seed {seed} {' '.join(config or [])}: {what}")
    print(f"netgen: {graphs} graphs, {runs} runs, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
