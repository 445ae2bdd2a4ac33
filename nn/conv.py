"""Convolution modules: `Conv1d` and `Conv2d` on the `_ConvNd` base they share, and
`ConvTranspose2d`. 2-D convolution is unfold + one matrix product and Conv1d is conv2d on an
(N, C, 1, L) view; padding other than zeros is `functional.pad` in that mode, then an unpadded
convolution (as PyTorch does it). ConvTranspose2d is the input-gradient of a convolution. All
have PyTorch's parameter shapes, default init and repr."""

import math

from . import functional as F
from . import init
from .linear import _weight_and_bias
from .module import Module

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _ntuple(v, n):
    return (v,) * n if isinstance(v, int) else tuple(v)


def _pair(v):
    return _ntuple(v, 2)


def _pad_widths(padding, kernel_size, dilation):
    """`functional.pad`'s widths (last dim first: left, right, top, bottom) for a padding
    tuple, 'same' or 'valid'. 'same' puts the odd pixel of an even total at the right and
    bottom, as PyTorch does."""
    if padding == "valid":
        return (0, 0) * len(kernel_size)
    if padding == "same":
        totals = [d * (k - 1) for k, d in zip(kernel_size, dilation)]
        pairs = [(t // 2, t - t // 2) for t in totals]
    else:
        pairs = [(p, p) for p in padding]
    return tuple(w for pair in reversed(pairs) for w in pair)


def _check_channels(name, in_channels, out_channels, groups):
    if not isinstance(groups, int) or groups < 1:
        raise ValueError(f"{name}: groups must be a positive int, got {groups!r}")
    if in_channels % groups or out_channels % groups:
        raise ValueError(
            f"{name}: in_channels={in_channels} and out_channels={out_channels} must be "
            f"divisible by groups={groups}"
        )


def _reset_conv_parameters(weight, bias):
    """PyTorch's default: kaiming_uniform_(a=sqrt(5)) and bias in +-1/sqrt(fan_in), where
    fan_in = weight.shape[1] * kernel elements (for ConvTranspose2d that is out/groups)."""
    init.kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is not None:
        fan_in = weight.shape[1] * math.prod(weight.shape[2:])
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
        init.uniform_(bias, -bound, bound)


def _conv_repr(m, unshown_padding):
    """extra_repr of a convolution: what differs from the defaults, padding when not one of
    unshown_padding."""
    n = len(m.kernel_size)
    s = f"{m.in_channels}, {m.out_channels}, kernel_size={m.kernel_size}, stride={m.stride}"
    if m.padding not in unshown_padding:
        s += f", padding={m.padding}"
    if m.dilation != (1,) * n:
        s += f", dilation={m.dilation}"
    if getattr(m, "output_padding", (0,) * n) != (0,) * n:
        s += f", output_padding={m.output_padding}"
    if m.groups != 1:
        s += f", groups={m.groups}"
    if m.bias is None:
        s += ", bias=False"
    if m.padding_mode != "zeros":
        s += f", padding_mode={m.padding_mode}"
    return s


class _ConvNd(Module):
    """What Conv1d and Conv2d share: argument checks, weight (out_channels,
    in_channels/groups, *kernel_size), bias, PyTorch's default init and non-zero padding modes.
    _ndim is the number of spatial dims."""

    _ndim = 0

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        dilation=1,
        groups=1,
        bias=True,
        padding_mode="zeros",
        device=None,
        dtype=None,
    ):
        super().__init__()
        name, n = type(self).__name__, self._ndim
        _check_channels(name, in_channels, out_channels, groups)
        if padding_mode not in PADDING_MODES:
            raise ValueError(
                f"{name}: padding_mode must be one of {', '.join(map(repr, PADDING_MODES))}, "
                f"got {padding_mode!r}"
            )
        if isinstance(padding, str) and padding not in ("same", "valid"):
            raise ValueError(
                f"{name}: padding must be 'same' or 'valid' as a string, got {padding!r}"
            )
        if padding == "same" and _ntuple(stride, n) != (1,) * n:
            raise ValueError(f"{name}: padding='same' needs stride 1, got stride={stride}")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride = _ntuple(kernel_size, n), _ntuple(stride, n)
        self.padding = padding if isinstance(padding, str) else _ntuple(padding, n)
        self.dilation, self.groups = _ntuple(dilation, n), groups
        self.padding_mode = padding_mode
        shape = (out_channels, in_channels // groups) + self.kernel_size
        _weight_and_bias(self, shape, out_channels, bias, device, dtype)

    def reset_parameters(self):
        _reset_conv_parameters(self.weight, self.bias)

    def _pad(self, input):
        """input padded in padding_mode, and the padding left for the convolution itself."""
        if self.padding_mode == "zeros":
            return input, self.padding
        widths = _pad_widths(self.padding, self.kernel_size, self.dilation)
        if any(widths):
            input = F.pad(input, widths, mode=self.padding_mode)
        return input, 0


class Conv1d(_ConvNd):
    """out[n, o, t] = bias[o] + sum_{c, j} weight[o, c, j] * x[n, c, t * stride + j * dilation
    - padding]; weight (out_channels, in_channels / groups, kernel_size), bias (out_channels,).
    Input (N, C, L) or (C, L)."""

    _ndim = 1

    def forward(self, input):
        input, padding = self._pad(input)
        return F.conv1d(
            input, self.weight, self.bias, self.stride, padding, self.dilation, self.groups
        )

    def extra_repr(self):
        return _conv_repr(self, ((0,),))


class Conv2d(_ConvNd):
    """weight (out_channels, in_channels/groups, kh, kw); PyTorch's default init."""

    _ndim = 2

    def forward(self, input):
        input, padding = self._pad(input)
        return F.conv2d(
            input, self.weight, self.bias, self.stride, padding, self.dilation, self.groups
        )

    def extra_repr(self):
        # Unlike Conv1d, padding='valid' is left out of the repr.
        return _conv_repr(self, ((0, 0), "valid"))


class ConvTranspose2d(Module):
    """The transposed convolution (the gradient of conv2d with respect to its input): each
    input pixel adds weight[c] times its value into a kh x kw patch of the output, patches
    `stride` apart. weight (in_channels, out_channels / groups, kh, kw), bias (out_channels,).
    Output size (H - 1) * stride - 2 * padding + dilation * (kh - 1) + output_padding + 1;
    forward(input, output_size) picks output_padding to reach output_size."""

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        output_padding=0,
        groups=1,
        bias=True,
        dilation=1,
        padding_mode="zeros",
        device=None,
        dtype=None,
    ):
        super().__init__()
        _check_channels("ConvTranspose2d", in_channels, out_channels, groups)
        if padding_mode != "zeros":
            raise ValueError(
                f"ConvTranspose2d: only padding_mode='zeros' is supported, got {padding_mode!r}"
            )
        if isinstance(padding, str):
            raise ValueError(f"ConvTranspose2d: padding must be an int or a pair, got {padding!r}")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride = _pair(kernel_size), _pair(stride)
        self.padding, self.output_padding = _pair(padding), _pair(output_padding)
        self.dilation, self.groups = _pair(dilation), groups
        self.padding_mode = padding_mode
        for op, s, d in zip(self.output_padding, self.stride, self.dilation):
            if op >= s and op >= d:
                raise ValueError(
                    f"ConvTranspose2d: output_padding {self.output_padding} must be smaller than "
                    f"either stride {self.stride} or dilation {self.dilation}"
                )
        shape = (in_channels, out_channels // groups) + self.kernel_size
        _weight_and_bias(self, shape, out_channels, bias, device, dtype)

    def reset_parameters(self):
        _reset_conv_parameters(self.weight, self.bias)

    def _output_padding(self, input, output_size):
        if output_size is None:
            return self.output_padding
        output_size = tuple(output_size)[-2:]
        extra = []
        for i, want in enumerate(output_size):
            k, s, p, d = self.kernel_size[i], self.stride[i], self.padding[i], self.dilation[i]
            smallest = (input.shape[-2 + i] - 1) * s - 2 * p + d * (k - 1) + 1
            if not smallest <= want < smallest + s:
                raise ValueError(
                    f"ConvTranspose2d: requested output size {output_size} is not reachable "
                    f"from input of shape {tuple(input.shape)}: each size must be in "
                    f"[smallest, smallest + stride), here dim {i} in "
                    f"[{smallest}, {smallest + s})"
                )
            extra.append(want - smallest)
        return tuple(extra)

    def forward(self, input, output_size=None):
        output_padding = self._output_padding(input, output_size)
        return F.conv_transpose2d(
            input,
            self.weight,
            self.bias,
            self.stride,
            self.padding,
            output_padding,
            self.groups,
            self.dilation,
        )

    def extra_repr(self):
        return _conv_repr(self, ((0, 0),))
