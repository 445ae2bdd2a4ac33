"""The stand-in's `cupy` and `cupyx` modules: CuPy's public names only, served by NumPy.

Each name comes from `cupy_names.txt` (CuPy's own namespaces); a name that CuPy lacks is an
AttributeError here, as on a real GPU. Functions unwrap device arrays, refuse NumPy arrays
(only the creation functions copy host data over, and count it) and return device arrays.
"""

from __future__ import annotations

import functools
import math
import types
import warnings
from pathlib import Path

import numpy as np

from .array import DeviceId, _index, _wrap_around, ndarray, refuse_host_array, unwrap, wrap
from .transfers import transfers

NAMES_FILE = Path(__file__).with_name("cupy_names.txt")

# explicit host-to-device copies: the creation functions that take NumPy data
_FROM_HOST = {"array", "asarray", "asanyarray", "ascontiguousarray", "asfortranarray"}
# CuPy answers these with 0-d device arrays where NumPy gives Python scalars
_DEVICE_SCALARS = {"allclose", "array_equal", "array_equiv", "count_nonzero", "isclose"}
# Generator methods of CuPy 14 (no normal, permutation, choice or shuffle there)
_GENERATOR_METHODS = (
    "beta binomial chisquare dirichlet exponential f gamma geometric hypergeometric integers "
    "logseries poisson power random standard_exponential standard_gamma standard_normal uniform"
).split()


def read_names(path=NAMES_FILE) -> dict[str, set[str]]:
    sections: dict[str, set[str]] = {}
    current = None
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), set())
        else:
            current.add(line)
    return sections


NAMES = read_names()


def _take_along_axis(a, indices, axis=-1, **kwargs):
    if axis is not None and a.shape[axis] > 0:
        indices = np.mod(indices, a.shape[axis])
    return (a, indices, axis), kwargs


def _take(a, indices, axis=None, out=None, mode="wrap"):
    return (a, indices, axis, out), {"mode": "wrap"}


# CuPy wraps out-of-range indices around where NumPy raises (as in ndarray.__getitem__)
_WRAPS_INDICES = {"take_along_axis": _take_along_axis, "take": _take}


def _function(name, numpy_function):
    host_ok = name in _FROM_HOST

    @functools.wraps(numpy_function)
    def standin(*args, **kwargs):
        where = f"cupy.{name}"
        if host_ok and any(isinstance(a, (np.ndarray, list, tuple)) for a in args[:1]):
            transfers.count(where, host_to_device=True)
        originals = [*args, *kwargs.values()]
        args = unwrap(args, where, host_ok)
        kwargs = {k: unwrap(v, where, host_ok) for k, v in kwargs.items()}
        if name in _WRAPS_INDICES:
            args, kwargs = _WRAPS_INDICES[name](*args, **kwargs)
        result = numpy_function(*args, **kwargs)
        if name in _DEVICE_SCALARS and isinstance(result, (bool, int, float)):
            result = np.asarray(result)
        return wrap(result, originals)

    return standin


class ufunc:  # noqa: N801 - CuPy's name
    """A NumPy ufunc behind CuPy's rules: device arrays and scalars only (no lists, no NumPy
    arrays), results on the device."""

    def __init__(self, numpy_ufunc):
        self._ufunc = numpy_ufunc
        self.__name__ = numpy_ufunc.__name__
        self.nin, self.nout, self.nargs = numpy_ufunc.nin, numpy_ufunc.nout, numpy_ufunc.nargs
        self.types, self.identity = numpy_ufunc.types, numpy_ufunc.identity

    def _run(self, method, args, kwargs):
        where = f"cupy.{self.__name__}" + ("" if method == "__call__" else f".{method}")
        for value in list(args) + list(kwargs.values()):
            if isinstance(value, list):
                raise TypeError(f"Unsupported type {type(value)} (in {where})")
            refuse_host_array(value, where)
        originals = [*args, *_as_tuple(kwargs.get("out"))]
        args = unwrap(args, where)
        kwargs = {k: unwrap(v, where) for k, v in kwargs.items()}
        target = self._ufunc if method == "__call__" else getattr(self._ufunc, method)
        return wrap(target(*args, **kwargs), originals)

    def __call__(self, *args, **kwargs):
        return self._run("__call__", args, kwargs)

    def reduce(self, *args, **kwargs):
        return self._run("reduce", args, kwargs)

    def accumulate(self, *args, **kwargs):
        return self._run("accumulate", args, kwargs)

    def reduceat(self, *args, **kwargs):
        return self._run("reduceat", args, kwargs)

    def outer(self, *args, **kwargs):
        return self._run("outer", args, kwargs)

    def at(self, target, indices, values=None):
        refuse_host_array(values, f"cupy.{self.__name__}.at")
        args = unwrap((target, indices) + (() if values is None else (values,)), "ufunc.at")
        self._ufunc.at(*args)

    def __repr__(self):
        return f"<ufunc '{self.__name__}'>"


