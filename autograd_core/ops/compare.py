"""Elementwise ops without a gradient (comparisons, logic, integer division) and sign, whose
gradient is zero."""

from __future__ import annotations

import operator

import numpy as np

from .. import backend
from ..function import Function
from .common import binary_operands, check_broadcast, constant, is_tensor


def _xp(array):
    return backend.array_module(array)


# ---- no gradient: comparisons, logic, rounding --------------------------------------------
def _compare(name, ufunc_name, doc=None, python_op=None):
    def compare(a, b):
        if python_op is not None and (type(a) is int or type(b) is int):
            beyond = _beyond_dtype(python_op, a, b)
            if beyond is not None:
                return beyond
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


_integer_ranges: dict = {}  # integer dtype -> (min, max) as Python ints


def _beyond_dtype(python_op, a, b):
    """`tensor op n` for a Python int `n` that the tensor's integer dtype cannot hold: every
    element lies on one side of `n`, so the answer is one bool, decided on the host as
    `0 op n` (0 stands for any element); None when `n` fits. As NumPy 2 does. PyTorch 2.13
    wraps `n` into the dtype first (uint8 >= 1000 compares with 232), which silently spoils
    masks such as `labels != -100`; we give the mathematically right answer instead."""
    if type(b) is int:
        tensor, value = a, b
    else:
        tensor, value = b, a
    if not is_tensor(tensor) or tensor._data.dtype.kind not in "iu":
        return None
    data = tensor._data
    bounds = _integer_ranges.get(data.dtype)
    if bounds is None:
        info = np.iinfo(data.dtype)
        bounds = _integer_ranges[data.dtype] = (int(info.min), int(info.max))
    if bounds[0] <= value <= bounds[1]:
        return None
    result = python_op(0, value) if tensor is a else python_op(value, 0)
    return constant(_xp(data).full(data.shape, result, dtype=bool))


_COMPARE_DOC = (
    "Elementwise `{}` as a bool tensor (no gradient). A Python int beyond an integer "
    "tensor's dtype compares by its value (uint8 >= 1000 is all False), as in NumPy 2."
)
eq = _compare("eq", "equal", _COMPARE_DOC.format("equal"), operator.eq)
ne = _compare("ne", "not_equal", _COMPARE_DOC.format("not_equal"), operator.ne)
lt = _compare("lt", "less", _COMPARE_DOC.format("less"), operator.lt)
le = _compare("le", "less_equal", _COMPARE_DOC.format("less_equal"), operator.le)
gt = _compare("gt", "greater", _COMPARE_DOC.format("greater"), operator.gt)
ge = _compare("ge", "greater_equal", _COMPARE_DOC.format("greater_equal"), operator.ge)
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
