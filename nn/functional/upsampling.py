"""Resizing: interpolate ('nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', 'area') and
pixel_shuffle / pixel_unshuffle. Resizing is separable, one spatial dim at a time, through
index_select and weighted sums, so autograd differentiates it like any other op."""

import math

import numpy as np

import autograd_core as ag
from autograd_core import Tensor

from .pooling import adaptive_avg_pool1d, adaptive_avg_pool2d

MODES = ("nearest", "nearest-exact", "linear", "bilinear", "bicubic", "area")
_INTERPOLATING = ("linear", "bilinear", "bicubic")
# PyTorch's cubic convolution coefficient (Keys' kernel with a = -0.75, as OpenCV)
_CUBIC_A = -0.75
_LINEAR = {3: "linear", 4: "bilinear"}


def _output_size(input, size, scale_factor, recompute_scale_factor):
    """Output sizes and the scales (input / output) used to map output to input positions."""
    dims = input.ndim - 2
    spatial = tuple(input.shape[2:])
    if (size is None) == (scale_factor is None):
        which = "either" if size is None else "only one of"
        raise ValueError(f"interpolate: {which} size or scale_factor should be defined")
    if size is not None:
        size = (size,) * dims if isinstance(size, int) else tuple(size)
        if len(size) != dims:
            raise ValueError(
                f"interpolate: input with spatial dimensions {list(spatial)} and output size "
                f"{list(size)} must have the same number of spatial dimensions"
            )
        return size, [s / o for s, o in zip(spatial, size)]
    factors = scale_factor
    if not isinstance(scale_factor, (tuple, list)):
        factors = (scale_factor,) * dims
    if len(factors) != dims:
        raise ValueError(
            f"interpolate: input with spatial dimensions {list(spatial)} and scale_factor "
            f"{list(factors)} must have the same number of spatial dimensions"
        )
    size = tuple(int(math.floor(s * float(f))) for s, f in zip(spatial, factors))
    if recompute_scale_factor:
        return size, [s / o for s, o in zip(spatial, size)]
    return size, [1.0 / float(f) for f in factors]


def _nearest(x, dim, out, scale, exact):
    """PyTorch's nearest source index, min(floor(dst * scale), in - 1), in float32 as it does
    ('nearest-exact' samples at pixel centres: floor((dst + 0.5) * scale))."""
    size = x.shape[dim]
    dst = np.arange(out, dtype=np.float32) + np.float32(0.5 if exact else 0.0)
    src = np.minimum(np.floor(dst * np.float32(scale)).astype(np.int64), size - 1)
    return ag.index_select(x, dim, ag.tensor(src, device=x.device))


def _linear(x, dim, out, scale, align_corners):
    """out[i] = (1 - l) * x[i0] + l * x[i1] at source position src(i) = i0 + l."""
    size = x.shape[dim]
    dst = np.arange(out, dtype=np.float64)
    if align_corners:
        src = dst * ((size - 1) / (out - 1) if out > 1 else 0.0)
    else:
        src = np.maximum((dst + 0.5) * scale - 0.5, 0.0)  # edges clamp, as PyTorch
    i0 = np.minimum(np.floor(src).astype(np.int64), size - 1)
    i1 = np.minimum(i0 + 1, size - 1)
    lam = src - i0
    shape = [1] * x.ndim
    shape[dim] = out
    w1 = ag.tensor(lam.reshape(shape), dtype=x.dtype, device=x.device)
    lo = ag.index_select(x, dim, ag.tensor(i0, device=x.device))
    hi = ag.index_select(x, dim, ag.tensor(i1, device=x.device))
    return lo + (hi - lo) * w1


def _cubic_weights(t):
    """The four weights of source pixels i0 - 1 .. i0 + 2 at fraction t = src - i0 (Keys'
    cubic convolution, PyTorch's upsample_bicubic2d)."""
    a = _CUBIC_A

    def near(x):  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    return far(t + 1), near(t), near(1 - t), far(2 - t)


def _bicubic(x, dim, out, scale, align_corners):
    """out[i] = sum_k w_k(t) x[clamp(i0 - 1 + k)] at source position src(i) = i0 + t; the
    source positions are not clamped at the edges (unlike linear), the indices are."""
    size = x.shape[dim]
    dst = np.arange(out, dtype=np.float64)
    if align_corners:
        src = dst * ((size - 1) / (out - 1) if out > 1 else 0.0)
    else:
        src = (dst + 0.5) * scale - 0.5
    i0 = np.floor(src).astype(np.int64)
    shape = [1] * x.ndim
    shape[dim] = out
    result = None
    for k, weight in enumerate(_cubic_weights(src - i0)):
        index = np.clip(i0 - 1 + k, 0, size - 1)
        w = ag.tensor(weight.reshape(shape), dtype=x.dtype, device=x.device)
        term = ag.index_select(x, dim, ag.tensor(index, device=x.device)) * w
        result = term if result is None else result + term
    return result


