#!/usr/bin/env python3
"""Checks the gradient rules of cnnc-differentiate against central finite
differences, in float64.

Each case is a small cnn-dialect function `loss = sum(op(inputs...) * r)`
with `r` a random float64 argument of the op's result type (so that every
element of the op's result reaches the loss with its own weight), or
`loss = op(inputs...) * r` when the op's result is already a 0-d loss. For
each case the forward function (`cnnc compile f.mlir`) and its gradient
function (`cnnc-opt --cnnc-differentiate`, then `cnnc compile`) are compiled;
all cases are linked into one shared library with libcnnc_runtime.a and
called through ctypes. The inputs are random from a fixed seed, sampled away
from the points where the op is not differentiable (relu and the other
piecewise activations at their breakpoints, max-pool ties, clip bounds);
integer inputs (class labels) are passed along and get no gradient. For
every element of every float input (r included) the numeric derivative is
(f(x + h) - f(x - h)) / 2h with h = 1e-6, and the analytic gradient must
match it within |analytic - numeric| <= ATOL + RTOL * |numeric| (RTOL 1e-5,
ATOL 1e-7). The loss the gradient function returns must also equal the
forward's.

Prints one line per case, "ok NAME: max rel error E, max abs error A (N
elements)" (the relative error of an element is |analytic - numeric| /
max(|numeric|, ATOL / RTOL)) or "FAIL NAME: ...", then "N cases, M failed";
exits 1 when a case fails. A case that does not compile fails with the
compiler's message.

Usage: gradcheck.py CNNC CNNC_OPT CNNC_OBJ_ROOT OUTDIR [CASE...]
"""
import concurrent.futures
import ctypes
import os
import subprocess
import sys
import zlib

import numpy

STEP = 1e-6
RTOL = 1e-5
ATOL = 1e-7
SEED = 20240611


def t(shape, element="f64"):
    """The MLIR tensor type of `shape`."""
    if not shape:
        return "tensor<%s>" % element
    return "tensor<%sx%s>" % ("x".join(str(d) for d in shape), element)


# --- Input samplers: each takes (rng, shape) and returns an array. --------

def normal(scale=1.0):
    return lambda rng, shape: rng.standard_normal(shape) * scale


def uniform(lo, hi):
    return lambda rng, shape: rng.uniform(lo, hi, shape)


def away_from(kinks, scale=2.0, margin=0.05):
    """Normal samples, none within `margin` of a kink."""
    def sample(rng, shape):
        x = rng.standard_normal(shape) * scale
        while True:
            near = numpy.zeros(shape, dtype=bool)
            for k in kinks:
                near |= numpy.abs(x - k) < margin
            if not near.any():
                return x
            x[near] = rng.standard_normal(int(near.sum())) * scale
    return sample


def distinct(spread=2.0):
    """Values at least spread / size apart, in random order: no window or
    row holds two maxima, and no perturbation changes which one wins."""
    def sample(rng, shape):
        size = int(numpy.prod(shape))
        grid = numpy.linspace(-spread, spread, size)
        jitter = rng.uniform(-0.25, 0.25, size) * (2 * spread / max(size, 2))
        return rng.permutation(grid + jitter).reshape(shape)
    return sample


def labels(classes):
    return lambda rng, shape: rng.integers(0, classes, shape).astype(numpy.int32)


class Arg:
    def __init__(self, name, shape, sampler=None, element="f64"):
        self.name = name
        self.shape = tuple(shape)
        self.sampler = sampler or normal()
        self.element = element

    @property
    def is_float(self):
        return self.element == "f64"

    @property
    def type(self):
        return t(self.shape, self.element)


