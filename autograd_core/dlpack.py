"""DLPack: zero-copy exchange of tensors with NumPy, CuPy, PyTorch and others."""

from __future__ import annotations

import numpy as np

from . import backend
from .tensor import Tensor


def from_dlpack(obj) -> Tensor:
    """A tensor sharing memory with any object that speaks DLPack (`__dlpack__`)."""
    if not hasattr(obj, "__dlpack__"):
        raise TypeError(f"from_dlpack: {type(obj).__name__} does not support the DLPack protocol")
    if isinstance(obj, Tensor):
        to_dlpack_capsule(obj)  # refuses a tensor that requires grad, as PyTorch does
        obj = obj._data
    if backend.is_array(obj):
        # our own array types share directly: NumPy < 2.1 would import its capsule read-only
        return Tensor._wrap(obj)
    device_type, device_id = obj.__dlpack_device__()
    if int(device_type) == 1:  # kDLCPU
        return Tensor._wrap(np.from_dlpack(obj))
    cp = backend.require_cuda(int(device_id))
    return Tensor._wrap(cp.from_dlpack(obj))


def to_dlpack_capsule(t: Tensor, stream=None, **kwargs):
    """The tensor's DLPack capsule (what `Tensor.__dlpack__` returns). The consumer's
    `max_version`, `dl_device` and `copy` pass through, so NumPy 2 gets a writeable view."""
    if t.requires_grad:
        raise RuntimeError(
            "Can't export a tensor that requires grad through DLPack (the consumer would "
            "bypass the tape); use tensor.detach()"
        )
    data = t._data
    if stream is not None:
        kwargs["stream"] = stream
    try:
        return data.__dlpack__(**kwargs)
    except TypeError:  # an array library that predates the keyword arguments
        kwargs.pop("max_version", None)
        kwargs.pop("dl_device", None)
        kwargs.pop("copy", None)
        return data.__dlpack__(**kwargs)
