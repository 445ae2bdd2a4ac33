"""Random numbers: one seedable generator per device, `manual_seed` to reset them all, and
their states as uint8 tensors (`get_rng_state` / `set_rng_state`) for exact resumes."""

from __future__ import annotations

import numpy as np

from . import backend

# a state is a kind byte, the seed, then the bit generator's own state
_CPU_KIND, _CUDA_KIND = 1, 2
_KIND_NAMES = {_CPU_KIND: "CPU (PCG64)", _CUDA_KIND: "CUDA (cuRAND)"}
_SEED_BYTES = 16  # a seed drawn from the OS's entropy has 128 bits
_PCG64_BYTES = 16 + 16 + 1 + 4  # state, increment, has_uint32, uinteger


class Generator:
    """A seedable source of random numbers (PCG64 on the CPU, CuPy's on the GPU)."""

    def __init__(self, device="cpu", seed=None):
        self.device = backend.as_device(device)
        self.manual_seed(np.random.SeedSequence().entropy if seed is None else seed)

    def manual_seed(self, seed: int) -> Generator:
        if not 0 <= int(seed) < 2 ** (8 * _SEED_BYTES):
            raise ValueError(f"manual_seed: the seed should be in [0, 2**128), got {seed}")
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

    def get_state(self):
        """The generator's state as a uint8 tensor, for `set_state` (PyTorch's ByteTensor).

        It holds the seed and every bit of the bit generator's state, so a generator set to
        it draws the same numbers from there on. It is a plain tensor: `ag.save` stores it.
        """
        from .tensor import Tensor

        if self.device.type == "cpu":
            body, kind = _pcg64_bytes(self._state.bit_generator.state), _CPU_KIND
        else:
            body, kind = _curand_bytes(self._state), _CUDA_KIND
        head = bytes([kind]) + self.initial_seed.to_bytes(_SEED_BYTES, "little")
        return Tensor._wrap(np.concatenate([np.frombuffer(head, np.uint8), body]))

    def set_state(self, new_state) -> Generator:
        """Restore a state from `get_state` (of a generator of the same kind of device)."""
        raw = _state_bytes("Generator.set_state", new_state)
        kind, seed, body = raw[0], raw[1 : 1 + _SEED_BYTES], raw[1 + _SEED_BYTES :]
        expected = _CPU_KIND if self.device.type == "cpu" else _CUDA_KIND
        if kind != expected:
            raise ValueError(
                f"Generator.set_state: the state is of a {_KIND_NAMES.get(kind, 'unknown')} "
                f"generator; this generator is on {self.device}"
            )
        if self.device.type == "cpu":
            self._state.bit_generator.state = _pcg64_state("Generator.set_state", body)
        else:
            _set_curand_bytes(self._state, body, self.device)
        self.initial_seed = int.from_bytes(seed.tobytes(), "little")
        return self


_default = {"cpu": Generator("cpu", 0)}
_seed = [0]


def default_generator(device=None) -> Generator:
    device = backend.as_device(device)
    key = str(device)
    if key not in _default:
        _default[key] = Generator(device, _seed[0])
    return _default[key]


def default_generator_devices() -> list[str]:
    """The devices whose default generator exists (has been used or seeded), e.g. ['cpu']."""
    return list(_default)


def manual_seed(seed: int) -> Generator:
    """Seed every device's default generator, for reproducible runs."""
    for generator in _default.values():  # the CPU one first: a bad seed changes nothing
        generator.manual_seed(seed)
    _seed[0] = int(seed)
    return _default["cpu"]


def seed() -> int:
    return manual_seed(np.random.SeedSequence().entropy % 2**63).initial_seed


def initial_seed() -> int:
    return _seed[0]


def get_rng_state():
    """The state of the default CPU generator as a uint8 tensor (`torch.get_rng_state`)."""
    return default_generator("cpu").get_state()


def set_rng_state(new_state) -> None:
    """Restore the default CPU generator from `get_rng_state()` (`torch.set_rng_state`)."""
    generator = default_generator("cpu").set_state(new_state)
    _seed[0] = generator.initial_seed


# ---- states as bytes ----------------------------------------------------------------------


def _state_bytes(name, state) -> np.ndarray:
    from .tensor import Tensor

    if not isinstance(state, Tensor) or state.dtype != np.uint8 or state.ndim != 1:
        got = (
            f"a {state.dtype} tensor of shape {state.shape}"
            if isinstance(state, Tensor)
            else (f"a {type(state).__name__}")
        )
        raise TypeError(
            f"{name}: expected the 1-D uint8 tensor that get_state() returns, got {got}"
        )
    raw = backend.to_numpy(state._data)
    if raw.size < 1 + _SEED_BYTES:
        raise ValueError(f"{name}: the state is {raw.size} bytes, too short to be one")
    return raw


def _pcg64_bytes(state: dict) -> np.ndarray:
    inner = state["state"]
    raw = (
        inner["state"].to_bytes(16, "little")
        + inner["inc"].to_bytes(16, "little")
        + bytes([state["has_uint32"]])
        + int(state["uinteger"]).to_bytes(4, "little")
    )
    return np.frombuffer(raw, np.uint8)


def _pcg64_state(name, body: np.ndarray) -> dict:
    if body.size != _PCG64_BYTES:
        raise ValueError(
            f"{name}: a CPU state holds {_PCG64_BYTES} bytes after the seed, got {body.size}"
        )
    raw = body.tobytes()
    return {
        "bit_generator": "PCG64",
        "state": {
            "state": int.from_bytes(raw[:16], "little"),
            "inc": int.from_bytes(raw[16:32], "little"),
        },
        "has_uint32": raw[32],
        "uinteger": int.from_bytes(raw[33:37], "little"),
    }


# CuPy keeps the per-thread cuRAND states of its bit generators in one device array,
# `bit_generator._state`, and offers no public way to read or write it: the state of a CUDA
# generator is those bytes, copied whole, so a restored generator continues exactly.
def _curand_bytes(generator) -> np.ndarray:
    return backend.to_numpy(_curand_states(generator)).view(np.uint8).reshape(-1)


def _set_curand_bytes(generator, body: np.ndarray, device) -> None:
    states = _curand_states(generator)
    if body.size != states.nbytes:
        raise ValueError(
            f"Generator.set_state: this CUDA generator keeps {states.nbytes} bytes of cuRAND "
            f"state, the given state {body.size} (saved on a GPU of another size?)"
        )
    states[...] = backend.to_device(body.view(states.dtype).reshape(states.shape), device)


def _curand_states(generator):
    states = getattr(getattr(generator, "bit_generator", None), "_state", None)
    if states is None or not hasattr(states, "nbytes"):
        raise RuntimeError(
            "Generator.get_state/set_state: this CuPy keeps no cuRAND state array in "
            "bit_generator._state, so the state of a CUDA generator cannot be read or set"
        )
    return states


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
