"""The op table: every op of the engine declared once, with its NumPy reference, the inputs it
takes and which gradient checks apply. test_ops.py and test_parity.py generate their tests
from `CASES`."""

from __future__ import annotations

import math

import numpy as np
import pytest
from op_case import (
    OpCase,
    away_from_zero,
    distinct,
    fixed,
    integers,
    large,
    nonzero_integers,
    normal,
    positive,
    rounded,
)

import autograd_core as ag

CASES: list[OpCase] = []

# some cases compute NaN and inf on purpose (var of one element, log of 0, 0 * inf)
EDGE_CASE_WARNINGS = [
    pytest.mark.filterwarnings("ignore:Degrees of freedom <= 0:RuntimeWarning"),
    pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning"),
    pytest.mark.filterwarnings("ignore:divide by zero encountered:RuntimeWarning"),
]


def case(name, fn, ref, *shapes, **options):
    CASES.append(OpCase(name, fn, ref, tuple(shapes), **options))


def _on(t, values, dtype=None):
    """A constant next to tensor `t` (same device): masks, conditions, index tensors."""
    return ag.tensor(np.asarray(values), dtype=dtype, device=t.device)


# ---- arithmetic, with broadcasting and Python scalars on either side --------------------------
case("add", lambda a, b: a + b, np.add, (3, 4), (3, 4))
case("add-broadcast", lambda a, b: a + b, np.add, (3, 1, 4), (2, 4))
case("add-0d", lambda a, b: ag.add(a, b), np.add, (), (3,))
case("add-scalar", lambda a: a + 2.5, lambda a: a + 2.5, (3,))
case("radd-scalar", lambda a: 2.5 + a, lambda a: 2.5 + a, (3,))
case("add-int-tensor", lambda a, i: a + i, np.add, (2, 3), (2, 3), int_inputs=(1,))
case(
    "add-int-int",
    lambda i, j: i + j,
    np.add,
    (2, 3),
    (2, 3),
    int_inputs=(0, 1),
    out_dtypes=("int64",),
)
case("mul-0d", lambda a, b: a * b, np.multiply, (), (2, 3))
case("div-0d", lambda a, b: a / b, np.divide, (2, 3), (), domain=(normal, away_from_zero))
case("exp-0d", ag.exp, np.exp, ())
case("sum-0d", ag.sum, np.sum, ())
case("softmax-0d", lambda a: ag.softmax(a, dim=0), np.ones_like, ())
case("sub", lambda a, b: a - b, np.subtract, (3, 4), (3, 4))
case("sub-broadcast", lambda a, b: a - b, np.subtract, (2, 1), (1, 3))
case("sub-0d", lambda a, b: a - b, np.subtract, (3,), ())
case("rsub-scalar", lambda a: 2 - a, lambda a: 2 - a, (3,))
case("mul", lambda a, b: a * b, np.multiply, (3, 4), (3, 4))
case("mul-broadcast", lambda a, b: a * b, np.multiply, (4,), (3, 4))
case("mul-broadcast-3d", lambda a, b: a * b, np.multiply, (3, 1, 4), (2, 4))
case("rmul-scalar", lambda a: 3 * a, lambda a: 3 * a, (2, 2))
case("div", lambda a, b: a / b, np.divide, (3, 4), (3, 4), domain=(normal, away_from_zero))
case(
    "div-broadcast",
    lambda a, b: a / b,
    np.divide,
    (3, 1, 4),
    (2, 4),
    domain=(normal, away_from_zero),
)
case("div-scalar", lambda a: a / 4, lambda a: a / 4, (3,))
case("rdiv-scalar", lambda a: 2 / a, lambda a: 2 / a, (3,), domain=away_from_zero)
case(
    "div-int-int",
    lambda i, j: i / j,
    lambda i, j: (i / j).astype(np.float32),  # true division, in the default float dtype
    (2, 3),
    (2, 3),
    int_inputs=(0, 1),
    domain=(integers, nonzero_integers),
    out_dtypes=("default",),
)
case("neg", lambda a: -a, np.negative, (2, 3))
case("neg-fn", lambda a: ag.neg(a), np.negative, (4,))
case("pow", lambda a, b: a**b, np.power, (3, 4), (3, 4), domain=(positive, normal))
case("pow-broadcast", lambda a, b: a**b, np.power, (2, 3), (3,), domain=(positive, normal))
case("pow-0d-exponent", lambda a, b: ag.pow(a, b), np.power, (3,), (), domain=positive)
case("pow-2", lambda a: a**2, lambda a: a**2, (3, 4))
case("pow-3", lambda a: a**3, lambda a: a**3, (3, 4))
case("pow-half", lambda a: a**0.5, np.sqrt, (3, 4), domain=positive)
case("pow-minus-1", lambda a: a**-1, lambda a: 1 / a, (3,), domain=away_from_zero)
case("pow-0", lambda a: a**0, np.ones_like, (3,))
case(
    "pow-zero-base",
    lambda a, b: a**b,
    np.power,
    (3,),
    (3,),
    domain=(fixed([0.0, 1.5, 0.0]), fixed([2.0, 0.5, 0.0])),
    grad=False,
    # PyTorch: d/db of 0^b is 0 for b >= 0 (0 * log 0 would be NaN)
    grad_ref=lambda g, a, b: (
        g * np.array([0.0, 0.5 * 1.5**-0.5, 0.0]),
        g * np.array([0.0, 1.5**0.5 * np.log(1.5), 0.0]),
    ),
)
case("rpow-scalar", lambda a: 2**a, lambda a: 2.0**a, (3, 2))
case("square", lambda a: a.square(), np.square, (3,))
case("reciprocal", lambda a: a.reciprocal(), np.reciprocal, (3,), domain=away_from_zero)
case(
    "remainder",
    lambda a: ag.remainder(a, 0.75),
    lambda a: np.mod(a, 0.75),
    (3, 4),
    domain=distinct(0.05),
)
case(
    "remainder-operator",
    lambda a, b: a % b,
    np.mod,
    (3, 4),
    (4,),
    domain=(distinct(0.05), positive),
)
case("rmod-scalar", lambda a: 2.5 % a, lambda a: np.mod(2.5, a), (3,), domain=positive, grad=False)
case("add-alpha", lambda a, b: ag.add(a, b, alpha=2), lambda a, b: a + 2 * b, (3,), (2, 3))
case("sub-alpha", lambda a, b: ag.sub(a, b, alpha=0.5), lambda a, b: a - 0.5 * b, (3,), (3,))
for _mode, _round in [("floor", np.floor), ("trunc", np.trunc)]:
    case(
        "div-rounding-" + _mode,
        lambda a, b, _mode=_mode: ag.div(a, b, rounding_mode=_mode),
        lambda a, b, _round=_round: _round(a / b),
        (3, 4),
        (4,),
        domain=(normal, away_from_zero),
        grad=False,
    )
    # integers keep their dtype; trunc rounds toward zero (-7 / 2 is -3), floor down (-4)
    case(
        "div-rounding-" + _mode + "-int",
        lambda i, j, _mode=_mode: ag.div(i, j, rounding_mode=_mode),
        lambda i, j, _round=_round: _round(i / j).astype(np.int64),
        (3, 4),
        (4,),
        domain=(integers, nonzero_integers),
        int_inputs=(0, 1),
        out_dtypes=("int64",),
    )
