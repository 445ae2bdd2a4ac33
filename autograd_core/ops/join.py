"""Joining and splitting: cat, stack, split, chunk, narrow, pad (negative widths crop)."""

from __future__ import annotations

from .. import backend
from ..function import Function
from .common import is_tensor, normalize_dims
from .index import getitem
from .shape import unsqueeze


class Cat(Function):
    """out = the inputs joined along dim;  each input's gradient is its slice of g"""

    op_name = "cat"
    uses_inputs = False

    @staticmethod
    def forward(ctx, *arrays, dim):
        ctx.dim = dim
        ctx.params = {"dim": dim}
        ctx.sizes = [a.shape[dim] for a in arrays]
        return backend.array_module(arrays[0]).concatenate(arrays, axis=dim)

    @staticmethod
    def backward(ctx, grad_out):
        grads, start = [], 0
        lead = (slice(None),) * ctx.dim
        for size, need in zip(ctx.sizes, ctx.needs_input_grad):
            grads.append(getitem(grad_out, lead + (slice(start, start + size),)) if need else None)
            start += size
        return tuple(grads)


def _check_sequence(tensors, op):
    tensors = list(tensors)
    if not tensors:
        raise ValueError(f"{op}: expected a non-empty sequence of tensors")
    for t in tensors:
        if not is_tensor(t):
            raise TypeError(f"{op}: expected tensors, got {type(t).__name__}")
    first = tensors[0]
    for t in tensors[1:]:
        if t.device != first.device:
            raise RuntimeError(
                f"{op}: tensors are on different devices: {first.device} and {t.device}"
            )
    if len({t.dtype for t in tensors}) > 1:
        from .. import dtypes
        from .elementwise import cast

        common = first.dtype
        for t in tensors[1:]:
            common = dtypes.promote(common, t.dtype)
        tensors = [cast(t, common) for t in tensors]
    return tensors


def cat(tensors, dim=0):
    tensors = _check_sequence(tensors, "cat")
    # PyTorch's legacy rule: an empty 1-D tensor joins anything (it is skipped)
    kept = [t for t in tensors if not (t.ndim == 1 and t.shape[0] == 0)]
    if kept and len(kept) < len(tensors):
        tensors = kept
    first = tensors[0]
    for position, t in enumerate(tensors):
        if t.ndim == 0:
            raise ValueError(
                f"cat: a 0-d tensor (at position {position}) can't be concatenated; use stack, "
                "or unsqueeze it first"
            )
    (d,) = normalize_dims(dim, first.ndim, "cat")
    for t in tensors:
        if (
            t.ndim != first.ndim
            or t.shape[:d] + t.shape[d + 1 :] != first.shape[:d] + first.shape[d + 1 :]
        ):
            raise ValueError(
                f"cat: shapes must match except in dim {d}, got {tuple(first.shape)} and "
                f"{tuple(t.shape)}"
            )
    return Cat._call(*tensors, dim=d)


concat = concatenate = cat


def stack(tensors, dim=0):
    tensors = _check_sequence(tensors, "stack")
    for t in tensors:
        if t.shape != tensors[0].shape:
            raise ValueError(
                f"stack: expects tensors of equal shape, got {tuple(tensors[0].shape)} and "
                f"{tuple(t.shape)}"
            )
    ndim = tensors[0].ndim + 1
    if not -ndim <= dim < ndim:
        raise IndexError(f"stack: dim {dim} is out of range for {ndim} dims")
    return cat([unsqueeze(t, dim % ndim) for t in tensors], dim % ndim)


def split(a, split_size_or_sections, dim=0):
    """Pieces of `a` along `dim`: of size `split_size` (the last may be smaller) or of the
    listed sizes."""
    (d,) = normalize_dims(dim, a.ndim, "split")
    length = a.shape[d]
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        if size <= 0:
            raise ValueError(f"split: split_size must be positive, got {size}")
        sizes = [min(size, length - start) for start in range(0, length, size)] or [0]
    else:
        sizes = list(split_size_or_sections)
        if sum(sizes) != length:
            raise ValueError(f"split: sizes {sizes} don't add up to dim {d}'s length {length}")
    pieces, start = [], 0
    lead = (slice(None),) * d
    for size in sizes:
        pieces.append(getitem(a, lead + (slice(start, start + size),)))
        start += size
    return tuple(pieces)


