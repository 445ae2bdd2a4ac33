"""dtypes as PyTorch names them, and PyTorch's rules for mixing them (NumPy's differ)."""

from __future__ import annotations

import numpy as np

float16 = half = np.dtype("float16")
float32 = np.dtype("float32")
float64 = double = np.dtype("float64")
int8 = np.dtype("int8")
uint8 = np.dtype("uint8")
int16 = short = np.dtype("int16")
int32 = np.dtype("int32")
int64 = long = np.dtype("int64")
bool_ = np.dtype("bool")

_default_float = [float32]


def get_default_dtype() -> np.dtype:
    return _default_float[0]


def set_default_dtype(dtype) -> None:
    """Set the dtype that Python floats and float lists become (float32 unless changed)."""
    dtype = as_dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"set_default_dtype: only floating dtypes are allowed, got {dtype}")
    _default_float[0] = dtype


def as_dtype(dtype) -> np.dtype:
    """Accept np.dtype, a name ('float32') or a NumPy scalar type; reject what NumPy guesses."""
    if dtype is None:
        return None
    try:
        result = np.dtype(dtype)
    except TypeError as exc:
        raise TypeError(f"not a dtype: {dtype!r}") from exc
    if result.kind not in "biuf":
        raise TypeError(f"unsupported dtype {result}: use a float, integer or bool dtype")
    return result


def is_floating(dtype) -> bool:
    return dtype.kind == "f"


def promote(a: np.dtype, b: np.dtype) -> np.dtype:
    """PyTorch's promotion: any float beats any integer (int64 + float32 -> float32)."""
    if a == b:
        return a
    a_float, b_float = a.kind == "f", b.kind == "f"
    if a_float and not b_float:
        return a
    if b_float and not a_float:
        return b
    return np.promote_types(a, b)


_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}


def promote_arrays(a, b) -> np.dtype:
    """PyTorch's promotion of two tensors: a 0-d tensor, like a Python number, does not widen
    a dimensioned tensor of the same category (float32 + 0-d float64 -> float32)."""
    if a.dtype == b.dtype:
        return a.dtype
    if (a.ndim == 0) != (b.ndim == 0):
        dimensioned, zero_d = (a, b) if b.ndim == 0 else (b, a)
        if _CATEGORY[zero_d.dtype.kind] <= _CATEGORY[dimensioned.dtype.kind]:
            return dimensioned.dtype
        return zero_d.dtype
    return promote(a.dtype, b.dtype)


def scalar_dtype(value, like: np.dtype) -> np.dtype:
    """The dtype a Python scalar takes next to a tensor of dtype `like` (as in PyTorch)."""
    if isinstance(value, bool):
        return like
    if isinstance(value, (int, np.integer)):
        return like if like.kind != "b" else int64
    if like.kind == "f":
        return like
    return get_default_dtype()
