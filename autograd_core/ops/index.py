"""Indexing: `a[...]` with ints, slices, steps, None, ..., integer arrays and boolean masks;
`a[...] = v`; gather/scatter along a dim. Repeated indices accumulate their gradients."""

from __future__ import annotations

import warnings

from .. import backend, dtypes
from ..function import Function
from ..views import getitem_step, mark_view
from .common import as_tensor, is_tensor

SEQUENCE_AS_TUPLE_WARNING = (
    "Using a non-tuple sequence for multidimensional indexing is deprecated in PyTorch; "
    "x[seq] with seq holding lists, slices, tensors, None or ... is read as x[tuple(seq)], "
    "as PyTorch still does: write x[tuple(seq)] instead"
)
UINT8_MASK_WARNING = (
    "indexing with dtype uint8 is deprecated, as in PyTorch; it is read as a bool mask: "
    "use a bool tensor instead"
)


def _array_index(index, like):
    """Turn Tensors, lists and tuples inside an index into arrays on `like`'s device.

    As PyTorch: a list that holds lists, slices, tensors, None or ... is a tuple of indices
    (x[[[0, 1], [1, 0]]] is x[[0, 1], [1, 0]]), and a uint8 tensor is a mask, not indices.
    """
    xp = backend.array_module(like)
    if not isinstance(index, tuple):
        index = (index,) if not _sequence_as_tuple(index) else tuple(index)
    parts = []
    for part in index:
        if is_tensor(part):
            part = part._data
        elif isinstance(part, list):
            # an empty list selects nothing: int64, as in PyTorch, not NumPy's float64
            part = xp.asarray(part) if part else xp.zeros(0, dtype=dtypes.int64)
        elif backend.is_array(part) and backend.array_module(part) is not xp:
            part = xp.asarray(part)
        if backend.is_array(part):
            if part.dtype.kind not in "biu":
                raise IndexError(
                    f"tensors used as indices must be integer or bool, got {part.dtype}"
                )
            if part.dtype == dtypes.uint8:
                warnings.warn(UINT8_MASK_WARNING, UserWarning, stacklevel=4)
                part = part.astype(dtypes.bool_)
        parts.append(part)
    return tuple(parts)


def _sequence_as_tuple(index) -> bool:
    """PyTorch's rule for a list index: a tuple when it is short and holds a sequence, slice,
    tensor, None or Ellipsis."""
    if not isinstance(index, list) or len(index) >= 32:
        return False
    for part in index:
        if part is None or part is Ellipsis or isinstance(part, (list, tuple, slice)):
            break
        if is_tensor(part) or backend.is_array(part):
            break
    else:
        return False
    warnings.warn(SEQUENCE_AS_TUPLE_WARNING, UserWarning, stacklevel=4)
    return True


def _is_basic(index):
    return all(part is None or part is Ellipsis or isinstance(part, (int, slice)) for part in index)


class GetItem(Function):
    """out = a[index];  da = zeros with the gradient added at index"""

    op_name = "getitem"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, index):
        ctx.in_shape, ctx.index = a.shape, index
        ctx.params = {"index": _describe(index)}
        return a[index]

    @staticmethod
    def backward(ctx, grad_out):
        return index_add_into(ctx.in_shape, ctx.index, grad_out)


class IndexAddInto(Function):
    """out = zeros(shape) with a added at index (repeats accumulate);  da = gradient[index]"""

    op_name = "index_add"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, shape, index):
        ctx.index = index
        xp = backend.array_module(a)
        out = xp.zeros(shape, dtype=a.dtype)
        if _is_basic(index):
            out[index] = a
        else:
            backend.scatter_add(out, index, a)
        return out

    @staticmethod
    def backward(ctx, grad_out):
        return getitem(grad_out, ctx.index)


def index_add_into(shape, index, values):
    return IndexAddInto._call(values, shape=tuple(shape), index=index)


