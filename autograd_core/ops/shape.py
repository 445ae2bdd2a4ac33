"""Shape ops: reshape, permute, broadcast and its inverse (sum_to), copies. Views share the
version counter of the tensor they look into, so in-place changes through them are seen."""

from __future__ import annotations

import math

from .. import backend
from ..function import Function
from ..views import diagonal_step, expand_step, mark_view, permute_step, reshape_step
from .common import as_tensor, normalize_dims


def _shape_argument(shape):
    """Accept reshape(2, 3) and reshape((2, 3)) alike."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(int(s) for s in shape)


class Reshape(Function):
    """out = a with a new shape, same values in the same order"""

    op_name = "reshape"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, shape):
        ctx.in_shape = a.shape
        ctx.params = {"shape": shape}
        return a.reshape(shape)

    @staticmethod
    def backward(ctx, grad_out):
        return reshape(grad_out, ctx.in_shape)


def _resolve_shape(op, in_shape, shape):
    size = math.prod(in_shape)
    if shape.count(-1) > 1:
        raise ValueError(f"{op}: only one dimension can be -1, got {shape}")
    if -1 in shape:
        known = math.prod(s for s in shape if s != -1)
        if known == 0 or size % known:
            raise ValueError(f"{op}: shape {shape} is invalid for input of shape {in_shape}")
        shape = tuple(size // known if s == -1 else s for s in shape)
    if math.prod(shape) != size:
        raise ValueError(
            f"{op}: shape {shape} is invalid for input of shape {tuple(in_shape)} ({size} elements)"
        )
    return shape


def reshape(a, *shape):
    shape = _resolve_shape("reshape", a.shape, _shape_argument(shape))
    if shape == a.shape:
        return a
    out = Reshape._call(a, shape=shape)
    if not _shares_memory(out._data, a._data):
        return out  # a copy, as PyTorch's reshape of a tensor whose strides need one
    return mark_view(out, a, reshape_step, shape)


def _shares_memory(out, a) -> bool:
    """Whether `out`, made from `a` by reshape, is a view of `a`'s memory: its `.base` is
    `a` or the array `a` looks into (a copy's base is a fresh array)."""
    return out.base is not None and (out.base is a or out.base is a.base)


def view(a, *shape):
    """`a` with a new shape, sharing its memory; RuntimeError, as in PyTorch, when the memory
    layout (after a transpose, say) can't be read in that shape without a copy."""
    shape = _resolve_shape("view", a.shape, _shape_argument(shape))
    if shape == a.shape:
        return a
    if backend.reshape_without_copy(a._data, shape) is None and not _batch_innermost(a._data):
        raise RuntimeError(
            f"view: shape {shape} is not compatible with the input's size and stride (input of "
            f"shape {tuple(a.shape)}; at least one dimension spans across two contiguous "
            "subspaces). Use .reshape(...) instead."
        )
    out = Reshape._call(a, shape=shape)
    if not _shares_memory(out._data, a._data):
        return out  # the batch-innermost layout, read in another shape by a copy
    return mark_view(out, a, reshape_step, shape)


def _batch_innermost(array) -> bool:
    """Whether `array` has the layout conv2d and pooling give their (N, C, H, W) outputs for
    speed: the batch innermost in memory, the other dims in order. PyTorch's tensor would be
    contiguous there, so `view` takes any shape, by a copy (which shares no memory). Two-dim
    arrays are left out: that layout is also a transposed matrix, which PyTorch refuses."""
    if array.ndim < 3 or array.shape[0] < 2 or array.strides[0] != array.itemsize:
        return False
    return array.transpose(*range(1, array.ndim), 0).flags.c_contiguous


def is_contiguous(a) -> bool:
    """`Tensor.is_contiguous()`: whether PyTorch would call this tensor's memory contiguous."""
    return bool(a._data.flags.c_contiguous) or _batch_innermost(a._data)


def flatten(a, start_dim=0, end_dim=-1):
    if a.ndim == 0:
        return reshape(a, 1)
    start, end = (d % a.ndim for d in (start_dim, end_dim))
    if start > end:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    shape = a.shape[:start] + (math.prod(a.shape[start : end + 1]),) + a.shape[end + 1 :]
    return reshape(a, shape)


def squeeze(a, dim=None):
    if dim is None:
        shape = tuple(s for s in a.shape if s != 1)
    else:
        dims = normalize_dims(dim, a.ndim, "squeeze")
        shape = tuple(s for i, s in enumerate(a.shape) if not (i in dims and s == 1))
    return reshape(a, shape)


def unsqueeze(a, dim):
    if not -a.ndim - 1 <= dim <= a.ndim:
        raise IndexError(
            f"unsqueeze: dim {dim} is out of range for a tensor with {a.ndim} dims "
            f"(expected a value in [{-a.ndim - 1}, {a.ndim}])"
        )
    dim = dim % (a.ndim + 1)
    return reshape(a, a.shape[:dim] + (1,) + a.shape[dim:])


class Permute(Function):
    """out = a with its dims reordered"""

    op_name = "permute"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, dims):
        ctx.params = {"dims": dims}
        return a.transpose(dims)

    @staticmethod
    def backward(ctx, grad_out):
        dims = ctx.params["dims"]
        inverse = tuple(sorted(range(len(dims)), key=dims.__getitem__))
        return permute(grad_out, *inverse)