# on integers &, |, ^ and ~ are bitwise, as in PyTorch (on bools they are logical)
for _name, _fn, _ref in [
    ("and", lambda i, j: i & j, np.bitwise_and),
    ("or", lambda i, j: i | j, np.bitwise_or),
    ("xor", lambda i, j: i ^ j, np.bitwise_xor),
    ("not", lambda i, j: ~i, lambda i, j: -i - 1),
    ("rand", lambda i, j: 6 & i, lambda i, j: np.bitwise_and(6, i)),
]:
    case(
        "bitwise_" + _name + "-int",
        _fn,
        _ref,
        (3, 4),
        (4,),
        int_inputs=(0, 1),
        out_dtypes=("int64",),
    )
# a bool tensor to an integer power is int64 in PyTorch (NumPy's bool ** int is int8)
case(
    "pow-bool-int",
    lambda i: (i > 0) ** 2,
    lambda i: (i > 0).astype(np.int64),
    (3, 4),
    int_inputs=(0,),
    out_dtypes=("int64",),
)
case(
    "floor_divide",
    lambda a, b: a // b,
    np.floor_divide,
    (3, 4),
    (4,),
    domain=(normal, positive),
    grad=False,  # a step function: its result is a constant, as in PyTorch
)

# ---- elementwise functions -------------------------------------------------------------------
_erf = np.vectorize(math.erf)
case("exp", ag.exp, np.exp, (3, 4))
case("log", ag.log, np.log, (3, 4), domain=positive)
case("log1p", ag.log1p, np.log1p, (3, 4), domain=positive)
case("sqrt", ag.sqrt, np.sqrt, (3, 4), domain=positive)
case("rsqrt", ag.rsqrt, lambda a: 1 / np.sqrt(a), (3, 4), domain=positive)
case("abs", ag.abs, np.abs, (3, 4), domain=away_from_zero)
case("abs-operator", lambda a: abs(a), np.abs, (3,), domain=away_from_zero)
case("sin", ag.sin, np.sin, (3, 4))
case("cos", ag.cos, np.cos, (3, 4))
case("tanh", ag.tanh, np.tanh, (3, 4))
case("sigmoid", ag.sigmoid, lambda a: 1 / (1 + np.exp(-a)), (3, 4))
case("sigmoid-large", ag.sigmoid, lambda a: 0.5 * (1 + np.tanh(a / 2)), (3, 4), domain=large)
case("relu", ag.relu, lambda a: np.maximum(a, 0), (3, 4), domain=away_from_zero)
case("erf", ag.erf, _erf, (3, 4))
case(
    "exp-int",
    ag.exp,
    lambda i: np.exp(i).astype(np.float32),
    (4,),
    int_inputs=(0,),
    out_dtypes=("default",),
)
case("sign", ag.sign, np.sign, (3, 4), domain=away_from_zero)  # gradient 0, as PyTorch
case(
    "sign-bool",
    lambda i: ag.sign(i > 0),
    lambda i: i > 0,
    (3, 4),
    int_inputs=(0,),
    out_dtypes=("bool",),
)
case(
    "relu-at-zero",
    ag.relu,
    lambda a: np.maximum(a, 0),
    (3,),
    domain=fixed([-1.0, 0.0, 2.0]),
    grad=False,
    grad_ref=lambda g, a: (g * (a > 0),),  # PyTorch: relu'(0) = 0
)
case(
    "abs-at-zero",
    ag.abs,
    np.abs,
    (3,),
    domain=fixed([-1.0, 0.0, 2.0]),
    grad=False,
    grad_ref=lambda g, a: (g * np.sign(a),),  # PyTorch: abs'(0) = 0
)

# ---- maximum, minimum, clamp, where ----------------------------------------------------------
case("maximum", ag.maximum, np.maximum, (3, 4), (3, 4), domain=(distinct(), distinct(0.125)))
case(
    "maximum-broadcast",
    ag.maximum,
    np.maximum,
    (3, 1, 4),
    (2, 4),
    domain=(distinct(), distinct(0.125)),
)
case("minimum", ag.minimum, np.minimum, (3, 4), (3, 4), domain=(distinct(), distinct(0.125)))
case(
    "minimum-broadcast",
    ag.minimum,
    np.minimum,
    (4,),
    (3, 4),
    domain=(distinct(), distinct(0.125)),
)
case(
    "max-binary",
    lambda a, b: ag.max(a, b),
    np.maximum,
    (2, 3),
    (3,),
    domain=(distinct(), distinct(0.125)),
)
case(
    "maximum-ties",
    ag.maximum,
    np.maximum,
    (3,),
    (3,),
    domain=(fixed([1.0, 2.0, 3.0]), fixed([1.0, 5.0, 0.0])),
    grad=False,
    # PyTorch shares the gradient evenly between tied inputs
    grad_ref=lambda g, a, b: (
        g * np.where(a > b, 1.0, np.where(a == b, 0.5, 0.0)),
        g * np.where(b > a, 1.0, np.where(a == b, 0.5, 0.0)),
    ),
)
case(
    "clamp",
    lambda a: ag.clamp(a, -0.5, 0.5),
    lambda a: np.clip(a, -0.5, 0.5),
    (3, 4),
    domain=distinct(),
)
case(
    "clamp-min",
    lambda a: a.clamp(min=-0.5),
    lambda a: np.maximum(a, -0.5),
    (3, 4),
    domain=distinct(),
)
case(
    "clamp-max", lambda a: a.clamp(max=0.5), lambda a: np.minimum(a, 0.5), (3, 4), domain=distinct()
)
case(
    "clip",
    lambda a: ag.clip(a, -0.5, 0.5),
    lambda a: np.clip(a, -0.5, 0.5),
    (6,),
    domain=distinct(),
)
case(
    "clamp-tensor-bounds",
    lambda a, low, high: ag.clamp(a, low, high - 0.4),
    lambda a, low, high: np.minimum(np.maximum(a, low), high - 0.4),
    (3, 4),
    (4,),
    (3, 1),
    domain=(distinct(), distinct(0.125), distinct(0.0625)),
)
case(
    "clamp-tensor-bounds-ties",
    ag.clamp,
    lambda a, low, high: np.minimum(np.maximum(a, low), high),
    (4,),
    (4,),
    (4,),
    domain=(fixed([0.0, 2.0, 2.0, -1.0]), fixed([0.0, 0.0, 0.0, 0.0]), fixed([2.0, 2.0, 1.5, 1.0])),
    grad=False,
    # PyTorch: a tie goes to the input; a bound gets the gradient only where it strictly wins
    grad_ref=lambda g, a, low, high: (
        g * np.array([1.0, 1.0, 0.0, 0.0]),
        g * np.array([0.0, 0.0, 0.0, 1.0]),
        g * np.array([0.0, 0.0, 1.0, 0.0]),
    ),
)
_NAN = float("nan")
case(
    "clamp-tensor-bounds-nan",
    ag.clamp,
    lambda a, low, high: np.minimum(np.maximum(a, low), high),
    (5,),
    (5,),
    (5,),
    domain=(
        fixed([_NAN, _NAN, 1.0, 5.0, -5.0]),
        fixed([0.0, _NAN, _NAN, 0.0, 0.0]),
        fixed([1.0, 1.0, 2.0, _NAN, 1.0]),
    ),
    grad=False,
    # PyTorch: a NaN anywhere gives NaN and no gradient to any of the three
    grad_ref=lambda g, a, low, high: (
        g * np.array([0.0, 0.0, 0.0, 0.0, 0.0]),
        g * np.array([0.0, 0.0, 0.0, 0.0, 1.0]),
        g * np.array([0.0, 0.0, 0.0, 0.0, 0.0]),
    ),
)
case(
    "clamp-min-tensor-nan",
    lambda a, low: a.clamp(min=low),
    np.maximum,
    (3,),
    (3,),
    domain=(fixed([_NAN, 5.0, -5.0]), fixed([0.0, _NAN, 0.0])),
    grad=False,
    grad_ref=lambda g, a, low: (g * np.array([0.0, 0.0, 0.0]), g * np.array([0.0, 0.0, 1.0])),
)
case(
    "clamp-at-bounds",
    lambda a: ag.clamp(a, -1.0, 1.0),
    lambda a: np.clip(a, -1.0, 1.0),
    (4,),
    domain=fixed([-2.0, -1.0, 1.0, 0.5]),
    grad=False,
    # PyTorch lets the gradient through at the bounds themselves
    grad_ref=lambda g, a: (g * ((a >= -1) & (a <= 1)),),
)
_CONDITION = np.array([[True, False, True, False], [False, False, True, True], [True] * 4])
case(
    "where",
    lambda a, b: ag.where(_on(a, _CONDITION), a, b),
    lambda a, b: np.where(_CONDITION, a, b),
    (3, 4),
    (3, 4),
)
case(
    "where-broadcast",
    lambda a, b: ag.where(_on(a, _CONDITION[:, :1]), a, b),
    lambda a, b: np.where(_CONDITION[:, :1], a, b),
    (4,),
    (3, 1),
)
case(
    "where-method",
    lambda a, b: a.where(_on(a, _CONDITION), b),
    lambda a, b: np.where(_CONDITION, a, b),
    (3, 4),
    (4,),
)
case(
    "where-scalar",
    lambda a: ag.where(a > 0, a, 0.0),
    lambda a: np.where(a > 0, a, 0.0),
    (3, 4),
    domain=away_from_zero,
)
case(
    "masked_fill",
    lambda a: a.masked_fill(_on(a, _CONDITION), -1.0),
    lambda a: np.where(_CONDITION, -1.0, a),
    (3, 4),
)

