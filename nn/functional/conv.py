"""Convolutions: conv1d (conv2d on an (N, C, 1, L) view), conv2d and conv_transpose2d (the
input-gradient of conv2d), which are ops of autograd_core."""

import autograd_core as ag
from autograd_core import Tensor

from .spatial_args import _check, _check4d, _single, _unbatched


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
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation, weight (out, in/groups, kh, kw); padding may be 'same'/'valid'.
    One matrix product per call (autograd_core.conv2d)."""
    _check4d(input, "conv2d")
    return ag.conv2d(input, weight, bias, stride, padding, dilation, groups)


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
