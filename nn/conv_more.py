"""`Conv1d` (conv2d on an (N, C, 1, L) view) and `ConvTranspose2d` (the input-gradient of a
convolution), with PyTorch's parameter shapes, default init and repr."""

import math

import autograd_core as ag

from . import functional as F
from . import init
from .conv import PADDING_MODES, _pair
from .module import Module
from .parameter import Parameter


def _single(v):
    return (v,) if isinstance(v, int) else tuple(v)


def _check_channels(name, in_channels, out_channels, groups):
    if not isinstance(groups, int) or groups < 1:
        raise ValueError(f"{name}: groups must be a positive int, got {groups!r}")
    if in_channels % groups or out_channels % groups:
        raise ValueError(
            f"{name}: in_channels={in_channels} and out_channels={out_channels} must be "
            f"divisible by groups={groups}"
        )


def _reset(weight, bias):
    """PyTorch's default: kaiming_uniform_(a=sqrt(5)) and bias in +-1/sqrt(fan_in), where
    fan_in = weight.shape[1] * kernel elements (for ConvTranspose2d that is out/groups)."""
    init.kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is not None:
        fan_in = weight.shape[1] * math.prod(weight.shape[2:])
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
        init.uniform_(bias, -bound, bound)


def _repr(m, zeros):
    s = f"{m.in_channels}, {m.out_channels}, kernel_size={m.kernel_size}, stride={m.stride}"
    if m.padding != zeros:
        s += f", padding={m.padding}"
    if m.dilation != (1,) * len(zeros):
        s += f", dilation={m.dilation}"
    if getattr(m, "output_padding", zeros) != zeros:
        s += f", output_padding={m.output_padding}"
    if m.groups != 1:
        s += f", groups={m.groups}"
    if m.bias is None:
        s += ", bias=False"
    if m.padding_mode != "zeros":
        s += f", padding_mode={m.padding_mode}"
    return s


class Conv1d(Module):
    """out[n, o, t] = bias[o] + sum_{c, j} weight[o, c, j] * x[n, c, t * stride + j * dilation
    - padding]; weight (out_channels, in_channels / groups, kernel_size), bias (out_channels,).
    Input (N, C, L) or (C, L)."""

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
        _check_channels("Conv1d", in_channels, out_channels, groups)
        if padding_mode not in PADDING_MODES:
            raise ValueError(
                f"Conv1d: padding_mode must be one of {', '.join(map(repr, PADDING_MODES))}, "
                f"got {padding_mode!r}"
            )
        if isinstance(padding, str) and padding not in ("same", "valid"):
            raise ValueError(
                f"Conv1d: padding must be 'same' or 'valid' as a string, got {padding!r}"
            )
        if padding == "same" and _single(stride) != (1,):
            raise ValueError(f"Conv1d: padding='same' needs stride 1, got stride={stride}")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride = _single(kernel_size), _single(stride)
        self.padding = padding if isinstance(padding, str) else _single(padding)
        self.dilation, self.groups = _single(dilation), groups
        self.padding_mode = padding_mode
        shape = (out_channels, in_channels // groups) + self.kernel_size
        self.weight = Parameter(ag.empty(shape, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(ag.empty((out_channels,), device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        _reset(self.weight, self.bias)

    def forward(self, input):
        padding = self.padding
        if self.padding_mode != "zeros":
            if padding == "valid":
                left = right = 0
            elif padding == "same":
                total = self.dilation[0] * (self.kernel_size[0] - 1)
                left, right = total // 2, total - total // 2
            else:
                left = right = padding[0]
            if left or right:
                input = F.pad(input, (left, right), mode=self.padding_mode)
            padding = 0
        return F.conv1d(
            input, self.weight, self.bias, self.stride, padding, self.dilation, self.groups
        )

    def extra_repr(self):
        return _repr(self, (0,))


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
        self.weight = Parameter(ag.empty(shape, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(ag.empty((out_channels,), device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        _reset(self.weight, self.bias)

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
        return _repr(self, (0, 0))