# ---- comparisons and logic: forward only, never a gradient ------------------------------------
for _name, _fn, _ref in [
    ("eq", lambda a, b: a == b, np.equal),
    ("ne", lambda a, b: a != b, np.not_equal),
    ("lt", lambda a, b: a < b, np.less),
    ("le", lambda a, b: ag.le(a, b), np.less_equal),
    ("gt", lambda a, b: a > b, np.greater),
    ("ge", lambda a, b: ag.ge(a, b), np.greater_equal),
]:
    # rounded values, so equal elements occur and == is exercised on both sides
    case(
        _name,
        _fn,
        _ref,
        (3, 4),
        (4,),
        domain=rounded,
        out_dtypes=("bool",),
    )
case(
    "eq-scalar",
    lambda a: a == 1.0,
    lambda a: a == 1.0,
    (3, 4),
    domain=rounded,
    out_dtypes=("bool",),
)
case(
    "logical_and",
    lambda a, b: ag.logical_and(a > 0, b > 0),
    lambda a, b: (a > 0) & (b > 0),
    (3, 4),
    (4,),
    out_dtypes=("bool",),
)
case(
    "logical_or-operator",
    lambda a, b: (a > 0) | (b > 0),
    lambda a, b: (a > 0) | (b > 0),
    (3, 4),
    (3, 4),
    out_dtypes=("bool",),
)
case(
    "logical_xor",
    lambda a, b: ag.logical_xor(a > 0, b > 0),
    lambda a, b: (a > 0) ^ (b > 0),
    (3, 4),
    (3, 4),
    out_dtypes=("bool",),
)
case("logical_not", lambda a: ~(a > 0), lambda a: ~(a > 0), (3, 4), out_dtypes=("bool",))
case(
    "isfinite",
    lambda a: ag.isfinite(ag.where(a > 0, a, float("inf"))),
    lambda a: a > 0,
    (3, 4),
    out_dtypes=("bool",),
)
case(
    "isnan",
    lambda a: ag.isnan(ag.where(a > 0, a, float("nan"))),
    lambda a: a <= 0,
    (3, 4),
    out_dtypes=("bool",),
)
case("all", lambda a: (a > -1).all(), lambda a: np.all(a > -1), (3, 4), out_dtypes=("bool",))
case(
    "any-dim",
    lambda a: (a > 1).any(dim=1),
    lambda a: np.any(a > 1, axis=1),
    (3, 4),
    out_dtypes=("bool",),
)
for _label, _kwargs, _axis in [
    ("", {}, None),
    ("-dim0", {"dim": 0}, 0),
    ("-dim-1", {"dim": -1}, -1),
    ("-dim1-keepdim", {"dim": 1, "keepdim": True}, 1),
    # with no dim, keepdim keeps every dim, of size 1
    ("-keepdim", {"keepdim": True}, None),
]:
    for _name, _fn, _ref in [
        ("argmax", ag.argmax, np.argmax),
        ("argmin", lambda a, **kw: a.argmin(**kw), np.argmin),
    ]:
        # rounded inputs tie: PyTorch and NumPy both return the first extreme index
        case(
            _name + _label,
            lambda a, _fn=_fn, _kwargs=_kwargs: (
                _fn(a, *_kwargs) if isinstance(_kwargs, tuple) else _fn(a, **_kwargs)
            ),
            lambda a, _ref=_ref, _kwargs=_kwargs, _axis=_axis: _ref(
                a, axis=_axis, keepdims=_kwargs.get("keepdim", False)
            ),
            (2, 3, 4),
            domain=rounded,
            out_dtypes=("int64",),
        )

# ---- reductions: full, one dim (negative too), a tuple of dims, keepdim ----------------------
_REDUCE_DIMS = [
    ("", {}),
    ("-keepdim", {"keepdim": True}),
    ("-dim0", {"dim": 0}),
    ("-dim-1", {"dim": -1}),
    ("-dim1-keepdim", {"dim": 1, "keepdim": True}),
    ("-dims0,2", {"dim": (0, 2)}),
    ("-dims-1,0-keepdim", {"dim": (-1, 0), "keepdim": True}),
    # PyTorch reads an empty dim list as every dim (NumPy's axis=() reduces none)
    ("-dims-empty-list", {"dim": []}),
    ("-dims-empty-tuple-keepdim", {"dim": (), "keepdim": True}),
]


def _numpy_reduction(ref):
    def reduce(a, dim=None, keepdim=False):
        if isinstance(dim, (tuple, list)) and not dim:
            dim = None
        return ref(a, axis=dim, keepdims=keepdim)

    return reduce


def _logsumexp(a, axis=None, keepdims=False):
    # the reference subtracts the max too, or it would overflow where the op must not
    m = np.max(a, axis=axis, keepdims=True)
    out = m + np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


for _name, _fn, _ref, _domain in [
    ("sum", ag.sum, np.sum, normal),
    ("mean", lambda a, **kw: a.mean(**kw), np.mean, normal),
    ("prod", ag.prod, np.prod, away_from_zero),
    ("amax", ag.amax, np.max, distinct()),
    ("amin", lambda a, **kw: a.amin(**kw), np.min, distinct()),
    ("logsumexp", ag.logsumexp, _logsumexp, normal),
]:
    for _label, _kwargs in _REDUCE_DIMS:
        case(
            _name + _label,
            lambda a, _fn=_fn, _kwargs=_kwargs: (
                _fn(a, *_kwargs) if isinstance(_kwargs, tuple) else _fn(a, **_kwargs)
            ),
            lambda a, _ref=_ref, _kwargs=_kwargs: _numpy_reduction(_ref)(a, **_kwargs),
            (2, 3, 4),
            domain=_domain,
        )