def chunk(a, chunks, dim=0):
    """`chunks` nearly equal pieces along `dim` (fewer when the length is short), as PyTorch."""
    if chunks <= 0:
        raise ValueError(f"chunk: chunks must be positive, got {chunks}")
    (d,) = normalize_dims(dim, a.ndim, "chunk")
    size = -(-a.shape[d] // chunks)
    return split(a, max(size, 1), d)


def unbind(a, dim=0):
    (d,) = normalize_dims(dim, a.ndim, "unbind")
    lead = (slice(None),) * d
    return tuple(getitem(a, lead + (i,)) for i in range(a.shape[d]))


def narrow(a, dim, start, length):
    """The `length` elements of `a` from `start` along `dim`: a view that shares memory
    (changes show through both ways), with the gradient flowing back into the slice.

    >>> import autograd_core as ag
    >>> ag.arange(6).reshape(2, 3).narrow(1, 1, 2)
    tensor([[1, 2],
            [4, 5]])
    """
    if a.ndim == 0:
        raise ValueError("narrow: a 0-d tensor has no dim to narrow")
    (d,) = normalize_dims(dim, a.ndim, "narrow")
    size = a.shape[d]
    start, length = _int_argument(start, "start"), _int_argument(length, "length")
    if not -size <= start <= size:
        raise IndexError(
            f"narrow: start {start} is out of range for dim {d} of size {size} "
            f"(expected a value in [{-size}, {size}])"
        )
    if start < 0:
        start += size
    if length < 0:
        raise ValueError(f"narrow: length must be non-negative, got {length}")
    if start + length > size:
        raise ValueError(
            f"narrow: start ({start}) + length ({length}) exceeds dim {d}'s size ({size})"
        )
    return getitem(a, (slice(None),) * d + (slice(start, start + length),))


def _int_argument(value, name):
    if is_tensor(value):
        if value.numel() != 1 or value.dtype.kind not in "iu":
            raise TypeError(f"narrow: {name} must be an int or a one-element integer tensor")
        return int(value.item())
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"narrow: {name} must be an int, got {type(value).__name__}")
    return value


class ConstantPad(Function):
    """out = a surrounded by `value`;  da = the inner part of g"""

    op_name = "pad"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, widths, value):
        ctx.inner = tuple(
            slice(before, before + size) for (before, _), size in zip(widths, a.shape)
        )
        ctx.params = {"pad": widths, "value": value}
        return backend.array_module(a).pad(a, widths, mode="constant", constant_values=value)

    @staticmethod
    def backward(ctx, grad_out):
        return getitem(grad_out, ctx.inner)


def pad(a, pad, mode="constant", value=0.0):
    """Pad the last dims, PyTorch's order: pad=(left, right, top, bottom, ...).

    `mode` is 'constant', 'reflect', 'replicate' or 'circular'; the last three index into
    `a`, so their gradients add up where an element is copied more than once.
    """
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2 or len(pad) // 2 > a.ndim:
        raise ValueError(
            f"pad: expected an even number of widths for at most {a.ndim} dims, got {pad}"
        )
    widths = [(0, 0)] * a.ndim
    for i in range(len(pad) // 2):
        widths[a.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    if any(p < 0 for p in pad):
        # as PyTorch: negative widths crop first, then every mode pads what is left
        a = _crop(a, widths, pad)
        widths = [(max(before, 0), max(after, 0)) for before, after in widths]
    if mode == "constant":
        return ConstantPad._call(a, widths=tuple(widths), value=value)
    if mode not in ("reflect", "replicate", "circular"):
        raise ValueError(f"pad: unknown mode {mode!r} (constant, reflect, replicate, circular)")
    xp = backend.array_module(a._data)
    out = a
    for d, (before, after) in enumerate(widths):
        if before == after == 0:
            continue
        n = a.shape[d]
        if mode == "reflect" and (before >= n or after >= n):
            raise ValueError(
                f"pad: reflect padding {before, after} must be smaller than dim {d}'s size {n}"
            )
        if mode == "circular" and (before > n or after > n):
            # PyTorch wraps around at most once
            raise ValueError(
                f"pad: circular padding {before, after} can't exceed dim {d}'s size {n}"
            )
        positions = xp.arange(-before, n + after)
        if mode == "reflect":
            period = 2 * (n - 1) if n > 1 else 1
            positions = xp.abs((positions + period) % period)
            positions = xp.where(positions >= n, period - positions, positions)
        elif mode == "replicate":
            positions = xp.clip(positions, 0, n - 1)
        else:
            positions = positions % n
        out = getitem(out, (slice(None),) * d + (positions,))
    return out


def _crop(a, widths, pad):
    """`a` with the negative widths cut off its sides (what F.pad does with them)."""
    index = []
    for d, (before, after) in enumerate(widths):
        size = a.shape[d]
        start, stop = max(-before, 0), size - max(-after, 0)
        if stop < start:
            raise ValueError(
                f"pad: widths {pad} crop {start + size - stop} elements from dim {d} of size {size}"
            )
        index.append(slice(start, stop))
    return getitem(a, tuple(index))