def _as_tuple(out):
    if out is None:
        return ()
    return out if isinstance(out, tuple) else (out,)


def asnumpy(a, stream=None, order="C", out=None, blocking=True):
    if isinstance(a, ndarray):
        return a.get(order=order, out=out)
    return np.asarray(a, order=order)


class _Missing:
    """A CuPy name that the stand-in does not model: present, but unusable."""

    def __init__(self, qualified):
        self._name = qualified

    def __call__(self, *args, **kwargs):
        raise NotImplementedError(f"{self._name} exists in CuPy but the stand-in does not model it")

    def __getattr__(self, attr):
        raise NotImplementedError(f"{self._name} exists in CuPy but the stand-in does not model it")


class StandinModule(types.ModuleType):
    """A module that lists CuPy's names only: anything else is an AttributeError."""

    def __getattr__(self, name):
        raise AttributeError(
            f"module {self.__name__!r} has no attribute {name!r} (CuPy has no such name, so "
            "this call would fail on a real GPU)"
        )


def _populate(module, section, numpy_namespace):
    for name in sorted(NAMES[section]):
        if name in module.__dict__:
            continue
        with warnings.catch_warnings():  # NumPy 1.x warns on a few aliases (np.bool, np.long)
            warnings.simplefilter("ignore")
            value = getattr(numpy_namespace, name, None)
        if value is None:
            value = _Missing(f"{section}.{name}")
        elif isinstance(value, np.ufunc):
            value = ufuncs.setdefault(value.__name__, ufunc(value))
        elif isinstance(value, (type, float, int, types.ModuleType)) or value is np.newaxis:
            pass  # dtypes, classes and constants are NumPy's own in CuPy too
        elif callable(value):
            value = _function(name, value)
        setattr(module, name, value)


ufuncs: dict[str, ufunc] = {}


# --- cupy.cuda: one device, a stream that is always done ---
class _Runtime:
    @staticmethod
    def getDeviceCount():  # noqa: N802 - CuPy's name
        return 1

    @staticmethod
    def runtimeGetVersion():  # noqa: N802
        return 13000

    @staticmethod
    def getDeviceProperties(index):  # noqa: N802
        return {"name": b"cuda-standin (NumPy on the CPU)", "totalGlobalMem": 0}


class Device(DeviceId):
    """`cupy.cuda.Device(i)`: a context manager that selects the (only) device."""

    def __init__(self, device=None):
        index = 0 if device is None else int(device)
        if index != 0:
            raise RuntimeError(f"cudaErrorInvalidDevice: the stand-in has one device, not {index}")
        super().__init__(index)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def use(self):
        return None

    def synchronize(self):
        return None


class Stream:
    null = None

    def __init__(self, null=False, non_blocking=False, ptds=False):
        pass

    def synchronize(self):
        return None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _cuda_module():
    cuda = types.ModuleType("cupy.cuda")
    cuda.runtime = _Runtime()
    cuda.Device = Device
    cuda.Stream = Stream
    cuda.get_current_stream = lambda device=None: Stream()
    cuda.is_available = lambda: True
    cuda.get_device_id = lambda: 0
    return cuda


# --- cupy.random ---
class XORWOW:
    """CuPy's default bit generator, played by PCG64 (another stream of numbers, same seeding
    contract). As in CuPy, its whole state is one device array, `_state` (here PCG64's state,
    increment and buffered 32 bits as six uint64), which CuPy offers no public way to set."""

    _MASK = (1 << 64) - 1

    def __init__(self, seed=None, *, size=-1):
        self._state = ndarray._from_host(np.zeros(6, np.uint64))
        self._store(np.random.PCG64(seed))

    def _store(self, pcg):
        state = pcg.state
        s, inc = state["state"]["state"], state["state"]["inc"]
        words = [s & self._MASK, s >> 64, inc & self._MASK, inc >> 64]
        words += [state["has_uint32"], state["uinteger"]]
        self._state._a[...] = np.array(words, np.uint64)

    def _load(self):
        w = [int(v) for v in self._state._a]
        pcg = np.random.PCG64()
        pcg.state = {
            "bit_generator": "PCG64",
            "state": {"state": w[0] | (w[1] << 64), "inc": w[2] | (w[3] << 64)},
            "has_uint32": w[4],
            "uinteger": w[5],
        }
        return pcg


