"""Scattering along a dim: scatter (write), scatter_add and scatter_reduce (sum, prod, mean,
amax, amin), with PyTorch's gradients for both the input and src.

For dim=1: out[i][index[i][j]] (op)= src[i][j]. The index has the input's number of dims;
it may be smaller than src in every dim and smaller than the input outside `dim` (PyTorch
reads only the leading block it covers). Gradients are written with differentiable ops.
"""

from __future__ import annotations

import numpy as np

from .. import backend
from ..function import Function
from .common import constant, is_tensor, normalize_dims
from .index import _along_dim_index, _index_array, _read_block, check_index_bounds, gather

REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")


class Scatter(Function):
    """out = a with out[i][index[i][j]] = src[i][j] (dim=1);  da = g with zeros where
    written, dsrc[i][j] = g[i][index[i][j]] (a repeated index: every src gets the gradient,
    as in PyTorch, where which one is written is unspecified)"""

    op_name = "scatter"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, src, dim, index):
        ctx.dim, ctx.index = dim, index
        ctx.params = {"dim": dim}
        out = a.copy()
        out[_along_dim_index(backend.array_module(a), index, dim)] = src
        return out

    @staticmethod
    def backward(ctx, grad_out):
        need_a, need_src = ctx.needs_input_grad
        index = constant(ctx.index)
        grad_a = scatter(grad_out, ctx.dim, index, 0.0) if need_a else None
        grad_src = gather(grad_out, ctx.dim, index) if need_src else None
        return grad_a, grad_src


class ScatterAdd(Function):
    """out = a with out[i][index[i][j]] += src[i][j] (dim=1, repeats add up);  da = g,
    dsrc[i][j] = g[i][index[i][j]]"""

    op_name = "scatter_add"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, src, dim, index):
        ctx.dim, ctx.index = dim, index
        ctx.params = {"dim": dim}
        out = a.copy()
        backend.scatter_add(out, _along_dim_index(backend.array_module(a), index, dim), src)
        return out

    @staticmethod
    def backward(ctx, grad_out):
        need_src = ctx.needs_input_grad[1]
        grad_src = gather(grad_out, ctx.dim, constant(ctx.index)) if need_src else None
        return grad_out, grad_src


class ScatterReduce(Function):
    """out = a with out[i][index[i][j]] reduced with every src[i][j] sent there (dim=1), by
    sum, prod, mean, amax or amin; include_self=False leaves a's value out of the reduction
    where anything is sent. The gradients are PyTorch's: prod divides by the factor except
    where it is zero (then the product of the others), mean divides by the count, amax and
    amin share the gradient evenly between the elements equal to the result."""

    op_name = "scatter_reduce"
    saves_output = True

    @staticmethod
    def forward(ctx, a, src, dim, index, reduce, include_self):
        ctx.dim, ctx.index, ctx.reduce, ctx.include_self = dim, index, reduce, include_self
        ctx.params = {"dim": dim, "reduce": reduce, "include_self": include_self}
        xp = backend.array_module(a)
        positions = _along_dim_index(xp, index, dim)
        out = a.copy()
        if not include_self:
            out[positions] = _identity(reduce, a.dtype)
        if reduce in ("sum", "mean"):
            backend.scatter_add(out, positions, src)
        else:
            _reduce_slice_by_slice(xp, out, positions, src, dim, _UFUNCS[reduce](xp))
        if reduce == "mean":
            count = xp.full(a.shape, 1 if include_self else 0, dtype=a.dtype)
            backend.scatter_add(count, positions, xp.ones(index.shape, dtype=a.dtype))
            count[count == 0] = 1  # nothing sent, a's own value
            out = out // count if a.dtype.kind in "iu" else out / count  # PyTorch floors ints
        return out

    @staticmethod
    def backward(ctx, grad_out):
        a, src = ctx.input_tensors
        (result,) = ctx.outputs
        dim, reduce, include_self = ctx.dim, ctx.reduce, ctx.include_self
        index = constant(ctx.index)
        if reduce == "sum":
            grad_a, grad_src = grad_out, gather(grad_out, dim, index)
        elif reduce == "mean":
            count = _mean_count(a, dim, index, src, include_self)
            grad_a = grad_out / count
            grad_src = gather(grad_out, dim, index) / gather(count, dim, index)
        elif reduce == "prod":
            grad_a, grad_src = _prod_grads(a, src, dim, index, include_self, result, grad_out)
        else:
            # the gradient is shared between every element equal to the result
            value = gather(result, dim, index)
            a_is_result = (a == result).to(a.dtype)
            src_is_result = (src == value).to(a.dtype)
            shared = grad_out / scatter_add(a_is_result, dim, index, src_is_result)
            grad_a = a_is_result * shared
            grad_src = src_is_result * gather(shared, dim, index)
        if not include_self:
            grad_a = scatter(grad_a, dim, index, 0.0)
        return grad_a, grad_src