class Case:
    """`body`: MLIR lines that compute %y of shape `out` from the args."""

    def __init__(self, name, args, body, out):
        self.name = name
        self.args = args
        self.body = body if isinstance(body, list) else [body]
        self.out = tuple(out)

    def mlir(self):
        out = t(self.out)
        args = self.args + [Arg("r", self.out)]
        lines = ["func.func @%s(%s) -> tensor<f64> {" % (
            self.name, ", ".join("%%%s: %s" % (a.name, a.type) for a in args))]
        lines += ["  " + line for line in self.body]
        lines.append("  %%m = cnn.binary mul %%y, %%r : (%s, %s) -> %s"
                     % (out, out, out))
        if self.out:
            axes = ", ".join(str(d) for d in range(len(self.out)))
            lines.append("  %%s = cnn.reduce sum %%m axes [%s] : %s -> "
                         "tensor<f64>" % (axes, out))
            lines.append("  return %s : tensor<f64>")
        else:
            lines.append("  return %m : tensor<f64>")
        lines.append("}")
        return "\n".join(lines) + "\n"


# --- The cases. -----------------------------------------------------------

def conv_cases():
    def conv(name, x, w, out, strides, pads, dilations, groups, bias=False,
             xs=None):
        args = [Arg("x", x, xs), Arg("w", w)]
        operands, types = "%x, %w", [t(x), t(w)]
        if bias:
            args.append(Arg("b", (w[0],)))
            operands += ", %b"
            types.append(t((w[0],)))
        return Case(name, args,
                    "%%y = cnn.conv %s strides %s pads %s dilations %s groups "
                    "%d : (%s) -> %s" % (operands, strides, pads, dilations,
                                         groups, ", ".join(types), t(out)),
                    out)
    yield conv("conv_stride2_pads", (2, 3, 7, 7), (4, 3, 3, 3), (2, 4, 4, 3),
               [2, 2], [1, 0, 1, 1], [1, 1], 1)
    yield conv("conv_stride2_even", (1, 2, 6, 6), (3, 2, 3, 3), (1, 3, 3, 3),
               [2, 2], [1, 1, 1, 1], [1, 1], 1, bias=True)
    yield conv("conv_dilation2", (1, 2, 8, 8), (3, 2, 3, 3), (1, 3, 8, 8),
               [1, 1], [2, 2, 2, 2], [2, 2], 1)
    yield conv("conv_groups2_bias", (2, 4, 6, 6), (6, 2, 3, 3), (2, 6, 6, 6),
               [1, 1], [1, 1, 1, 1], [1, 1], 2, bias=True)
    yield conv("conv_depthwise_bias", (1, 3, 6, 6), (3, 1, 3, 3),
               (1, 3, 3, 3), [2, 2], [1, 1, 1, 1], [1, 1], 3, bias=True)
    yield conv("conv_depthwise_multiplier", (1, 2, 5, 5), (4, 1, 3, 3),
               (1, 4, 5, 5), [1, 1], [1, 1, 1, 1], [1, 1], 2)
    yield conv("conv_all", (1, 4, 9, 9), (4, 2, 3, 3), (1, 4, 4, 4),
               [2, 2], [1, 2, 1, 0], [2, 2], 2, bias=True)
    # Unit strides and dilations, one group: both gradients are
    # convolutions (the input's while the pads are below the kernel size,
    # else a transposed convolution).
    yield conv("conv_1x1", (2, 3, 4, 4), (5, 3, 1, 1), (2, 5, 4, 4),
               [1, 1], [0, 0, 0, 0], [1, 1], 1, bias=True)
    yield conv("conv_unit_pads", (2, 3, 5, 5), (4, 3, 3, 3), (2, 4, 6, 4),
               [1, 1], [1, 0, 2, 1], [1, 1], 1, bias=True)
    yield conv("conv_unit_rectangular", (1, 2, 5, 6), (3, 2, 2, 3),
               (1, 3, 5, 6), [1, 1], [0, 2, 1, 0], [1, 1], 1)
    yield conv("conv_unit_pads_beyond_kernel", (1, 3, 4, 4), (2, 3, 1, 1),
               (1, 2, 6, 5), [1, 1], [1, 1, 1, 0], [1, 1], 1)


