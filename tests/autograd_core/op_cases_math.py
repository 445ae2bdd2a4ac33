"""Table cases of the rounding, transcendental and two-input math ops (rounding.py,
transcendental.py, binary_math.py and sign), added to op_cases.CASES by `add_cases`."""

from __future__ import annotations

import numpy as np
from op_case import away_from_zero, distinct, fixed, integers, large, normal, positive

import autograd_core as ag


def inside(low, high):
    """Uniform in (low, high): where an inverse function is defined and smooth."""

    def draw(rng, shape):
        return rng.uniform(low, high, shape)

    return draw


def _zeros(g, *inputs):
    """The gradient of a step function, as PyTorch gives it: zero for every input."""
    return tuple(np.zeros_like(a) for a in inputs)


def _torch_round(a, decimals=0):
    """PyTorch's round: halves to even, scaling by 10^decimals first (NumPy does the same)."""
    return np.round(a, decimals)


def _add_rounding(case):
    # distinct() keeps every value 0.1 away from whole and half numbers: no jump is crossed by
    # finite differences, which see the zero gradient PyTorch gives
    for name, fn, ref in [
        ("floor", ag.floor, np.floor),
        ("ceil", ag.ceil, np.ceil),
        ("trunc", ag.trunc, np.trunc),
        ("round", ag.round, _torch_round),
        ("frac", ag.frac, lambda a: a - np.trunc(a)),
    ]:
        case(name, fn, ref, (3, 4), domain=distinct())
    for name, fn in [
        ("floor-method", lambda a: a.floor()),
        ("ceil-method", lambda a: a.ceil()),
        ("trunc-method", lambda a: a.trunc()),
        ("round-method", lambda a: a.round()),
    ]:
        case(name, fn, getattr(np, name.split("-")[0]), (5,), domain=distinct())
    case("frac-method", lambda a: a.frac(), lambda a: a - np.trunc(a), (5,), domain=distinct())
    # offset 0.02: values end in 2 or 7 hundredths, never on a tie at 5
    case(
        "round-decimals",
        lambda a: ag.round(a, decimals=1),
        lambda a: _torch_round(a, 1),
        (3, 4),
        domain=distinct(0.02),
    )
    case(
        "round-decimals-negative",
        lambda a: (a * 100).round(decimals=-1),
        lambda a: _torch_round(a * 100, -1),
        (3, 4),
        domain=distinct(0.02),
    )
    case(
        "round-halves-to-even",
        ag.round,
        np.round,
        (5,),
        domain=fixed([0.5, 1.5, 2.5, -0.5, -1.5]),
        grad=False,
        grad_ref=_zeros,
    )
    for name, fn, ref in [
        ("floor-at-integers", ag.floor, np.floor),
        ("ceil-at-integers", ag.ceil, np.ceil),
        ("trunc-at-integers", ag.trunc, np.trunc),
        ("sign-at-zero", ag.sign, np.sign),
    ]:
        case(name, fn, ref, (3,), domain=fixed([-1.0, 0.0, 2.0]), grad=False, grad_ref=_zeros)
    case(
        "frac-at-integers",
        ag.frac,
        lambda a: a - np.trunc(a),
        (3,),
        domain=fixed([-1.0, 0.0, 2.0]),
        grad=False,
        grad_ref=lambda g, a: (g,),  # PyTorch: frac passes the gradient, jumps included
    )
    case("sign-zero-gradient", ag.sign, np.sign, (3, 4), domain=away_from_zero)
    case("sign-method", lambda a: a.sign(), np.sign, (5,), domain=away_from_zero)
    # integers: floor, ceil, trunc and round give the tensor back, as PyTorch does
    for name in ["floor", "ceil", "trunc", "round", "sign"]:
        case(
            name + "-int",
            getattr(ag, name),
            lambda i, _name=name: getattr(np, _name)(i).astype(np.int64),
            (3, 4),
            int_inputs=(0,),
            out_dtypes=("int64",),
        )


def _add_nan_to_num(case):
    values = [1.5, np.nan, np.inf, -np.inf, -2.0]
    case(
        "nan_to_num",
        lambda a: ag.nan_to_num(a, nan=0.5, posinf=7.0, neginf=-7.0),
        lambda a: np.nan_to_num(a, nan=0.5, posinf=7.0, neginf=-7.0),
        (5,),
        domain=fixed(values),
        grad=False,
        grad_ref=lambda g, a: (g * np.isfinite(a),),  # PyTorch: 0 where a value was replaced
    )
    # by default infinities become the dtype's largest and lowest values (float32's here)
    case(
        "nan_to_num-dtype-limits",
        lambda a: ag.nan_to_num(a.to(ag.float32)).to(a.dtype) / 1e38,
        lambda a: np.nan_to_num(a.astype(np.float32)).astype(np.float64) / 1e38,
        (5,),
        domain=fixed(values),
        grad=False,
    )
    case("nan_to_num-finite", ag.nan_to_num, np.nan_to_num, (3, 4))
    case("nan_to_num-method", lambda a: a.nan_to_num(), np.nan_to_num, (4,))
    case(
        "nan_to_num-int",
        ag.nan_to_num,
        lambda i: i,
        (3, 4),
        int_inputs=(0,),
        out_dtypes=("int64",),
    )


