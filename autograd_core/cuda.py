"""`autograd_core.cuda`: is a GPU there, how many, wait for it, seed it (PyTorch's torch.cuda)."""

from __future__ import annotations

from . import backend
from . import random as _rng


def is_available() -> bool:
    """True when CuPy imports and sees at least one CUDA device."""
    return backend.cuda_device_count() > 0


def device_count() -> int:
    return backend.cuda_device_count()


def synchronize() -> None:
    """Wait for the GPU's queued kernels to finish (before reading a timer)."""
    backend.synchronize()


def manual_seed(seed: int) -> None:
    """Seed the generator of every visible GPU."""
    for index in range(device_count()):
        _rng.default_generator(f"cuda:{index}").manual_seed(seed)


def manual_seed_all(seed: int) -> None:
    manual_seed(seed)
