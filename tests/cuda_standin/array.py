"""The stand-in's `ndarray`: NumPy memory that behaves as if it lived on a CUDA device.

What CuPy refuses, it refuses: implicit conversion to NumPy (`np.asarray(x)`, NumPy calls on it
that CuPy does not implement), mixing with a NumPy array in one operation, Python scalars from
arrays with more than one dimension. What reaches the host explicitly (`get()`, `item()`,
`float()` of a 0-d array, printing) is counted in `transfers`.
"""

from __future__ import annotations

import numpy as np

from .transfers import transfers

_IMPLICIT = (
    "Implicit conversion to a NumPy array is not allowed. "
    "Please use `.get()` to construct a NumPy array explicitly."
)


class Flags:
    """CuPy's flags: no `writeable` (device memory has no read-only flag)."""

    __slots__ = ("c_contiguous", "f_contiguous", "owndata")

    def __init__(self, array: np.ndarray):
        self.c_contiguous = array.flags.c_contiguous
        self.f_contiguous = array.flags.f_contiguous
        self.owndata = array.flags.owndata

    def __getitem__(self, key):
        names = {"C_CONTIGUOUS": "c_contiguous", "F_CONTIGUOUS": "f_contiguous"}
        return getattr(self, names.get(key, key.lower()))


class DeviceId:
    """What `array.device` returns: an object with `.id`."""

    __slots__ = ("id",)

    def __init__(self, index=0):
        self.id = index

    def __repr__(self):
        return f"<CUDA Device {self.id}>"


def refuse_host_array(value, where):
    if isinstance(value, np.ndarray):
        raise TypeError(
            f"Unsupported type {type(value)} (in {where}: a NumPy array mixed with "
            "a device array; CuPy refuses implicit host-to-device copies)"
        )


def unwrap(value, where, host_ok=False):
    """The NumPy memory behind stand-in arrays, in arguments that may nest in tuples/lists."""
    if isinstance(value, ndarray):
        return value._a
    if isinstance(value, (tuple, list)):
        return type(value)(unwrap(v, where, host_ok) for v in value)
    if not host_ok:
        refuse_host_array(value, where)
    return value


def wrap(value, inputs=()):
    """Results as device arrays: NumPy arrays and scalars become stand-in arrays (CuPy has no
    scalars: a reduction gives a 0-d array); an input returned unchanged keeps its identity."""
    if isinstance(value, np.ndarray):
        for original in inputs:
            if isinstance(original, ndarray) and original._a is value:
                return original
        return ndarray._from_host(value)
    if isinstance(value, np.generic):
        return ndarray._from_host(np.asarray(value))
    if isinstance(value, tuple):
        return tuple(wrap(v, inputs) for v in value)
    if isinstance(value, list):
        return [wrap(v, inputs) for v in value]
    return value


def _method(name):
    def call(self, *args, **kwargs):
        where = f"ndarray.{name}"
        args = unwrap(args, where)
        kwargs = {k: unwrap(v, where) for k, v in kwargs.items()}
        return wrap(getattr(self._a, name)(*args, **kwargs), (self,))

    call.__name__ = name
    return call


def _operator(name, reflected=None):
    def call(self, other):
        if isinstance(other, (list, tuple)):
            return NotImplemented
        refuse_host_array(other, f"ndarray.{name}")
        other = other._a if isinstance(other, ndarray) else other
        result = getattr(self._a, name)(other)
        if result is NotImplemented:
            return NotImplemented
        if name.startswith("__i"):  # in place: the same array comes back
            return self
        return wrap(result)

    call.__name__ = name
    return call


# the methods of cupy.ndarray (CuPy 14) that map one-to-one onto NumPy's
_METHODS = (
    "all any argmax argmin argpartition argsort astype choose clip compress conj conjugate "
    "copy cumprod cumsum diagonal dot fill flatten max mean min nonzero partition prod ptp "
    "put ravel repeat reshape round searchsorted sort squeeze std sum swapaxes take trace "
    "transpose var view"
).split()

_OPERATORS = (
    "add sub mul truediv floordiv mod pow matmul and or xor lshift rshift divmod lt le gt ge eq ne"
).split()