def _identity(reduce, dtype):
    """The value a reduction starts from when the input's own value is left out."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if dtype.kind == "f":
        return -float("inf") if reduce == "amax" else float("inf")
    limits = np.iinfo(dtype) if dtype.kind in "iu" else None
    if limits is None:  # bool
        return reduce == "amin"
    return limits.min if reduce == "amax" else limits.max


# amax and amin propagate NaN, as PyTorch's (maximum, not fmax)
_UFUNCS = {
    "prod": lambda xp: xp.multiply,
    "amax": lambda xp: xp.maximum,
    "amin": lambda xp: xp.minimum,
}


def _reduce_slice_by_slice(xp, out, positions, src, dim, ufunc):
    """out[positions] = ufunc(out[positions], src), repeated positions reduced together.

    Within one slice of the index along `dim` every target is distinct (the other coordinates
    differ), so one read-modify-write per slice is exact on NumPy and CuPy alike, with no
    scatter primitive per reduction."""
    positions = tuple(xp.broadcast_to(p, src.shape) for p in positions)  # the grids are 1-wide
    for k in range(src.shape[dim]):
        take = (slice(None),) * dim + (slice(k, k + 1),)
        targets = tuple(p[take] for p in positions)
        out[targets] = ufunc(out[targets], src[take])


def _mean_count(a, dim, index, src, include_self):
    """How many values each element of a mean's output averages (1 where none: its own)."""
    from .select import where

    start = _filled_like(a, 1.0 if include_self else 0.0)
    count = scatter_add(start, dim, index, _filled_like(src, 1.0))
    return where(count == 0, 1.0, count)


def _filled_like(t, value):
    xp = backend.array_module(t._data)
    return constant(xp.full(t.shape, value, dtype=t.dtype))


def _prod_grads(a, src, dim, index, include_self, result, grad_out):
    """PyTorch's product gradients: result / factor, except where the factor is zero (then
    the product of the other factors, computed again with that zero set to 1)."""
    from .select import masked_fill, where

    masked_a = masked_fill(a, a == 0, 1.0)
    grad_a = grad_out * scatter_reduce(masked_a, dim, index, src, "prod", include_self=include_self)
    grad_a = grad_a / masked_a
    src_zero = src == 0
    zeros_sent = scatter_add(_filled_like(a, 0.0), dim, index, src_zero.to(a.dtype))
    single_zero = src_zero & (gather(zeros_sent, dim, index) == 1)
    others = scatter_reduce(
        a, dim, index, masked_fill(src, single_zero, 1.0), "prod", include_self=include_self
    )
    grad_src = where(
        single_zero,
        gather(grad_out * others, dim, index),
        gather(grad_out * result, dim, index) / masked_fill(src, src_zero, 1.0),
    )
    return grad_a, grad_src


