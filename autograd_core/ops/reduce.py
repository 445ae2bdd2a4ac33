"""Reductions over all dims, one dim or a tuple of dims: sum, mean, var, prod, max, norm, ...
`dim`/`keepdim` as in PyTorch; NumPy's `axis`/`keepdims` are accepted too. The softmax family
is in softmax.py, running sums and products in scan.py."""

from __future__ import annotations

import builtins
import math

from .. import backend, dtypes
from ..function import Function
from .common import constant, dim_arguments, normalize_dims
from .elementwise import cast
from .shape import broadcast_to, reshape


def _kept_shape(in_shape, dims):
    """The shape a reduction over `dims` has with keepdim=True."""
    if dims is None:
        return (1,) * len(in_shape)
    return tuple(1 if i in dims else s for i, s in enumerate(in_shape))


def _reduced_dims(dim, ndim, op):
    """`dim` as normalize_dims gives it, except that an empty list or tuple means every dim:
    PyTorch's sum, mean, amax, var, ... reduce everything for dim=[] (NumPy's axis=() reduces
    nothing)."""
    if isinstance(dim, (tuple, list)) and not dim:
        return None
    return normalize_dims(dim, ndim, op)


def _count(in_shape, dims):
    if dims is None:
        return math.prod(in_shape)
    return math.prod(in_shape[d] for d in dims)


def _grad_to_input(grad_out, ctx):
    """Put the reduced dims back into a gradient and broadcast it to the input's shape."""
    return broadcast_to(reshape(grad_out, _kept_shape(ctx.in_shape, ctx.dims)), ctx.in_shape)


class Sum(Function):
    """out = sum of a over dims;  da = the gradient, broadcast back"""

    op_name = "sum"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.in_shape, ctx.dims = a.shape, dims
        ctx.params = {"dim": dims, "keepdim": keepdim} if dims is not None else None
        return a.sum(axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad_out):
        return _grad_to_input(grad_out, ctx)


class Mean(Function):
    """out = mean of a over dims;  da = the gradient / n, broadcast back"""

    op_name = "mean"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.in_shape, ctx.dims = a.shape, dims
        ctx.params = {"dim": dims, "keepdim": keepdim} if dims is not None else None
        return a.mean(axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad_out):
        return _grad_to_input(grad_out / _count(ctx.in_shape, ctx.dims), ctx)


def _reduction(cls, a, dim, keepdim, kwargs, op, dtype=None):
    dim, keepdim = dim_arguments(dim, keepdim, kwargs, op)
    if dtype is not None:
        a = cast(a, dtype)
    return cls._call(a, dims=_reduced_dims(dim, a.ndim, op), keepdim=keepdim)


def sum(a, dim=None, keepdim=False, dtype=None, **kwargs):
    """Sum over all elements, a dim or a tuple of dims. Bool and integer sums are int64."""
    return _reduction(Sum, a, dim, keepdim, kwargs, "sum", dtype or _int64_for_integers(a))


def _int64_for_integers(a):
    """int64 for bool and integer tensors (uint8 too), as PyTorch's sum, prod and cumsum."""
    if a.dtype.kind in "biu" and a.dtype != dtypes.int64:
        return dtypes.int64
    return None


def mean(a, dim=None, keepdim=False, dtype=None, **kwargs):
    if dtype is None and a.dtype.kind != "f":
        raise TypeError(
            f"mean: needs a floating point tensor, got {a.dtype} (use .float() first, or dtype=)"
        )
    return _reduction(Mean, a, dim, keepdim, kwargs, "mean", dtype)


class Var(Function):
    """out = sum((a - mean)^2) / (n - correction);  da = 2 (a - mean) / (n - correction)"""

    op_name = "var"

    @staticmethod
    def forward(ctx, a, dims, keepdim, correction):
        ctx.in_shape, ctx.dims, ctx.correction = a.shape, dims, correction
        ctx.params = {"dim": dims, "correction": correction}
        return a.var(axis=dims, ddof=correction, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad_out):
        (a,) = ctx.input_tensors
        centered = a - mean(a, ctx.dims, keepdim=True)
        # builtins.max: this module defines its own max
        divisor = builtins.max(_count(ctx.in_shape, ctx.dims) - ctx.correction, 0)
        # with no degrees of freedom left the variance is 0 / 0 (NaN) and so is its
        # gradient, as in PyTorch, rather than a ZeroDivisionError
        scale = 2.0 / divisor if divisor else math.inf
        return _grad_to_input(grad_out, ctx) * centered * scale