def permute(a, *dims):
    dims = _shape_argument(dims)
    if len(dims) != a.ndim or sorted(d % max(a.ndim, 1) for d in dims) != list(range(a.ndim)):
        raise ValueError(
            f"permute: dims {dims} are not a permutation of a {a.ndim}-d tensor's dims"
        )
    dims = tuple(d % a.ndim for d in dims)
    if dims == tuple(range(a.ndim)):
        return a
    return mark_view(Permute._call(a, dims=dims), a, permute_step, dims)


def transpose(a, dim0, dim1):
    if a.ndim < 2 and dim0 in (0, -1) and dim1 in (0, -1):
        return a
    d0, d1 = (
        normalize_dims(dim0, a.ndim, "transpose")[0],
        normalize_dims(dim1, a.ndim, "transpose")[0],
    )
    dims = list(range(a.ndim))
    dims[d0], dims[d1] = dims[d1], dims[d0]
    return permute(a, *dims)


class BroadcastTo(Function):
    """out = a repeated along broadcast dims;  da = sum of the gradient over them"""

    op_name = "expand"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, shape):
        ctx.in_shape = a.shape
        ctx.params = {"shape": shape}
        # a filled array rather than np.broadcast_to's read-only view: as fast to make at these
        # sizes (broadcast_to is slow Python), and writable, so no later copy is needed
        out = backend.array_module(a).empty(shape, dtype=a.dtype)
        out[...] = a
        return out

    @staticmethod
    def backward(ctx, grad_out):
        return sum_to(grad_out, ctx.in_shape)


def broadcast_to(a, shape):
    shape = tuple(shape)
    if a.shape == shape:
        return a
    lead = len(shape) - a.ndim
    if lead < 0 or any(s != 1 and s != t for s, t in zip(a.shape, shape[lead:])):
        raise ValueError(f"expand: can't broadcast shape {tuple(a.shape)} to {shape}")
    # a copy here (faster to fill than NumPy's broadcast view), tracked as a view so that a
    # write into it is refused where PyTorch's shared elements would be written
    return mark_view(BroadcastTo._call(a, shape=shape), a, expand_step, shape)


def expand(a, *shape):
    """Broadcast to `shape`; -1 keeps a dim's size (PyTorch's `expand`)."""
    shape = _shape_argument(shape)
    lead = len(shape) - a.ndim
    if lead < 0:
        raise ValueError(f"expand: shape {shape} has fewer dims than the tensor's {tuple(a.shape)}")
    if -1 in shape[:lead]:
        # a new leading dim has no size to keep (shape[i - lead] would wrap around)
        raise ValueError(
            f"expand: -1 is not allowed in a new leading dim, got {shape} for a tensor of "
            f"shape {tuple(a.shape)}"
        )
    shape = tuple(a.shape[i - lead] if s == -1 else s for i, s in enumerate(shape))
    return broadcast_to(a, shape)


def sum_array_to(a, shape):
    """An array summed down to `shape` over the dims broadcasting added or stretched: how
    every gradient of a broadcast op returns to its input's shape."""
    lead = _check_broadcasts_from(a.shape, shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(shape) if s == 1 and a.shape[lead + i] != 1
    )
    out = a.sum(axis=axes, keepdims=True) if axes else a
    return out.reshape(shape) if lead else out


class SumTo(Function):
    """out = a summed down to `shape` (undoes broadcasting);  da = broadcast of the gradient"""

    op_name = "sum_to"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, shape):
        ctx.in_shape = a.shape
        ctx.params = {"shape": shape}
        return sum_array_to(a, shape)

    @staticmethod
    def backward(ctx, grad_out):
        return broadcast_to(grad_out, ctx.in_shape)


def sum_to(a, shape):
    """Sum `a` down to `shape`, the inverse of broadcasting (ValueError if it isn't one)."""
    shape = tuple(shape)
    if a.shape == shape:
        return a
    _check_broadcasts_from(a.shape, shape)
    return SumTo._call(a, shape=shape)


def _check_broadcasts_from(big, shape):
    """The number of leading dims broadcasting added to `shape` to make `big` (or ValueError)."""
    lead = len(big) - len(shape)
    if lead < 0 or any(s not in (1, t) for s, t in zip(shape, big[lead:])):
        raise ValueError(f"sum_to: shape {tuple(big)} does not broadcast from {tuple(shape)}")
    return lead