def getitem(a, index):
    index = shown = _array_index(index, a._data)
    basic = _is_basic(index)
    if basic and not any(part is Ellipsis for part in index):
        # a trailing ...: one element comes back as a 0-d view, not a NumPy scalar copy
        index = index + (Ellipsis,)
    try:
        out = GetItem._call(a, index=index)
    except IndexError as exc:
        raise IndexError(
            f"index {_describe(shown)} into a tensor of shape {tuple(a.shape)}: {exc}"
        ) from None
    if basic:
        mark_view(out, a, getitem_step, index)  # in-place changes show through
    return out


class IndexPut(Function):
    """out = a with values written at index;  da = gradient with zeros at index,
    dvalues = gradient[index]"""

    op_name = "index_put"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, values, index):
        ctx.index, ctx.values_shape = index, values.shape
        out = a.copy()
        out[index] = values
        return out

    @staticmethod
    def backward(ctx, grad_out):
        need_a, need_values = ctx.needs_input_grad
        grad_a = index_put(grad_out, ctx.index, 0) if need_a else None
        grad_values = None
        if need_values:
            picked = getitem(grad_out, ctx.index)
            from .shape import sum_to

            grad_values = sum_to(picked, ctx.values_shape)
        return grad_a, grad_values


def index_put(a, index, values):
    """Out-of-place `a[index] = values` (differentiable in both)."""
    values = as_tensor(values, a, "setitem")
    if values.dtype != a.dtype:
        from .elementwise import cast

        values = cast(values, a.dtype)
    return IndexPut._call(a, values, index=_array_index(index, a._data))


def setitem_(a, index, values):
    """`a[index] = values` in place; recorded when `a` or `values` needs a gradient."""
    from .. import grad_mode

    needs_graph = grad_mode.is_grad_enabled() and (
        a.requires_grad or (is_tensor(values) and values.requires_grad)
    )
    # a view in grad mode or an expanded one: `_inplace` checks what PyTorch refuses
    view = a._view is not None and (grad_mode.is_grad_enabled() or a._view.expands)
    array_index = _array_index(index, a._data)
    if not needs_graph and not view:
        a._data[array_index] = values._data if is_tensor(values) else values
        a._bump_version()
        return a
    if _is_basic(array_index):
        # as PyTorch: a copy into the slice a[index], so that only the views that share
        # elements with it get new nodes
        from .shape import expand_copy

        source = as_tensor(values, a, "setitem")
        target = getitem(a, array_index)
        target._inplace("setitem", lambda t: expand_copy(source, t), overwrites=True)
        return a
    return a._inplace("setitem", lambda t: index_put(t, array_index, values))


def _along_dim_index(xp, index, dim):
    """The full advanced index that picks index[i, j, ...] along `dim` (take_along_axis)."""
    grids = []
    for d, size in enumerate(index.shape):
        if d == dim:
            grids.append(index)
        else:
            shape = [1] * index.ndim
            shape[d] = size
            grids.append(xp.arange(size).reshape(shape))
    return tuple(grids)


class Gather(Function):
    """out[i][j] = a[i][index[i][j]] (dim=1);  da = gradient scattered back (accumulating)"""

    op_name = "gather"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, index, dim):
        ctx.in_shape, ctx.dim, ctx.index = a.shape, dim, index
        ctx.params = {"dim": dim}
        return backend.array_module(a).take_along_axis(a, index, axis=dim)

    @staticmethod
    def backward(ctx, grad_out):
        return scatter_into(ctx.in_shape, ctx.dim, constant_index(ctx.index), grad_out)


class ScatterInto(Function):
    """out = zeros(shape) with out[i][index[i][j]] += a[i][j] (dim=1);  da = gather"""

    op_name = "scatter_add"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, shape, dim, index):
        xp = backend.array_module(a)
        ctx.dim, ctx.index = dim, index
        out = xp.zeros(shape, dtype=a.dtype)
        positions = _along_dim_index(xp, index, dim)
        if index.shape[dim] == 1:
            out[positions] = a  # one index per row (max, cross-entropy): no repeats to add
        else:
            backend.scatter_add(out, positions, a)
        return out

    @staticmethod
    def backward(ctx, grad_out):
        return gather(grad_out, ctx.dim, ctx.index)


def constant_index(index_array):
    from .common import constant

    return constant(index_array)


