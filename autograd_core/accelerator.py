"""`autograd_core.accelerator`: which accelerator there is, as PyTorch's `torch.accelerator`
(CUDA through CuPy is the only one this library drives)."""

from __future__ import annotations

from . import cuda
from .backend import Device

__all__ = ["current_accelerator", "device_count", "is_available", "synchronize"]


def is_available() -> bool:
    """True when a CUDA GPU is usable (CuPy imports and sees one)."""
    return cuda.is_available()


def current_accelerator(check_available: bool = False) -> Device | None:
    """`device(type='cuda')` when CuPy sees a GPU, else None (as PyTorch on a CPU-only build).

    The usual device choice ports unchanged:

    >>> import autograd_core as torch
    >>> accelerator = torch.accelerator.current_accelerator()
    >>> device = accelerator if torch.accelerator.is_available() else torch.device("cpu")
    >>> device.type in ("cpu", "cuda")
    True
    """
    if cuda.is_available():
        return Device("cuda")
    return None


def device_count() -> int:
    return cuda.device_count()


def synchronize() -> None:
    """Wait for the GPU's queued kernels to finish (nothing to wait for without one)."""
    if cuda.is_available():
        cuda.synchronize()
