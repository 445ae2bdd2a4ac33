"""DLPack: zero-copy exchange of tensors with NumPy, CuPy, PyTorch and others."""

from __future__ import annotations

import numpy as np

from . import backend
from .tensor import Tensor


def from_dlpack(obj) -> Tensor:
    """A tensor sharing memory with any object that speaks DLPack (`__dlpack__`)."""
    if not hasattr(obj, "__dlpack__"):
        raise TypeError(f"from_dlpack: {type(obj).__name__} does not support the DLPack protocol")
    device_type, device_id = obj.__dlpack_device__()
    if int(device_type) == 1:  # kDLCPU
        return Tensor._wrap(np.from_dlpack(obj))
    cp = backend.require_cuda(int(device_id))
    return Tensor._wrap(cp.from_dlpack(obj))


def to_dlpack_capsule(t: Tensor, stream=None):
    """The tensor's DLPack capsule (what `Tensor.__dlpack__` returns)."""
    data = t.detach()._data
    if stream is None:
        return data.__dlpack__()
    return data.__dlpack__(stream=stream)
