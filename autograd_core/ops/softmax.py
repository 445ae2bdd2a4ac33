"""logsumexp, softmax and log_softmax: reductions that subtract the max first, so exp never
overflows."""

from __future__ import annotations

from .. import backend, dtypes
from ..function import Function
from .common import normalize_dims
from .elementwise import cast, exp
from .reduce import _grad_to_input, _kept_shape, _reduction, _require_float, sum
from .shape import reshape


class LogSumExp(Function):
    """out = log(sum(e^a)) computed as m + log(sum(e^(a - m))), m = max;  da = softmax(a)"""

    op_name = "logsumexp"
    saves_output = True

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        xp = backend.array_module(a)
        ctx.in_shape, ctx.dims = a.shape, dims
        ctx.params = {"dim": dims} if dims is not None else None
        if a.size == 0:  # the log of an empty sum: -inf, as PyTorch
            shape = _kept_shape(a.shape, dims)
            out = xp.full(shape if keepdim else _drop(shape, dims), -xp.inf, dtype=a.dtype)
            return out
        # subtracting the max keeps exp from overflowing; an all -inf slice stays -inf
        m = a.max(axis=dims, keepdims=True)
        m = xp.where(xp.isfinite(m), m, 0)
        out = xp.log(xp.exp(a - m).sum(axis=dims, keepdims=True)) + m
        return (
            out
            if keepdim
            else out.reshape(tuple(s for i, s in enumerate(out.shape) if not _reduced(i, dims)))
        )

    @staticmethod
    def backward(ctx, grad_out):
        (a,) = ctx.input_tensors
        (out,) = ctx.outputs
        kept = reshape(out, _kept_shape(ctx.in_shape, ctx.dims))
        return _grad_to_input(grad_out, ctx) * exp(a - kept)


def _reduced(i, dims):
    return dims is None or i in dims


def _drop(shape, dims):
    return tuple(s for i, s in enumerate(shape) if not _reduced(i, dims))


def logsumexp(a, dim=None, keepdim=False, **kwargs):
    """log(sum(exp(a))) without overflow; integer inputs give the default float dtype."""
    dtype = dtypes.get_default_dtype() if a.dtype.kind != "f" else None
    return _reduction(LogSumExp, a, dim, keepdim, kwargs, "logsumexp", dtype)


class Softmax(Function):
    """out = e^a / sum(e^a) along dim (max subtracted first);  da = out (g - sum(g out))"""

    op_name = "softmax"
    saves_output = True
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        ctx.params = {"dim": dim}
        if a.size == 0:
            return a.copy()  # an empty softmax is empty, as PyTorch
        e = backend.array_module(a).exp(a - a.max(axis=dim, keepdims=True))
        e /= e.sum(axis=dim, keepdims=True)
        return e

    @staticmethod
    def backward(ctx, grad_out):
        (out,) = ctx.outputs
        return out * (grad_out - sum(grad_out * out, ctx.dim, keepdim=True))


class LogSoftmax(Function):
    """out = a - logsumexp(a) along dim;  da = g - softmax(a) sum(g)"""

    op_name = "log_softmax"
    saves_output = True
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, dim):
        xp = backend.array_module(a)
        ctx.dim = dim
        ctx.params = {"dim": dim}
        if a.size == 0:
            return a.copy()
        shifted = a - a.max(axis=dim, keepdims=True)
        return shifted - xp.log(xp.exp(shifted).sum(axis=dim, keepdims=True))

    @staticmethod
    def backward(ctx, grad_out):
        (out,) = ctx.outputs
        return grad_out - exp(out) * sum(grad_out, ctx.dim, keepdim=True)


def _softmax_dim(a, dim, op):
    if dim is None:
        raise TypeError(
            f"{op}: pass dim= explicitly (e.g. dim=-1 for class scores in the last dim)"
        )
    (d,) = normalize_dims(dim, a.ndim, op) or (0,)
    return d


def softmax(a, dim=None, dtype=None):
    """Stable softmax along `dim`: softmax([5, 4, 2]) = [0.705, 0.259, 0.035]."""
    if dtype is not None:
        a = cast(a, dtype)
    _require_float(a, "softmax")
    if a.ndim == 0:
        return Softmax._call(reshape(a, 1), dim=0).reshape(())
    return Softmax._call(a, dim=_softmax_dim(a, dim, "softmax"))


def log_softmax(a, dim=None, dtype=None):
    if dtype is not None:
        a = cast(a, dtype)
    _require_float(a, "log_softmax")
    if a.ndim == 0:
        return LogSoftmax._call(reshape(a, 1), dim=0).reshape(())
    return LogSoftmax._call(a, dim=_softmax_dim(a, dim, "log_softmax"))
