"""Ops that pick between values: maximum, minimum, clamp, where, masked_fill. Their
gradient goes to the value picked (split evenly between tied inputs where PyTorch does)."""

from __future__ import annotations

from .. import dtypes
from ..function import Function
from .common import as_tensor, binary_operands, check_broadcast, is_tensor
from .compare import ge, gt, le, logical_and, logical_or, lt, ne
from .elementwise import _xp, cast


class Maximum(Function):
    """out = max(a, b); the gradient is split evenly where a == b"""

    op_name = "maximum"
    broadcasts = True

    @staticmethod
    def forward(ctx, a, b):
        return _xp(a).maximum(a, b)

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.input_tensors
        return _split_by_winner(grad_out, a > b, a == b, ctx.needs_input_grad)


class Minimum(Function):
    """out = min(a, b); the gradient is split evenly where a == b"""

    op_name = "minimum"
    broadcasts = True

    @staticmethod
    def forward(ctx, a, b):
        return _xp(a).minimum(a, b)

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.input_tensors
        return _split_by_winner(grad_out, a < b, a == b, ctx.needs_input_grad)


def _split_by_winner(grad_out, a_wins, tie, needs):
    half = grad_out * 0.5
    grad_a = where(a_wins, grad_out, where(tie, half, 0)) if needs[0] else None
    grad_b = where(a_wins, 0, where(tie, half, grad_out)) if needs[1] else None
    return grad_a, grad_b


def maximum(a, b):
    return Maximum._call(*binary_operands(a, b, "maximum"))


def minimum(a, b):
    return Minimum._call(*binary_operands(a, b, "minimum"))


class Clamp(Function):
    """out = min(max(a, low), high);  da = 1 inside [low, high], else 0"""

    op_name = "clamp"

    @staticmethod
    def forward(ctx, a, low, high):
        ctx.params = {"min": low, "max": high}
        return _xp(a).clip(a, low, high)

    @staticmethod
    def backward(ctx, grad_out):
        (a,) = ctx.input_tensors
        low, high = ctx.params["min"], ctx.params["max"]
        inside = None
        if low is not None:
            inside = a >= low
        if high is not None:
            inside = a <= high if inside is None else logical_and(inside, a <= high)
        return where(inside, grad_out, 0)


def clamp(a, min=None, max=None):
    """Limit values to [min, max]; either bound may be None or a tensor."""
    if min is None and max is None:
        raise ValueError("clamp: at least one of min and max must be given")
    if is_tensor(min) or is_tensor(max):
        return _clamp_by_tensors(a, min, max)
    if a.dtype.kind in "iub" and isinstance(min if min is not None else max, float):
        a = cast(a, dtypes.get_default_dtype())
    return Clamp._call(a, low=min, high=max)


def _clamp_by_tensors(a, low, high):
    """clamp with tensor bounds, written with where to route the gradient as PyTorch does: a
    tie goes to `a` (a bound gets it only where it strictly wins), `high` wins when
    low > high, and a NaN in `a` or in a bound gives NaN with no gradient to anyone."""
    # where none of the comparisons below holds, some input is NaN, and so is their sum
    out = a if low is None else a + low
    out = (out if high is None else out + high).detach()
    inside = None
    if high is not None:
        inside = le(a, high)
        high_wins = gt(a, high) if low is None else logical_or(gt(a, high), lt(high, low))
        out = where(high_wins, high, out)
    if low is not None:
        inside = ge(a, low) if inside is None else logical_and(inside, ge(a, low))
        low_wins = lt(a, low) if high is None else logical_and(lt(a, low), lt(low, high))
        out = where(low_wins, low, out)
    return where(inside, a, out)


class Where(Function):
    """out = a where condition else b"""

    op_name = "where"
    uses_inputs = False

    @staticmethod
    def forward(ctx, condition, a, b):
        return _xp(a).where(condition, a, b)

    @staticmethod
    def backward(ctx, grad_out):
        condition = ctx.inputs[0]
        _, need_a, need_b = ctx.needs_input_grad
        grad_a = where(condition, grad_out, 0) if need_a else None
        grad_b = where(condition, 0, grad_out) if need_b else None
        return None, grad_a, grad_b


_MISSING = object()


def where(condition, a=_MISSING, b=_MISSING):
    """Pick from `a` where `condition` holds, else from `b` (numbers are welcome). With the
    condition alone, its nonzero positions: the same as nonzero(condition, as_tuple=True)."""
    if a is _MISSING and b is _MISSING:
        from .masked import nonzero

        return nonzero(as_tensor(condition, op="where"), as_tuple=True)
    if a is _MISSING or b is _MISSING:
        raise TypeError("where: pass both values to pick from, or the condition alone")
    # numbers and lists take the device of the tensors beside them, as in PyTorch
    if not is_tensor(condition):
        like = a if is_tensor(a) else b
        device = like.device if is_tensor(like) else None
        condition = _on_device(as_tensor(condition, op="where"), device)
    if condition.dtype.kind != "b":
        condition = ne(condition, 0)
    if not is_tensor(a) and not is_tensor(b):
        a = _on_device(as_tensor(a, op="where"), condition.device)
    a, b = binary_operands(a, b, "where")
    if type(condition._data) is not type(a._data):
        raise RuntimeError(f"where: condition is on {condition.device} but values on {a.device}")
    try:
        return Where._call(condition, a, b)
    except ValueError:
        check_broadcast("where", condition, a, b)
        raise


def _on_device(t, device):
    return t if device is None or t.device == device else t.to(device)


def masked_fill(a, mask, value):
    """`a` with `value` written where `mask` is true (differentiable in `a` and a tensor
    `value`); the result keeps `a`'s dtype, as PyTorch (2.7 into an int tensor is 2)."""
    if type(value) is int and a.dtype.kind in "iu":
        from .common import _wrapped

        if _wrapped(value, a.dtype) != value:
            raise RuntimeError(
                f"masked_fill: value {value} cannot be converted to type {a.dtype} without overflow"
            )
    value = as_tensor(value, a, "masked_fill")
    if value.dtype != a.dtype:
        from .elementwise import cast

        value = cast(value, a.dtype)
    return where(mask, value, a)
