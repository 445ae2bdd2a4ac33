"""`gradcheck` and `gradgradcheck`: compare backward with finite differences in float64."""

from __future__ import annotations

import numpy as np

from . import backend
from .engine import grad
from .tensor import Tensor


def _as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _differentiable(inputs):
    return [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]


def _check_float64(inputs, name):
    for t in inputs:
        if isinstance(t, Tensor) and t.requires_grad and t.dtype != np.float64:
            raise ValueError(
                f"{name}: inputs that require grad must be float64 for finite differences to "
                f"be meaningful, got {t.dtype} (use .double())"
            )


def _private_rng(seed, stream):
    """gradcheck's own generator for upstream gradients: Philox, not the PCG64 behind
    `ag.randn`, so after `ag.manual_seed(seed)` it never repeats the inputs a test drew (with
    an upstream gradient equal to the input, a backward that transposes wrongly passes), and
    drawing from it leaves the library's random state as it was."""
    return np.random.Generator(np.random.Philox(np.random.SeedSequence([stream, seed])))


def _outputs(fn, inputs):
    return [o for o in _as_tuple(fn(*inputs)) if isinstance(o, Tensor) and o.dtype.kind == "f"]


def _numerical_jacobian_vector(fn, inputs, index, cotangents, eps):
    """d<cotangents, fn(inputs)>/d inputs[index], by central differences, element by element."""
    t = inputs[index]
    # probes write through a flat view, which only a C-contiguous array has (NumPy or CuPy)
    if not t._data.flags.c_contiguous:
        raise ValueError("gradcheck: inputs must be contiguous in memory (use .contiguous())")
    flat = t._data.reshape(-1)  # restored after each probe
    result = np.zeros(flat.size)
    for k in range(flat.size):
        original = flat[k].item()
        flat[k] = original + eps
        plus = _weighted(fn, inputs, cotangents)
        flat[k] = original - eps
        minus = _weighted(fn, inputs, cotangents)
        flat[k] = original
        result[k] = (plus - minus) / (2 * eps)
    return result.reshape(t.shape)


def _weighted(fn, inputs, cotangents):
    # recorded on purpose: gradgradcheck's fn itself calls grad()
    outs = _outputs(fn, inputs)
    return sum(float((backend.to_numpy(o._data) * c).sum()) for o, c in zip(outs, cotangents))


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, seed=0, raise_exception=True):
    """Check the gradients of `fn(*inputs)` against central finite differences.

    A random upstream gradient is used for each output, so every element of the Jacobian
    matters; it comes from a generator of gradcheck's own (seeded by `seed`), so it is never
    the stream `ag.randn` draws after `ag.manual_seed`, and the global random state is left
    untouched. Returns True, or raises (or returns False) naming the worst element.

    >>> import autograd_core as ag
    >>> x = ag.randn(3, dtype=ag.float64, requires_grad=True)
    >>> ag.gradcheck(lambda x: (x * x).sum(), (x,))
    True
    """
    inputs = _as_tuple(inputs)
    _check_float64(inputs, "gradcheck")
    rng = _private_rng(seed, stream=0)
    outs = _outputs(fn, inputs)
    if not outs:
        raise ValueError("gradcheck: fn returned no floating point tensor")
    cotangents = [rng.standard_normal(o.shape) for o in outs]
    wanted = _differentiable(inputs)
    if not wanted:
        raise ValueError("gradcheck: no input requires grad")
    upstream = [
        Tensor._wrap(backend.to_device(c.astype(o.dtype), o.device))
        for o, c in zip(outs, cotangents)
    ]
    # an output that needs no gradient (the constant derivative of a linear fn, checked by
    # gradgradcheck) contributes zeros
    live = [(o, u) for o, u in zip(outs, upstream) if o.requires_grad]
    if live:
        analytic = grad(
            [o for o, _ in live], [inputs[i] for i in wanted], [u for _, u in live],
            allow_unused=True,
        )  # fmt: skip
    else:
        analytic = [None] * len(wanted)
    for i, g in zip(wanted, analytic):
        numeric = _numerical_jacobian_vector(fn, inputs, i, cotangents, eps)
        got = np.zeros_like(numeric) if g is None else backend.to_numpy(g._data).astype(np.float64)
        if g is not None and g.dtype != inputs[i].dtype:
            return _fail(
                raise_exception,
                f"gradient for input {i} has dtype {g.dtype}, input has {inputs[i].dtype}",
            )
        error = np.abs(got - numeric) - (atol + rtol * np.abs(numeric))
        if (error > 0).any():
            worst = np.unravel_index(np.argmax(error), error.shape)
            return _fail(
                raise_exception,
                f"gradcheck: backward and finite differences disagree for input {i} (shape "
                f"{tuple(inputs[i].shape)}) at index {tuple(int(w) for w in worst)}: "
                f"backward {got[worst]:.8g}, numerical {numeric[worst]:.8g}",
            )
    return True


def gradgradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, seed=0, raise_exception=True):
    """Check second derivatives: gradcheck of the (create_graph=True) gradient of `fn`."""
    inputs = _as_tuple(inputs)
    _check_float64(inputs, "gradgradcheck")
    rng = _private_rng(seed, stream=1)
    outs = _outputs(fn, inputs)
    cotangents = [
        Tensor._wrap(backend.to_device(rng.standard_normal(o.shape), o.device)) for o in outs
    ]
    wanted = _differentiable(inputs)

    def first_derivative(*args):
        outputs = _outputs(fn, args)
        grads = grad(
            outputs, [args[i] for i in wanted], cotangents, create_graph=True, allow_unused=True
        )
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivative, inputs, eps, atol, rtol, seed, raise_exception)


def _fail(raise_exception, message):
    if raise_exception:
        raise AssertionError(message)
    return False
