"""Two- and three-input functions: atan2, hypot, logaddexp and lerp. They broadcast; the engine
sums each gradient back to its input's shape."""

from __future__ import annotations

from .. import dtypes
from ..function import Function
from .common import as_tensor, binary_operands, check_broadcast, is_tensor, scalar_constant
from .elementwise import _xp, cast, sigmoid


def _float_operands(a, b, op, integers_allowed=False):
    """Two tensors of one float dtype; integers become the default float dtype where the op
    accepts them (atan2), as in PyTorch, else a TypeError (hypot, logaddexp, lerp)."""
    a, b = binary_operands(a, b, op)
    if a.dtype.kind != "f":
        if not integers_allowed:
            raise TypeError(f"{op}: expected floating-point tensors, got {a.dtype}")
        a = cast(a, dtypes.get_default_dtype())
        b = cast(b, a.dtype)
    return a, b


class Atan2(Function):
    """out = atan2(a, b), the angle of the point (b, a);  da = b / (a^2 + b^2),
    db = -a / (a^2 + b^2)"""

    op_name = "atan2"
    broadcasts = True

    @staticmethod
    def forward(ctx, a, b):
        return _xp(a).arctan2(a, b)

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.input_tensors
        need_a, need_b = ctx.needs_input_grad
        scaled = grad_out / (a * a + b * b)
        return scaled * b if need_a else None, -scaled * a if need_b else None


def atan2(input, other):
    """The angle of the point (other, input) in (-pi, pi]; integers give the default float
    dtype.

    >>> import autograd_core as ag
    >>> ag.atan2(ag.tensor([1.0, 0.0]), ag.tensor([0.0, -1.0]))
    tensor([1.5708, 3.1416])
    """
    return Atan2._call(*_float_operands(input, other, "atan2", integers_allowed=True))


class Hypot(Function):
    """out = sqrt(a^2 + b^2) without overflow;  da = a / out, db = b / out"""

    op_name = "hypot"
    broadcasts = True
    saves_output = True

    @staticmethod
    def forward(ctx, a, b):
        return _xp(a).hypot(a, b)

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.input_tensors
        need_a, need_b = ctx.needs_input_grad
        scaled = grad_out / ctx.outputs[0]
        return scaled * a if need_a else None, scaled * b if need_b else None


def hypot(input, other):
    """sqrt(input^2 + other^2), the length of the hypotenuse; floating-point tensors only."""
    return Hypot._call(*_float_operands(input, other, "hypot"))


class LogAddExp(Function):
    """out = log(e^a + e^b);  da = sigmoid(a - b), db = sigmoid(b - a)"""

    op_name = "logaddexp"
    broadcasts = True

    @staticmethod
    def forward(ctx, a, b):
        # NumPy's and CuPy's logaddexp factor out the larger exponent: no overflow
        return _xp(a).logaddexp(a, b)

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.input_tensors
        need_a, need_b = ctx.needs_input_grad
        # the softmax of (a, b): sigmoid is stable where e^a / (e^a + e^b) would overflow
        grad_a = grad_out * sigmoid(a - b) if need_a else None
        grad_b = grad_out * sigmoid(b - a) if need_b else None
        return grad_a, grad_b


def logaddexp(input, other):
    """log(e^input + e^other), computed without overflow; floating-point tensors only."""
    return LogAddExp._call(*_float_operands(input, other, "logaddexp"))


class Lerp(Function):
    """out = start + weight (end - start);  dstart = 1 - weight, dend = weight,
    dweight = end - start"""

    op_name = "lerp"

    @staticmethod
    def forward(ctx, start, end, weight):
        xp = _xp(start)
        # PyTorch's two-sided formula: exact at both ends (weight 0 gives start, 1 gives end)
        near_start = start + weight * (end - start)
        near_end = end - (end - start) * (1 - weight)
        return xp.where(xp.abs(weight) < 0.5, near_start, near_end)

    @staticmethod
    def backward(ctx, grad_out):
        start, end, weight = ctx.input_tensors
        need_start, need_end, need_weight = ctx.needs_input_grad
        grad_start = grad_out * (1 - weight) if need_start else None
        grad_end = grad_out * weight if need_end else None
        grad_weight = grad_out * (end - start) if need_weight else None
        return grad_start, grad_end, grad_weight


def lerp(input, end, weight):
    """Linear interpolation input + weight * (end - input), with a number or a tensor
    `weight` (broadcast against the others); floating-point tensors only.

    >>> import autograd_core as ag
    >>> ag.lerp(ag.tensor([0.0, 10.0]), ag.tensor([1.0, 20.0]), 0.25)
    tensor([ 0.2500, 12.5000])
    """
    start, end = _float_operands(input, end, "lerp")
    if is_tensor(weight):
        if weight.dtype != start.dtype:
            if weight.ndim != 0:
                raise TypeError(
                    f"lerp: weight has dtype {weight.dtype}, start and end have {start.dtype}"
                )
            weight = cast(weight, start.dtype)  # a 0-d weight follows the others, as a number
    elif isinstance(weight, (int, float)) and not isinstance(weight, bool):
        weight = scalar_constant(float(weight), start)
    else:
        weight = as_tensor(weight, start, "lerp")
        weight = cast(weight, start.dtype)
    try:
        return Lerp._call(start, end, weight)
    except ValueError:
        check_broadcast("lerp", start, end, weight)
        raise