def scatter_into(shape, dim, index, values):
    """zeros(shape) with `values` added at `index` along `dim` (the backward of gather)."""
    return ScatterInto._call(values, shape=tuple(shape), dim=dim, index=_index_array(index, values))


def _index_array(index, like):
    index = index._data if is_tensor(index) else backend.array_module(like._data).asarray(index)
    if index.dtype.kind not in "iu":
        raise TypeError(f"gather/scatter: index must be an integer tensor, got {index.dtype}")
    return index


def check_index_bounds(index, size, dim, op):
    """Raise IndexError unless every entry of the integer array `index` is in [0, size), as
    PyTorch does: NumPy would read -1 as the last entry and CuPy wraps out-of-range ones.
    One reduction on the array's device; on a GPU its answer travels with the next copy to
    the host (backend.check_on_device), so the common path never waits for the device."""
    if index.size == 0:
        return
    xp = backend.array_module(index)
    limits = xp.iinfo(index.dtype)
    # compare only against bounds the dtype can hold (uint8 >= 300 is never true)
    outside = index < 0 if limits.min < 0 else None
    if size <= limits.max:
        too_big = index >= size
        outside = too_big if outside is None else outside | too_big
    if outside is None:
        return

    def error():  # the failing value is fetched only to name it
        value = int(backend.to_numpy(index[outside])[0])
        return IndexError(
            f"{op}: index {value} is out of bounds for dimension {dim} with size {size}"
        )

    # on a GPU the answer is read with the next copy to the host: no stall here
    backend.check_on_device(outside.any(), error)


def gather(a, dim, index):
    """Pick values along `dim` at `index` (same number of dims as `a`), as torch.gather;
    an index outside [0, a.shape[dim]) raises IndexError."""
    from .common import normalize_dims

    (d,) = normalize_dims(dim, a.ndim, "gather")
    index = _index_array(index, a)
    if index.ndim != a.ndim:
        raise ValueError(
            f"gather: index has {index.ndim} dims but the input has {a.ndim} (shapes "
            f"{tuple(index.shape)} and {tuple(a.shape)})"
        )
    check_index_bounds(index, a.shape[d], d, "gather")
    a = _read_block(a, index, d, "gather")
    return Gather._call(a, index=index, dim=d)


def _read_block(t, index, dim, op):
    """The leading block of `t` that PyTorch's gather/scatter read when the index is smaller
    than `t` outside `dim` (dim itself is read whole); `t` itself when the shapes agree."""
    for d, (size, limit) in enumerate(zip(index.shape, t.shape)):
        if d != dim and size > limit:
            raise ValueError(
                f"{op}: index of shape {tuple(index.shape)} is larger than the tensor of shape "
                f"{tuple(t.shape)} in dim {d}"
            )
    if all(size == limit for d, (size, limit) in enumerate(zip(index.shape, t.shape)) if d != dim):
        return t
    block = tuple(slice(None) if d == dim else slice(0, size) for d, size in enumerate(index.shape))
    return getitem(t, block)


def index_select(a, dim, index):
    from .common import normalize_dims

    (d,) = normalize_dims(dim, a.ndim, "index_select")
    index = _index_array(index, a)
    if index.ndim > 1:
        raise ValueError(f"index_select: index must be 0-d or 1-D, got shape {tuple(index.shape)}")
    check_index_bounds(index, a.shape[d], d, "index_select")
    if index.dtype == dtypes.uint8:  # indices here, where a uint8 tensor in a[...] is a mask
        index = index.astype(dtypes.int64)
    # a 0-d index still selects along dim: the result keeps the input's number of dims
    return getitem(a, (slice(None),) * d + (index.reshape(-1),))


def _describe(index):
    parts = []
    for part in index:
        if backend.is_array(part):
            parts.append(
                f"<{'mask' if part.dtype == dtypes.bool_ else 'indices'} {tuple(part.shape)}>"
            )
        elif part is Ellipsis:
            parts.append("...")
        elif isinstance(part, slice):
            text = ":".join("" if v is None else str(v) for v in (part.start, part.stop, part.step))
            parts.append(text.rstrip(":") or ":")
        else:
            parts.append(repr(part))
    return "[" + ", ".join(parts) + "]"
