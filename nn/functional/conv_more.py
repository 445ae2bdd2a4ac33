"""1-D convolution and pooling (the 2-D ops on an (N, C, 1, L) view), transposed 2-D
convolution, adaptive max pooling and 1-D adaptive average pooling."""

import functools

import autograd_core as ag
from autograd_core import Tensor

from .conv import adaptive_avg_pool2d, avg_pool2d, max_pool2d


def _single(v, name, op):
    if isinstance(v, int):
        return v
    if isinstance(v, (tuple, list)) and len(v) == 1 and isinstance(v[0], int):
        return v[0]
    raise TypeError(f"{op}: {name} must be an int or a 1-tuple of ints, got {v!r}")


def _check(x, ndim, layout, op):
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(x).__name__}")
    if x.ndim != ndim:
        raise ValueError(f"{op}: expected {layout} input, got shape {tuple(x.shape)}")


def _unbatched(ndim):
    """Let an op take one unbatched sample ((C, L) for 1-D, (C, H, W) for 2-D) as PyTorch."""

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(input, *args, **kwargs):
            if isinstance(input, Tensor) and input.ndim == ndim - 1:
                out = fn(input.unsqueeze(0), *args, **kwargs)
                if isinstance(out, tuple):  # (output, indices)
                    return tuple(t.squeeze(0) for t in out)
                return out.squeeze(0)
            return fn(input, *args, **kwargs)

        return wrapper

    return decorate


