"""A strict CuPy stand-in, for tests only: `device="cuda"` on the CPU.

`activate()` hands the stand-in's `cupy` and `cupyx` to the backend seam for the length of a
block; arrays then live "on the device" and refuse what CuPy refuses (see `array.py`), and every
copy to the host is counted in `transfers`.
"""

from __future__ import annotations

import contextlib

from .array import ndarray
from .namespace import NAMES, cupy, cupyx
from .transfers import transfers

__all__ = ["NAMES", "activate", "cupy", "cupyx", "ndarray", "transfers"]


@contextlib.contextmanager
def activate():
    from autograd_core import backend, random

    previous = backend.set_cuda_modules(cupy, cupyx)
    try:
        yield transfers
    finally:
        backend.set_cuda_modules(*previous)
        # generators made for the stand-in device must not outlive it
        for key in [k for k in random._default if k != "cpu"]:
            del random._default[key]
