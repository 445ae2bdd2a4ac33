"""`Tensor`: an array, whether it needs a gradient, and the node (`grad_fn`) that made it."""

from __future__ import annotations

import numpy as np

from . import backend, dtypes, grad_mode, views
from .size import Size
from .tensor_inplace import InPlaceMethods
from .tensor_methods import TensorMethods
from .tensor_structure_methods import StructureMethods


class Tensor(TensorMethods, StructureMethods, InPlaceMethods):
    """A multi-dimensional array that records the ops applied to it.

    Make tensors with `autograd_core.tensor(...)`, `zeros`, `randn`, ...; a Python float is a
    0-d tensor. `requires_grad=True` on a leaf asks for `.grad` after `backward()`.
    """

    __slots__ = (
        "_data",
        "_requires_grad",
        "grad",
        "grad_fn",
        "_out_index",
        "_version",
        "_hooks",
        "_retains_grad",
        "name",
        "_view",
        "_aliases",
        "__weakref__",
    )

    def __init__(self, data, requires_grad: bool = False, dtype=None, device=None):
        from .creation import as_array

        self._init(as_array(data, dtype, device), False, None, 0)
        if requires_grad:
            self.requires_grad = True

    def _init(self, data, requires_grad, grad_fn, index):
        self._data = data
        self._requires_grad = requires_grad
        self.grad = None
        self.grad_fn = grad_fn
        self._out_index = index
        self._version = None
        self._hooks = None
        self._retains_grad = False
        self.name = None
        self._view = None
        self._aliases = None

    @classmethod
    def _wrap(cls, data, requires_grad=False, grad_fn=None, index=0):
        """Wrap an array without copying or checking it (the engine's fast path)."""
        t = object.__new__(cls)
        t._data = data
        t._requires_grad = requires_grad
        t.grad = None
        t.grad_fn = grad_fn
        t._out_index = index
        # the in-place version counter, shared with views; made on first need (most
        # tensors never need one, and each object made per op feeds the cyclic collector)
        t._version = None
        t._hooks = None
        t._retains_grad = False
        t.name = None
        t._view = None  # a views.ViewOf when this tensor looks into another's memory
        t._aliases = None  # a views.Aliases once it has views or was changed in place
        return t

    # ---- what a tensor is --------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim=None):
        """The shape (a `Size`), or the length of one dim (negative dims count from the end)."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_check_dim(dim, self.ndim, "size")]

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return int(self._data.size)

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    @property
    def dtype(self):
        return self._data.dtype

    @property
    def device(self) -> backend.Device:
        return backend.device_of(self._data)

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool):
        if self.grad_fn is not None:
            raise RuntimeError(
                "requires_grad can only be changed on leaf tensors; use .detach() to get a "
                "leaf from the result of an op"
            )
        if value and self._data.dtype.kind not in "fc":
            raise RuntimeError(
                f"only tensors of floating point dtype can require gradients, got {self.dtype}"
                " (convert with .float() first)"
            )
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def data(self) -> Tensor:
        """The same memory as a tensor outside the graph (PyTorch's `.data`)."""
        out = Tensor._wrap(self._data)
        out._version = self._shared_version()
        return out

    @data.setter
    def data(self, value):
        value = value._data if isinstance(value, Tensor) else value
        if not backend.is_array(value):
            raise TypeError(f"data must be a Tensor or an array, got {type(value).__name__}")
        self._data = value

    # ---- conversions ---------------------------------------------------------------------
    def numpy(self) -> np.ndarray:
        """The values as a NumPy array (sharing memory on the CPU, like PyTorch)."""
        if self._requires_grad and grad_mode.is_grad_enabled():
            raise RuntimeError(
                "can't call numpy() on a tensor that requires grad; use tensor.detach().numpy()"
            )
        if not isinstance(self._data, np.ndarray):
            raise TypeError(
                f"can't convert a {self.device} tensor to NumPy; use tensor.cpu().numpy() "
                "to copy it to host memory first"
            )
        return self._data

    def item(self):
        """The single value of a one-element tensor, as a Python number."""
        if self._data.size != 1:
            raise ValueError(
                f"item() needs a tensor with one element, got shape {tuple(self.shape)}"
            )
        return backend.to_numpy(self._data).item()

    def tolist(self):
        return backend.to_numpy(self._data).tolist()

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self._data.dtype.kind not in "iub":
            raise TypeError(f"only integer tensors can be used as an index, got {self.dtype}")
        return int(self.item())

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError(
                f"the truth value of a tensor of shape {tuple(self.shape)} is ambiguous; "
                "use .any() or .all()"
            )
        return bool(backend.to_numpy(self._data).item())

    def __array__(self, dtype=None, copy=None):
        array = backend.to_numpy(self._data)
        return array if dtype is None else array.astype(dtype)

    __hash__ = object.__hash__

    def __dlpack__(self, stream=None, **kwargs):
        """Share this tensor's memory through DLPack (zero copy); see `from_dlpack`."""
        from .dlpack import to_dlpack_capsule

        return to_dlpack_capsule(self, stream, **kwargs)

    def __dlpack_device__(self):
        return self._data.__dlpack_device__()

    def detach(self) -> Tensor:
        """The same memory, cut from the graph: a new leaf that needs no gradient."""
        out = Tensor._wrap(self._data)
        out._version = self._shared_version()
        return out

    def detach_(self) -> Tensor:
        self.grad_fn = None
        self._requires_grad = False
        return self

    def to(self, *args, dtype=None, device=None, copy=False) -> Tensor:
        """`to(dtype)`, `to(device)`, `to(device, dtype)` or `to(other_tensor)`, as in PyTorch."""
        for arg in args:
            if isinstance(arg, Tensor):
                device, dtype = arg.device, arg.dtype
            elif isinstance(arg, (str, backend.Device)):
                device = arg
            else:
                dtype = arg
        from .ops.elementwise import cast, to_device

        out = self
        if device is not None:
            device = backend.as_device(device)
            if device != self.device:
                out = to_device(out, device)
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype)
            if dtype != out.dtype:
                out = cast(out, dtype)
        if copy and out is self:
            out = self.clone()
        return out

    def cpu(self) -> Tensor:
        return self.to("cpu")

    def cuda(self, device=None) -> Tensor:
        index = (
            0
            if device is None
            else backend.as_device(
                device if not isinstance(device, int) else f"cuda:{device}"
            ).index
        )
        return self.to(backend.Device("cuda", index))

    def float(self) -> Tensor:
        return self.to(dtypes.float32)

    def double(self) -> Tensor:
        return self.to(dtypes.float64)

    def half(self) -> Tensor:
        return self.to(dtypes.float16)

    def long(self) -> Tensor:
        return self.to(dtypes.int64)

    def int(self) -> Tensor:
        return self.to(dtypes.int32)

    def bool(self) -> Tensor:
        return self.to(dtypes.bool_)

    def type(self, dtype=None):
        if dtype is None:
            return str(self.dtype)
        return self.to(dtype)

    # ---- autograd ------------------------------------------------------------------------
    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Fill `.grad` of the leaves this tensor depends on, by the chain rule.

        A non-scalar tensor needs `gradient` (the upstream gradient, same shape). The graph is
        freed afterwards unless `retain_graph=True`; `create_graph=True` records the backward
        pass too, for higher-order derivatives.
        """
        from .engine import run_backward

        run_backward((self,), (gradient,), retain_graph, create_graph, inputs)

    def register_hook(self, hook):
        """Call `hook(grad)` when this tensor's gradient is computed; a returned tensor
        replaces the gradient. Returns a handle whose `remove()` takes the hook away."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require grad")
        if self.grad_fn is not None:
            self.grad_fn._add_output_hook(self._out_index, hook)
            hooks = self.grad_fn._hooks[self._out_index]
        else:
            if self._hooks is None:
                self._hooks = []
            self._hooks.append(hook)
            hooks = self._hooks
        return RemovableHandle(hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """Call `hook(self)` as soon as backward has finished accumulating this leaf's `.grad`
        (right after the last op that feeds it has run, not at the end of the pass). The hook
        returns None. Returns a handle whose `remove()` takes the hook away."""
        from . import post_accumulate

        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require grad")
        if self.grad_fn is not None:
            raise RuntimeError(
                "post accumulate grad hooks cannot be registered on non-leaf tensors"
            )
        return post_accumulate.register(self, hook)

    def retain_grad(self) -> None:
        """Keep `.grad` of a non-leaf tensor after backward (leaves always keep theirs)."""
        if self.grad_fn is None or self._retains_grad:
            return
        self._retains_grad = True
        target = _weak(self)

        def store(grad):
            t = target()
            if t is not None:
                t.grad = grad if t.grad is None else t.grad + grad
            return None

        store.fills_grad = True  # backward() runs it; autograd_core.grad() leaves .grad alone
        self.grad_fn._add_output_hook(self._out_index, store)

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    # ---- in-place changes --------------------------------------------------------------------
    def _bump_version(self):
        if self._version is None:
            self._version = [1]
        else:
            self._version[0] += 1

    def _shared_version(self):
        """The version counter, made now if needed, for a view to share."""
        if self._version is None:
            self._version = [0]
        return self._version

    def _check_inplace(self, op: str):
        if self.grad_fn is None and self._requires_grad and grad_mode.is_grad_enabled():
            raise RuntimeError(
                f"{op}: a leaf tensor that requires grad is being used in an in-place "
                "operation; wrap it in `with autograd_core.no_grad():` (as optimisers do)"
            )

    def _inplace(self, op: str, compute, overwrites=False):
        """Apply `compute(tensor) -> Tensor` in place, keeping the graph right.

        Outside the graph the result is written into this tensor's memory. When the change
        must be differentiated, the old value becomes an input of the new node and this
        tensor is re-pointed at it, as PyTorch rebases history; on a view, the base is
        rebased too (see views.py). `overwrites`: the result ignores the old value (fill_,
        copy_), whose gradient is then zero.
        """
        self._check_inplace(op)
        info = self._view
        where = None if info is None else views.check_write(self, op)
        old = None
        recording = False
        if grad_mode.is_grad_enabled():
            # the value before the change, as the new node's input; nodes recorded earlier
            # hold `self` and keep the edge they saw (views.edge_seen_by). A plain target
            # still records when the new value needs a gradient (zeros(3).copy_(x)).
            old = Tensor._wrap(self._data, self._requires_grad, self.grad_fn, self._out_index)
            result = compute(old)
            recording = result._requires_grad or self._requires_grad
            if info is not None:
                recording = recording or info.base._requires_grad
            if recording and overwrites:  # also gives a leaf `result` (x in copy_(x)) a node
                result = views.Overwrite._call(old, result)
        else:
            result = compute(self)
        if result.shape != self.shape:
            raise RuntimeError(
                f"{op}: the result has shape {tuple(result.shape)} but the in-place target "
                f"has shape {tuple(self.shape)}"
            )
        if result.dtype != self.dtype and not np.can_cast(result.dtype, self.dtype, "same_kind"):
            raise RuntimeError(
                f"{op}: result type {result.dtype} can't be cast to the in-place target's "
                f"type {self.dtype}"
            )
        if recording and result.dtype != self.dtype:
            from .ops.elementwise import cast

            result = cast(result, self.dtype)
        if not backend.is_writeable(self._data):
            self._data = self._data.copy()
        elif recording and _reads_old_value(result, old):
            old._data = old._data.copy()  # the new node's backward reads the old value
        if info is None:
            xp = backend.array_module(self._data)
            xp.copyto(self._data, result._data, casting="unsafe")
        else:
            views.write(self, result._data, where)
        self._bump_version()
        if recording and result.grad_fn is not None:
            if info is None:
                views.rebind(self, result)
            else:
                views.rebase(self, result, where)
        return self

    def __repr__(self):
        return _format_tensor(self)

    def __str__(self):
        return _format_tensor(self)

    def __format__(self, format_spec):
        """`f"{loss:.4f}"`: a 0-d tensor formats as its number, as in PyTorch; others only
        with an empty spec (their printout)."""
        if self._data.ndim == 0:
            return format(self.item(), format_spec)
        if not format_spec:
            return _format_tensor(self)
        raise TypeError(
            f"format spec {format_spec!r} needs a 0-d tensor, got shape {tuple(self.shape)} "
            "(as in PyTorch); format t.item() for a one-element tensor"
        )


class RemovableHandle:
    """Returned by `register_hook`: `handle.remove()` unregisters the hook."""

    def __init__(self, hooks: list, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


def _weak(t):
    import weakref

    return weakref.ref(t)


def _check_dim(dim, ndim, op):
    if not -max(ndim, 1) <= dim < max(ndim, 1):
        raise IndexError(
            f"{op}: dim {dim} is out of range for a tensor with {ndim} dims "
            f"(expected a value in [{-max(ndim, 1)}, {max(ndim, 1) - 1}])"
        )
    return dim % max(ndim, 1)


def _format_tensor(t: Tensor) -> str:
    values = backend.to_numpy(t._data)
    if values.dtype.kind == "f":
        # as PyTorch: whole numbers as `1.`, others with four decimals (`1.5000`)
        finite = values[np.isfinite(values)]
        whole = bool(np.all(finite == np.round(finite)))
        body = np.array2string(
            values,
            precision=4,
            separator=", ",
            prefix="tensor(",
            floatmode="maxprec_equal" if whole else "fixed",
        )
    else:
        body = np.array2string(values, separator=", ", prefix="tensor(")
    extras = []
    if t.device.type != "cpu":
        extras.append(f"device='{t.device}'")
    if values.dtype not in (dtypes.get_default_dtype(), dtypes.int64, dtypes.bool_):
        extras.append(f"dtype={values.dtype}")
    if t.grad_fn is not None:
        extras.append(f"grad_fn=<{t.grad_fn.name}>")
    elif t._requires_grad:
        extras.append("requires_grad=True")
    if t.name:
        extras.append(f"name='{t.name}'")
    return "tensor(" + body + "".join(", " + e for e in extras) + ")"


def _reads_old_value(result, old) -> bool:
    """Whether backward may read `old`'s values: not when `result` comes from one op that
    takes `old` directly and never reads its inputs (add, sub, ...)."""
    node = result.grad_fn
    if node is None:
        return False
    return node.uses_inputs or not any(t is old for t in node.inputs or ())
