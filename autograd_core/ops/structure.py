"""Ops that move or pick elements by position: tril, triu, diag, trace, roll, tile,
repeat_interleave. Most are compositions of where, indexing and repeat, whose gradients
already route each element back where it came from."""

from __future__ import annotations

from .. import backend, dtypes
from ..function import Function
from .common import constant, is_tensor, normalize_dims
from .index import getitem, index_add_into
from .reduce import sum
from .select import where
from .shape import flatten, repeat, reshape


def _triangle(a, diagonal, op, lower):
    if a.ndim < 2:
        raise ValueError(f"{op}: expects a tensor with at least 2 dims, got shape {tuple(a.shape)}")
    xp = backend.array_module(a._data)
    rows, cols = a.shape[-2:]
    keep = xp.tri(rows, cols, k=diagonal, dtype=bool)
    if not lower:
        keep = ~xp.tri(rows, cols, k=diagonal - 1, dtype=bool)
    return where(constant(keep), a, 0)


def tril(a, diagonal=0):
    """`a` (a matrix or a batch of them) with the elements above the `diagonal`-th diagonal
    set to 0; their gradient is 0."""
    return _triangle(a, diagonal, "tril", lower=True)


def triu(a, diagonal=0):
    """`a` with the elements below the `diagonal`-th diagonal set to 0."""
    return _triangle(a, diagonal, "triu", lower=False)


def _diagonal_positions(xp, rows, cols, diagonal):
    """The (row, col) index arrays of the `diagonal`-th diagonal of a rows x cols matrix."""
    first_row, first_col = max(-diagonal, 0), max(diagonal, 0)
    length = max(0, min(rows - first_row, cols - first_col))
    steps = xp.arange(length)
    return steps + first_row, steps + first_col


def diag(a, diagonal=0):
    """A 1-D `a` as the `diagonal`-th diagonal of a square matrix of zeros; a 2-D `a`'s
    `diagonal`-th diagonal as a 1-D tensor (diagonal > 0 above the main one)."""
    xp = backend.array_module(a._data)
    if a.ndim == 1:
        size = a.shape[0] + abs(diagonal)
        rows, cols = _diagonal_positions(xp, size, size, diagonal)
        return index_add_into((size, size), (rows, cols), a)
    if a.ndim == 2:
        return getitem(a, _diagonal_positions(xp, *a.shape, diagonal))
    raise ValueError(f"diag: expects a 1-D or 2-D tensor, got shape {tuple(a.shape)}")


def trace(a):
    """The sum of a matrix's main diagonal (int64 for integer matrices, as PyTorch)."""
    if a.ndim != 2:
        raise ValueError(f"trace: expects a 2-D tensor, got shape {tuple(a.shape)}")
    return sum(diag(a))


class Roll(Function):
    """out = a shifted cyclically by `shifts` along `dims`;  da = the gradient shifted back"""

    op_name = "roll"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, shifts, dims):
        ctx.params = {"shifts": shifts, "dims": dims}
        return backend.array_module(a).roll(a, shifts, axis=dims)

    @staticmethod
    def backward(ctx, grad_out):
        shifts, dims = ctx.params["shifts"], ctx.params["dims"]
        return Roll._call(grad_out, shifts=tuple(-s for s in shifts), dims=dims)


def roll(a, shifts, dims=None):
    """Shift `a` cyclically by `shifts` along `dims` (ints or tuples of the same length);
    with no dims, over the flattened tensor, keeping its shape."""
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if dims is None:
        if len(shifts) != 1:
            raise ValueError(f"roll: {len(shifts)} shifts need as many dims, got dims=None")
        return reshape(Roll._call(flatten(a), shifts=shifts, dims=(0,)), a.shape)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(dims):
        raise ValueError(f"roll: shifts {shifts} and dims {dims} differ in length")
    rank = max(a.ndim, 1)
    for d in dims:
        normalize_dims(d, a.ndim, "roll")  # range check; one dim may appear twice here
    if a.ndim == 0:
        return a * 1
    return Roll._call(a, shifts=shifts, dims=tuple(d % rank for d in dims))


def tile(a, dims):
    """`a` repeated `dims[i]` times along each dim; fewer dims than `a` has are padded with
    ones in front (unlike `repeat`, which needs one per dim)."""
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    dims = (1,) * (a.ndim - len(dims)) + dims
    return repeat(a, *dims)


def repeat_interleave(a, repeats=None, dim=None, *, output_size=None):
    """Each element (or slice along `dim`) of `a` repeated `repeats` times in a row; `repeats`
    is an int or a 1-D tensor with one count per element. Without `dim`, `a` is flattened.
    repeat_interleave(counts) alone repeats 0, 1, 2, ... by the counts."""
    if repeats is None:
        counts = _counts(a, a.shape[0] if a.ndim else 1, "repeat_interleave")
        xp = backend.array_module(a._data)
        return constant(xp.repeat(xp.arange(len(counts), dtype=dtypes.int64), counts))
    if dim is None:
        a, d = flatten(a), 0
    else:
        (d,) = normalize_dims(dim, a.ndim, "repeat_interleave") or (0,)
        if a.ndim == 0:
            a = reshape(a, 1)
    xp = backend.array_module(a._data)
    size = a.shape[d]
    if is_tensor(repeats):
        counts = _counts(repeats, size, "repeat_interleave")
    else:
        if not isinstance(repeats, int) or repeats < 0:
            raise ValueError(
                f"repeat_interleave: repeats must be a non-negative int, got {repeats}"
            )
        counts = repeats
    picks = xp.repeat(xp.arange(size), counts)
    if output_size is not None and picks.size != output_size:
        raise ValueError(
            f"repeat_interleave: output_size {output_size} differs from the {picks.size} repeats"
        )
    return getitem(a, (slice(None),) * d + (picks,))


def _counts(repeats, size, op):
    """A repeats tensor as a list of counts, one per element along the dim (or broadcast from
    one); a list, which NumPy's and CuPy's repeat both take."""
    if repeats._data.dtype.kind not in "iu":
        raise TypeError(f"{op}: repeats must be an integer tensor, got {repeats._data.dtype}")
    # the output's length depends on the counts: they must come to the host (PyTorch syncs too)
    counts = [int(c) for c in backend.to_numpy(repeats._data).reshape(-1).tolist()]
    if len(counts) == 1:
        counts = counts * size
    if len(counts) != size:
        raise ValueError(
            f"{op}: repeats has {len(counts)} counts, expected {size} (repeats of shape "
            f"{tuple(repeats.shape)})"
        )
    if any(c < 0 for c in counts):
        raise ValueError(f"{op}: repeats can't be negative, got {counts}")
    return counts