def var(a, dim=None, unbiased=None, keepdim=False, *, correction=None, **kwargs):
    """Variance with PyTorch's arguments: `correction=1` (Bessel, the default) or 0 for the
    population variance, or the older `unbiased` (True: correction 1), which is the second
    positional argument as in torch.var(x, dim, unbiased, keepdim); var(x, False) is
    unbiased=False, as in PyTorch."""
    correction = _correction(unbiased, correction, kwargs, "var")
    if isinstance(dim, bool):  # var(x, True/False): the legacy unbiased flag, no dim
        dim, correction = None, _correction(dim, None, {}, "var")
    _require_float(a, "var")
    dim, keepdim = dim_arguments(dim, keepdim, kwargs, "var")
    dims = _reduced_dims(dim, a.ndim, "var")
    return Var._call(a, dims=dims, keepdim=keepdim, correction=correction)


def std(a, dim=None, unbiased=None, keepdim=False, *, correction=None, **kwargs):
    """Standard deviation: the square root of `var`, with the same arguments."""
    from .elementwise import sqrt

    _require_float(a, "std")
    # a constant slice has std 0, where sqrt's slope is infinite: PyTorch makes that gradient 0
    variance = var(a, dim, unbiased, keepdim, correction=correction, **kwargs)
    return _root_or_zero(variance, sqrt)


def _correction(unbiased, correction, kwargs, op):
    """The degrees-of-freedom correction from `correction`, `unbiased` or NumPy's `ddof`."""
    if "ddof" in kwargs:
        correction = kwargs.pop("ddof")
    if unbiased is not None:
        if correction is not None:
            raise TypeError(f"{op}: pass either unbiased or correction, not both")
        return 1 if unbiased else 0
    return 1 if correction is None else correction


class Prod(Function):
    """out = product of a over dims;  da = product of the other elements"""

    op_name = "prod"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.in_shape, ctx.dims = a.shape, dims
        return a.prod(axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad_out):
        (a,) = ctx.input_tensors
        if bool((a._data != 0).all()):
            kept = reshape(prod(a, ctx.dims, keepdim=True), _kept_shape(ctx.in_shape, ctx.dims))
            return _grad_to_input(grad_out, ctx) * (kept / a)
        return _grad_to_input(grad_out, ctx) * _product_of_others(a, ctx.dims)


def _product_of_others(a, dims):
    """For each element, the product of the other elements of its slice, when the slice may
    hold zeros (prod / a would divide by them). Written with differentiable ops so that its
    value and first derivatives are exact: double backward works, as in PyTorch.

    With P the product of the slice's nonzero elements and z its number of zeros:
    z = 0: P / a.  z = 1: P at the zero, and a_zero * P / a elsewhere (0, but its derivative
    in a_zero is P / a).  z = 2: the other zero times P at each zero, 0 elsewhere.  z > 2: 0,
    and so are all first derivatives.
    """
    from .select import where

    is_zero = a == 0
    nonzero = where(is_zero, 1.0, a)
    p = prod(nonzero, dims, keepdim=True)
    zeros = sum(is_zero, dims, keepdim=True)
    # the sum of the slice's zeros: 0, with derivative 1 in each of them
    zero_sum = sum(where(is_zero, a, 0.0), dims, keepdim=True)
    one_zero = where(is_zero, p, zero_sum * p / nonzero)
    two_zeros = where(is_zero, (zero_sum - a) * p, 0.0)
    return where(
        zeros == 0, p / nonzero, where(zeros == 1, one_zero, where(zeros == 2, two_zeros, 0.0))
    )


def prod(a, dim=None, keepdim=False, dtype=None, **kwargs):
    return _reduction(Prod, a, dim, keepdim, kwargs, "prod", dtype or _int64_for_integers(a))


