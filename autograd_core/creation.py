"""Making tensors: `tensor`, `zeros`, `ones`, `arange`, `randn`, ... with PyTorch's dtype rules
(Python floats become float32, ints int64; a NumPy array keeps its dtype)."""

from __future__ import annotations

import numpy as np

from . import backend, dtypes
from . import random as _rng
from .tensor import Tensor


def as_array(data, dtype=None, device=None, copy=True):
    """An array on `device` from a Tensor, an array, a number or nested lists."""
    dtype = dtypes.as_dtype(dtype)
    if isinstance(data, Tensor):
        array = data._data
    elif backend.is_array(data):
        array = data
    else:
        array = _from_python(data, dtype)
    if dtype is not None and array.dtype != dtype:
        array = array.astype(dtype)
        copy = False
    if array.dtype.kind not in "biuf":
        raise TypeError(f"tensor: unsupported data of dtype {array.dtype}")
    target = backend.as_device(device) if device is not None else backend.device_of(array)
    moved = backend.to_device(array, target)
    if moved is array and copy:
        moved = array.copy()
    return moved


def _from_python(data, dtype=None):
    if isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in _flat(data)):
        data = _nested_values(data)
    array = np.asarray(data)
    if dtype is not None and array.dtype != object:
        return array  # cast once by the caller: float64 data must not pass through float32
    if array.dtype == np.float64 and not isinstance(data, np.floating):
        array = array.astype(dtypes.get_default_dtype())
    elif array.dtype.kind in "iu" and not isinstance(data, np.integer):
        array = array.astype(dtypes.int64)
    if array.dtype == object:
        raise TypeError("tensor: data must be numbers or nested lists of numbers of equal lengths")
    return array


def _flat(data):
    for x in data:
        if isinstance(x, (list, tuple)):
            yield from _flat(x)
        else:
            yield x


def _nested_values(data):
    if isinstance(data, Tensor):
        return data.tolist()
    if isinstance(data, (list, tuple)):
        return [_nested_values(x) for x in data]
    return data


def tensor(data, dtype=None, requires_grad=False, device=None) -> Tensor:
    """A new tensor holding a copy of `data` (number, nested list, NumPy or CuPy array).

    >>> import autograd_core as ag
    >>> ag.tensor([1.0, 2.0]).dtype, ag.tensor([1, 2]).dtype, ag.tensor(0.5).shape
    (dtype('float32'), dtype('int64'), ())
    """
    t = Tensor._wrap(as_array(data, dtype, device))
    if requires_grad:
        t.requires_grad = True
    return t


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """Like `tensor`, but shares memory with `data` where dtype and device allow."""
    if isinstance(data, Tensor) and dtype is None and device is None:
        return data
    return Tensor._wrap(as_array(data, dtype, device, copy=False))


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with a NumPy array (its dtype is kept)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected a numpy.ndarray, got {type(array).__name__}")
    return Tensor._wrap(array)