@_unbatched(3)
def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D cross-correlation: out[n, o, t] = bias[o] + sum_{c, j} weight[o, c, j] *
    input[n, c, t * stride + j * dilation - padding]; weight (out, in/groups, k); padding may
    be an int, 'same' or 'valid'. Runs as conv2d on (N, C, 1, L)."""
    _check(input, 3, "3-D (N, C, L) or 2-D (C, L)", "conv1d")
    if not isinstance(weight, Tensor) or weight.ndim != 3:
        shape = tuple(weight.shape) if isinstance(weight, Tensor) else type(weight).__name__
        raise ValueError(f"conv1d: expected 3-D weight (out, in / groups, k), got {shape}")
    stride = _single(stride, "stride", "conv1d")
    dilation = _single(dilation, "dilation", "conv1d")
    if not isinstance(padding, str):
        padding = (0, _single(padding, "padding", "conv1d"))
    out = ag.conv2d(
        input.unsqueeze(2), weight.unsqueeze(2), bias, (1, stride), padding, (1, dilation), groups
    )
    return out.squeeze(2)


@_unbatched(4)
def conv_transpose2d(
    input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):
    """2-D transposed convolution (the input-gradient of conv2d), weight (in, out/groups, kh,
    kw); output size (H - 1) * stride - 2 * padding + dilation * (kh - 1) + output_padding + 1."""
    _check(input, 4, "4-D (N, C, H, W) or 3-D (C, H, W)", "conv_transpose2d")
    return ag.conv_transpose2d(
        input, weight, bias, stride, padding, output_padding, groups, dilation
    )


@_unbatched(3)
def max_pool1d(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """Max over each window of `kernel_size` along L (padding counts as -inf)."""
    _check(input, 3, "3-D (N, C, L) or 2-D (C, L)", "max_pool1d")
    k = _single(kernel_size, "kernel_size", "max_pool1d")
    s = k if stride is None or stride == () else _single(stride, "stride", "max_pool1d")
    p = _single(padding, "padding", "max_pool1d")
    d = _single(dilation, "dilation", "max_pool1d")
    out = max_pool2d(input.unsqueeze(2), (1, k), (1, s), (0, p), (1, d), ceil_mode, return_indices)
    if return_indices:  # flat indices into a 1 x L plane are indices along L
        return out[0].squeeze(2), out[1].squeeze(2)
    return out.squeeze(2)


@_unbatched(3)
def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """Mean over each window of `kernel_size` along L (zero padding counted by default)."""
    _check(input, 3, "3-D (N, C, L) or 2-D (C, L)", "avg_pool1d")
    k = _single(kernel_size, "kernel_size", "avg_pool1d")
    s = k if stride is None or stride == () else _single(stride, "stride", "avg_pool1d")
    p = _single(padding, "padding", "avg_pool1d")
    out = avg_pool2d(
        input.unsqueeze(2),
        (1, k),
        (1, s),
        (0, p),
        ceil_mode=ceil_mode,
        count_include_pad=count_include_pad,
    )
    return out.squeeze(2)


@_unbatched(3)
def adaptive_avg_pool1d(input, output_size):
    """Average L into `output_size` bins [floor(i*L/out), ceil((i+1)*L/out))."""
    _check(input, 3, "3-D (N, C, L) or 2-D (C, L)", "adaptive_avg_pool1d")
    out = _single(output_size, "output_size", "adaptive_avg_pool1d")
    return adaptive_avg_pool2d(input.unsqueeze(2), (1, out)).squeeze(2)


def _adaptive_max(x, dim, out):
    """Max over PyTorch's adaptive bins along `dim`; one slice per output bin (few). The
    gradient goes to one maximum per bin (ties are where it may differ from PyTorch's)."""
    size = x.shape[dim]
    if size % out == 0:
        k = size // out
        shape = x.shape[:dim] + (out, k) + x.shape[dim + 1 :]
        return x.reshape(shape).max(dim=dim + 1)[0]
    bins = []
    for i in range(out):
        a, b = (i * size) // out, -((-(i + 1) * size) // out)
        piece = x[:, :, a:b] if dim == 2 else x[:, :, :, a:b]
        bins.append(piece.max(dim=dim, keepdim=True)[0])
    return ag.cat(bins, dim=dim)


@_unbatched(4)
def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Max over an (oh, ow) grid of bins: rows [floor(i*H/oh), ceil((i+1)*H/oh)), columns
    likewise. Bins are rectangles, so it is a max over rows, then over columns.

    With return_indices it returns (output, indices), each index flat into its input's H * W
    plane (row * W + col) at the bin's first maximum in row-major order, as PyTorch (and
    F.max_unpool2d) use; the gradient then goes to exactly that element."""
    _check(input, 4, "4-D (N, C, H, W) or 3-D (C, H, W)", "adaptive_max_pool2d")
    h, w = input.shape[2:]
    oh, ow = (output_size, output_size) if isinstance(output_size, int) else output_size
    oh, ow = h if oh is None else oh, w if ow is None else ow
    if oh < 1 or ow < 1:
        raise ValueError(f"adaptive_max_pool2d: output_size must be positive, got {output_size}")
    if not return_indices:
        return _adaptive_max(_adaptive_max(input, 2, oh), 3, ow)
    indices = _adaptive_max_indices(input.detach(), oh, ow)
    n, c = input.shape[:2]
    out = input.reshape(n, c, h * w).gather(2, indices.reshape(n, c, oh * ow))
    return out.reshape(n, c, oh, ow), indices


def _adaptive_max_indices(x, oh, ow):
    """(N, C, oh, ow) flat indices of each bin's first maximum (one small max per bin)."""
    h, w = x.shape[2:]
    rows = [((i * h) // oh, -((-(i + 1) * h) // oh)) for i in range(oh)]
    cols = [((j * w) // ow, -((-(j + 1) * w) // ow)) for j in range(ow)]
    per_bin = []
    for top, bottom in rows:
        for left, right in cols:
            piece = x[:, :, top:bottom, left:right].reshape(*x.shape[:2], -1)
            arg = piece.argmax(dim=2)
            width = right - left
            per_bin.append((top + arg // width) * w + left + arg % width)
    return ag.stack(per_bin, dim=2).reshape(*x.shape[:2], oh, ow).long()
