"""Turning op arguments into tensors: Python scalars, lists and arrays, dtype and device rules."""

from __future__ import annotations

import numpy as np

from .. import backend, dtypes
from .. import tensor as _tensor_module


def is_tensor(value) -> bool:
    return isinstance(value, _tensor_module.Tensor)


def constant(array):
    """A tensor outside the graph; NumPy's 0-d results (scalars) become 0-d arrays."""
    if isinstance(array, np.generic):
        array = np.asarray(array)
    return _tensor_module.Tensor._wrap(array)


def as_tensor(value, like=None, op="op"):
    """`value` as a Tensor; a Python scalar takes `like`'s dtype and device (PyTorch's rules)."""
    if is_tensor(value):
        return value
    if isinstance(value, (bool, int, float, np.number, np.bool_)):
        if like is None:
            from ..creation import tensor

            return tensor(value)
        dtype = dtypes.scalar_dtype(value, like.dtype)
        xp = backend.array_module(like._data)
        if type(value) is int and dtype.kind in "iu":
            value = _wrapped(value, dtype)
        return constant(xp.asarray(value, dtype=dtype))
    if backend.is_array(value) or isinstance(value, (list, tuple)):
        from ..creation import tensor

        device = None if like is None else like.device
        return tensor(value, device=device)
    raise TypeError(f"{op}: expected a Tensor or a number, got {type(value).__name__}")


def _wrapped(value, dtype):
    """A Python int that a small integer dtype can't hold, wrapped around as C (and PyTorch)
    does: uint8 + 300 adds 44. NumPy 2 raises instead."""
    info = np.iinfo(dtype)
    if info.min <= value <= info.max:
        return value
    return (value - info.min) % (int(info.max) - int(info.min) + 1) + info.min


_Tensor = None
_scalar_constants: dict = {}
_float_constants: dict = {}  # CPU float dtype -> {value: constant}: the hot path, one lookup


def scalar_constant(value, like):
    """A 0-d constant for a Python number next to `like`, cached (x * 0.5 in a loop would
    otherwise build the same array every time; on a GPU, copy it there every time).
    Constants are never written to."""
    data = like._data
    if type(data) is np.ndarray and data.dtype.kind == "f":
        # next to a float tensor an int and a float of equal value give the same constant
        per_dtype = _float_constants.get(data.dtype)
        if per_dtype is None:
            per_dtype = _float_constants[data.dtype] = {}
        t = per_dtype.get(value)
        if t is None:
            if len(per_dtype) > 4096:
                per_dtype.clear()
            t = per_dtype[value] = as_tensor(value, like)
        return t
    device = None if type(data) is np.ndarray else data.device.id
    key = (type(value), value, data.dtype, device)
    t = _scalar_constants.get(key)
    if t is None:
        if len(_scalar_constants) > 4096:
            _scalar_constants.clear()
        t = as_tensor(value, like)
        _scalar_constants[key] = t
    return t


def binary_operands(a, b, op):
    """Two tensors of one dtype on one device, from tensors or Python numbers."""
    kind_b = type(b)
    if kind_b is float or kind_b is int:
        if isinstance(a, _tensor_module.Tensor):
            # a tensor with a number: the hot case of every lesson's arithmetic
            if a._data.dtype.kind == "f" or kind_b is int and a._data.dtype.kind != "b":
                return a, scalar_constant(b, a)
    elif kind_b is _tensor_module.Tensor:
        kind_a = type(a)
        if kind_a is kind_b:
            ad, bd = a._data, b._data
            if ad.dtype is bd.dtype and type(ad) is type(bd):
                return a, b
        elif kind_a is float or kind_a is int:
            # a number with a tensor (1 - x, 2 / x): the reflected operators
            if b._data.dtype.kind == "f" or kind_a is int and b._data.dtype.kind != "b":
                return scalar_constant(a, b), b
    if not is_tensor(a):
        if not is_tensor(b):
            raise TypeError(
                f"{op}: expected at least one Tensor, got {type(a).__name__} and {type(b).__name__}"
            )
        a = as_tensor(a, b, op)
    elif not is_tensor(b):
        b = as_tensor(b, a, op)
    if type(a._data) is not type(b._data):
        raise RuntimeError(
            f"{op}: expected all tensors on the same device, got {a.device} and {b.device}"
        )
    if a._data.dtype != b._data.dtype:
        common = dtypes.promote_arrays(a._data, b._data)
        if a._data.dtype != common:
            a = _cast(a, common)
        if b._data.dtype != common:
            b = _cast(b, common)
    return a, b


def _cast(t, dtype):
    from .elementwise import cast

    return cast(t, dtype)


def normalize_dims(dim, ndim, op):
    """`dim` (int, tuple, list or None) as a sorted tuple of non-negative axes, or None."""
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    rank = max(ndim, 1)
    result = []
    for d in dims:
        if not -rank <= d < rank:
            raise IndexError(
                f"{op}: dim {d} is out of range for a tensor with {ndim} dims "
                f"(expected a value in [{-rank}, {rank - 1}])"
            )
        result.append(int(d) % rank)
    if len(set(result)) != len(result):
        raise ValueError(f"{op}: dim {dim} names the same dim twice")
    return tuple(sorted(result)) if ndim else ()


def dim_arguments(dim, keepdim, kwargs, op):
    """Accept NumPy's `axis`/`keepdims` beside PyTorch's `dim`/`keepdim`."""
    if "axis" in kwargs:
        dim = kwargs.pop("axis")
    if "keepdims" in kwargs:
        keepdim = kwargs.pop("keepdims")
    if kwargs:
        raise TypeError(f"{op}: unexpected argument(s) {', '.join(kwargs)}")
    return dim, bool(keepdim)


def as_array(value):
    """A numpy scalar or 0-d result as an array (NumPy returns scalars from 0-d ops)."""
    if isinstance(value, np.generic):
        return np.asarray(value)
    return value


def unboxed(array):
    """A 0-d array as a NumPy scalar, other arrays unchanged.

    For backward on plain arrays: arithmetic between a NumPy scalar and a 0-d array costs about
    1 us, between two scalars about 0.06 us, and a scalar graph's gradients are scalars.
    """
    return array[()] if array.ndim == 0 else array


def keep_where(mask, values, out=None):
    """`values` where `mask` holds and exact zeros elsewhere (`where(mask, values, 0)`), also
    where a value is NaN or inf.

    Done as a bitwise AND of the values' bits with an all-ones or all-zeros word: where() and
    masked copies branch on every element and run about ten times slower on a random mask (a
    ReLU's); AND does not branch. `out`, if given, is a float array of the result's shape.
    """
    xp = backend.array_module(values)
    if values.dtype.kind not in "fiu" or mask.shape != values.shape:
        result = xp.where(mask, values, 0)
        if out is None:
            return result
        out[...] = result
        return out
    bits = xp.dtype(f"u{values.itemsize}")
    word = mask.astype(bits)
    xp.negative(word, out=word)  # 1 -> all ones
    target = word if out is None else out.view(bits)
    return xp.bitwise_and(values.view(bits), word, out=target).view(values.dtype)


def is_scalar(value) -> bool:
    """Whether `value` is a NumPy scalar (what NumPy returns from arithmetic on 0-d arrays)."""
    return isinstance(value, np.generic)


def check_broadcast(op, *tensors):
    """Raise the op's own ValueError when the tensors' shapes don't broadcast together."""
    shapes = [tuple(t.shape) for t in tensors]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        listed = ", ".join(str(s) for s in shapes[:-1]) + f" and {shapes[-1]}"
        raise ValueError(f"{op}: shapes {listed} can't be broadcast together") from None
