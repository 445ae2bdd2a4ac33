"""Elementwise ops without a gradient (comparisons, logic, integer division) and sign, whose
gradient is zero."""

from __future__ import annotations

from .. import backend
from ..function import Function
from .common import binary_operands, check_broadcast, constant


def _xp(array):
    return backend.array_module(array)


# ---- no gradient: comparisons, logic, rounding --------------------------------------------
def _compare(name, ufunc_name, doc=None):
    def compare(a, b):
        a, b = binary_operands(a, b, name)
        xp = _xp(a._data)
        try:
            return constant(getattr(xp, ufunc_name)(a._data, b._data))
        except ValueError:
            check_broadcast(name, a, b)
            raise

    compare.__name__ = name
    compare.__doc__ = doc or f"Elementwise `{ufunc_name}` as a bool tensor (no gradient)."
    return compare


eq = _compare("eq", "equal")
ne = _compare("ne", "not_equal")
lt = _compare("lt", "less")
le = _compare("le", "less_equal")
gt = _compare("gt", "greater")
ge = _compare("ge", "greater_equal")
logical_and = _compare("logical_and", "logical_and")
logical_or = _compare("logical_or", "logical_or")
logical_xor = _compare("logical_xor", "logical_xor")
_BITWISE_DOC = "Elementwise bitwise `{}` of integer or bool tensors (no gradient)."
bitwise_and = _compare("bitwise_and", "bitwise_and", _BITWISE_DOC.format("and"))
bitwise_or = _compare("bitwise_or", "bitwise_or", _BITWISE_DOC.format("or"))
bitwise_xor = _compare("bitwise_xor", "bitwise_xor", _BITWISE_DOC.format("xor"))


def bitwise_not(a):
    """~a: logical not of a bool tensor, bitwise not (-a - 1) of an integer one."""
    return constant(_xp(a._data).invert(a._data))


def logical_not(a):
    return constant(_xp(a._data).logical_not(a._data))


def isnan(a):
    return constant(_xp(a._data).isnan(a._data))


def isfinite(a):
    return constant(_xp(a._data).isfinite(a._data))


def zero_gradient(grad_out):
    """Zeros like `grad_out`, outside the graph: the gradient of a step function (sign,
    floor, round, ...), which PyTorch gives as zero rather than refusing."""
    return constant(_xp(grad_out._data).zeros_like(grad_out._data))


class Sign(Function):
    """out = sign(a);  da = 0 (as PyTorch: zero, also at the jump at 0)"""

    op_name = "sign"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a):
        out = _xp(a).sign(a)
        if out.dtype.kind == "f":
            out[out != out] = 0  # PyTorch's sign of NaN is 0: (0 < x) - (x < 0)
        return out

    @staticmethod
    def backward(ctx, grad_out):
        return zero_gradient(grad_out)

    @staticmethod
    def backward_raw(ctx, grad_out):
        return _xp(grad_out).zeros_like(grad_out)


def sign(a):
    """-1, 0 or 1, in `a`'s dtype; its gradient is zero, as in PyTorch."""
    if a._data.dtype.kind == "b":  # NumPy has no sign for bool; a bool is its own sign
        return constant(a._data.copy())
    return Sign._call(a)


def floor_divide(a, b):
    a, b = binary_operands(a, b, "floor_divide")
    _check_integer_divisor(a, b, "floor_divide")
    try:
        return constant(_xp(a._data).floor_divide(a._data, b._data))
    except ValueError:
        check_broadcast("floor_divide", a, b)
        raise


def remainder(a, b):
    """a - b * floor(a / b), with gradient 1 to `a` (as in PyTorch)."""
    a, b = binary_operands(a, b, "remainder")
    check_broadcast("remainder", a, b)
    _check_integer_divisor(a, b, "remainder")
    return a - floor_divide(a, b) * b


def _check_integer_divisor(a, b, op):
    """Integer division by zero has no value: ZeroDivisionError, as PyTorch (NumPy gives 0)."""
    if a.dtype.kind in "biu" and b.dtype.kind in "biu":
        xp = _xp(b._data)
        if backend.to_numpy(xp.asarray(xp.any(b._data == 0))):
            raise ZeroDivisionError(f"{op}: integer division by zero")
