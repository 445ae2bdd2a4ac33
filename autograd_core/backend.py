"""The backend seam: the only module that names CuPy. NumPy serves the CPU, CuPy CUDA devices.

Ops ask `array_module(array)` for `xp` and never branch on the device themselves; the few
calls that truly differ between the two libraries are named helpers here.
"""

from __future__ import annotations

import importlib

import numpy as np

_cupy = None
_cupyx = None
_cupy_error: str | None = None

CUDA_INSTALL_HINT = (
    "install CuPy for your CUDA version: pip install 'autograd-core[cuda]' (CUDA 12, "
    "cupy-cuda12x) or 'autograd-core[cuda13]' (CUDA 13, cupy-cuda13x)"
)


def cupy_or_none():
    """Import CuPy once, lazily; None when it is not installed or cannot load."""
    global _cupy, _cupy_error
    if _cupy is None and _cupy_error is None:
        try:
            _cupy = importlib.import_module("cupy")
        except Exception as exc:  # ImportError, or a CUDA library that fails to load
            _cupy_error = f"{type(exc).__name__}: {exc}"
    return _cupy


def set_cuda_modules(cupy, cupyx=None, error=None):
    """Serve `device="cuda"` with these modules in place of the imported CuPy (the tests hand
    in a strict stand-in); returns the previous (cupy, cupyx, error), to restore them with."""
    global _cupy, _cupyx, _cupy_error
    previous = (_cupy, _cupyx, _cupy_error)
    _cupy, _cupyx, _cupy_error = cupy, cupyx, error
    return previous


def _cupyx_module(submodule=""):
    """cupyx (or one of its submodules), from the same place as CuPy itself."""
    if _cupyx is None:
        return importlib.import_module("cupyx" + (f".{submodule}" if submodule else ""))
    module = _cupyx
    for part in filter(None, submodule.split(".")):
        module = getattr(module, part)
    return module


def cuda_device_count() -> int:
    cp = cupy_or_none()
    if cp is None:
        return 0
    try:
        return int(cp.cuda.runtime.getDeviceCount())
    except Exception:
        return 0


def require_cuda(index: int = 0):
    """Return CuPy, or raise a RuntimeError that says which of CuPy and the GPU is missing."""
    cp = cupy_or_none()
    if cp is None:
        raise RuntimeError(
            f"device 'cuda' needs CuPy, which is not importable ({_cupy_error}); "
            + CUDA_INSTALL_HINT
        )
    count = cuda_device_count()
    if count == 0:
        raise RuntimeError(
            "device 'cuda' requested but CuPy sees no CUDA GPU (is the NVIDIA driver loaded "
            "and a GPU visible to this process?)"
        )
    if not 0 <= index < count:
        raise RuntimeError(f"device 'cuda:{index}' requested but only {count} GPU(s) are visible")
    return cp


class Device:
    """Where a tensor's memory lives: `Device("cpu")`, `Device("cuda")`, `Device("cuda:1")`."""

    __slots__ = ("type", "index")

    def __init__(self, spec="cpu", index=None):
        if isinstance(spec, Device):
            self.type, self.index = spec.type, spec.index
            return
        if not isinstance(spec, str):
            raise TypeError(f"device must be a string like 'cpu' or 'cuda:0', got {spec!r}")
        kind, _, number = spec.partition(":")
        if kind not in ("cpu", "cuda"):
            raise ValueError(f"unknown device {spec!r}: expected 'cpu', 'cuda' or 'cuda:N'")
        if number:
            if not number.isdigit():
                raise ValueError(f"bad device index in {spec!r}")
            index = int(number)
        if kind == "cpu":
            index = None
        elif index is None:
            index = 0
        self.type, self.index = kind, index

    def __repr__(self):
        return (
            f"device(type='{self.type}'"
            + ("" if self.index is None else f", index={self.index}")
            + ")"
        )

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if isinstance(other, str):
            try:
                other = Device(other)
            except (TypeError, ValueError):
                return False
        if not isinstance(other, Device):
            return NotImplemented
        return self.type == other.type and self.index == other.index

    def __hash__(self):
        return hash((self.type, self.index))


CPU = Device("cpu")


def as_device(device) -> Device:
    if device is None:
        return CPU
    return device if isinstance(device, Device) else Device(device)


def array_module(array):
    """`xp` for an array: numpy for NumPy arrays, cupy for CuPy arrays."""
    if isinstance(array, np.ndarray):
        return np
    cp = _cupy
    if cp is not None and isinstance(array, cp.ndarray):
        return cp
    return np


def module_for(device: Device):
    """`xp` for a device, checking that CUDA is really there."""
    if device.type == "cpu":
        return np
    return require_cuda(device.index)