def matmul_cases():
    def mm(name, lhs, rhs, out, flags="", bias=None, attrs=""):
        args = [Arg("a", lhs), Arg("b", rhs)]
        operands, types = "%a, %b", [t(lhs), t(rhs)]
        if bias is not None:
            args.append(Arg("c", bias))
            operands += ", %c"
            types.append(t(bias))
        return Case(name, args,
                    "%%y = cnn.matmul %s%s%s : (%s) -> %s" % (
                        operands, flags, attrs, ", ".join(types), t(out)),
                    out)
    yield mm("matmul", (3, 4), (4, 5), (3, 5))
    yield mm("matmul_bias_row", (3, 4), (4, 5), (3, 5), bias=(5,))
    yield mm("matmul_transpose_lhs", (4, 3), (4, 5), (3, 5), " transpose_lhs",
             bias=(3, 1))
    yield mm("matmul_transpose_rhs", (3, 4), (5, 4), (3, 5), " transpose_rhs",
             bias=(5,), attrs=" {alpha = 1.5 : f32, beta = 0.5 : f32}")
    yield mm("matmul_transpose_both", (4, 3), (5, 4), (3, 5),
             " transpose_lhs transpose_rhs", bias=(1, 5),
             attrs=" {alpha = -0.75 : f32, beta = 2.0 : f32}")
    yield mm("matmul_alpha_full_bias", (2, 3), (3, 4), (2, 4), bias=(2, 4),
             attrs=" {alpha = 2.0 : f32, beta = -1.25 : f32}")


def pool_cases():
    def pool(name, kind, x, out, kernel, strides, pads, dilations=(1, 1),
             flags=""):
        return Case(name, [Arg("x", x, distinct())],
                    "%%y = cnn.pool %s %%x kernel %s strides %s pads %s "
                    "dilations %s%s : %s -> %s" % (
                        kind, list(kernel), list(strides), list(pads),
                        list(dilations), flags, t(x), t(out)),
                    out)
    for kind in ("max", "avg"):
        yield pool("pool_%s_2x2_s2" % kind, kind, (2, 2, 6, 6), (2, 2, 3, 3),
                   (2, 2), (2, 2), (0, 0, 0, 0))
        yield pool("pool_%s_3x3_s2_p1" % kind, kind, (1, 2, 7, 7),
                   (1, 2, 4, 4), (3, 3), (2, 2), (1, 1, 1, 1))
        yield pool("pool_%s_ceil" % kind, kind, (1, 2, 6, 6), (1, 2, 3, 3),
                   (3, 3), (2, 2), (0, 0, 0, 0), flags=" ceil_mode")
        yield pool("pool_%s_3x3_s2_p1_ceil" % kind, kind, (1, 2, 6, 6),
                   (1, 2, 4, 4), (3, 3), (2, 2), (1, 1, 1, 1),
                   flags=" ceil_mode")
        yield pool("pool_%s_dilated" % kind, kind, (1, 2, 7, 7), (1, 2, 5, 3),
                   (2, 3), (1, 2), (0, 1, 0, 0), dilations=(2, 1))
    # Windows that tile the input, which leaves a remainder: one window per
    # position, none for the last row and columns.
    for kind in ("max", "avg"):
        yield pool("pool_%s_3x3_s3_remainder" % kind, kind, (1, 2, 7, 8),
                   (1, 2, 2, 2), (3, 3), (3, 3), (0, 0, 0, 0))
    yield pool("pool_avg_3x3_s2_p1_count_include_pad", "avg", (1, 2, 7, 7),
               (1, 2, 4, 4), (3, 3), (2, 2), (1, 1, 1, 1),
               flags=" count_include_pad")
    yield pool("pool_avg_ceil_count_include_pad", "avg", (1, 2, 6, 6),
               (1, 2, 4, 4), (3, 3), (2, 2), (1, 1, 1, 1),
               flags=" ceil_mode count_include_pad")
    for kind in ("avg", "max"):
        yield Case("global_pool_%s" % kind,
                   [Arg("x", (2, 3, 4, 5), distinct())],
                   "%%y = cnn.global_pool %s %%x : %s -> %s" % (
                       kind, t((2, 3, 4, 5)), t((2, 3, 1, 1))),
                   (2, 3, 1, 1))


