"""Rounding and clean-up of values: floor, ceil, round, trunc, frac and nan_to_num. As in
PyTorch the step functions have a zero gradient (not none), frac passes it through."""

from __future__ import annotations

from ..function import Function
from .common import as_tensor, constant
from .compare import isfinite, zero_gradient
from .elementwise import _xp


def _zero_gradient_raw(ctx, grad_out):
    return _xp(grad_out).zeros_like(grad_out)


def _step(name, formula, forward):
    """A rounding op: the output is piecewise constant, so its gradient is zero."""
    return type(
        name,
        (Function,),
        {
            "__doc__": formula,
            "op_name": name.lower(),
            "uses_inputs": False,
            "forward": staticmethod(forward),
            "backward": staticmethod(lambda ctx, grad_out: zero_gradient(grad_out)),
            "backward_raw": staticmethod(_zero_gradient_raw),
        },
    )


Floor = _step("Floor", "out = floor(a);  da = 0", lambda ctx, a: _xp(a).floor(a))
Ceil = _step("Ceil", "out = ceil(a);  da = 0", lambda ctx, a: _xp(a).ceil(a))
Trunc = _step("Trunc", "out = trunc(a) (toward zero);  da = 0", lambda ctx, a: _xp(a).trunc(a))


def _round(ctx, a, decimals):
    ctx.params = {"decimals": decimals}
    return _xp(a).round(a, decimals)


Round = _step("Round", "out = a rounded to `decimals` places, halves to even;  da = 0", _round)


class Frac(Function):
    """out = a - trunc(a);  da = 1"""

    op_name = "frac"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a):
        return a - _xp(a).trunc(a)

    @staticmethod
    def backward(ctx, grad_out):
        return grad_out

    backward_raw = backward


def _rounding_input(a, op):
    a = as_tensor(a, op=op)
    if a.dtype.kind == "b":
        raise TypeError(f"{op}: expected a number tensor, got bool")
    return a


def floor(a):
    """The largest whole number <= a; an integer tensor comes back unchanged (a copy)."""
    a = _rounding_input(a, "floor")
    if a.dtype.kind != "f":
        return constant(a._data.copy())
    return Floor._call(a)


def ceil(a):
    """The smallest whole number >= a; an integer tensor comes back unchanged (a copy)."""
    a = _rounding_input(a, "ceil")
    if a.dtype.kind != "f":
        return constant(a._data.copy())
    return Ceil._call(a)


def trunc(a):
    """a rounded toward zero; an integer tensor comes back unchanged (a copy)."""
    a = _rounding_input(a, "trunc")
    if a.dtype.kind != "f":
        return constant(a._data.copy())
    return Trunc._call(a)


def round(a, *, decimals=0):
    """a rounded to `decimals` decimal places (negative: to tens, hundreds, ...), halves to
    even as in PyTorch. An integer tensor comes back unchanged when `decimals` is 0.

    >>> import autograd_core as ag
    >>> ag.round(ag.tensor([0.5, 1.5, 1.26]), decimals=0)
    tensor([0., 2., 1.])
    """
    a = _rounding_input(a, "round")
    if not isinstance(decimals, int) or isinstance(decimals, bool):
        raise TypeError(f"round: decimals must be an int, got {type(decimals).__name__}")
    if a.dtype.kind != "f":
        if decimals != 0:
            raise TypeError(f"round: decimals needs a floating-point tensor, got {a.dtype}")
        return constant(a._data.copy())
    return Round._call(a, decimals=decimals)


def frac(a):
    """The fractional part a - trunc(a), with the sign of a; floating-point tensors only."""
    a = as_tensor(a, op="frac")
    if a.dtype.kind != "f":
        raise TypeError(f"frac: expected a floating-point tensor, got {a.dtype}")
    return Frac._call(a)


class NanToNum(Function):
    """out = a with NaN, +inf and -inf replaced;  da = 1 where a is finite, else 0"""

    op_name = "nan_to_num"

    @staticmethod
    def forward(ctx, a, nan, posinf, neginf):
        ctx.params = {"nan": nan, "posinf": posinf, "neginf": neginf}
        return _xp(a).nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, grad_out):
        from .select import where  # select.py builds on elementwise.py, as this module does

        return where(isfinite(ctx.input_tensors[0]), grad_out, 0.0)


def nan_to_num(a, nan=0.0, posinf=None, neginf=None):
    """`a` with NaN replaced by `nan`, +inf by `posinf` and -inf by `neginf` (by default
    the largest and lowest finite values of the dtype). Integer and bool tensors have
    none of them and come back unchanged (a copy).

    >>> import autograd_core as ag
    >>> ag.nan_to_num(ag.tensor([float("nan"), 1.0, float("-inf")]), neginf=-5.0)
    tensor([ 0.,  1., -5.])
    """
    a = as_tensor(a, op="nan_to_num")
    if a.dtype.kind != "f":
        return constant(a._data.copy())
    return NanToNum._call(a, nan=nan, posinf=posinf, neginf=neginf)
