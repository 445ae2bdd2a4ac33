"""Running sums, products and differences along a dim: cumsum, cumprod, diff."""

from __future__ import annotations

from .. import backend
from ..function import Function
from .common import as_tensor, constant, normalize_dims
from .join import cat
from .select import where
from .shape import broadcast_to, flip, reshape, transpose, unsqueeze


class CumSum(Function):
    """out = running sum of a along dim;  da = reversed running sum of the gradient"""

    op_name = "cumsum"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        ctx.params = {"dim": dim}
        return backend.array_module(a).cumsum(a, axis=dim)

    @staticmethod
    def backward(ctx, grad_out):
        return flip(cumsum(flip(grad_out, ctx.dim), ctx.dim), ctx.dim)


def cumsum(a, dim, *, dtype=None):
    """Running sum along `dim`; `dtype` casts the input first (as PyTorch: sums of a
    float16 or an integer tensor in float64, say)."""
    from .elementwise import cast
    from .reduce import _int64_for_integers

    dtype = dtype or _int64_for_integers(a)  # uint8 and bool sums too, as PyTorch
    if dtype is not None:
        a = cast(a, dtype)
    return _cumulative(CumSum, a, dim)


def _cumulative(op_class, a, dim):
    """A running op (cumsum, cumprod) along `dim`, one dim at a time."""
    (d,) = normalize_dims(dim, a.ndim, op_class.op_name) or (0,)
    if a.ndim == 0:  # NumPy's cumsum flattens a 0-d array to shape (1,); PyTorch keeps ()
        return reshape(op_class._call(reshape(a, 1), dim=0), ())
    return op_class._call(a, dim=d)


class CumProd(Function):
    """out_j = a_0 a_1 ... a_j along dim;  da_i = sum over j >= i of g_j * out_j / a_i,
    computed without the division where a holds zeros"""

    op_name = "cumprod"
    saves_output = True

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        ctx.params = {"dim": dim}
        return backend.array_module(a).cumprod(a, axis=dim)

    @staticmethod
    def backward(ctx, grad_out):
        (a,) = ctx.input_tensors
        dim = ctx.dim
        if bool((a._data != 0).all()):
            (out,) = ctx.outputs
            return flip(cumsum(flip(grad_out * out, dim), dim), dim) / a
        return _cumprod_grad_with_zeros(a, grad_out, dim)


def _cumprod_grad_with_zeros(a, grad_out, dim):
    """da_i = (a_0 ... a_(i-1)) * sum over j >= i of g_j * (a_(i+1) ... a_j): no division, so
    exact at zeros, and written with differentiable ops (double backward works). It builds an
    (n, n) matrix per slice, so it costs O(n^2) memory; only inputs holding zeros take it."""
    a, grad_out = transpose(a, dim, -1), transpose(grad_out, dim, -1)
    n = a.shape[-1]
    xp = backend.array_module(a._data)
    rows, cols = xp.arange(n)[:, None], xp.arange(n)[None, :]
    after = constant(cols > rows)  # [i, k]: k comes after i
    # products[i, j] = a_(i+1) ... a_j for j > i (and 1 for j <= i)
    products = cumprod(where(after, unsqueeze(a, -2), 1.0), -1)
    products = where(constant(cols >= rows), products, 0.0)
    later = (products * unsqueeze(grad_out, -2)).sum(-1)
    ones = broadcast_to(as_tensor(1.0, a), a.shape[:-1] + (1,))
    before = cumprod(cat([ones, a[..., :-1]], -1), -1)
    return transpose(before * later, dim, -1)


def cumprod(a, dim, dtype=None):
    """Running product along `dim`; bool and int inputs give int64, as PyTorch."""
    from .. import dtypes
    from .elementwise import cast

    if dtype is not None:
        a = cast(a, dtype)
    elif a.dtype.kind in "biu" and a.dtype != dtypes.int64:
        a = cast(a, dtypes.int64)
    return _cumulative(CumProd, a, dim)


def diff(a, n=1, dim=-1, prepend=None, append=None):
    """The n-th forward difference along `dim`, out[i] = a[i + 1] - a[i] (n times), after
    `prepend` and `append` are joined to `a` along that dim."""
    if a.ndim == 0:
        raise ValueError("diff: expects a tensor with at least 1 dim, got a 0-d tensor")
    if not isinstance(n, int) or n < 0:
        raise ValueError(f"diff: n must be a non-negative int, got {n}")
    (d,) = normalize_dims(dim, a.ndim, "diff")
    parts = [_side(prepend, a, d, "prepend"), a, _side(append, a, d, "append")]
    parts = [p for p in parts if p is not None]
    out = cat(parts, d) if len(parts) > 1 else a
    before = (slice(None),) * d
    for _ in range(n):
        if out.shape[d] == 0:
            break
        if out.dtype.kind == "b":
            from .compare import logical_xor

            out = logical_xor(out[before + (slice(1, None),)], out[before + (slice(None, -1),)])
        else:
            out = out[before + (slice(1, None),)] - out[before + (slice(None, -1),)]
    return out


def _side(value, a, dim, name):
    """`prepend`/`append` as a tensor that cat can join to `a` along `dim`: a number becomes
    one slice; a tensor must match `a` in every other dim."""
    if value is None:
        return None
    value = as_tensor(value, a, "diff")
    if value.ndim == 0:
        return broadcast_to(value, a.shape[:dim] + (1,) + a.shape[dim + 1 :])
    if value.ndim != a.ndim or any(
        s != t for i, (s, t) in enumerate(zip(value.shape, a.shape)) if i != dim
    ):
        raise ValueError(
            f"diff: {name} of shape {tuple(value.shape)} does not fit the input of shape "
            f"{tuple(a.shape)} outside dim {dim}"
        )
    return value