def _shape(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for s in size:
        if not isinstance(s, (int, np.integer)) or s < 0:
            raise ValueError(f"sizes must be non-negative integers, got {tuple(size)}")
    return tuple(int(s) for s in size)


def _filled(fill, size, dtype, device, requires_grad, default=None):
    dtype = dtypes.as_dtype(dtype) or default or dtypes.get_default_dtype()
    xp = backend.module_for(backend.as_device(device))
    t = Tensor._wrap(xp.full(_shape(size), fill, dtype=dtype))
    if requires_grad:
        t.requires_grad = True
    return t


def zeros(*size, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _filled(0, size, dtype, device, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _filled(1, size, dtype, device, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _filled(0, size, dtype, device, requires_grad)


def full(size, fill_value, dtype=None, device=None, requires_grad=False) -> Tensor:
    default = None
    if dtype is None and isinstance(fill_value, bool):
        default = dtypes.bool_
    elif dtype is None and isinstance(fill_value, int):
        default = dtypes.int64
    return _filled(
        fill_value,
        (tuple(size) if not isinstance(size, int) else (size,),),
        dtype,
        device,
        requires_grad,
        default,
    )


def _like(t, dtype, device):
    return dtype or t.dtype, device or t.device


def zeros_like(t, dtype=None, device=None, requires_grad=False) -> Tensor:
    dtype, device = _like(t, dtype, device)
    return zeros(t.shape, dtype=dtype, device=device, requires_grad=requires_grad)


def ones_like(t, dtype=None, device=None, requires_grad=False) -> Tensor:
    dtype, device = _like(t, dtype, device)
    return ones(t.shape, dtype=dtype, device=device, requires_grad=requires_grad)


def empty_like(t, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor shaped like `t`; its values are unspecified (zeros here)."""
    return zeros_like(t, dtype=dtype, device=device, requires_grad=requires_grad)


def full_like(t, fill_value, dtype=None, device=None, requires_grad=False) -> Tensor:
    dtype, device = _like(t, dtype, device)
    return full(t.shape, fill_value, dtype=dtype, device=device, requires_grad=requires_grad)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Values from start (default 0) up to end, excluded; int64 unless a bound is a float."""
    if end is None:
        start, end = 0, start
    if dtype is None:
        floats = any(isinstance(v, float) for v in (start, end, step))
        dtype = dtypes.get_default_dtype() if floats else dtypes.int64
    if step == 0:
        raise ValueError("arange: step must be nonzero")
    if (end - start) * step < 0:
        raise ValueError(
            f"arange: the bounds {start} to {end} are inconsistent with the sign of step {step}"
        )
    xp = backend.module_for(backend.as_device(device))
    t = Tensor._wrap(xp.arange(start, end, step).astype(dtypes.as_dtype(dtype)))
    if requires_grad:
        t.requires_grad = True
    return t


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False) -> Tensor:
    xp = backend.module_for(backend.as_device(device))
    dtype = dtypes.as_dtype(dtype) or dtypes.get_default_dtype()
    t = Tensor._wrap(xp.linspace(start, end, steps).astype(dtype))
    if requires_grad:
        t.requires_grad = True
    return t


def eye(n, m=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    xp = backend.module_for(backend.as_device(device))
    dtype = dtypes.as_dtype(dtype) or dtypes.get_default_dtype()
    t = Tensor._wrap(xp.eye(n, m, dtype=dtype))
    if requires_grad:
        t.requires_grad = True
    return t


def _random(kind, size, dtype, device, requires_grad, generator, low=0.0, high=1.0):
    dtype = dtypes.as_dtype(dtype) or dtypes.get_default_dtype()
    array = _rng.sample(kind, _shape(size), dtype, device, generator, low, high)
    t = Tensor._wrap(array)
    if requires_grad:
        t.requires_grad = True
    return t


def rand(*size, dtype=None, device=None, requires_grad=False, generator=None) -> Tensor:
    """Uniform samples in [0, 1)."""
    return _random("uniform", size, dtype, device, requires_grad, generator)


def randn(*size, dtype=None, device=None, requires_grad=False, generator=None) -> Tensor:
    """Standard normal samples."""
    return _random("normal", size, dtype, device, requires_grad, generator)


def randint(low, high=None, size=(), dtype=None, device=None, generator=None) -> Tensor:
    """Integers in [low, high); as in PyTorch, `randint(high, size)` starts at 0."""
    if isinstance(high, (tuple, list)):
        low, high, size = 0, low, high
    elif high is None:
        low, high = 0, low
    return _random(
        "integers", (tuple(size),), dtype or dtypes.int64, device, False, generator, low, high
    )


def randperm(n, dtype=None, device=None, generator=None) -> Tensor:
    gen = generator or _rng.default_generator("cpu")
    order = gen.numpy.permutation(n).astype(dtypes.as_dtype(dtype) or dtypes.int64)
    return Tensor._wrap(backend.to_device(order, backend.as_device(device)))


def rand_like(t, dtype=None, device=None, generator=None) -> Tensor:
    dtype, device = _like(t, dtype, device)
    return rand(t.shape, dtype=dtype, device=device, generator=generator)


def randn_like(t, dtype=None, device=None, generator=None) -> Tensor:
    dtype, device = _like(t, dtype, device)
    return randn(t.shape, dtype=dtype, device=device, generator=generator)


def random_like(t, kind, a, b, generator=None) -> Tensor:
    """Samples shaped like `t` (for `uniform_`/`normal_`): uniform in [a, b) or normal(a, b)."""
    return _random(kind, (t.shape,), t.dtype, t.device, False, generator, a, b)


def bernoulli(p, generator=None) -> Tensor:
    """1.0 with probability p (elementwise), else 0.0."""
    draws = _rng.sample("uniform", p.shape, p.dtype, p.device, generator)
    return Tensor._wrap((draws < p._data).astype(p.dtype))
