"""2-D max pooling. Non-overlapping windows (stride = kernel, PyTorch's default) are read as
kh*kw strided slices of the input, without copying it into windows; overlapping or padded
windows go through unfold (im2col)."""

from __future__ import annotations

import math

from .. import backend
from ..function import Function
from .common import keep_where


def _tiles(x, kernel, out_size):
    """The input's values at each offset of the windows: kh*kw strided (N, C, Ho, Wo) views."""
    (kh, kw), (ho, wo) = kernel, out_size
    return [
        x[:, :, i : i + kh * ho : kh, j : j + kw * wo : kw] for i in range(kh) for j in range(kw)
    ]


def _batch_last(array) -> bool:
    """Whether an (N, C, H, W) array keeps the batch innermost (as conv2d's output does)."""
    return array.strides[0] == array.itemsize and array.shape[0] > 1


def _zeros(xp, shape, dtype, batch_last):
    """Zeros of `shape` in the pooled input's layout, so that the ops around it (ReLU's
    backward) read both operands in the same order."""
    if batch_last:
        n, c, h, w = shape
        return xp.zeros((c, h, w, n), dtype=dtype).transpose(3, 0, 1, 2)
    return xp.zeros(shape, dtype=dtype)


class MaxPool2dTiles(Function):
    """out = max over each kh x kw tile;  dx = g at each tile's first maximum, 0 elsewhere"""

    op_name = "max_pool2d"
    uses_inputs = False

    @staticmethod
    def forward(ctx, x, kernel):
        xp = backend.array_module(x)
        out_size = (x.shape[2] // kernel[0], x.shape[3] // kernel[1])
        ctx.params = {"kernel_size": kernel, "stride": kernel}
        ctx.kernel, ctx.in_shape, ctx.batch_last = kernel, x.shape, _batch_last(x)
        tiles = _tiles(x, kernel, out_size)
        out = tiles[0].copy(order="K")
        # which offset won: a later one only when strictly larger, or NaN (as PyTorch, so the
        # first maximum wins ties). Comparisons and maxima, no masked copies: those branch on
        # every element and cost ten times more
        winner = xp.zeros_like(out, dtype=xp.uint8 if len(tiles) <= 256 else xp.int32)
        for offset, tile in enumerate(tiles[1:], start=1):
            better = tile > out
            better |= tile != tile
            xp.maximum(out, tile, out=out)
            step = better.astype(winner.dtype)
            step *= offset
            xp.maximum(winner, step, out=winner)  # offsets only grow: max is "take offset"
        ctx.winner = winner
        return out

    @staticmethod
    def backward(ctx, grad_out):
        return _route(ctx, grad_out)

    def _release(self):
        super()._release()
        self.winner = None


class RouteToWinner(Function):
    """out = g placed at each tile's winning offset (the pooling gradient);  dg = pick"""

    op_name = "max_pool2d_backward"
    uses_inputs = False

    @staticmethod
    def forward(ctx, grad, winner, in_shape, kernel, batch_last):
        xp = backend.array_module(grad)
        ctx.winner, ctx.kernel = winner, kernel
        out = _zeros(xp, in_shape, grad.dtype, batch_last)  # rows beyond the last tile stay 0
        if _batch_last(grad) != _batch_last(winner):
            # one copy into the winners' layout, so that each offset's select below reads
            # its operands in one order
            aligned = xp.empty_like(winner, dtype=grad.dtype)
            aligned[...] = grad
            grad = aligned
        for offset, tile in enumerate(_tiles(out, kernel, grad.shape[2:])):
            keep_where(winner == offset, grad, out=tile)
        return out

    @staticmethod
    def backward(ctx, grad_out):
        return PickAtWinner._call(grad_out, winner=ctx.winner, kernel=ctx.kernel)


class PickAtWinner(Function):
    """out = the value at each tile's winning offset (adjoint of routing);  dx = route"""

    op_name = "max_pool2d_pick"
    uses_inputs = False

    @staticmethod
    def forward(ctx, x, winner, kernel):
        xp = backend.array_module(x)
        ctx.winner, ctx.kernel, ctx.in_shape = winner, kernel, x.shape
        ctx.batch_last = _batch_last(x)
        tiles = _tiles(x, kernel, winner.shape[2:])
        out = tiles[0].copy(order="K")
        for offset, tile in enumerate(tiles[1:], start=1):
            xp.copyto(out, tile, where=winner == offset)
        return out

    @staticmethod
    def backward(ctx, grad_out):
        return _route(ctx, grad_out)


def _route(ctx, grad):
    """The gradient of a max over tiles: `grad` placed at the winners ctx recorded."""
    return RouteToWinner._call(
        grad, winner=ctx.winner, in_shape=ctx.in_shape, kernel=ctx.kernel, batch_last=ctx.batch_last
    )


def _pair(value, name):
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, int) for v in pair):
        raise TypeError(f"max_pool2d: {name} must be an int or a pair of ints, got {value!r}")
    return pair


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1):
    """Max over each window of `input` (N, C, H, W), as torch.max_pool2d; the gradient goes
    to the first maximum of each window."""
    if input.ndim != 4:
        raise ValueError(
            f"max_pool2d: expected 4-D input (N, C, H, W), got shape {tuple(input.shape)}"
        )
    k = _pair(kernel_size, "kernel_size")
    s = k if stride is None or stride == () else _pair(stride, "stride")
    p, d = _pair(padding, "padding"), _pair(dilation, "dilation")
    if min(k + s + d) < 1 or min(p) < 0:
        raise ValueError(
            f"max_pool2d: kernel_size, stride and dilation must be positive and padding "
            f"non-negative, got kernel_size={k}, stride={s}, padding={p}, dilation={d}"
        )
    if p[0] > k[0] // 2 or p[1] > k[1] // 2:
        raise ValueError(f"max_pool2d: padding {p} must be at most half the kernel size {k}")
    h, w = input.shape[2:]
    if (h + 2 * p[0] - d[0] * (k[0] - 1) - 1) < 0 or (w + 2 * p[1] - d[1] * (k[1] - 1) - 1) < 0:
        raise ValueError(
            f"max_pool2d: kernel {k} (dilation {d}) is larger than the input of shape "
            f"{tuple(input.shape)} padded by {p}"
        )
    if s == k and p == (0, 0) and d == (1, 1):
        return MaxPool2dTiles._call(input, kernel=k)
    return _max_over_windows(input, k, s, p, d)


def _max_over_windows(x, k, s, p, d):
    """Overlapping, dilated or padded windows: unfold each channel, then max over the window."""
    from .join import pad
    from .window import unfold

    n, c = x.shape[:2]
    if p != (0, 0):
        x = pad(x, (p[1], p[1], p[0], p[0]), value=-math.inf)
    hp, wp = x.shape[2:]
    cols = unfold(x.reshape(n * c, 1, hp, wp), k, d, 0, s)
    ho = (hp - d[0] * (k[0] - 1) - 1) // s[0] + 1
    wo = (wp - d[1] * (k[1] - 1) - 1) // s[1] + 1
    return cols.reshape(n, c, k[0] * k[1], ho, wo).max(dim=2)[0]