case("sum-int", ag.sum, np.sum, (3, 4), int_inputs=(0,), out_dtypes=("int64",))
case(
    "sum-bool",
    lambda a: (a > 0).sum(dim=0),
    lambda a: np.sum(a > 0, axis=0),
    (3, 4),
    out_dtypes=("int64",),
)
case(
    "logsumexp-int",
    lambda i: ag.logsumexp(i, dim=1),
    lambda i: _logsumexp(i.astype(np.float64), axis=1).astype(np.float32),
    (2, 3),
    int_inputs=(0,),
    out_dtypes=("default",),
)
case(
    "logsumexp-large",
    lambda a: ag.logsumexp(a, dim=1),
    lambda a: _logsumexp(a, axis=1),
    (3, 4),
    domain=large,
)
case(
    "prod-with-zero",
    lambda a: ag.prod(a, dim=1),
    lambda a: np.prod(a, axis=1),
    (2, 3),
    domain=fixed([[2.0, 0.0, 3.0], [0.0, 0.0, 5.0]]),
    # the product of the other elements, which is not prod / a where a is 0; prod is a
    # polynomial, so finite differences hold at the zeros too (and double backward applies)
    grad_ref=lambda g, a: (g[:, None] * np.array([[0.0, 6.0, 0.0], [0.0, 0.0, 0.0]]),),
)
case(
    "prod-with-zeros-dims",
    lambda a: a.prod(dim=(0, 2), keepdim=True),
    lambda a: np.prod(a, axis=(0, 2), keepdims=True),
    (2, 4, 2),
    # the four slices along dim 1 hold no zero, one, two and three zeros
    domain=fixed(
        [
            [[2.0, 1.5], [0.0, 3.0], [0.0, 1.5], [0.0, 0.0]],
            [[-1.0, 0.5], [2.0, 4.0], [0.0, 1.0], [0.0, 1.0]],
        ]
    ),
)

# var and std: `correction` (and the older `unbiased`) as in PyTorch; NumPy calls it ddof
for _name, _fn, _ref in [
    ("var", ag.var, np.var),
    ("std", lambda a, *args, **kw: a.std(*args, **kw), np.std),
]:
    for _label, _kwargs, _numpy_kwargs in [
        ("", {}, {"ddof": 1}),
        ("-dim1", {"dim": 1}, {"axis": 1, "ddof": 1}),
        ("-dim-1-unbiased=False", {"dim": -1, "unbiased": False}, {"axis": -1, "ddof": 0}),
        (
            "-dims0,2-correction0-keepdim",
            {"dim": (0, 2), "correction": 0, "keepdim": True},
            {"axis": (0, 2), "ddof": 0, "keepdims": True},
        ),
        ("-dim2-correction2", {"dim": 2, "correction": 2}, {"axis": 2, "ddof": 2}),
        ("-dims-empty", {"dim": []}, {"ddof": 1}),
        (
            "-positional-dim-unbiased-keepdim",
            (1, False, True),
            {"axis": 1, "ddof": 0, "keepdims": True},
        ),
        ("-positional-unbiased-only", (False,), {"ddof": 0}),
    ]:
        case(
            _name + _label,
            lambda a, _fn=_fn, _kwargs=_kwargs: (
                _fn(a, *_kwargs) if isinstance(_kwargs, tuple) else _fn(a, **_kwargs)
            ),
            lambda a, _ref=_ref, _numpy_kwargs=_numpy_kwargs: _ref(a, **_numpy_kwargs),
            (2, 3, 4),
        )
    # one element with correction 1: 0 / 0, so NaN value and NaN gradient as in PyTorch
    case(
        _name + "-one-element",
        lambda a, _fn=_fn: _fn(a),
        lambda a: np.array(np.nan),
        (1,),
        grad=False,
        grad_ref=lambda g, a: (np.full(a.shape, np.nan),),
    )
    case(
        _name + "-dim-of-size-1",
        lambda a, _fn=_fn: _fn(a, dim=1),
        lambda a: np.full(a.shape[:1], np.nan),
        (3, 1),
        grad=False,
        grad_ref=lambda g, a: (np.full(a.shape, np.nan),),
    )
# the std of a constant slice is 0, where sqrt's slope is infinite: PyTorch's gradient is 0
case(
    "std-of-constant",
    lambda a: a.std(dim=1),
    lambda a: np.std(a, axis=1, ddof=1),
    (2, 3),
    domain=fixed([[2.0, 2.0, 2.0], [1.0, 2.0, 4.0]]),
    grad=False,
    grad_ref=lambda g, a: (
        np.stack([np.zeros(3), g[1] * (a[1] - a[1].mean()) / (2 * np.std(a[1], ddof=1))]),
    ),
)
case("var-one-element-correction0", lambda a: a.var(correction=0), lambda a: np.var(a), (1,))

# max and min: a full reduction, or (values, indices) along one dim
case("max", ag.max, np.max, (2, 3, 4), domain=distinct())
case("min-method", lambda a: a.min(), np.min, (2, 3, 4), domain=distinct())
for _name, _fn, _ref, _arg in [
    ("max", ag.max, np.max, np.argmax),
    ("min", ag.min, np.min, np.argmin),
]:
    for _label, _dim, _keepdim in [
        ("-dim1", 1, False),
        ("-dim-1-keepdim", -1, True),
        ("-dim0", 0, False),
    ]:
        case(
            _name + _label,
            lambda a, _fn=_fn, _dim=_dim, _keepdim=_keepdim: _fn(a, _dim, keepdim=_keepdim),
            lambda a, _ref=_ref, _arg=_arg, _dim=_dim, _keepdim=_keepdim: (
                _ref(a, axis=_dim, keepdims=_keepdim),
                _arg(a, axis=_dim, keepdims=_keepdim),
            ),
            (2, 3, 4),
            domain=distinct(),
            out_dtypes=("float", "int64"),
        )
case(
    "max-dim-0d",
    lambda a: a.max(0),
    lambda a: (a, np.array(0)),
    (),
    out_dtypes=("float", "int64"),
)
case(
    "min-dim-0d-keepdim",
    lambda a: ag.min(a, -1, keepdim=True),
    lambda a: (a, np.array(0)),
    (),
    out_dtypes=("float", "int64"),
)
case(
    "max-dim-values-attribute",
    lambda a: a.max(dim=1).values * 1.0 + a.min(dim=1).indices,
    lambda a: np.max(a, axis=1) + np.argmin(a, axis=1),
    (3, 4),
    domain=distinct(),
)
_TIES = [[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, 2.0, 2.0]]
case(
    "max-dim-ties",
    lambda a: a.max(dim=1),
    lambda a: (np.max(a, axis=1), np.argmax(a, axis=1)),
    (2, 4),
    domain=fixed(_TIES),
    out_dtypes=("float", "int64"),
    grad=False,
    # the gradient goes to the index returned, the first of the tied maxima
    grad_ref=lambda g, a: (g[:, None] * (np.arange(4) == np.argmax(a, axis=1)[:, None]),),
)


def _even_share(g, a, extreme):
    # PyTorch's amax/amin and full max/min split the gradient evenly among tied extremes
    mask = a == extreme(a, axis=1, keepdims=True)
    return (g[:, None] * mask / mask.sum(axis=1, keepdims=True),)