def batch_norm_cases():
    x, c = (3, 2, 3, 3), (2,)
    yield Case("batch_norm_train", [
        Arg("x", x, normal(1.5)), Arg("scale", c, uniform(0.5, 1.5)),
        Arg("bias", c), Arg("mean", c), Arg("var", c, uniform(0.5, 1.5))],
        "%%y, %%rm, %%rv, %%bm, %%bis = cnn.batch_norm_train %%x, %%scale, "
        "%%bias, %%mean, %%var {epsilon = 1.0e-03 : f32, momentum = 0.9 : f32} : "
        "%s, %s" % (t(x), t(c)), x)


def activation_cases():
    shape = (2, 3, 4)
    # kind: (attributes, the points where it is not differentiable, sampler
    # scale)
    kinds = [
        ("relu", "", [0.0]),
        ("leaky_relu", "{alpha = 0.1 : f32}", [0.0]),
        ("clip", "{alpha = -0.5 : f32, beta = 1.0 : f32}", [-0.5, 1.0]),
        ("sigmoid", "", []),
        # 0.2 x + 0.5 is 0 at -2.5 and 1 at 2.5.
        ("hard_sigmoid", "{alpha = 0.2 : f32, beta = 0.5 : f32}", [-2.5, 2.5]),
        ("hard_swish", "", [-3.0, 3.0]),
        ("tanh", "", []),
        ("elu", "{alpha = 0.7 : f32}", [0.0]),
        ("selu", "{alpha = 1.6732632 : f32, beta = 1.050701 : f32}", [0.0]),
        ("softplus", "", []),
        ("gelu", "", []),
        ("gelu_tanh", "", []),
        ("silu", "", []),
    ]
    for kind, attrs, kinks in kinds:
        yield Case("activation_%s" % kind,
                   [Arg("x", shape, away_from(kinks, scale=2.5))],
                   "%%y = cnn.activation %s %%x %s: %s" % (
                       kind, attrs + " " if attrs else "", t(shape)),
                   shape)


def unary_cases():
    shape = (3, 4)
    for kind, sampler in [("exp", normal()), ("log", uniform(0.3, 3.0)),
                          ("sqrt", uniform(0.3, 3.0)), ("neg", normal()),
                          ("reciprocal", uniform(0.5, 2.0))]:
        yield Case("unary_%s" % kind, [Arg("x", shape, sampler)],
                   "%%y = cnn.unary %s %%x : %s" % (kind, t(shape)), shape)


def binary_cases():
    lhs, rhs, out = (2, 1, 4), (3, 1), (2, 3, 4)
    for kind in ("add", "sub", "mul", "div"):
        rs = uniform(0.5, 2.0) if kind == "div" else normal()
        yield Case("binary_%s_broadcast" % kind,
                   [Arg("a", lhs), Arg("b", rhs, rs)],
                   "%%y = cnn.binary %s %%a, %%b : (%s, %s) -> %s" % (
                       kind, t(lhs), t(rhs), t(out)),
                   out)
    # The same value on both sides, and a value used by two ops: the
    # gradients add up.
    shape = (2, 3)
    yield Case("binary_fan_out", [Arg("a", shape, uniform(0.5, 2.0))], [
        "%%p = cnn.binary mul %%a, %%a : (%s, %s) -> %s" % ((t(shape),) * 3),
        "%%q = cnn.binary div %%p, %%a : (%s, %s) -> %s" % ((t(shape),) * 3),
        "%%e = cnn.unary exp %%a : %s" % t(shape),
        "%%y = cnn.binary sub %%q, %%e : (%s, %s) -> %s" % ((t(shape),) * 3)],
        shape)


