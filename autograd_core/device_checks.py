"""Checks of tensor values that do not wait for the GPU: PyTorch's `torch._assert_async`."""

from __future__ import annotations

from . import backend
from .tensor import Tensor


def assert_async(condition: Tensor, error) -> None:
    """Raise `error` (an exception, or a callable that makes one) unless the one-element bool
    tensor `condition` is true. On the CPU it raises at once; on a GPU at the next copy to the
    host (`item()`, `.cpu()`, `tolist()`, `synchronize()`), as CUDA's device-side asserts do,
    so that a check in every training step never stalls the device."""
    if not isinstance(condition, Tensor) or condition.dtype.kind != "b" or condition.numel() != 1:
        raise TypeError("assert_async: condition must be a one-element bool tensor")
    make = error if callable(error) and not isinstance(error, BaseException) else (lambda: error)
    xp = backend.array_module(condition._data)
    backend.check_on_device(xp.logical_not(condition._data).reshape(()), make)