# integers inside each function's domain
_INT_INPUTS = {"asin": [0, 1, -1, 0], "acos": [0, 1, -1, 0], "atanh": [0, 0, 0, 0]}


def _add_unary(case):
    for name, ref, domain in [
        ("reciprocal", np.reciprocal, away_from_zero),
        ("rsqrt", lambda a: 1 / np.sqrt(a), positive),
        ("log2", np.log2, positive),
        ("log10", np.log10, positive),
        ("exp2", np.exp2, normal),
        ("expm1", np.expm1, normal),
        ("tan", np.tan, inside(-1.2, 1.2)),
        ("asin", np.arcsin, inside(-0.8, 0.8)),
        ("acos", np.arccos, inside(-0.8, 0.8)),
        ("atan", np.arctan, normal),
        ("sinh", np.sinh, normal),
        ("cosh", np.cosh, normal),
        ("asinh", np.arcsinh, normal),
        ("acosh", np.arccosh, inside(1.2, 3.0)),
        ("atanh", np.arctanh, inside(-0.8, 0.8)),
    ]:
        case(name + "-fn", getattr(ag, name), ref, (3, 4), domain=domain)
        case(
            name + "-method",
            lambda a, _name=name: getattr(a, _name)(),
            ref,
            (5,),
            domain=domain,
        )
        # integers give the default float dtype
        case(
            name + "-int",
            getattr(ag, name),
            lambda i, _ref=ref: _ref(i.astype(np.float64)).astype(np.float32),
            (4,),
            int_inputs=(0,),
            domain=fixed(_INT_INPUTS.get(name, [1, 2, 3, 1])),
            out_dtypes=("default",),
        )
    case("expm1-small", ag.expm1, np.expm1, (4,), domain=fixed([1e-10, -1e-12, 3e-8, 0.0]))
    case("square-fn", ag.square, np.square, (3, 4))
    case(
        "square-int",
        ag.square,
        lambda i: i * i,
        (3, 4),
        int_inputs=(0,),
        out_dtypes=("int64",),
    )
    case(
        "square-bool",
        lambda i: ag.square(i > 0),
        lambda i: (i > 0).astype(np.int64),
        (3, 4),
        int_inputs=(0,),
        out_dtypes=("int64",),
    )
    case("reciprocal-0d", ag.reciprocal, np.reciprocal, (), domain=away_from_zero)


def _add_binary(case):
    for name, ref, domain in [
        ("atan2", np.arctan2, away_from_zero),
        ("hypot", np.hypot, away_from_zero),
        ("logaddexp", np.logaddexp, normal),
    ]:
        case(name, getattr(ag, name), ref, (3, 4), (3, 4), domain=domain)
        case(name + "-broadcast", getattr(ag, name), ref, (3, 1, 4), (2, 4), domain=domain)
        case(
            name + "-method",
            lambda a, b, _name=name: getattr(a, _name)(b),
            ref,
            (4,),
            (),
            domain=domain,
        )
    case("logaddexp-large", ag.logaddexp, np.logaddexp, (3, 4), (4,), domain=large)
    case(
        "atan2-int",
        ag.atan2,
        lambda i, j: np.arctan2(i, j).astype(np.float32),
        (3, 4),
        (4,),
        int_inputs=(0, 1),
        domain=(integers, integers),
        out_dtypes=("default",),
    )
    case(
        "atan2-quadrants",
        ag.atan2,
        np.arctan2,
        (4,),
        (4,),
        domain=(fixed([1.0, 1.0, -1.0, -1.0]), fixed([1.0, -1.0, 1.0, -1.0])),
    )


def _lerp(start, end, weight):
    return start + weight * (end - start)


def _add_lerp(case):
    case("lerp", ag.lerp, _lerp, (3, 4), (3, 4), (3, 4))
    case("lerp-broadcast", ag.lerp, _lerp, (3, 1), (4,), (2, 1, 1))
    case("lerp-0d-weight", ag.lerp, _lerp, (3, 4), (3, 4), ())
    case(
        "lerp-number-weight",
        lambda a, b: ag.lerp(a, b, 0.3),
        lambda a, b: _lerp(a, b, 0.3),
        (3, 4),
        (4,),
    )
    case(
        "lerp-method",
        lambda a, b: a.lerp(b, 0.75),
        lambda a, b: _lerp(a, b, 0.75),
        (5,),
        (5,),
    )
    # PyTorch's lerp is exact at both ends: weight 1 gives `end`, not start + (end - start)
    case(
        "lerp-ends",
        lambda a, b: ag.lerp(a, b, 1.0),
        lambda a, b: b,
        (4,),
        (4,),
        domain=(fixed([1e8, -1e8, 3.0, 0.1]), fixed([1.0, 2.0, -3.0, 0.2])),
    )


def add_cases(case):
    """Declare this module's cases with op_cases' `case`."""
    _add_rounding(case)
    _add_nan_to_num(case)
    _add_unary(case)
    _add_binary(case)
    _add_lerp(case)