case(
    "amax-ties",
    lambda a: a.amax(dim=1),
    lambda a: np.max(a, axis=1),
    (2, 4),
    domain=fixed(_TIES),
    grad=False,
    grad_ref=lambda g, a: _even_share(g, a, np.max),
)
case(
    "amin-ties",
    lambda a: a.amin(dim=1),
    lambda a: np.min(a, axis=1),
    (2, 4),
    domain=fixed([[1.0, 0.0, 3.0, 0.0], [2.0, 2.0, 2.0, 2.0]]),
    grad=False,
    grad_ref=lambda g, a: _even_share(g, a, np.min),
)
case(
    "max-full-ties",
    lambda a: a.max(),
    np.max,
    (4,),
    domain=fixed([1.0, 3.0, 3.0, 0.0]),
    grad=False,
    grad_ref=lambda g, a: (g * (a == 3.0) / 2,),
)

# norm and cumsum
case("norm", ag.norm, lambda a: np.sqrt(np.sum(a * a)), (3, 4))
case(
    "norm-p1-dim1",
    lambda a: a.norm(p=1, dim=1),
    lambda a: np.sum(np.abs(a), axis=1),
    (3, 4),
    domain=away_from_zero,
)
case(
    "norm-inf-keepdim",
    lambda a: ag.norm(a, p=float("inf"), dim=-1, keepdim=True),
    lambda a: np.max(np.abs(a), axis=-1, keepdims=True),
    (3, 4),
    domain=distinct(),
)
case(
    "norm-p3",
    lambda a: ag.norm(a, p=3, dim=0),
    lambda a: np.sum(np.abs(a) ** 3, axis=0) ** (1 / 3),
    (3, 4),
    domain=away_from_zero,
)
case(
    "norm-of-zeros",
    lambda a: ag.norm(a, dim=1),
    lambda a: np.sqrt(np.sum(a * a, axis=1)),
    (2, 2),
    domain=fixed([[0.0, 0.0], [3.0, 4.0]]),
    grad=False,
    # PyTorch defines the gradient of the norm at 0 as 0
    grad_ref=lambda g, a: (g[:, None] * np.array([[0.0, 0.0], [0.6, 0.8]]),),
)
case(
    "norm-minus-inf",
    lambda a: ag.norm(a, p=-float("inf"), dim=1),
    lambda a: np.min(np.abs(a), axis=1),
    (3, 4),
    domain=distinct(),
)
case("norm-fro", lambda a: a.norm(p="fro"), lambda a: np.sqrt(np.sum(a * a)), (3, 4))
# p = 0 counts the nonzeros: piecewise constant, so no gradient
case(
    "norm-p0",
    lambda a: ag.norm(a, p=0, dim=0),
    lambda a: np.sum(a != 0, axis=0).astype(np.float64),
    (2, 2),
    domain=fixed([[0.0, 1.5], [0.0, -2.0]]),
    grad=False,
)
case("cumsum-0d", lambda a: a.cumsum(0), lambda a: a, ())
case("cumsum", lambda a: ag.cumsum(a, 1), lambda a: np.cumsum(a, axis=1), (2, 3, 4))
case("cumsum-dim-1", lambda a: a.cumsum(-1), lambda a: np.cumsum(a, axis=-1), (3, 4))

# ---- softmax and log_softmax: stable for large inputs ----------------------------------------


