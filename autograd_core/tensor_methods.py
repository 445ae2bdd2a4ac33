"""Operators and op methods of `Tensor`: each one forwards to the op of the same name in `ops`."""

from __future__ import annotations


class TensorMethods:
    """Mixed into `Tensor`: `a + b`, `a @ b`, `a.sum(dim=1)`, `a.add_(b)`, ..."""

    __slots__ = ()

    # ---- arithmetic operators ------------------------------------------------------------
    def __add__(self, other):
        return F.add(self, other)

    def __radd__(self, other):
        return F.add(other, self)

    def __sub__(self, other):
        return F.sub(self, other)

    def __rsub__(self, other):
        return F.sub(other, self)

    def __mul__(self, other):
        return F.mul(self, other)

    def __rmul__(self, other):
        return F.mul(other, self)

    def __truediv__(self, other):
        return F.div(self, other)

    def __rtruediv__(self, other):
        return F.div(other, self)

    def __floordiv__(self, other):
        return F.floor_divide(self, other)

    def __rfloordiv__(self, other):
        return F.floor_divide(other, self)

    def __mod__(self, other):
        return F.remainder(self, other)

    def __rmod__(self, other):
        return F.remainder(other, self)

    def __pow__(self, other):
        return F.pow(self, other)

    def __rpow__(self, other):
        return F.pow(other, self)

    def __matmul__(self, other):
        return F.matmul(self, other)

    def __rmatmul__(self, other):
        return F.matmul(other, self)

    def __neg__(self):
        return F.neg(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return F.abs(self)

    def __invert__(self):
        return F.bitwise_not(self)

    def __and__(self, other):
        return F.bitwise_and(self, other)

    def __rand__(self, other):
        return F.bitwise_and(other, self)

    def __or__(self, other):
        return F.bitwise_or(self, other)

    def __ror__(self, other):
        return F.bitwise_or(other, self)

    def __xor__(self, other):
        return F.bitwise_xor(self, other)

    def __rxor__(self, other):
        return F.bitwise_xor(other, self)

    # ---- comparisons (no gradient) -----------------------------------------------------------
    def __eq__(self, other):
        return F.eq(self, other)

    def __ne__(self, other):
        return F.ne(self, other)

    def __lt__(self, other):
        return F.lt(self, other)

    def __le__(self, other):
        return F.le(self, other)

    def __gt__(self, other):
        return F.gt(self, other)

    def __ge__(self, other):
        return F.ge(self, other)

    # ---- indexing ------------------------------------------------------------------------
    def __getitem__(self, index):
        return F.getitem(self, index)

    def __setitem__(self, index, value):
        F.setitem_(self, index, value)

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.shape[0]))

    # ---- op methods: PyTorch's names, forwarded to `ops` ------------------------------------
    def add(self, other, alpha=1):
        return F.add(self, _scaled(other, alpha))

    def sub(self, other, alpha=1):
        return F.sub(self, _scaled(other, alpha))

    def mul(self, other):
        return F.mul(self, other)

    def div(self, other):
        return F.div(self, other)

    def pow(self, exponent):
        return F.pow(self, exponent)

    def matmul(self, other):
        return F.matmul(self, other)

    def mm(self, other):
        return F.mm(self, other)

    def bmm(self, other):
        return F.bmm(self, other)

    def dot(self, other):
        return F.dot(self, other)

    def neg(self):
        return F.neg(self)

    def exp(self):
        return F.exp(self)

    def log(self):
        return F.log(self)

    def log1p(self):
        return F.log1p(self)

    def sqrt(self):
        return F.sqrt(self)

    def rsqrt(self):
        return F.rsqrt(self)

    def abs(self):
        return F.abs(self)

    def sin(self):
        return F.sin(self)

    def cos(self):
        return F.cos(self)

    def tanh(self):
        return F.tanh(self)

    def sigmoid(self):
        return F.sigmoid(self)

    def relu(self):
        return F.relu(self)

    def sign(self):
        return F.sign(self)

    def square(self):
        return F.square(self)

    def reciprocal(self):
        return F.reciprocal(self)

    def floor(self):
        return F.floor(self)

    def ceil(self):
        return F.ceil(self)

    def round(self, *, decimals=0):
        return F.round(self, decimals=decimals)

    def trunc(self):
        return F.trunc(self)

    def frac(self):
        return F.frac(self)

    def nan_to_num(self, nan=0.0, posinf=None, neginf=None):
        return F.nan_to_num(self, nan, posinf, neginf)

    def log2(self):
        return F.log2(self)

    def log10(self):
        return F.log10(self)

    def exp2(self):
        return F.exp2(self)

    def expm1(self):
        return F.expm1(self)

    def tan(self):
        return F.tan(self)

    def asin(self):
        return F.asin(self)

    def acos(self):
        return F.acos(self)

    def atan(self):
        return F.atan(self)

    def sinh(self):
        return F.sinh(self)

    def cosh(self):
        return F.cosh(self)

    def asinh(self):
        return F.asinh(self)

    def acosh(self):
        return F.acosh(self)

    def atanh(self):
        return F.atanh(self)

    def atan2(self, other):
        return F.atan2(self, other)

    def hypot(self, other):
        return F.hypot(self, other)

    def logaddexp(self, other):
        return F.logaddexp(self, other)

    def lerp(self, end, weight):
        return F.lerp(self, end, weight)

    def is_floating_point(self):
        return self.dtype.kind == "f"

    def clamp(self, min=None, max=None):
        return F.clamp(self, min, max)

    clip = clamp

    def maximum(self, other):
        return F.maximum(self, other)

    def minimum(self, other):
        return F.minimum(self, other)

    def where(self, condition, other):
        return F.where(condition, self, other)

    def masked_fill(self, mask, value):
        return F.masked_fill(self, mask, value)

    def eq(self, other):
        return F.eq(self, other)

    def ne(self, other):
        return F.ne(self, other)

    def lt(self, other):
        return F.lt(self, other)

    def le(self, other):
        return F.le(self, other)

    def gt(self, other):
        return F.gt(self, other)

    def ge(self, other):
        return F.ge(self, other)

    def isnan(self):
        return F.isnan(self)

    def isfinite(self):
        return F.isfinite(self)

    def logical_not(self):
        return F.logical_not(self)

    # ---- reductions ----------------------------------------------------------------------
    def sum(self, dim=None, keepdim=False, **kwargs):
        return F.sum(self, dim, keepdim, **kwargs)

    def mean(self, dim=None, keepdim=False, **kwargs):
        return F.mean(self, dim, keepdim, **kwargs)

    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None, **kwargs):
        return F.var(self, dim, unbiased, keepdim, correction=correction, **kwargs)

    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None, **kwargs):
        return F.std(self, dim, unbiased, keepdim, correction=correction, **kwargs)

    def prod(self, dim=None, keepdim=False, **kwargs):
        return F.prod(self, dim, keepdim, **kwargs)

    def amax(self, dim=None, keepdim=False, **kwargs):
        return F.amax(self, dim, keepdim, **kwargs)

    def amin(self, dim=None, keepdim=False, **kwargs):
        return F.amin(self, dim, keepdim, **kwargs)

    def max(self, dim=None, keepdim=False, **kwargs):
        return F.max(self, dim, keepdim, **kwargs)

    def min(self, dim=None, keepdim=False, **kwargs):
        return F.min(self, dim, keepdim, **kwargs)

    def logsumexp(self, dim=None, keepdim=False, **kwargs):
        return F.logsumexp(self, dim, keepdim, **kwargs)

    def softmax(self, dim=-1):
        return F.softmax(self, dim)

    def log_softmax(self, dim=-1):
        return F.log_softmax(self, dim)

    def argmax(self, dim=None, keepdim=False, **kwargs):
        return F.argmax(self, dim, keepdim, **kwargs)

    def argmin(self, dim=None, keepdim=False, **kwargs):
        return F.argmin(self, dim, keepdim, **kwargs)

    def all(self, dim=None, keepdim=False):
        return F.all(self, dim, keepdim)

    def any(self, dim=None, keepdim=False):
        return F.any(self, dim, keepdim)

    def norm(self, p=2, dim=None, keepdim=False):
        return F.norm(self, p, dim, keepdim)

    def cumsum(self, dim):
        return F.cumsum(self, dim)

    # ---- shapes --------------------------------------------------------------------------
    def reshape(self, *shape):
        return F.reshape(self, *shape)

    def view(self, *shape):
        return F.view(self, *shape)

    def view_as(self, other):
        return F.view(self, *other.shape)

    def reshape_as(self, other):
        return F.reshape(self, other.shape)

    def flatten(self, start_dim=0, end_dim=-1):
        return F.flatten(self, start_dim, end_dim)

    def transpose(self, dim0, dim1):
        return F.transpose(self, dim0, dim1)

    def permute(self, *dims):
        return F.permute(self, *dims)

    @property
    def T(self):
        return F.permute(self, *reversed(range(self.ndim)))

    @property
    def mT(self):
        return F.transpose(self, -2, -1)

    def t(self):
        if self.ndim > 2:
            raise ValueError(f"t() expects a tensor with <= 2 dims, got {self.ndim}")
        return self.T

    def squeeze(self, dim=None):
        return F.squeeze(self, dim)

    def unsqueeze(self, dim):
        return F.unsqueeze(self, dim)

    def expand(self, *shape):
        return F.expand(self, *shape)

    def expand_as(self, other):
        return F.expand(self, *other.shape)

    def broadcast_to(self, shape):
        return F.broadcast_to(self, shape)

    def repeat(self, *repeats):
        return F.repeat(self, *repeats)

    def flip(self, *dims):
        return F.flip(self, dims[0] if len(dims) == 1 else dims)

    def unbind(self, dim=0):
        return F.unbind(self, dim)

    def split(self, split_size_or_sections, dim=0):
        return F.split(self, split_size_or_sections, dim)

    def chunk(self, chunks, dim=0):
        return F.chunk(self, chunks, dim)

    def gather(self, dim, index):
        return F.gather(self, dim, index)

    def index_select(self, dim, index):
        return F.index_select(self, dim, index)

    def contiguous(self):
        return F.contiguous(self)

    def is_contiguous(self):
        return F.is_contiguous(self)

    def clone(self):
        return F.clone(self)

    # ---- sorting, scans and positional structure -----------------------------------------
    def sort(self, dim=-1, descending=False, *, stable=False):
        return F.sort(self, dim, descending, stable=stable)

    def argsort(self, dim=-1, descending=False, stable=False):
        return F.argsort(self, dim, descending, stable)

    def topk(self, k, dim=-1, largest=True, sorted=True):
        return F.topk(self, k, dim, largest, sorted)

    def cumprod(self, dim, *, dtype=None):
        return F.cumprod(self, dim, dtype=dtype)

    def diff(self, n=1, dim=-1, prepend=None, append=None):
        return F.diff(self, n, dim, prepend, append)

    def outer(self, vec2):
        return F.outer(self, vec2)

    def addmm(self, mat1, mat2, *, beta=1, alpha=1):
        return F.addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def baddbmm(self, batch1, batch2, *, beta=1, alpha=1):
        return F.baddbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def tril(self, diagonal=0):
        return F.tril(self, diagonal)

    def triu(self, diagonal=0):
        return F.triu(self, diagonal)

    def diag(self, diagonal=0):
        return F.diag(self, diagonal)

    def trace(self):
        return F.trace(self)

    def roll(self, shifts, dims=None):
        return F.roll(self, shifts, dims)

    def tile(self, *dims):
        return F.tile(self, dims[0] if len(dims) == 1 else dims)

    def repeat_interleave(self, repeats=None, dim=None, *, output_size=None):
        return F.repeat_interleave(self, repeats, dim, output_size=output_size)

    def nonzero(self, *, as_tuple=False):
        return F.nonzero(self, as_tuple=as_tuple)

    def masked_select(self, mask):
        return F.masked_select(self, mask)


from . import ops as F  # noqa: E402  (the ops need Tensor, which needs these methods first)


def _scaled(other, alpha):
    """`alpha * other` for add/sub: a plain product when `other` is a number."""
    if alpha == 1:
        return other
    if isinstance(other, (int, float)):
        return other * alpha
    return F.mul(other, alpha)