def data_movement_cases():
    yield Case("reshape", [Arg("x", (2, 3, 4))],
               "%%y = cnn.reshape %%x : %s -> %s" % (t((2, 3, 4)), t((6, 4))),
               (6, 4))
    yield Case("transpose", [Arg("x", (2, 3, 4))],
               "%%y = cnn.transpose %%x permutation [2, 0, 1] : %s -> %s" % (
                   t((2, 3, 4)), t((4, 2, 3))),
               (4, 2, 3))
    yield Case("concat", [Arg("a", (2, 3, 2)), Arg("b", (2, 1, 2))],
               "%%y = cnn.concat %%a, %%b, %%a axis 1 : (%s, %s, %s) -> %s" % (
                   t((2, 3, 2)), t((2, 1, 2)), t((2, 3, 2)), t((2, 7, 2))),
               (2, 7, 2))
    yield Case("slice", [Arg("x", (4, 6))],
               "%%y = cnn.slice %%x offsets [1, 2] sizes [2, 3] strides [1, 1]"
               " : %s -> %s" % (t((4, 6)), t((2, 3))),
               (2, 3))
    yield Case("pad_constant", [Arg("x", (2, 3))],
               "%%y = cnn.pad constant %%x pads [1, 0, 2, 1] "
               "{value = 5.0e-01 : f32} : %s -> %s" % (t((2, 3)), t((5, 4))),
               (5, 4))


def softmax_cases():
    for op in ("softmax", "log_softmax"):
        for axis in (0, 1):
            yield Case("%s_axis%d" % (op, axis), [Arg("x", (3, 5))],
                       "%%y = cnn.%s %%x axis %d : %s" % (op, axis, t((3, 5))),
                       (3, 5))


def reduce_cases():
    x = (2, 3, 4)
    yield Case("reduce_sum_keep", [Arg("x", x)],
               "%%y = cnn.reduce sum %%x axes [1] keep_dims : %s -> %s" % (
                   t(x), t((2, 1, 4))), (2, 1, 4))
    yield Case("reduce_mean", [Arg("x", x)],
               "%%y = cnn.reduce mean %%x axes [0, 2] : %s -> %s" % (
                   t(x), t((3,))), (3,))
    yield Case("reduce_mean_all", [Arg("x", x)],
               "%%y = cnn.reduce mean %%x axes [0, 1, 2] : %s -> %s" % (
                   t(x), t(())), ())


def loss_cases():
    n, c = 4, 5
    for reduction, out in (("mean", ()), ("sum", ()), ("none", (n,))):
        for smoothing in ((0.1, 0.0) if reduction == "mean" else (0.2,)):
            name = "softmax_cross_entropy_%s" % reduction
            if smoothing == 0.0:
                name += "_unsmoothed"
            yield Case(name, [
                Arg("logits", (n, c)),
                Arg("labels", (n,), labels(c), element="i32")],
                "%%y = cnn.softmax_cross_entropy %%logits, %%labels reduction "
                "%s {label_smoothing = %s : f32} : (%s, %s) -> %s" % (
                    reduction, repr(smoothing), t((n, c)), t((n,), "i32"),
                    t(out)), out)
    for reduction, out in (("mean", ()), ("sum", ()), ("none", (3, 4))):
        yield Case("mse_loss_%s" % reduction,
                   [Arg("p", (3, 4)), Arg("q", (3, 4))],
                   "%%y = cnn.mse_loss %%p, %%q reduction %s : (%s, %s) -> %s"
                   % (reduction, t((3, 4)), t((3, 4)), t(out)), out)


def network_cases():
    # A small LeNet-like chain through every kind of layer, ending in the
    # cross-entropy: the gradients flow through several rules in a row.
    x, w1, w2 = (2, 1, 6, 6), (3, 1, 3, 3), (4, 12)
    yield Case("network", [
        Arg("x", x), Arg("w1", w1), Arg("b1", (3,)), Arg("w2", w2),
        Arg("b2", (4,)), Arg("labels", (2,), labels(4), element="i32")], [
        "%%c = cnn.conv %%x, %%w1, %%b1 strides [1, 1] pads [1, 1, 1, 1] "
        "dilations [1, 1] groups 1 : (%s, %s, %s) -> %s" % (
            t(x), t(w1), t((3,)), t((2, 3, 6, 6))),
        "%%a = cnn.activation tanh %%c : %s" % t((2, 3, 6, 6)),
        "%%p = cnn.pool avg %%a kernel [3, 3] strides [3, 3] pads [0, 0, 0, 0]"
        " dilations [1, 1] : %s -> %s" % (t((2, 3, 6, 6)), t((2, 3, 2, 2))),
        "%%f = cnn.reshape %%p : %s -> %s" % (t((2, 3, 2, 2)), t((2, 12))),
        "%%l = cnn.matmul %%f, %%w2, %%b2 transpose_rhs : (%s, %s, %s) -> %s"
        % (t((2, 12)), t(w2), t((4,)), t((2, 4))),
        "%%y = cnn.softmax_cross_entropy %%l, %%labels reduction mean "
        "{label_smoothing = 5.0e-02 : f32} : (%s, %s) -> %s" % (
            t((2, 4)), t((2,), "i32"), t(()))], ())