class AMax(Function):
    """out = max of a over dims;  da = the gradient shared evenly among tied maxima

    At a NaN maximum, as PyTorch: amax gives NaN gradients (no element equals NaN: 0/0),
    max() shares the gradient among the NaN elements (`ties="nan"`), and the inf-norm gives
    zeros (`ties="none"`).
    """

    op_name = "amax"

    @staticmethod
    def forward(ctx, a, dims, keepdim, largest, ties="equal"):
        ctx.in_shape, ctx.dims, ctx.ties = a.shape, dims, ties
        ctx.params = {"dim": dims} if dims is not None else None
        if a.size == 0:  # PyTorch reduces an empty tensor over a dim that is not empty
            for d in range(a.ndim) if dims is None else dims:
                if a.shape[d] == 0:
                    raise ValueError(
                        f"{'amax' if largest else 'amin'}: expected reduction dim {d} to have "
                        f"non-zero size (input of shape {tuple(a.shape)})"
                    )
        if largest:
            return a.max(axis=dims, keepdims=keepdim)
        return a.min(axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad_out):
        (a,) = ctx.input_tensors
        (out,) = ctx.outputs
        kept = reshape(out, _kept_shape(ctx.in_shape, ctx.dims)).detach()
        is_extreme = a.detach() == kept
        if ctx.ties == "nan":
            from .compare import isnan

            is_extreme = is_extreme | (isnan(a.detach()) & isnan(kept))
        share = cast(is_extreme, a.dtype)
        count = sum(share, ctx.dims, keepdim=True)
        if ctx.ties == "none":
            from .select import maximum

            count = maximum(count, 1.0)
        return _grad_to_input(grad_out, ctx) * (share / count)

    saves_output = True


def amax(a, dim=None, keepdim=False, **kwargs):
    dim, keepdim = dim_arguments(dim, keepdim, kwargs, "amax")
    return AMax._call(a, dims=_reduced_dims(dim, a.ndim, "amax"), keepdim=keepdim, largest=True)


def amin(a, dim=None, keepdim=False, **kwargs):
    dim, keepdim = dim_arguments(dim, keepdim, kwargs, "amin")
    return AMax._call(a, dims=_reduced_dims(dim, a.ndim, "amin"), keepdim=keepdim, largest=False)


class MaxWithIndices(Function):
    """values, indices = max of a along one dim;  da = the gradient at the chosen index"""

    op_name = "max"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, dim, keepdim, largest):
        xp = backend.array_module(a)
        ctx.in_shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        ctx.params = {"dim": dim}
        pick = xp.argmax if largest else xp.argmin
        indices = pick(a, axis=dim, keepdims=True)
        values = xp.take_along_axis(a, indices, axis=dim)
        if not keepdim:
            values, indices = values.squeeze(dim), indices.squeeze(dim)
        return values, indices.astype(dtypes.int64, copy=False)

    @staticmethod
    def backward(ctx, grad_values, grad_indices):
        from .index import scatter_into

        indices = ctx.saved_indices
        if not ctx.keepdim:
            grad_values = grad_values.unsqueeze(ctx.dim)
            indices = indices.unsqueeze(ctx.dim)
        return scatter_into(ctx.in_shape, ctx.dim, indices, grad_values)


class ReturnTypes(tuple):
    """(values, indices), also readable as `.values` and `.indices` like PyTorch's."""

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]


def _max_or_min(a, dim, keepdim, kwargs, largest):
    op = "max" if largest else "min"
    dim, keepdim = dim_arguments(dim, keepdim, kwargs, op)
    if dim is None:  # the gradient at a NaN goes to the NaN elements, as PyTorch's max()
        return AMax._call(a, dims=None, keepdim=False, largest=largest, ties="nan")
    if not isinstance(dim, int):
        from .common import is_tensor

        if is_tensor(dim):  # max(a, b) as PyTorch's elementwise form
            from .select import maximum, minimum

            return maximum(a, dim) if largest else minimum(a, dim)
        raise TypeError(f"{op}: dim must be an int, got {type(dim).__name__}")
    (d,) = normalize_dims(dim, a.ndim, op) or (0,)
    if a.ndim == 0:
        # PyTorch: dim 0 of a 0-d tensor is the tensor itself, at index 0
        values, indices = _max_or_min(reshape(a, 1), 0, False, {}, largest)
        return ReturnTypes((values, indices))
    values, indices = MaxWithIndices._call(a, dim=d, keepdim=keepdim, largest=largest)
    if values.grad_fn is not None:
        values.grad_fn.saved_indices = indices
    return ReturnTypes((values, indices))


