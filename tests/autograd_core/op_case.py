"""The record of one op test case, `OpCase`, and the input domains cases draw from."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

import autograd_core as ag

Domain = Callable[[np.random.Generator, tuple], np.ndarray]


# ---- input domains: where an op is smooth, so finite differences are meaningful ---------------
def normal(rng, shape):
    return rng.standard_normal(shape)


def positive(rng, shape):
    """For log, sqrt, pow with a tensor exponent, division."""
    return rng.uniform(0.5, 2.0, shape)


def away_from_zero(rng, shape):
    """For abs, relu, sign and divisors: |x| >= 0.3, far from the kink at 0."""
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.3, 1.5, shape)


def distinct(offset=0.0):
    """Shuffled values on a grid of step 0.25 shifted by 0.1 + offset: no ties. With offset 0
    no value is within 0.1 of 0 or +-0.5 (the kinks of relu, abs and the clamps used here);
    inputs drawn with different offsets below 0.25 never tie with each other either."""

    def draw(rng, shape):
        n = math.prod(shape)
        grid = 0.1 + offset + 0.25 * (rng.permutation(n) - n // 2)
        return grid.reshape(shape)

    return draw


def large(rng, shape):
    """Values around -1000, 0 and 1000: exp overflows unless the op subtracts the max."""
    return 1000.0 * rng.choice([-1.0, 0.0, 1.0], shape) + rng.standard_normal(shape)


def rounded(rng, shape):
    """Whole numbers in float: equal elements occur (for comparisons and ties)."""
    return np.round(2 * rng.standard_normal(shape))


def integers(rng, shape):
    return rng.integers(-3, 4, shape)


def nonzero_integers(rng, shape):
    return rng.choice([-3, -2, -1, 1, 2, 3], shape)


def fixed(values):
    """Exact inputs (ties, zeros, kinks): the shape must match the case's shape."""

    def draw(rng, shape):
        array = np.asarray(values)
        assert array.shape == tuple(shape), (array.shape, shape)
        return array.copy()

    return draw


# ---- the case ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class OpCase:
    """One op on one set of input shapes.

    `fn` takes tensors and uses the library; `ref` takes NumPy arrays (float64 for float
    inputs, int64 for `int_inputs`) and returns what PyTorch would. `out_dtypes` names each
    output's dtype: "float" (the float inputs' dtype), "default" (the default float dtype),
    "int64" or "bool". `grad_ref(upstream, *inputs)` gives expected gradients where finite
    differences can't (ties, zeros, kinks); such cases set grad=False.
    """

    name: str
    fn: Callable[..., Any]
    ref: Callable[..., Any]
    shapes: tuple
    domain: Domain | tuple = normal
    int_inputs: tuple = ()
    out_dtypes: tuple | None = None
    grad: bool = True
    gradgrad: bool = True
    grad_ref: Callable[..., Any] | None = None
    known_grad_bug: str = ""  # a library bug that breaks this case's gradient (strict xfail)
    transposable: bool = True  # False where the op refuses a transposed input, as view does

    def domains(self):
        if isinstance(self.domain, tuple):
            return self.domain
        return (self.domain,) * len(self.shapes)

    def make_inputs(self, seed=0):
        """NumPy inputs: float64 arrays, int64 for integer inputs."""
        rng = np.random.default_rng(seed)
        arrays = []
        for i, (shape, domain) in enumerate(zip(self.shapes, self.domains())):
            if i in self.int_inputs:
                draw = integers if domain is normal else domain
                arrays.append(np.asarray(draw(rng, shape), dtype=np.int64))
            else:
                arrays.append(np.asarray(domain(rng, shape), dtype=np.float64))
        return arrays

    def tensors(self, arrays, dtype, device, requires_grad=False):
        """Library tensors from `make_inputs`' arrays: floats in `dtype`, integers as they are."""
        return [
            ag.tensor(a, device=device)
            if i in self.int_inputs
            else ag.tensor(a.astype(dtype), device=device, requires_grad=requires_grad)
            for i, a in enumerate(arrays)
        ]

    def reference_inputs(self, arrays, dtype):
        """The inputs as the op saw them (rounded to `dtype`), in float64 for the reference."""
        return [
            a if i in self.int_inputs else a.astype(dtype).astype(np.float64)
            for i, a in enumerate(arrays)
        ]

    def float_positions(self):
        return [i for i in range(len(self.shapes)) if i not in self.int_inputs]

    @property
    def differentiable(self):
        """Whether gradcheck applies: float inputs, a float output, smooth where drawn."""
        kinds = self.out_dtypes or ("float",)
        floats_out = any(kind in ("float", "float32", "float64") for kind in kinds)
        return self.grad and bool(self.float_positions()) and floats_out