def all_cases():
    for group in (conv_cases, matmul_cases, pool_cases, batch_norm_cases,
                  activation_cases, unary_cases, binary_cases,
                  data_movement_cases, softmax_cases, reduce_cases,
                  loss_cases, network_cases):
        yield from group()


# --- Compilation. ---------------------------------------------------------

def compile_case(case, cnnc, cnnc_opt, outdir):
    """Writes and compiles the forward and the gradient of `case`; returns
    None, or the error."""
    base = os.path.join(outdir, case.name)
    with open(base + ".mlir", "w") as f:
        f.write(case.mlir())
    steps = [
        [cnnc_opt, base + ".mlir", "--cnnc-differentiate", "-o",
         base + "-grad.mlir"],
        [cnnc, "compile", base + ".mlir", "-o", base + "-fwd.o", "--name",
         "fwd_" + case.name],
        [cnnc, "compile", base + "-grad.mlir", "-o", base + "-grad.o",
         "--name", "grad_" + case.name],
    ]
    for step in steps:
        try:
            result = subprocess.run(step, capture_output=True, text=True)
        except OSError as e:
            return "%s: %s" % (step[0], e)
        if result.returncode != 0:
            return "%s failed:\n%s" % (" ".join(os.path.basename(s) for s in
                                                step[:2]), result.stderr)
    return None


def link(objects, obj_root, outdir):
    library = os.path.join(outdir, "gradcheck.so")
    subprocess.run(["c++", "-shared", "-o", library] + objects +
                   ["-L" + os.path.join(obj_root, "lib"), "-lcnnc_runtime",
                    "-pthread", "-lm"], check=True)
    return ctypes.CDLL(library)


# --- The check. -----------------------------------------------------------

class Function:
    """A compiled function, called on numpy arrays."""

    def __init__(self, library, name, inputs, output_shapes):
        self.run = getattr(library, name + "_run")
        self.run.restype = ctypes.c_int
        self.run.argtypes = [ctypes.c_void_p] * 3
        self.outputs = [numpy.zeros(s, dtype=numpy.float64)
                        for s in output_shapes]
        self.inputs = inputs
        self.input_pointers = (ctypes.c_void_p * len(inputs))(
            *[a.ctypes.data for a in inputs])
        self.output_pointers = (ctypes.c_void_p * len(self.outputs))(
            *[a.ctypes.data for a in self.outputs])

    def __call__(self):
        if self.run(self.input_pointers, self.output_pointers, None) != 0:
            raise RuntimeError("%s failed" % self.run.__name__)
        return self.outputs


