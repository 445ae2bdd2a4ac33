"""Reading positions from a mask: nonzero (no gradient) and masked_select."""

from __future__ import annotations

import numpy as np

from .. import backend, dtypes
from .common import as_tensor, check_broadcast, constant, is_tensor
from .index import getitem
from .shape import broadcast_to


def nonzero(a, *, as_tuple=False):
    """The indices of `a`'s nonzero elements: an (N, a.ndim) int64 tensor, one row per
    element in row-major order, or with as_tuple=True one 1-D tensor per dim (a 0-d tensor
    counts as 1-D there, as in PyTorch)."""
    xp = backend.array_module(a._data)
    if as_tuple:
        data = a._data.reshape(1) if a.ndim == 0 else a._data
        return tuple(constant(i.astype(dtypes.int64, copy=False)) for i in xp.nonzero(data))
    return constant(xp.argwhere(a._data).astype(dtypes.int64, copy=False))


def masked_select(a, mask):
    """The elements of `a` where `mask` (a bool tensor, broadcast with `a`) holds, as a 1-D
    tensor; the gradient goes back to the elements picked."""
    if not is_tensor(mask):
        mask = as_tensor(mask, op="masked_select")
    if mask.dtype != dtypes.bool_:
        raise TypeError(f"masked_select: mask must be a bool tensor, got {mask.dtype}")
    check_broadcast("masked_select", a, mask)
    shape = np.broadcast_shapes(a.shape, mask.shape)  # shapes only: any device
    mask_data = backend.array_module(mask._data).broadcast_to(mask._data, shape)
    return getitem(broadcast_to(a, shape), mask_data)
