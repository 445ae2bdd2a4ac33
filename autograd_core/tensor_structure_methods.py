"""Reduction, shape and structure methods of `Tensor` (`x.sum(dim=1)`, `x.view(2, -1)`,
`x.sort()`, ...): each forwards to the op of the same name in `ops`."""

from __future__ import annotations


class StructureMethods:
    """Mixed into `Tensor`: reductions, shapes, sorting, scans and positional structure."""

    __slots__ = ()

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

    def cumsum(self, dim, *, dtype=None):
        return F.cumsum(self, dim, dtype=dtype)

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

    def narrow(self, dim, start, length):
        return F.narrow(self, dim, start, length)

    def select(self, dim, index):
        return F.select(self, dim, index)

    def diagonal(self, offset=0, dim1=0, dim2=1):
        return F.diagonal(self, offset, dim1, dim2)

    def gather(self, dim, index):
        return F.gather(self, dim, index)

    def scatter(self, dim, index, src=None, *, value=None, reduce=None):
        return F.scatter(self, dim, index, src, value=value, reduce=reduce)

    def scatter_(self, dim, index, src=None, *, value=None, reduce=None):
        return self._inplace(
            "scatter_", lambda t: F.scatter(t, dim, index, src, value=value, reduce=reduce)
        )

    def scatter_add(self, dim, index, src):
        return F.scatter_add(self, dim, index, src)

    def scatter_add_(self, dim, index, src):
        return self._inplace("scatter_add_", lambda t: F.scatter_add(t, dim, index, src))

    def scatter_reduce(self, dim, index, src, reduce, *, include_self=True):
        return F.scatter_reduce(self, dim, index, src, reduce, include_self=include_self)

    def scatter_reduce_(self, dim, index, src, reduce, *, include_self=True):
        return self._inplace(
            "scatter_reduce_",
            lambda t: F.scatter_reduce(t, dim, index, src, reduce, include_self=include_self),
        )

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

    # ---- new tensors with this one's dtype and device (unless given) ----------------------
    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        return _creation.zeros(*size, **self._new_kind(dtype, device, requires_grad))

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        return _creation.ones(*size, **self._new_kind(dtype, device, requires_grad))

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        return _creation.empty(*size, **self._new_kind(dtype, device, requires_grad))

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
        return _creation.full(size, fill_value, **self._new_kind(dtype, device, requires_grad))

    def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
        """A copy of `data` (a list, array or tensor, never shared) with this tensor's dtype
        and device unless given; outside the graph, as PyTorch's new_tensor."""
        if hasattr(data, "detach"):
            data = data.detach()
        return _creation.tensor(data, **self._new_kind(dtype, device, requires_grad))

    def _new_kind(self, dtype, device, requires_grad):
        return {
            "dtype": self.dtype if dtype is None else dtype,
            "device": self.device if device is None else device,
            "requires_grad": requires_grad,
        }

    def nonzero(self, *, as_tuple=False):
        return F.nonzero(self, as_tuple=as_tuple)

    def masked_select(self, mask):
        return F.masked_select(self, mask)


from . import creation as _creation  # noqa: E402  (creation needs Tensor too)
from . import ops as F  # noqa: E402  (the ops need Tensor, which needs these methods first)
