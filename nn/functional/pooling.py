"""Pooling: max and average pooling in 1-D and 2-D (ceil_mode windows, indices for
max_unpool2d) and adaptive average / max pooling. max_pool2d without ceil_mode or indices is an op
of autograd_core; the others read windows through unfold (im2col) or by reshape, and the 1-D
forms run the 2-D ones on an (N, C, 1, L) view."""

import math

import autograd_core as ag
from autograd_core import Tensor

from .spatial_args import _check, _check4d, _pair, _single, _unbatched


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


def _pool_out_size(size, k, s, p, d, ceil_mode):
    """PyTorch's pooled length: floor (or ceil) of (size + 2p - d(k-1) - 1) / s, plus one; with
    ceil_mode the last window must still start inside the input or the left padding."""
    span = size + 2 * p - d * (k - 1) - 1
    out = (-(-span // s) if ceil_mode else span // s) + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def _ceil_windows(x, k, s, p, d, ceil_mode, pad_value, edge_value=None):
    """Windows (N, C, kh*kw, Ho, Wo) of x padded by p with pad_value, and further at the
    bottom/right with edge_value (default pad_value) so that ceil_mode's last, partial
    windows exist."""
    h, w = x.shape[2:]
    ho = _pool_out_size(h, k[0], s[0], p[0], d[0], ceil_mode)
    wo = _pool_out_size(w, k[1], s[1], p[1], d[1], ceil_mode)
    if min(ho, wo) < 1:
        raise ValueError(
            f"pool2d: kernel {k} (dilation {d}) is larger than the input of shape "
            f"{tuple(x.shape)} padded by {p}"
        )
    extra_h = max(0, (ho - 1) * s[0] + d[0] * (k[0] - 1) + 1 - (h + 2 * p[0]))
    extra_w = max(0, (wo - 1) * s[1] + d[1] * (k[1] - 1) + 1 - (w + 2 * p[1]))
    edge_value = pad_value if edge_value is None else edge_value
    if p != (0, 0):
        x = ag.pad(x, (p[1], p[1], p[0], p[0]), value=pad_value)
    if extra_h or extra_w:
        x = ag.pad(x, (0, extra_w, 0, extra_h), value=edge_value)
    return _windows(x, k, s, (0, 0), d, pad_value)[:, :, :, :ho, :wo]


# Max pooling.
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


@_unbatched(4)
def max_pool2d(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """Max over each window; the gradient goes to the window's first maximum.

    With ceil_mode the output size rounds up (a last, partial window where it starts inside the
    input or the left padding); with return_indices it returns (output, indices), each index
    flat into its input's H * W plane (row * W + col), as PyTorch and F.max_unpool2d use.
    """
    _check4d(input, "max_pool2d")
    if not ceil_mode and not return_indices:
        return ag.max_pool2d(input, kernel_size, stride, padding, dilation)
    k, s, p = _pool_params(kernel_size, stride, padding, "max_pool2d")
    d = _pair(dilation)
    win = _ceil_windows(input, k, s, p, d, ceil_mode, -math.inf)
    out, arg = win.max(dim=2)
    if not return_indices:
        return out
    ho, wo = out.shape[2:]
    dev = input.device
    # the window's top-left corner in input coordinates, plus the winner's offset in it
    top = (ag.arange(ho, device=dev) * s[0] - p[0]).reshape(ho, 1)
    left = (ag.arange(wo, device=dev) * s[1] - p[1]).reshape(1, wo)
    row = top + (arg // k[1]) * d[0]
    col = left + (arg % k[1]) * d[1]
    return out, (row * input.shape[3] + col).long()


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The partial inverse of max_pool2d: each value of input (N, C, H, W) or (C, H, W) is put
    at its flat index into an (Ho, Wo) plane of zeros, Ho = (H - 1) * stride - 2 * padding +
    kernel_size unless output_size ((Ho, Wo), or with the leading dims) says otherwise."""
    if not isinstance(input, Tensor) or not isinstance(indices, Tensor):
        raise TypeError("max_unpool2d: expected Tensors for input and indices")
    if input.ndim == 3:
        out = max_unpool2d(
            input.unsqueeze(0), indices.unsqueeze(0), kernel_size, stride, padding, output_size
        )
        return out.squeeze(0)
    _check4d(input, "max_unpool2d")
    if tuple(indices.shape) != tuple(input.shape):
        raise ValueError(
            f"max_unpool2d: indices of shape {tuple(indices.shape)} do not match input of "
            f"shape {tuple(input.shape)}"
        )
    k, p = _pair(kernel_size), _pair(padding)
    s = k if stride is None or stride == () else _pair(stride)
    n, c, h, w = input.shape
    default = tuple((size - 1) * s[i] - 2 * p[i] + k[i] for i, size in enumerate((h, w)))
    if output_size is None:
        size = default
    else:
        size = tuple(output_size)[-2:]
        if len(size) != 2 or any(
            not default[i] - s[i] < size[i] < default[i] + s[i] for i in range(2)
        ):
            raise ValueError(
                f"max_unpool2d: output_size {tuple(output_size)} must be within one stride "
                f"{s} of the default size {default}"
            )
    plane = size[0] * size[1]
    flat = indices.reshape(n, c, h * w)
    if flat.numel() and (int(flat.min().item()) < 0 or int(flat.max().item()) >= plane):
        raise ValueError(f"max_unpool2d: indices must lie in [0, {plane}) for output {size}")
    dev = input.device
    rows_n = ag.arange(n, device=dev).reshape(n, 1, 1)
    rows_c = ag.arange(c, device=dev).reshape(1, c, 1)
    zeros = ag.zeros((n, c, plane), dtype=input.dtype, device=dev)
    out = ag.index_put(zeros, (rows_n, rows_c, flat), input.reshape(n, c, h * w))
    return out.reshape(n, c, size[0], size[1])


# Average pooling.
def _avg_divisor(input, k, s, p, ceil_mode, count_include_pad):
    """How many cells each window averages over, as PyTorch: with count_include_pad the window
    clipped to the padded input (padding counts, ceil_mode's extra cells do not), else only
    the input cells it covers."""
    ones = ag.ones((1, 1) + tuple(input.shape[2:]), dtype=input.dtype, device=input.device)
    pad_value = 1.0 if count_include_pad else 0.0
    return _ceil_windows(ones, k, s, p, (1, 1), ceil_mode, pad_value, 0.0).sum(dim=2)


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


@_unbatched(4)
def avg_pool2d(
    input,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
):
    """Mean over each window (zero padding counted, as PyTorch's default).

    With ceil_mode the output size rounds up and a partial last window is divided by its size
    clipped to the padded input; count_include_pad=False divides by the input cells only;
    divisor_override, when given, divides every window sum by that number instead.
    """
    _check4d(input, "avg_pool2d")
    k, s, p = _pool_params(kernel_size, stride, padding, "avg_pool2d")
    if divisor_override is not None and divisor_override == 0:
        raise ValueError("avg_pool2d: divisor_override must be non-zero")
    plain = not ceil_mode and divisor_override is None
    if plain and s == k and p == (0, 0):
        return _tiles(input, k).mean(dim=-1)
    win = _ceil_windows(input, k, s, p, (1, 1), ceil_mode, 0.0)
    if plain and (count_include_pad or p == (0, 0)):
        return win.mean(dim=2)
    if divisor_override is not None:
        return win.sum(dim=2) / divisor_override
    return win.sum(dim=2) / _avg_divisor(input, k, s, p, ceil_mode, count_include_pad)


# Adaptive pooling: PyTorch's bins [floor(i*n/out), ceil((i+1)*n/out)) whatever the input size.
def _averaging_matrix(size, out, like):
    """(out, size) rows averaging PyTorch's adaptive bins [floor(i*n/out), ceil((i+1)*n/out))."""
    import numpy as np

    m = np.zeros((out, size))
    for i in range(out):  # loops over output bins only (small), never pixels
        a, b = (i * size) // out, -((-(i + 1) * size) // out)
        m[i, a:b] = 1.0 / (b - a)
    return ag.tensor(m, dtype=like.dtype, device=like.device)


@_unbatched(3)
def adaptive_avg_pool1d(input, output_size):
    """Average L into `output_size` bins [floor(i*L/out), ceil((i+1)*L/out))."""
    _check(input, 3, "3-D (N, C, L) or 2-D (C, L)", "adaptive_avg_pool1d")
    out = _single(output_size, "output_size", "adaptive_avg_pool1d")
    return adaptive_avg_pool2d(input.unsqueeze(2), (1, out)).squeeze(2)


@_unbatched(4)
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
