"""What the conformance scripts share: the float part of the conformance
list, a test's graph inputs and their .pb files, and running cnnc with
graph inputs bound to constants the way `cnnc run` binds them.
"""
import os
import re
import subprocess

import onnx


def float_tests(list_path):
    """The tests above the `# int8` line of the conformance list."""
    return tests_of_part(list_path, "float")


def tests_of_part(list_path, part):
    """The tests of one part of the conformance list: "float" (above the
    `# int8` line) or "int8" (below it)."""
    tests = []
    current = "float"
    with open(list_path) as f:
        for line in f:
            line = line.strip()
            if line == "# int8":
                current = "int8"
            elif line and not line.startswith("#") and current == part:
                tests.append(line)
    return tests


def input_files(test_dir):
    """Graph input name -> the .pb file of test_data_set_0 holding it, in
    graph order (initializers are not inputs)."""
    model = onnx.load(os.path.join(test_dir, "model.onnx"))
    initializers = {i.name for i in model.graph.initializer}
    names = [i.name for i in model.graph.input if i.name not in initializers]
    data = os.path.join(test_dir, "test_data_set_0")
    return {name: os.path.join(data, "input_%d.pb" % i)
            for i, name in enumerate(names)}


def run_binding_constants(command, files, bound):
    """Runs cnnc `command` with `--const` for the names in `bound` (a list,
    extended in place); when cnnc asks for another input as a constant it
    is bound from `files` and the command runs again."""
    while True:
        result = subprocess.run(
            command + ["--const=%s=%s" % (n, files[n]) for n in bound],
            capture_output=True, text=True)
        if result.returncode == 0:
            return result
        wanted = [n for n in re.findall(r"--const (\S+)=FILE\.pb",
                                        result.stderr)
                  if n in files and n not in bound]
        if not wanted:
            return result
        bound.extend(wanted)