def interpolate(
    input,
    size=None,
    scale_factor=None,
    mode="nearest",
    align_corners=None,
    recompute_scale_factor=None,
    antialias=False,
):
    """Resize the spatial dims of a 3-D (N, C, L) or 4-D (N, C, H, W) input to `size`, or by
    `scale_factor` (output floor(in * scale_factor)).

    'nearest' takes input[floor(i * in / out)] (PyTorch's rule, not the rounded centre:
    'nearest-exact' is that); 'linear' (3-D) and 'bilinear' (4-D) weight the two neighbours of
    source position (i + 0.5) * in / out - 0.5, or i * (in - 1) / (out - 1) with
    align_corners=True, which keeps the corner pixels aligned; 'bicubic' (4-D) weights the four
    neighbours of that position by PyTorch's cubic convolution (a = -0.75), repeating the
    border pixels beyond the edges (so it may overshoot the input's range, as PyTorch's);
    'area' is adaptive average pooling. With scale_factor, the positions use 1 / scale_factor unless
    recompute_scale_factor=True."""
    if not isinstance(input, Tensor):
        raise TypeError(f"interpolate: expected a Tensor, got {type(input).__name__}")
    if mode not in MODES:
        raise NotImplementedError(
            f"interpolate: mode {mode!r} is not supported; use one of {', '.join(MODES)}"
        )
    if input.ndim not in (3, 4):
        raise NotImplementedError(
            f"interpolate: expected 3-D (N, C, L) or 4-D (N, C, H, W) input, got shape "
            f"{tuple(input.shape)}"
        )
    if mode in ("linear", "bilinear") and mode != _LINEAR[input.ndim]:
        raise NotImplementedError(
            f"interpolate: got {input.ndim}-D input, but {mode} mode needs "
            f"{3 if mode == 'linear' else 4}-D input"
        )
    if mode == "bicubic" and input.ndim != 4:
        raise NotImplementedError(
            f"interpolate: got {input.ndim}-D input, but bicubic mode needs 4-D input"
        )
    if align_corners is not None and mode not in _INTERPOLATING:
        raise ValueError(
            "interpolate: align_corners option can only be set with the interpolating modes: "
            "linear | bilinear | bicubic"
        )
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not supported")
    size, scales = _output_size(input, size, scale_factor, recompute_scale_factor)
    if min(size) < 1:
        raise ValueError(f"interpolate: output size {size} must be positive")
    if mode == "area":
        pool = adaptive_avg_pool1d if input.ndim == 3 else adaptive_avg_pool2d
        return pool(input, size[0] if input.ndim == 3 else size)
    out = input
    for dim, (o, scale) in enumerate(zip(size, scales), start=2):
        if mode.startswith("nearest"):
            out = _nearest(out, dim, o, scale, mode == "nearest-exact")
        elif mode == "bicubic":
            out = _bicubic(out, dim, o, scale, bool(align_corners))
        else:
            out = _linear(out, dim, o, scale, bool(align_corners))
    return out


def pixel_shuffle(input, upscale_factor):
    """(*, C * r^2, H, W) -> (*, C, H * r, W * r): out[c, h * r + i, w * r + j] =
    input[c * r^2 + i * r + j, h, w]; the usual last step of sub-pixel upsampling."""
    *lead, c, h, w = _shuffle_shape(input, "pixel_shuffle", "upscale_factor", upscale_factor)
    r = upscale_factor
    if c % (r * r):
        raise ValueError(
            f"pixel_shuffle: the channel dim ({c}) must divide by upscale_factor^2 ({r * r})"
        )
    x = input.reshape(-1, c // (r * r), r, r, h, w).permute(0, 1, 4, 2, 5, 3)
    return x.reshape(*lead, c // (r * r), h * r, w * r)


def pixel_unshuffle(input, downscale_factor):
    """(*, C, H * r, W * r) -> (*, C * r^2, H, W), the inverse of pixel_shuffle."""
    *lead, c, h, w = _shuffle_shape(input, "pixel_unshuffle", "downscale_factor", downscale_factor)
    r = downscale_factor
    if h % r or w % r:
        raise ValueError(
            f"pixel_unshuffle: height {h} and width {w} must divide by downscale_factor {r}"
        )
    x = input.reshape(-1, c, h // r, r, w // r, r).permute(0, 1, 3, 5, 2, 4)
    return x.reshape(*lead, c * r * r, h // r, w // r)


def _shuffle_shape(input, op, name, factor):
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(input).__name__}")
    if not isinstance(factor, int) or factor < 1:
        raise ValueError(f"{op}: {name} must be a positive int, got {factor!r}")
    if input.ndim < 3:
        raise ValueError(f"{op}: expected input of at least 3 dims (C, H, W), got shape "
                         f"{tuple(input.shape)}")  # fmt: skip
    return tuple(input.shape)
