"""Convolution and pooling: conv2d and max_pool2d are ops of autograd_core; average pooling
reads windows through unfold (im2col) or by reshape."""

import functools

import autograd_core as ag
from autograd_core import Tensor


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _check4d(x, op):
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(x).__name__}")
    if x.ndim != 4:
        raise ValueError(
            f"{op}: expected 4-D input (N, C, H, W) or 3-D (C, H, W), got shape {tuple(x.shape)}"
        )


def _unbatched(fn):
    """Let a 2-D op take one unbatched (C, H, W) image too, as PyTorch does: it runs as a
    batch of one and the batch dim is dropped again."""

    @functools.wraps(fn)
    def wrapper(input, *args, **kwargs):
        if isinstance(input, Tensor) and input.ndim == 3:
            return fn(input.unsqueeze(0), *args, **kwargs).squeeze(0)
        return fn(input, *args, **kwargs)

    return wrapper


@_unbatched
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation, weight (out, in/groups, kh, kw); padding may be 'same'/'valid'.
    One matrix product per call (autograd_core.conv2d)."""
    _check4d(input, "conv2d")
    return ag.conv2d(input, weight, bias, stride, padding, dilation, groups)


def _pool_params(kernel_size, stride, padding, op):
    k = _pair(kernel_size)
    s = k if stride is None or stride == () else _pair(stride)
    p = _pair(padding)
    if p[0] > k[0] // 2 or p[1] > k[1] // 2:
        raise ValueError(f"{op}: padding {p} must be at most half the kernel size {k}")
    return k, s, p


def _windows(x, k, s, p, d, pad_value):
    """(N, C, H, W) -> (N, C, kh*kw, Ho, Wo) windows, channel by channel."""
    n, c, h, w = x.shape
    if p != (0, 0):
        x = ag.pad(x, (p[1], p[1], p[0], p[0]), value=pad_value)
    hp, wp = x.shape[2:]
    cols = ag.unfold(x.reshape(n * c, 1, hp, wp), k, d, 0, s)
    ho = (hp - d[0] * (k[0] - 1) - 1) // s[0] + 1
    wo = (wp - d[1] * (k[1] - 1) - 1) // s[1] + 1
    return cols.reshape(n, c, k[0] * k[1], ho, wo)


def _tiles(x, k):
    """Non-overlapping windows by reshape: (N, C, Ho, Wo, kh*kw)."""
    n, c, h, w = x.shape
    ho, wo = h // k[0], w // k[1]
    x = x[:, :, : ho * k[0], : wo * k[1]]
    x = x.reshape(n, c, ho, k[0], wo, k[1]).permute(0, 1, 2, 4, 3, 5)
    return x.reshape(n, c, ho, wo, k[0] * k[1])


@_unbatched
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1):
    """Max over each window; the gradient goes to the window's first maximum."""
    _check4d(input, "max_pool2d")
    return ag.max_pool2d(input, kernel_size, stride, padding, dilation)


@_unbatched
def avg_pool2d(input, kernel_size, stride=None, padding=0, count_include_pad=True):
    """Mean over each window (zero padding counted, as PyTorch's default)."""
    _check4d(input, "avg_pool2d")
    k, s, p = _pool_params(kernel_size, stride, padding, "avg_pool2d")
    if s == k and p == (0, 0):
        return _tiles(input, k).mean(dim=-1)
    win = _windows(input, k, s, p, (1, 1), 0.0)
    if count_include_pad or p == (0, 0):
        return win.mean(dim=2)
    ones = ag.ones((1, 1) + tuple(input.shape[2:]), dtype=input.dtype, device=input.device)
    counts = _windows(ones, k, s, p, (1, 1), 0.0).sum(dim=2)
    return win.sum(dim=2) / counts


def _averaging_matrix(size, out, like):
    """(out, size) rows averaging PyTorch's adaptive bins [floor(i*n/out), ceil((i+1)*n/out))."""
    import numpy as np

    m = np.zeros((out, size))
    for i in range(out):  # loops over output bins only (small), never pixels
        a, b = (i * size) // out, -((-(i + 1) * size) // out)
        m[i, a:b] = 1.0 / (b - a)
    return ag.tensor(m, dtype=like.dtype, device=like.device)


@_unbatched
def adaptive_avg_pool2d(input, output_size):
    """Average into an (oh, ow) grid of bins whatever the input size."""
    _check4d(input, "adaptive_avg_pool2d")
    h, w = input.shape[2:]
    oh, ow = _pair(output_size)
    oh, ow = h if oh is None else oh, w if ow is None else ow
    if h % oh == 0 and w % ow == 0:
        return _tiles(input, (h // oh, w // ow)).mean(dim=-1)
    rows, cols = _averaging_matrix(h, oh, input), _averaging_matrix(w, ow, input)
    return ag.matmul(ag.matmul(rows, input), cols.t())