class Copy(Function):
    """out = a copied to fresh (C-contiguous) memory;  da = the gradient"""

    op_name = "clone"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a):
        return backend.array_module(a).array(a, copy=True, order="C")

    @staticmethod
    def backward(ctx, grad_out):
        return grad_out


def clone(a):
    return Copy._call(a)


def contiguous(a):
    if a._data.flags.c_contiguous:
        return a
    return Copy._call(a)


def expand_copy(src, like):
    """`src` (tensor or number) broadcast to `like`'s shape, dtype and device: for `copy_`."""
    from .elementwise import cast, to_device

    src = as_tensor(src, like, "copy_")
    if src.device != like.device:
        src = to_device(src, like.device)
    if src.dtype != like.dtype:
        src = cast(src, like.dtype)
    return broadcast_to(src, like.shape)


class Flip(Function):
    """out = a reversed along dims;  da = the gradient reversed back"""

    op_name = "flip"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, dims):
        ctx.params = {"dims": dims}
        return backend.array_module(a).flip(a, dims)

    @staticmethod
    def backward(ctx, grad_out):
        return flip(grad_out, ctx.params["dims"])


def flip(a, dims):
    return Flip._call(a, dims=normalize_dims(dims, a.ndim, "flip"))


def repeat(a, *repeats):
    """Tile `a` `repeats` times along each dim (PyTorch's `repeat`), by broadcast and reshape."""
    repeats = _shape_argument(repeats)
    if len(repeats) < a.ndim:
        raise ValueError(f"repeat: {len(repeats)} repeats for a {a.ndim}-d tensor")
    shape = (1,) * (len(repeats) - a.ndim) + a.shape
    interleaved = []
    for s in shape:
        interleaved += [1, s]
    expanded = []
    for r, s in zip(repeats, shape):
        expanded += [r, s]
    out = broadcast_to(reshape(a, interleaved), expanded)
    return reshape(out, tuple(r * s for r, s in zip(repeats, shape)))


def _writeable_view(array):
    """NumPy hands out diagonals read-only; this one is written through like PyTorch's."""
    if not backend.is_writeable(array) and backend.is_writeable(array.base):
        array.flags.writeable = True
    return array


class Diagonal(Function):
    """out = the diagonal of a over dim1 and dim2, as a new last dim (a view);
    da = zeros with the gradient on that diagonal"""

    op_name = "diagonal"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, offset, dim1, dim2):
        ctx.in_shape = a.shape
        ctx.params = {"offset": offset, "dim1": dim1, "dim2": dim2}
        return _writeable_view(backend.array_module(a).diagonal(a, offset, dim1, dim2))

    @staticmethod
    def backward(ctx, grad_out):
        return DiagonalScatter._call(grad_out, shape=ctx.in_shape, **ctx.params)


class DiagonalScatter(Function):
    """out = zeros(shape) with a on the diagonal over dim1 and dim2;  da = that diagonal"""

    op_name = "diagonal_scatter"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, shape, offset, dim1, dim2):
        ctx.params = {"offset": offset, "dim1": dim1, "dim2": dim2}
        out = backend.array_module(a).zeros(shape, dtype=a.dtype)
        _writeable_view(backend.array_module(a).diagonal(out, offset, dim1, dim2))[...] = a
        return out

    @staticmethod
    def backward(ctx, grad_out):
        return Diagonal._call(grad_out, **ctx.params)


def diagonal(a, offset=0, dim1=0, dim2=1):
    """The diagonal of `a` over `dim1` and `dim2` (offset above it when positive), a view
    with that diagonal as its last dim, as torch.diagonal."""
    if a.ndim < 2:
        raise ValueError(f"diagonal: needs a tensor with at least 2 dims, got shape {a.shape}")
    d1, d2 = (
        normalize_dims(dim1, a.ndim, "diagonal")[0],
        normalize_dims(dim2, a.ndim, "diagonal")[0],
    )
    if d1 == d2:
        raise ValueError(f"diagonal: dim1 and dim2 can't be the same dim ({dim1}, {dim2})")
    out = Diagonal._call(a, offset=int(offset), dim1=d1, dim2=d2)
    return mark_view(out, a, diagonal_step, (int(offset), d1, d2))


def select(a, dim, index):
    """The slice of `a` at `index` along `dim`, that dim removed (a view), as torch.select."""
    (d,) = normalize_dims(dim, a.ndim, "select")
    size = a.shape[d]
    if not -size <= index < size:
        raise IndexError(
            f"select: index {index} is out of range for dim {dim} of size {size} "
            f"(shape {tuple(a.shape)})"
        )
    from .index import getitem

    return getitem(a, (slice(None),) * d + (int(index),))