def device_of(array) -> Device:
    if isinstance(array, np.ndarray):
        return CPU
    return Device("cuda", int(array.device.id))


def is_array(obj) -> bool:
    if isinstance(obj, np.ndarray):
        return True
    cp = _cupy
    return cp is not None and isinstance(obj, cp.ndarray)


def to_device(array, device: Device):
    """Copy an array to `device` (no copy when it is already there)."""
    if device.type == "cpu":
        return to_numpy(array)
    cp = require_cuda(device.index)
    if isinstance(array, cp.ndarray) and array.device.id == device.index:
        return array
    with cp.cuda.Device(device.index):
        return cp.asarray(array)


def is_writeable(array) -> bool:
    """CuPy arrays have no read-only flag; NumPy's broadcast and window views do."""
    return not isinstance(array, np.ndarray) or array.flags.writeable


def erf(array):
    """The error function (GELU needs it); SciPy's when installed, else a 1.5e-7 approximation."""
    xp = array_module(array)
    try:
        if xp is np:
            special = importlib.import_module("scipy.special")
        else:
            special = _cupyx_module("scipy.special")
        return special.erf(array)
    except ImportError:
        # Abramowitz & Stegun 7.1.26
        sign = xp.sign(array)
        x = xp.abs(array)
        t = 1.0 / (1.0 + 0.3275911 * x)
        poly = t * (
            0.254829592
            + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
        )
        return (sign * (1.0 - poly * xp.exp(-x * x))).astype(array.dtype, copy=False)


# --- checks of values that live on a GPU --------------------------------------------------------
# A check such as "every label is in range" would stall the GPU if its answer were read at once.
# As CUDA's device-side asserts do, its flag waits on the device and is read with the next copy
# to the host, in the same transfer; the error is raised there.
_pending_checks: list = []


def check_on_device(failed, error):
    """Raise `error()` if the 0-d bool array `failed` is true: at once on the CPU, at the next
    copy to the host (`to_numpy`, `item()`, `synchronize`) on a GPU."""
    if isinstance(failed, (np.ndarray, np.generic, bool)):
        if failed:
            raise error()
        return
    _pending_checks.append((failed, error))


def _raise_failed(checks, flags):
    for (_, error), failed in zip(checks, flags):
        if failed:
            raise error()


def to_numpy(array) -> np.ndarray:
    """`array` in host memory (itself on the CPU); pending device checks are read in the same
    copy and raise first."""
    if isinstance(array, np.ndarray):
        return array
    if not _pending_checks:
        return array.get()
    checks, _pending_checks[:] = list(_pending_checks), []
    xp = array_module(array)
    flags = xp.stack([failed.reshape(()) for failed, _ in checks]).astype(array.dtype)
    host = xp.concatenate([array.reshape(-1), flags]).get()
    _raise_failed(checks, host[array.size :])
    return host[: array.size].reshape(array.shape)


def scatter_add(target, index, values):
    """target[index] += values, accumulating repeated indices (np.add.at / cupyx.scatter_add)."""
    if isinstance(target, np.ndarray):
        np.add.at(target, index, values)
    else:
        _cupyx_module().scatter_add(target, index, values)


# reshape(copy=False) came with NumPy 2.1; before it, the shape setter is the no-copy reshape
_NUMPY_RESHAPE_COPY = tuple(int(v) for v in np.__version__.split(".")[:2]) >= (2, 1)


def reshape_without_copy(array, shape):
    """`array` with a new shape as a view of the same memory, or None when its strides need a
    copy (the rule behind PyTorch's `view`)."""
    if isinstance(array, np.ndarray) and _NUMPY_RESHAPE_COPY:
        try:
            return np.reshape(array, shape, copy=False)
        except ValueError:
            return None
    view = array.view()
    try:
        view.shape = shape  # CuPy's (and NumPy < 2.1's) setter refuses a shape that needs a copy
    except (AttributeError, ValueError):
        return None
    return view


def as_strided(array, shape, strides):
    """A strided window view (read-only on the CPU)."""
    if isinstance(array, np.ndarray):
        return np.lib.stride_tricks.as_strided(array, shape, strides, writeable=False)
    return _cupy.lib.stride_tricks.as_strided(array, shape, strides)


def synchronize():
    """Wait for the GPU's queued work; a device check that failed meanwhile raises here."""
    cp = cupy_or_none()
    if cp is not None and cuda_device_count():
        cp.cuda.get_current_stream().synchronize()
    if _pending_checks:
        checks, _pending_checks[:] = list(_pending_checks), []
        xp = array_module(checks[0][0])
        _raise_failed(checks, xp.stack([failed.reshape(()) for failed, _ in checks]).get())