def _softmax(a, axis):
    e = np.exp(a - np.max(a, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _log_softmax(a, axis):
    shifted = a - np.max(a, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


for _dim in (-1, 0, 1):
    case(
        f"softmax-dim{_dim}",
        lambda a, _dim=_dim: ag.softmax(a, dim=_dim),
        lambda a, _dim=_dim: _softmax(a, _dim),
        (2, 3, 4),
    )
    case(
        f"log_softmax-dim{_dim}",
        lambda a, _dim=_dim: ag.log_softmax(a, dim=_dim),
        lambda a, _dim=_dim: _log_softmax(a, _dim),
        (2, 3, 4),
    )
_MASKED = [[0.0, -np.inf, 1.0], [-np.inf, 2.0, -np.inf]]
case(
    "softmax-masked",
    lambda a: a.softmax(-1),
    lambda a: _softmax(a, -1),
    (2, 3),
    domain=fixed(_MASKED),
    grad=False,
    grad_ref=lambda g, a: (
        _softmax(a, -1) * (g - np.sum(g * _softmax(a, -1), axis=-1, keepdims=True)),
    ),
)
case(
    "log_softmax-masked",
    lambda a: a.log_softmax(-1),
    lambda a: _log_softmax(a, -1),
    (2, 3),
    domain=fixed(_MASKED),
    grad=False,
    grad_ref=lambda g, a: (g - _softmax(a, -1) * np.sum(g, axis=-1, keepdims=True),),
)
case(
    "logsumexp-all-minus-inf",
    lambda a: ag.logsumexp(a, dim=1),
    lambda a: np.array([-np.inf, 2.0]),
    (2, 2),
    domain=fixed([[-np.inf, -np.inf], [2.0, -np.inf]]),
    grad=False,
)
case("softmax-large", lambda a: a.softmax(-1), lambda a: _softmax(a, -1), (3, 4), domain=large)
case(
    "log_softmax-large",
    lambda a: a.log_softmax(-1),
    lambda a: _log_softmax(a, -1),
    (3, 4),
    domain=large,
)

# ---- matmul: vectors, matrices, batches with broadcasting --------------------------------------
case("matmul-1d-1d", lambda a, b: a @ b, np.matmul, (4,), (4,))
case("matmul-1d-2d", lambda a, b: a @ b, np.matmul, (3,), (3, 4))
case("matmul-2d-1d", lambda a, b: a @ b, np.matmul, (3, 4), (4,))
case("matmul-2d-2d", lambda a, b: a @ b, np.matmul, (3, 4), (4, 2))
case("matmul-batched", ag.matmul, np.matmul, (2, 3, 4), (2, 4, 2))
case("matmul-batched-broadcast", lambda a, b: a @ b, np.matmul, (2, 1, 3, 4), (5, 4, 2))
case("matmul-1d-batched", lambda a, b: a @ b, np.matmul, (4,), (2, 4, 3))
case("matmul-batched-1d", lambda a, b: a.matmul(b), np.matmul, (2, 3, 4), (4,))
case("matmul-batched-2d", lambda a, b: a @ b, np.matmul, (2, 3, 4), (4, 2))
case("mm", ag.mm, np.matmul, (3, 4), (4, 2))
case("bmm", ag.bmm, np.matmul, (2, 3, 4), (2, 4, 2))
case("dot", ag.dot, np.dot, (4,), (4,))

# ---- shape ops -------------------------------------------------------------------------------
case("reshape", lambda a: a.reshape(4, 6), lambda a: a.reshape(4, 6), (2, 3, 4))
case(
    "reshape-tuple-minus-1", lambda a: ag.reshape(a, (-1, 2)), lambda a: a.reshape(-1, 2), (2, 3, 4)
)
# a transposed input can't be viewed in these shapes (test_op_errors checks the error)
case("view", lambda a: a.view(6, 4), lambda a: a.reshape(6, 4), (2, 3, 4), transposable=False)
case("view-minus-1", lambda a: a.view(-1), lambda a: a.reshape(-1), (2, 3, 4), transposable=False)
case("flatten", lambda a: a.flatten(), lambda a: a.reshape(-1), (2, 3, 4))
case("flatten-start1", lambda a: ag.flatten(a, 1), lambda a: a.reshape(2, 12), (2, 3, 4))
case("flatten-0-1", lambda a: a.flatten(0, 1), lambda a: a.reshape(6, 4), (2, 3, 4))
case("transpose", lambda a: a.transpose(0, 2), lambda a: np.swapaxes(a, 0, 2), (2, 3, 4))
case(
    "transpose-negative",
    lambda a: ag.transpose(a, -1, -2),
    lambda a: np.swapaxes(a, -1, -2),
    (2, 3, 4),
)
case("permute", lambda a: a.permute(2, 0, 1), lambda a: np.transpose(a, (2, 0, 1)), (2, 3, 4))
case(
    "permute-tuple",
    lambda a: ag.permute(a, (1, -1, 0)),
    lambda a: np.transpose(a, (1, 2, 0)),
    (2, 3, 4),
)
case("T-2d", lambda a: a.T, lambda a: a.T, (3, 4))
case("T-3d", lambda a: a.T, lambda a: np.transpose(a), (2, 3, 4))
case("mT", lambda a: a.mT, lambda a: np.swapaxes(a, -1, -2), (2, 3, 4))
case("t", lambda a: a.t(), lambda a: a.T, (3, 4))
case("squeeze", lambda a: a.squeeze(), np.squeeze, (2, 1, 3, 1))
case("squeeze-dim", lambda a: a.squeeze(1), lambda a: np.squeeze(a, 1), (2, 1, 3, 1))
case("squeeze-dim-1", lambda a: ag.squeeze(a, -1), lambda a: np.squeeze(a, -1), (2, 1, 3, 1))
# PyTorch leaves a dim that is not of size 1 in place (NumPy would raise)
case("squeeze-dim-not-1", lambda a: a.squeeze(0), lambda a: a, (2, 1, 3, 1))
case("expand-0d", lambda a: a.expand(2, 3), lambda a: np.broadcast_to(a, (2, 3)), ())
case("unsqueeze-0d", lambda a: a.unsqueeze(0), lambda a: a[None], ())
case("flatten-0d", lambda a: a.flatten(), lambda a: a.reshape(1), ())
case("T-1d", lambda a: a.T, lambda a: a, (3,))
case("unsqueeze", lambda a: a.unsqueeze(0), lambda a: a[None], (3, 4))
case("unsqueeze-1", lambda a: a.unsqueeze(1), lambda a: a[:, None], (3, 4))
case("unsqueeze-minus-1", lambda a: ag.unsqueeze(a, -1), lambda a: a[..., None], (3, 4))
case(
    "view_as",
    lambda a, b: a.view_as(b) * b,
    lambda a, b: a.reshape(4, 3) * b,
    (3, 4),
    (4, 3),
    transposable=False,
)
case(
    "reshape_as", lambda a, b: a.reshape_as(b) + b, lambda a, b: a.reshape(2, 6) + b, (3, 4), (2, 6)
)
case("expand", lambda a: a.expand(2, 3, 4), lambda a: np.broadcast_to(a, (2, 3, 4)), (3, 1))
case(
    "expand-minus-1", lambda a: a.expand(2, -1, 4), lambda a: np.broadcast_to(a, (2, 3, 4)), (3, 1)
)
case("expand_as", lambda a, b: a.expand_as(b) * b, lambda a, b: a * b, (1, 4), (3, 4))
case(
    "broadcast_to",
    lambda a: ag.broadcast_to(a, (2, 3, 4)),
    lambda a: np.broadcast_to(a, (2, 3, 4)),
    (4,),
)
case("sum_to", lambda a: ag.sum_to(a, (3, 1)), lambda a: a.sum(axis=(0, 2))[:, None], (2, 3, 4))
case("repeat", lambda a: a.repeat(2, 1, 2), lambda a: np.tile(a, (2, 1, 2)), (3, 4))
case("flip", lambda a: ag.flip(a, 0), lambda a: np.flip(a, 0), (2, 3, 4))
case("flip-dims", lambda a: ag.flip(a, (0, -1)), lambda a: np.flip(a, (0, -1)), (2, 3, 4))
case("flip-method", lambda a: a.flip(0, -1), lambda a: np.flip(a, (0, -1)), (2, 3, 4))
case("flip-method-list", lambda a: a.flip([1]), lambda a: np.flip(a, 1), (2, 3, 4))
case("clone", lambda a: a.clone(), np.copy, (3, 4))
case("contiguous", lambda a: a.T.contiguous(), lambda a: a.T, (3, 4))
case("double", lambda a: a.double(), lambda a: a, (3,), out_dtypes=("float64",))
# float64 -> float32 rounds too much for finite differences
case(
    "float",
    lambda a: a.float(),
    lambda a: a.astype(np.float32),
    (3,),
    out_dtypes=("float32",),
    grad=False,
)
case(
    "cast-int",
    lambda a: ag.cast(a, ag.int64),
    lambda a: a.astype(np.int64),
    (3, 4),
    out_dtypes=("int64",),
)
case("to_device", lambda a: ag.to_device(a, "cpu"), lambda a: a, (3,))
case("to-cpu", lambda a: a.to("cpu") * 2, lambda a: 2 * a, (3,))

# ---- indexing --------------------------------------------------------------------------------
_MASK = np.array(
    [[True, False, True, True], [False, False, False, True], [True, True, False, False]]
)
for _label, _index in [
    ("int", 1),
    ("negative-int", -1),
    ("two-ints", (1, 2)),
    ("slice", slice(1, 3)),
    ("step", slice(None, None, 2)),
    ("slice-step-dim1", (slice(None), slice(1, None, 2))),
    ("negative-step", slice(None, None, -1)),
    ("negative-step-dim1", (slice(None), slice(None, None, -2))),
    ("negative-step-bounds", slice(2, 0, -1)),
    ("none", (None, slice(None), None)),
    ("ellipsis", (Ellipsis, 1)),
    ("ellipsis-none", (Ellipsis, None)),
    ("int-none-slice", (1, None, slice(1, 3))),
    ("int-array-repeated", [0, 2, 0]),
    ("int-arrays-2d", ([0, 1, 1, 1], [3, 3, 0, 3])),
    ("int-array-dim1", (slice(None), [2, 0, 2, 2])),
    ("int-array-negative", [-1, 0, -1]),
    ("bool-mask", _MASK),
    ("bool-mask-rows", np.array([True, False, True])),
]:
    case(
        "getitem-" + _label,
        lambda a, _index=_index: a[_index],
        lambda a, _index=_index: a[_index],
        (3, 4),
    )
case("getitem-0d-int-tensor", lambda a: a[_on(a, 2)], lambda a: a[2], (3, 4))
case("getitem-empty-slice", lambda a: a[2:2], lambda a: a[2:2], (3, 4))
case("getitem-empty-list", lambda a: a[[]], lambda a: a[np.zeros(0, np.int64)], (3, 4))
case("getitem-bool-list", lambda a: a[[True, False, True]], lambda a: a[[0, 2]], (3, 4))
case(
    "getitem-int-tensor",
    lambda a: a[_on(a, [2, 2, 0])],
    lambda a: a[[2, 2, 0]],
    (3, 4),
)
case(
    "getitem-bool-tensor",
    lambda a: a[a > 0],
    lambda a: a[a > 0],
    (3, 4),
    domain=away_from_zero,
)
case("getitem-3d-mixed", lambda a: a[1:, ..., ::2], lambda a: a[1:, ..., ::2], (2, 3, 4))
case(
    "index_select",
    lambda a: ag.index_select(a, 1, _on(a, [3, 0, 3])),
    lambda a: np.take(a, [3, 0, 3], axis=1),
    (3, 4),
)
case(
    "index_select-0d-index",
    lambda a: a.index_select(0, _on(a, 2)),
    lambda a: a[[2]],
    (3, 4),
)
_GATHER_INDEX = np.array([[0, 0, 2], [1, 3, 1], [3, 3, 3]])
case(
    "gather",
    lambda a: ag.gather(a, 1, _on(a, _GATHER_INDEX)),
    lambda a: np.take_along_axis(a, _GATHER_INDEX, axis=1),
    (3, 4),
)


def _scatter_add(a, src):
    out = a.copy()
    rows = np.arange(3)[:, None].repeat(3, axis=1)
    np.add.at(out, (rows, _GATHER_INDEX), src)
    return out


case(
    "scatter_add",
    lambda a, src: ag.scatter_add(a, 1, _on(a, _GATHER_INDEX), src),
    _scatter_add,
    (3, 4),
    (3, 3),
)


# PyTorch reads only the leading block of the input (and of src) that a smaller index covers
_SMALL_INDEX = np.array([[0, 3], [1, 1]])
case(
    "gather-smaller-index",
    lambda a: a.gather(1, _on(a, _SMALL_INDEX)),
    lambda a: np.take_along_axis(a[:2], _SMALL_INDEX, axis=1),
    (3, 4),
)
case(
    "gather-smaller-index-dim0",
    lambda a: ag.gather(a, 0, _on(a, [[2, 0, 1]])),
    lambda a: np.take_along_axis(a[:, :3], np.array([[2, 0, 1]]), axis=0),
    (3, 4),
)


def _scatter_add_small_index(a, src):
    out = a.copy()
    np.add.at(out, (np.array([[0, 0], [1, 1]]), _SMALL_INDEX), src[:2, :2])
    return out


case(
    "scatter_add-smaller-index",
    lambda a, src: ag.scatter_add(a, 1, _on(a, _SMALL_INDEX), src),
    _scatter_add_small_index,
    (3, 4),
    (3, 3),
)


def _index_put(a, v):
    out = a.copy()
    out[[0, 2]] = v
    return out


case("index_put", lambda a, v: ag.index_put(a, ([0, 2],), v), _index_put, (3, 4), (4,))


def _setitem(a, v):
    out = a.copy()
    out[1, 1:3] = v
    return out


def _setitem_on_clone(a, v):
    out = a.clone()
    out[1, 1:3] = v
    return out


case("setitem", _setitem_on_clone, _setitem, (3, 4), (2,))


# in-place methods on a copy: the graph follows the tensor to its new value
def _inplace(method, *args):
    def run(a, *tensors):
        out = a.clone()
        getattr(out, method)(*tensors, *args)
        return out

    return run


case("add_", _inplace("add_"), np.add, (3, 4), (4,))
case("sub_-alpha", _inplace("sub_", 2.0), lambda a, b: a - 2 * b, (3, 4), (3, 4))
case("mul_", _inplace("mul_"), np.multiply, (3, 4), (3, 1))
case("div_", _inplace("div_"), np.divide, (3, 4), (4,), domain=(normal, away_from_zero))
case("pow_", _inplace("pow_", 3), lambda a: a**3, (3, 4))
case("sqrt_", _inplace("sqrt_"), np.sqrt, (3, 4), domain=positive)
case("neg_", _inplace("neg_"), np.negative, (3, 4))
case(
    "clamp_",
    _inplace("clamp_", -0.5, 0.5),
    lambda a: np.clip(a, -0.5, 0.5),
    (3, 4),
    domain=distinct(),
)
case("addcmul_", _inplace("addcmul_", 0.5), lambda a, b, c: a + 0.5 * b * c, (3, 4), (4,), (3, 1))
case(
    "addcdiv_",
    _inplace("addcdiv_", 2.0),
    lambda a, b, c: a + 2 * b / c,
    (3, 4),
    (3, 4),
    (4,),
    domain=(normal, normal, away_from_zero),
)
case("lerp_", _inplace("lerp_", 0.25), lambda a, b: a + 0.25 * (b - a), (3, 4), (3, 4))
case(
    "maximum_",
    _inplace("maximum_"),
    np.maximum,
    (3, 4),
    (4,),
    domain=(distinct(), distinct(0.125)),
)
case(
    "masked_fill_",
    lambda a: a.clone().masked_fill_(_on(a, _CONDITION), 0.5),
    lambda a: np.where(_CONDITION, 0.5, a),
    (3, 4),
)


def _zeros_like(a, shape):
    return ag.zeros(*shape, dtype=a.dtype, device=a.device)


case(
    "copy_-broadcast",
    lambda a: _zeros_like(a, (3, 4)).copy_(a),
    lambda a: np.broadcast_to(a, (3, 4)),
    (4,),
)
case(
    "add_-into-plain",
    lambda a: _zeros_like(a, (3, 4)).add_(a),
    lambda a: a.copy(),
    (3, 4),
)


def _setitem_into_zeros(a):
    out = _zeros_like(a, (3, 4))
    out[1:, ::2] = a
    return out


def _setitem_into_zeros_reference(a):
    out = np.zeros((3, 4))
    out[1:, ::2] = a
    return out


case(
    "setitem-into-plain",
    _setitem_into_zeros,
    _setitem_into_zeros_reference,
    (2, 2),
)


# ---- joining and splitting -------------------------------------------------------------------
case("cat", lambda a, b: ag.cat([a, b]), lambda a, b: np.concatenate([a, b]), (2, 3), (1, 3))
case(
    "cat-dim-1-three",
    lambda a, b, c: ag.cat((a, b, c), dim=-1),
    lambda a, b, c: np.concatenate([a, b, c], axis=-1),
    (2, 1),
    (2, 3),
    (2, 2),
)
case(
    "concat-3d-dim1",
    lambda a, b: ag.concat([a, b], 1),
    lambda a, b: np.concatenate([a, b], 1),
    (2, 3, 4),
    (2, 1, 4),
)
case(
    "concatenate",
    lambda a, b: ag.concatenate([a, b], dim=-1),
    lambda a, b: np.concatenate([a, b], -1),
    (3, 1),
    (3, 2),
)
case("stack", lambda a, b: ag.stack([a, b]), lambda a, b: np.stack([a, b]), (3, 4), (3, 4))
case(
    "stack-dim-1",
    lambda a, b, c: ag.stack([a, b, c], dim=-1),
    lambda a, b, c: np.stack([a, b, c], axis=-1),
    (3, 4),
    (3, 4),
    (3, 4),
)
case(
    "stack-dim1", lambda a, b: ag.stack([a, b], 1), lambda a, b: np.stack([a, b], 1), (3, 4), (3, 4)
)
case("split", lambda a: a.split(2), lambda a: (a[:2], a[2:]), (4, 3))
case("split-uneven", lambda a: ag.split(a, 3), lambda a: (a[:3], a[3:]), (4, 3))
case(
    "split-sections-dim1",
    lambda a: ag.split(a, [1, 3], dim=1),
    lambda a: (a[:, :1], a[:, 1:]),
    (3, 4),
)
case(
    "split-sections-with-empty",
    lambda a: ag.split(a, [0, 3, 1]),
    lambda a: (a[:0], a[:3], a[3:]),
    (4, 2),
)
case("chunk-more-than-length", lambda a: a.chunk(3), lambda a: (a[:1], a[1:]), (2, 3))
case("chunk", lambda a: a.chunk(2, dim=1), lambda a: (a[:, :2], a[:, 2:]), (3, 4))
# PyTorch's chunk takes pieces of ceil(4 / 3) = 2: two chunks, not NumPy's array_split's three
case("chunk-fewer", lambda a: ag.chunk(a, 3), lambda a: (a[:2], a[2:]), (4, 3))
case("unbind", lambda a: ag.unbind(a, 1), lambda a: tuple(a[:, i] for i in range(3)), (2, 3))
case("unbind-method", lambda a: a.unbind(), lambda a: tuple(a), (2, 3))


def _numpy_pad(a, pad, mode="constant", value=0.0):
    widths = [(0, 0)] * a.ndim
    for i in range(len(pad) // 2):
        widths[a.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    numpy_mode = {
        "constant": "constant",
        "reflect": "reflect",
        "replicate": "edge",
        "circular": "wrap",
    }
    if mode == "constant":
        return np.pad(a, widths, constant_values=value)
    return np.pad(a, widths, mode=numpy_mode[mode])


for _label, _args in [
    ("", ((1, 2),)),
    ("-2d-value", ((1, 1, 2, 0), "constant", 0.5)),
    ("-reflect", ((2, 1, 1, 1), "reflect")),
    ("-replicate", ((2, 1, 0, 2), "replicate")),
    ("-circular", ((1, 2, 1, 0), "circular")),
]:
    case(
        "pad" + _label,
        lambda a, _args=_args: ag.pad(a, *_args),
        lambda a, _args=_args: _numpy_pad(a, *_args),
        (2, 3, 4),
    )


# ---- sliding windows: unfold (im2col) and fold (its adjoint) ---------------------------------
def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _windows(size, kernel, dilation, padding, stride):
    (h, w), (kh, kw), (dh, dw), (ph, pw), (sh, sw) = map(
        _pair, (size, kernel, dilation, padding, stride)
    )
    ho = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    wo = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    for i in range(ho):
        for j in range(wo):
            rows = slice(i * sh, i * sh + dh * (kh - 1) + 1, dh)
            cols = slice(j * sw, j * sw + dw * (kw - 1) + 1, dw)
            yield i * wo + j, rows, cols


def _unfold(x, kernel, dilation=1, padding=0, stride=1):
    """Every window, read one by one from the zero-padded input."""
    n, c, h, w = x.shape
    ph, pw = _pair(padding)
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    blocks = list(_windows((h, w), kernel, dilation, padding, stride))
    kh, kw = _pair(kernel)
    out = np.empty((n, c * kh * kw, len(blocks)))
    for block, rows, cols in blocks:
        out[:, :, block] = padded[:, :, rows, cols].reshape(n, -1)
    return out


def _fold(cols, size, kernel, dilation=1, padding=0, stride=1):
    """Every column added back into its window of the zero-padded output, which is cropped."""
    (h, w), (kh, kw), (ph, pw) = _pair(size), _pair(kernel), _pair(padding)
    n, c = cols.shape[0], cols.shape[1] // (kh * kw)
    out = np.zeros((n, c, h + 2 * ph, w + 2 * pw))
    for block, rows, cols_ in _windows((h, w), kernel, dilation, padding, stride):
        out[:, :, rows, cols_] += cols[:, :, block].reshape(n, c, kh, kw)
    return out[:, :, ph : ph + h, pw : pw + w]


for _label, _kwargs in [
    ("", {"kernel": 2}),
    ("-stride2-padding1", {"kernel": 3, "padding": 1, "stride": 2}),
    ("-dilation2", {"kernel": 2, "dilation": 2}),
    ("-rect", {"kernel": (2, 3), "stride": (1, 2), "padding": (1, 0)}),
]:
    _lib = {("kernel_size" if k == "kernel" else k): v for k, v in _kwargs.items()}
    case(
        "unfold" + _label,
        lambda x, _lib=_lib: ag.unfold(x, **_lib),
        lambda x, _kwargs=_kwargs: _unfold(x, **_kwargs),
        (1, 2, 4, 4),
    )
    _blocks = len(list(_windows((4, 4), **{"dilation": 1, "padding": 0, "stride": 1, **_kwargs})))
    _kh, _kw = _pair(_kwargs["kernel"])
    case(
        "fold" + _label,
        lambda x, _lib=_lib: ag.fold(x, (4, 4), **_lib),
        lambda x, _kwargs=_kwargs: _fold(x, (4, 4), **_kwargs),
        (1, 2 * _kh * _kw, _blocks),
    )
case(
    "unfold-non-square-image",
    lambda x: ag.unfold(x, (2, 3), stride=(1, 2)),
    lambda x: _unfold(x, (2, 3), stride=(1, 2)),
    (2, 1, 3, 5),
)
case(
    "fold-non-square-image",
    lambda x: ag.fold(x, (3, 5), (2, 3), stride=(1, 2)),
    lambda x: _fold(x, (3, 5), (2, 3), stride=(1, 2)),
    (2, 6, 4),
)


# ---- layers as single ops: linear, conv2d, max_pool2d ------------------------------------------
def _linear(x, w, b=None):
    out = x @ w.T
    return out if b is None else out + b


case("linear", ag.linear, _linear, (3, 4), (2, 4), (2,))
case("linear-no-bias", ag.linear, _linear, (3, 4), (2, 4))
case("linear-batched", ag.linear, _linear, (2, 3, 4), (5, 4), (5,))
case("linear-1d", ag.linear, _linear, (4,), (3, 4), (3,))


def _out_rows(h, kh, dilation, padding, stride):
    dh, ph, sh = _pair(dilation)[0], _pair(padding)[0], _pair(stride)[0]
    return (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1


def _conv2d(x, w, stride=1, padding=0, dilation=1, groups=1):
    n, c, h, wd = x.shape
    out_c, per_group = w.shape[:2]
    kh, kw = w.shape[2:]
    blocks = list(_windows((h, wd), (kh, kw), dilation, padding, stride))
    cols = _unfold(x, (kh, kw), dilation, padding, stride).reshape(n, groups, -1, len(blocks))
    weights = w.reshape(groups, out_c // groups, -1)
    out = np.einsum("gok,ngkl->ngol", weights, cols).reshape(n, out_c, -1)
    return out.reshape(n, out_c, _out_rows(h, kh, dilation, padding, stride), -1)


for _label, _kwargs in [
    ("", {}),
    ("-stride2-pad1", {"stride": 2, "padding": 1}),
    ("-dilation2", {"dilation": 2, "padding": (1, 2)}),
    ("-groups2", {"groups": 2, "stride": (1, 2)}),
]:
    _groups = _kwargs.get("groups", 1)
    case(
        "conv2d" + _label,
        lambda x, w, _kwargs=_kwargs: ag.conv2d(x, w, **_kwargs),
        lambda x, w, _kwargs=_kwargs: _conv2d(x, w, **_kwargs),
        (2, 4, 5, 5),
        (2 * _groups, 4 // _groups, 3, 2),
    )


def _max_pool2d(x, kernel, stride=None, dilation=1):
    n, c, h, w = x.shape
    stride = kernel if stride is None else stride
    cols = _unfold(x.reshape(n * c, 1, h, w), kernel, dilation, 0, stride)
    ho = _out_rows(h, _pair(kernel)[0], dilation, 0, stride)
    return cols.max(axis=1).reshape(n, c, ho, -1)


for _label, _kwargs in [
    ("-tiles", {"kernel": 2}),
    ("-tiles-rect-remainder", {"kernel": (2, 3)}),
    ("-overlapping", {"kernel": 3, "stride": 1}),
    ("-dilated", {"kernel": 2, "stride": 1, "dilation": 2}),
]:
    _lib = {("kernel_size" if k == "kernel" else k): v for k, v in _kwargs.items()}
    case(
        "max_pool2d" + _label,
        lambda x, _lib=_lib: ag.max_pool2d(x, **_lib),
        lambda x, _kwargs=_kwargs: _max_pool2d(x, **_kwargs),
        (2, 3, 5, 7),
    )

import op_cases_math  # noqa: E402

op_cases_math.add_cases(case)

import op_cases_structure  # noqa: E402

op_cases_structure.add_cases(case)

import op_cases_scatter  # noqa: E402

op_cases_scatter.add_cases(case)