class ndarray:  # noqa: N801 - CuPy's name
    """A device array of the stand-in: NumPy memory behind a CuPy-shaped wall."""

    __slots__ = ("_a", "__weakref__")
    __array_priority__ = 100

    @classmethod
    def _from_host(cls, array: np.ndarray) -> ndarray:
        obj = object.__new__(cls)
        obj._a = array
        return obj

    def __init__(self, shape, dtype=float, memptr=None, strides=None, order="C"):
        self._a = np.empty(shape, dtype=dtype, order=order)

    # --- what describes the array (metadata lives on the host in CuPy too) ---
    shape = property(lambda self: self._a.shape)

    @shape.setter
    def shape(self, new_shape):
        # CuPy's setter changes the view in place and refuses a shape that needs a copy
        view = self._a.view()
        try:
            view.shape = new_shape
        except (ValueError, AttributeError):
            raise AttributeError(f"incompatible shape {new_shape} for this layout") from None
        self._a = view

    dtype = property(lambda self: self._a.dtype)
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    strides = property(lambda self: self._a.strides)
    itemsize = property(lambda self: self._a.itemsize)
    nbytes = property(lambda self: self._a.nbytes)
    flags = property(lambda self: Flags(self._a))
    device = property(lambda self: DeviceId(0))
    T = property(lambda self: wrap(self._a.T))
    mT = property(lambda self: wrap(np.swapaxes(self._a, -1, -2)))
    real = property(lambda self: wrap(self._a.real))
    imag = property(lambda self: wrap(self._a.imag))
    base = property(lambda self: None if self._a.base is None else wrap(self._a.base))

    def __len__(self):
        return len(self._a)

    def __iter__(self):
        for i in range(len(self._a)):
            yield wrap(self._a[i])

    # --- the only doors to the host ---
    def get(self, stream=None, order="C", out=None, blocking=True):
        transfers.count("get")
        host = np.array(self._a, order=order)
        if out is not None:
            out[...] = host
            return out
        return host

    def set(self, array, stream=None):
        transfers.count("set", host_to_device=True)
        self._a[...] = array

    def item(self, *args):
        transfers.count("item")
        return self._a.item(*args)

    def _scalar(self, kind):
        if self._a.ndim != 0:
            raise TypeError(
                f"only 0-d device arrays convert to a Python {kind.__name__} "
                f"(got shape {self._a.shape})"
            )
        transfers.count(kind.__name__)
        return kind(self._a)

    def __float__(self):
        return self._scalar(float)

    def __int__(self):
        return self._scalar(int)

    def __complex__(self):
        return self._scalar(complex)

    def __bool__(self):
        if self._a.size != 1:
            raise ValueError("The truth value of an array with more than one element is ambiguous.")
        return self._scalar(bool) if self._a.ndim == 0 else bool(wrap(self._a.reshape(())))

    def __index__(self):
        if self._a.ndim != 0 or self._a.dtype.kind not in "iub":
            raise TypeError("only integer scalar device arrays can be converted to an index")
        transfers.count("index")
        return int(self._a)

    def tolist(self):
        raise TypeError(
            "tolist() of a device array is a hidden device-to-host copy here: call .get() "
            "(or autograd_core.backend.to_numpy) first"
        )

    def tobytes(self, order="C"):
        transfers.count("tobytes")
        return self._a.tobytes(order)

    def __repr__(self):
        transfers.count("repr")
        return repr(self._a)

    def __str__(self):
        transfers.count("str")
        return str(self._a)

    def __format__(self, spec):
        transfers.count("format")
        return format(self._a, spec)

    def __array__(self, dtype=None, copy=None):
        raise TypeError(_IMPLICIT)

    def __reduce__(self):
        raise TypeError("device arrays are not pickled here; call .get() first")

    def __copy__(self):
        return wrap(self._a.copy())

    def __deepcopy__(self, memo):
        return wrap(self._a.copy())

    # --- interoperability protocols, as CuPy answers them ---
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        from . import namespace

        standin = namespace.ufuncs.get(ufunc.__name__)
        if standin is None:
            return NotImplemented
        target = standin if method == "__call__" else getattr(standin, method)
        return target(*inputs, **kwargs)

    def __array_function__(self, func, types, args, kwargs):
        from . import namespace

        standin = namespace.function_for(func)
        if standin is None:
            return NotImplemented  # NumPy then raises TypeError, as with CuPy
        return standin(*args, **kwargs)

    def __dlpack__(self, stream=None, **kwargs):
        # the capsule is NumPy's; only the stand-in's own from_dlpack accepts device 2
        return self._a.__dlpack__()

    def __dlpack_device__(self):
        return (2, 0)  # kDLCUDA, device 0

    # --- indexing ---
    def __getitem__(self, key):
        return wrap(self._a[_wrap_around(_index(key), self._a.shape)])

    def __setitem__(self, key, value):
        refuse_host_array(value, "ndarray.__setitem__")
        key = _wrap_around(_index(key), self._a.shape)
        self._a[key] = value._a if isinstance(value, ndarray) else value

    def __neg__(self):
        return wrap(-self._a)

    def __pos__(self):
        return wrap(+self._a)

    def __abs__(self):
        return wrap(abs(self._a))

    def __invert__(self):
        return wrap(~self._a)

    __hash__ = None


def _index(key):
    """Index arrays may live on the device or (CuPy copies them over) on the host."""
    if isinstance(key, tuple):
        return tuple(_index(k) for k in key)
    if isinstance(key, ndarray):
        return key._a
    if isinstance(key, np.ndarray):
        transfers.count("index array", host_to_device=True)
    return key


def _wrap_around(key, shape):
    """CuPy wraps out-of-range integer index arrays around instead of raising (its documented
    difference from NumPy): a bounds check that relies on NumPy's IndexError fails here too."""
    parts = key if isinstance(key, tuple) else (key,)
    if any(p is None or p is Ellipsis for p in parts):
        return key  # the axis of each part is not simply its position
    out, axis = [], 0
    for part in parts:
        if isinstance(part, np.ndarray) and part.dtype.kind == "b":
            out.append(part)
            axis += part.ndim
            continue
        if isinstance(part, np.ndarray) and part.dtype.kind in "iu" and axis < len(shape):
            if shape[axis] > 0:
                part = np.mod(part, shape[axis])
        out.append(part)
        axis += 1
    return tuple(out) if isinstance(key, tuple) else out[0]


for _name in _METHODS:
    setattr(ndarray, _name, _method(_name))
for _name in _OPERATORS:
    for _form in (f"__{_name}__", f"__r{_name}__", f"__i{_name}__"):
        if hasattr(np.ndarray, _form):
            setattr(ndarray, _form, _operator(_form))