def _arguments(op, a, dim, index, src):
    """The checked dim, index array and src block (a number becomes a constant of the index's
    shape) of a scatter op."""
    if not is_tensor(a):
        raise TypeError(f"{op}: expected a Tensor input, got {type(a).__name__}")
    if a.ndim == 0:
        raise ValueError(f"{op}: the input must have at least one dim, got a 0-d tensor")
    (d,) = normalize_dims(dim, a.ndim, op)
    index = _index_array(index, a)
    xp = backend.array_module(a._data)
    if not is_tensor(src):
        if not isinstance(src, (int, float, bool)):
            raise TypeError(f"{op}: src must be a Tensor or a number, got {type(src).__name__}")
        src = constant(xp.full(index.shape, src, dtype=a.dtype))
    if src.dtype != a.dtype:
        raise TypeError(f"{op}: src has dtype {src.dtype} but the input has dtype {a.dtype}")
    if src.device != a.device:
        raise RuntimeError(
            f"{op}: expected all tensors on the same device, got {a.device} and {src.device}"
        )
    if not index.ndim == src.ndim == a.ndim:
        raise ValueError(
            f"{op}: input, index and src need the same number of dims, got shapes "
            f"{tuple(a.shape)}, {tuple(index.shape)} and {tuple(src.shape)}"
        )
    _read_block(a, index, d, op)  # only validates: the index writes into all of a
    src = _read_block(src, index, None, op)  # src is read in every dim, dim too
    check_index_bounds(index, a.shape[d], d, op)
    return d, index, src


def scatter(a, dim, index, src=None, *, value=None, reduce=None):
    """`a` with `src` (a tensor, or a number: `value`) written at `index` along `dim`, out of
    place (`Tensor.scatter_` writes in place). With a repeated index which value lands is
    unspecified, as in PyTorch. `reduce='add'` or `'multiply'` (PyTorch's older form)
    combines instead: see scatter_add and scatter_reduce.

    >>> import autograd_core as ag
    >>> ag.zeros(2, 3).scatter(1, ag.tensor([[2], [0]]), ag.tensor([[1.0], [2.0]]))
    tensor([[0., 0., 1.],
            [2., 0., 0.]])
    """
    if (src is None) == (value is None):
        raise TypeError("scatter: pass exactly one of src (a tensor or number) and value")
    src = value if src is None else src
    if reduce is not None:
        older = {"add": "sum", "multiply": "prod"}
        if reduce not in older:
            raise ValueError(f"scatter: reduce must be 'add' or 'multiply', got {reduce!r}")
        return scatter_reduce(a, dim, index, src, older[reduce])
    d, index, src = _arguments("scatter", a, dim, index, src)
    return Scatter._call(a, src, dim=d, index=index)


def scatter_add(a, dim, index, src):
    """`a` plus `src` added at `index` along `dim`, repeated indices adding up (out of place,
    as torch.scatter_add).

    >>> import autograd_core as ag
    >>> ag.zeros(4).scatter_add(0, ag.tensor([0, 2, 0]), ag.tensor([1.0, 2.0, 3.0]))
    tensor([4., 0., 2., 0.])
    """
    d, index, src = _arguments("scatter_add", a, dim, index, src)
    return ScatterAdd._call(a, src, dim=d, index=index)


def scatter_reduce(a, dim, index, src, reduce, *, include_self=True):
    """`a` with every `src` value sent to `index` along `dim` reduced into it by `reduce`:
    'sum', 'prod', 'mean', 'amax' or 'amin'. With include_self=False an element that is
    sent values forgets its own (the reduction is over what is sent only).

    >>> import autograd_core as ag
    >>> x, index = ag.tensor([1.0, 2.0, 3.0]), ag.tensor([0, 0, 2])
    >>> ag.ones(3).scatter_reduce(0, index, x, "amax", include_self=False)
    tensor([2., 1., 3.])
    """
    if reduce not in REDUCTIONS:
        raise ValueError(
            f"scatter_reduce: reduce must be one of {', '.join(REDUCTIONS)}, got {reduce!r}"
        )
    d, index, src = _arguments("scatter_reduce", a, dim, index, src)
    return ScatterReduce._call(
        a, src, dim=d, index=index, reduce=reduce, include_self=bool(include_self)
    )
