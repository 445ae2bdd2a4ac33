"""Sorting along a dim: sort, argsort, topk. The values are a `gather` at the sorted indices,
so their gradient is the upstream gradient scattered back to where each value came from."""

from __future__ import annotations

from .. import backend, dtypes
from .common import constant, normalize_dims
from .index import gather
from .reduce import ReturnTypes
from .shape import reshape


def _sort_indices(data, dim, descending):
    """Stable sorting indices of an array along `dim` (ties keep their order, as PyTorch's
    stable=True; the default sort may order ties any way, so stable is a valid choice)."""
    xp = backend.array_module(data)
    if not descending:
        return xp.argsort(data, axis=dim, kind="stable")
    # descending and stable: sort the reversed array ascending, then read the result
    # backwards; ties then come in their original order, and NaN first as in PyTorch
    n = data.shape[dim]
    flipped = xp.argsort(xp.flip(data, dim), axis=dim, kind="stable")
    return (n - 1) - xp.flip(flipped, dim)


def _dim(a, dim, op):
    (d,) = normalize_dims(dim, a.ndim, op) or (0,)
    return d


def sort(a, dim=-1, descending=False, *, stable=False):
    """(values, indices) of `a` sorted along `dim`, readable as `.values` and `.indices`.
    Ties keep their order whatever `stable` says."""
    d = _dim(a, dim, "sort")
    if a.ndim == 0:
        index = backend.array_module(a._data).zeros((), dtype=dtypes.int64)
        return ReturnTypes((a * 1, constant(index)))
    indices = constant(_sort_indices(a._data, d, descending).astype(dtypes.int64, copy=False))
    return ReturnTypes((gather(a, d, indices), indices))


def argsort(a, dim=-1, descending=False, stable=False):
    """The indices that sort `a` along `dim` (an int64 tensor, no gradient)."""
    return sort(a, dim, descending, stable=stable)[1]


def topk(a, k, dim=-1, largest=True, sorted=True):
    """(values, indices) of the `k` largest (or smallest) elements along `dim`, largest first
    (smallest first with largest=False). With sorted=False they come sorted too, which
    PyTorch allows. ValueError when `k` is more than the dim's size."""
    d = _dim(a, dim, "topk")
    size = a.shape[d] if a.ndim else 1
    if not isinstance(k, int) or not 0 <= k <= size:
        raise ValueError(
            f"topk: k={k} is out of range for dim {dim} of size {size} "
            f"(input of shape {tuple(a.shape)})"
        )
    if a.ndim == 0:
        values, indices = sort(a)
        if k == 0:
            return ReturnTypes((reshape(values, 1)[:0], reshape(indices, 1)[:0]))
        return ReturnTypes((values, indices))
    order = _sort_indices(a._data, d, largest)
    order = order[(slice(None),) * d + (slice(0, k),)]
    indices = constant(order.astype(dtypes.int64, copy=False))
    return ReturnTypes((gather(a, d, indices), indices))