def _generator_class():
    def make(method):
        def draw(self, *args, **kwargs):
            args = unwrap(args, f"Generator.{method}")
            pcg = self.bit_generator._load()
            result = getattr(np.random.Generator(pcg), method)(*args, **kwargs)
            self.bit_generator._store(pcg)
            return wrap(result)

        draw.__name__ = method
        return draw

    namespace = {"__init__": _generator_init, "__module__": "cupy.random"}
    namespace.update({m: make(m) for m in _GENERATOR_METHODS})
    return type("Generator", (), namespace)


def _generator_init(self, bit_generator):
    self.bit_generator = bit_generator


def _random_module():
    random = StandinModule("cupy.random")
    random.Generator = _generator_class()
    random.XORWOW = XORWOW
    random.default_rng = lambda seed=None: random.Generator(XORWOW(seed))
    _populate(random, "cupy.random", np.random)
    return random


def _erf(x):
    try:
        from scipy.special import erf
    except ImportError:  # CuPy has it built in; NumPy does not
        erf = np.vectorize(math.erf, otypes=[np.float64])
    return wrap(np.asarray(erf(unwrap(x, "cupyx.scipy.special.erf"))).astype(x.dtype))


def _scatter_add(a, slices, value):
    refuse_host_array(value, "cupyx.scatter_add")
    index = _wrap_around(_index(unwrap(slices, "cupyx.scatter_add")), a.shape)
    np.add.at(a._a, index, unwrap(value, "cupyx.scatter_add"))


def _as_strided(x, shape=None, strides=None):
    # CuPy's windows are writeable views (no read-only flag on the device)
    view = np.lib.stride_tricks.as_strided(x._a, shape, strides, writeable=True)
    return wrap(view)


def _from_dlpack(obj):
    if isinstance(obj, ndarray):
        return wrap(obj._a.view())
    device = getattr(obj, "__dlpack_device__", None)
    if device is None:
        raise TypeError(f"from_dlpack: {type(obj).__name__} does not support DLPack")
    if int(device()[0]) != 2:
        raise TypeError("the stand-in device only imports DLPack capsules of CUDA memory")
    raise TypeError("the stand-in device cannot import another library's CUDA memory")


def build():
    """Fresh `cupy` and `cupyx` stand-in modules."""
    cupy = StandinModule("cupy")
    cupy.__version__ = "14.2.0+standin"
    cupy.ndarray = ndarray
    cupy.ufunc = ufunc
    cupy.asnumpy = asnumpy
    cupy.get_array_module = lambda *args: cupy if any(isinstance(a, ndarray) for a in args) else np
    cupy.from_dlpack = cupy.fromDlpack = _from_dlpack
    cupy.cuda = _cuda_module()
    cupy.random = _random_module()
    cupy.linalg = StandinModule("cupy.linalg")
    _populate(cupy.linalg, "cupy.linalg", np.linalg)
    cupy.fft = StandinModule("cupy.fft")
    _populate(cupy.fft, "cupy.fft", np.fft)
    stride_tricks = StandinModule("cupy.lib.stride_tricks")
    stride_tricks.as_strided = _as_strided
    _populate(stride_tricks, "cupy.lib.stride_tricks", np.lib.stride_tricks)
    cupy.lib = types.SimpleNamespace(stride_tricks=stride_tricks)
    cupy.is_available = lambda: True
    _populate(cupy, "cupy", np)

    cupyx = StandinModule("cupyx")
    cupyx.scatter_add = _scatter_add
    special = StandinModule("cupyx.scipy.special")
    special.erf = _erf
    _populate(special, "cupyx.scipy.special", types.SimpleNamespace())
    cupyx.scipy = types.SimpleNamespace(special=special)
    _populate(cupyx, "cupyx", types.SimpleNamespace())
    return cupy, cupyx


cupy, cupyx = build()


def function_for(numpy_function):
    """The stand-in function that answers a NumPy function called on device arrays, or None
    where CuPy has no such name (NumPy then raises TypeError)."""
    module = getattr(numpy_function, "__module__", "") or ""
    name = getattr(numpy_function, "__name__", "")
    section = "cupy"
    for sub in ("linalg", "fft"):
        if module.startswith(f"numpy.{sub}") or module.startswith(f"numpy.{sub}."):
            section = f"cupy.{sub}"
    if name not in NAMES.get(section, ()):
        return None
    owner = {"cupy": cupy, "cupy.linalg": cupy.linalg, "cupy.fft": cupy.fft}[section]
    value = owner.__dict__.get(name)
    return None if value is None or isinstance(value, _Missing) else value
