"""Random numbers: one seedable generator per device, `manual_seed` to reset them all."""

from __future__ import annotations

import numpy as np

from . import backend


class Generator:
    """A seedable source of random numbers (PCG64 on the CPU, CuPy's on the GPU)."""

    def __init__(self, device="cpu", seed=None):
        self.device = backend.as_device(device)
        self.manual_seed(np.random.SeedSequence().entropy if seed is None else seed)

    def manual_seed(self, seed: int) -> Generator:
        self.initial_seed = int(seed)
        if self.device.type == "cpu":
            self._state = np.random.Generator(np.random.PCG64(self.initial_seed))
        else:
            cp = backend.require_cuda(self.device.index)
            with cp.cuda.Device(self.device.index):
                self._state = cp.random.Generator(cp.random.XORWOW(self.initial_seed))
        return self

    def seed(self) -> int:
        self.manual_seed(np.random.SeedSequence().entropy % 2**63)
        return self.initial_seed

    @property
    def numpy(self):
        """The underlying NumPy (or CuPy) generator."""
        return self._state


_default = {"cpu": Generator("cpu", 0)}
_seed = [0]


def default_generator(device=None) -> Generator:
    device = backend.as_device(device)
    key = str(device)
    if key not in _default:
        _default[key] = Generator(device, _seed[0])
    return _default[key]


def manual_seed(seed: int) -> Generator:
    """Seed every device's default generator, for reproducible runs."""
    _seed[0] = int(seed)
    for generator in _default.values():
        generator.manual_seed(seed)
    return _default["cpu"]


def seed() -> int:
    return manual_seed(np.random.SeedSequence().entropy % 2**63).initial_seed


def initial_seed() -> int:
    return _seed[0]


def sample(kind, shape, dtype, device, generator=None, low=0.0, high=1.0):
    """An array of random values: kind is 'uniform' (in [low, high)), 'normal' (mean, std),
    'integers' (in [low, high)) or 'bernoulli' (probability low)."""
    device = backend.as_device(device)
    gen = (generator or default_generator(device))._state
    if kind == "uniform":
        values = gen.random(shape, dtype=np.float64 if dtype.itemsize > 4 else np.float32)
        values = values * (high - low) + low
    elif kind == "normal":
        values = gen.standard_normal(shape, dtype=np.float64 if dtype.itemsize > 4 else np.float32)
        values = values * high + low
    elif kind == "integers":
        values = gen.integers(low, high, size=shape)
    elif kind == "bernoulli":
        values = gen.random(shape, dtype=np.float32) < low
    else:
        raise ValueError(f"unknown distribution {kind!r}")
    # NumPy returns a scalar, not a 0-d array, for shape (); tensors hold arrays
    return backend.array_module(values).asarray(values).astype(dtype, copy=False)
