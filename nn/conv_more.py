"""`Conv1d` (conv2d on an (N, C, 1, L) view) and `ConvTranspose2d` (the input-gradient of a
convolution), with PyTorch's parameter shapes, default init and repr."""

from . import functional as F
from .conv import _check_channels, _conv_repr, _ConvNd, _pair, _reset_conv_parameters
from .linear import _weight_and_bias
from .module import Module


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