def check(case, library, rng):
    args = case.args + [Arg("r", case.out)]
    inputs = []
    for a in args:
        value = a.sampler(rng, a.shape)
        dtype = numpy.float64 if a.is_float else numpy.int32
        inputs.append(numpy.ascontiguousarray(value, dtype=dtype))
    float_inputs = [x for a, x in zip(args, inputs) if a.is_float]
    forward = Function(library, "fwd_" + case.name, inputs, [()])
    gradient = Function(library, "grad_" + case.name, inputs,
                        [()] + [x.shape for x in float_inputs])
    results = [o.copy() for o in gradient()]
    loss = float(forward()[0])
    problems = []
    if abs(results[0] - loss) > ATOL + RTOL * abs(loss):
        problems.append("loss %r, forward %r" % (float(results[0]), loss))
    worst_rel = worst_abs = 0.0
    count = 0
    for a, x, analytic in zip([a for a in args if a.is_float], float_inputs,
                              results[1:]):
        numeric = numpy.zeros(x.shape)
        flat, out = x.reshape(-1), numeric.reshape(-1)
        for i in range(flat.size):
            original = flat[i]
            flat[i] = original + STEP
            up = float(forward()[0])
            flat[i] = original - STEP
            down = float(forward()[0])
            flat[i] = original
            out[i] = (up - down) / (2 * STEP)
        error = numpy.abs(analytic - numeric)
        bad = error > ATOL + RTOL * numpy.abs(numeric)
        count += numeric.size
        worst_abs = max(worst_abs, float(error.max()))
        worst_rel = max(worst_rel, float(
            (error / numpy.maximum(numpy.abs(numeric), ATOL / RTOL)).max()))
        if bad.any():
            i = numpy.unravel_index(int(numpy.argmax(
                error / (ATOL + RTOL * numpy.abs(numeric)))), x.shape)
            problems.append("d/d%s: %d of %d elements off, e.g. at %s "
                            "analytic %.9g numeric %.9g" % (
                                a.name, int(bad.sum()), x.size, list(i),
                                analytic[i], numeric[i]))
    summary = "max rel error %.2e, max abs error %.2e (%d elements)" % (
        worst_rel, worst_abs, count)
    return problems, summary


def preload_sanitizer():
    """Under `make test-sanitize` gradcheck.so links the runtime built with
    ASan into this uninstrumented Python, which works only with ASan's
    runtime loaded first: the script runs itself again with it preloaded
    (and without leak checks, which Python's own allocations would fail).
    The commands it starts, cnnc among them, get the environment they were
    given."""
    if not os.environ.get("CNNC_SANITIZE"):
        return
    if "CNNC_GRADCHECK_ENV" in os.environ:
        for name in ("LD_PRELOAD", "ASAN_OPTIONS"):
            os.environ.pop(name, None)
        for entry in os.environ.pop("CNNC_GRADCHECK_ENV").split("\0"):
            if entry:
                name, value = entry.split("=", 1)
                os.environ[name] = value
        return
    runtime = subprocess.run(
        ["/usr/lib/llvm-22/bin/clang", "-print-file-name=libclang_rt.asan-x86_64.so"],
        capture_output=True, text=True, check=True).stdout.strip()
    saved = "\0".join(f"{name}={os.environ[name]}"
                      for name in ("LD_PRELOAD", "ASAN_OPTIONS")
                      if name in os.environ)
    env = dict(os.environ, LD_PRELOAD=runtime, CNNC_GRADCHECK_ENV=saved,
               ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


def main():
    preload_sanitizer()
    if len(sys.argv) < 5:
        print(__doc__)
        return 2
    cnnc, cnnc_opt, obj_root, outdir = sys.argv[1:5]
    only = set(sys.argv[5:])
    os.makedirs(outdir, exist_ok=True)
    cases = [c for c in all_cases() if not only or c.name in only]
    names = [c.name for c in cases]
    assert len(set(names)) == len(names), "case names are unique"
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        errors = list(pool.map(
            lambda c: compile_case(c, cnnc, cnnc_opt, outdir), cases))
    objects = []
    for case, error in zip(cases, errors):
        if error is None:
            base = os.path.join(outdir, case.name)
            objects += [base + "-fwd.o", base + "-grad.o"]
    library = link(objects, obj_root, outdir) if objects else None
    failed = 0
    for case, error in zip(cases, errors):
        if error is not None:
            failed += 1
            print("FAIL %s: %s" % (case.name, error.strip()))
            continue
        # Each case draws from its own stream: the same inputs when run alone.
        rng = numpy.random.default_rng([SEED, zlib.crc32(case.name.encode())])
        problems, summary = check(case, library, rng)
        if problems:
            failed += 1
            print("FAIL %s: %s; %s" % (case.name, summary, "; ".join(problems)))
        else:
            print("ok %s: %s" % (case.name, summary))
        sys.stdout.flush()
    print("%d cases, %d failed" % (len(cases), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