def max(a, dim=None, keepdim=False, **kwargs):
    """The largest value; with `dim`, (values, indices) along that dim as PyTorch returns."""
    return _max_or_min(a, dim, keepdim, kwargs, True)


def min(a, dim=None, keepdim=False, **kwargs):
    return _max_or_min(a, dim, keepdim, kwargs, False)


def argmax(a, dim=None, keepdim=False, **kwargs):
    dim, keepdim = dim_arguments(dim, keepdim, kwargs, "argmax")
    xp = backend.array_module(a._data)
    if dim is None:
        index = xp.asarray(xp.argmax(a._data), dtype=dtypes.int64)
        return constant(index.reshape((1,) * a.ndim) if keepdim else index)
    (d,) = normalize_dims(dim, a.ndim, "argmax") or (0,)
    return constant(xp.argmax(a._data, axis=d, keepdims=keepdim).astype(dtypes.int64))


def argmin(a, dim=None, keepdim=False, **kwargs):
    dim, keepdim = dim_arguments(dim, keepdim, kwargs, "argmin")
    xp = backend.array_module(a._data)
    if dim is None:
        index = xp.asarray(xp.argmin(a._data), dtype=dtypes.int64)
        return constant(index.reshape((1,) * a.ndim) if keepdim else index)
    (d,) = normalize_dims(dim, a.ndim, "argmin") or (0,)
    return constant(xp.argmin(a._data, axis=d, keepdims=keepdim).astype(dtypes.int64))


def all(a, dim=None, keepdim=False):
    # unlike sum, PyTorch's all and any reduce nothing for dim=[]: NumPy's axis=() does the same
    dims = normalize_dims(dim, a.ndim, "all")
    return _truth(a, a._data.all(axis=dims, keepdims=keepdim))


def any(a, dim=None, keepdim=False):
    dims = normalize_dims(dim, a.ndim, "any")
    return _truth(a, a._data.any(axis=dims, keepdims=keepdim))


def _truth(a, result):
    """all/any's answer: bool, except uint8 for a uint8 input, as PyTorch."""
    result = backend.array_module(a._data).asarray(result)
    if a.dtype == dtypes.uint8:
        result = result.astype(dtypes.uint8)
    return constant(result)


def _require_float(a, op):
    # as PyTorch: no silent float64 result from NumPy's promotion of an integer input
    if a.dtype.kind != "f":
        raise TypeError(
            f"{op}: needs a floating point tensor, got {a.dtype} (use .float() first"
            + (", or dtype=)" if op.endswith("softmax") else ")")
        )


def norm(a, p=2, dim=None, keepdim=False):
    """The p-norm over all elements or over `dim`: p any number, inf, -inf (the smallest
    magnitude), 0 (the count of nonzeros) or "fro" (the 2-norm)."""
    from .elementwise import abs as absolute
    from .elementwise import sqrt

    if p == "fro":
        p = 2
    if p == 2:
        return _root_or_zero(sum(a * a, dim, keepdim), sqrt)
    if p == 1:
        return sum(absolute(a), dim, keepdim)
    if p in (float("inf"), -float("inf")):
        dims = _reduced_dims(dim, a.ndim, "norm")
        magnitude = absolute(a)  # a NaN norm sends no gradient anywhere, as PyTorch's
        return AMax._call(magnitude, dims=dims, keepdim=keepdim, largest=p > 0, ties="none")
    if p == 0:
        # a count: piecewise constant, so no gradient flows
        return sum((a != 0).to(a.dtype), dim, keepdim)
    return _root_or_zero(sum(absolute(a) ** p, dim, keepdim), lambda total: total ** (1.0 / p))


def _root_or_zero(total, root):
    """root(total), whose gradient at a zero total is 0 as PyTorch defines the norm's, not the
    infinite slope of the root times 0 (NaN). The root never sees the zeros, so double
    backward stays finite too."""
    from .select import where

    zero = total == 0
    return where(zero, 0.0, root(where(zero, 1.0, total)))
