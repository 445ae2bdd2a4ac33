"""2-D convolution (cross-correlation, as PyTorch) as one matrix product, with its backward.

The batch is the innermost axis of the im2col matrix, (C*kh*kw, Ho*Wo*N): the window copy and
the col2im sums then run over long contiguous rows of Wo*N values instead of rows of Wo, and
the output, (O, Ho, Wo, N) in memory, is returned as an (N, O, Ho, Wo) view. Elementwise ops
keep that layout, so the next convolution reads its input without a transpose.

The three ops below are bilinear and close under differentiation: the gradients of a
convolution are an input-gradient and a weight-gradient op, whose own gradients are
convolutions again, so create_graph=True works through them.
"""

from __future__ import annotations

from typing import NamedTuple

from .. import backend
from ..function import Function


class Geometry(NamedTuple):
    """Everything a convolution's shape depends on."""

    in_size: tuple  # (H, W) before padding
    out_size: tuple  # (Ho, Wo)
    kernel: tuple
    stride: tuple
    padding: tuple
    dilation: tuple
    groups: int


def _batch_last_columns(xp, x, geo):
    """im2col of x (N, C, H, W): (C*kh*kw, Ho*Wo*N), the batch innermost."""
    n, c, h, w = x.shape
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = geo.kernel, geo.stride, geo.padding, geo.dilation
    ho, wo = geo.out_size
    padded = xp.zeros((c, h + 2 * ph, w + 2 * pw, n), dtype=x.dtype)
    padded[:, ph : ph + h, pw : pw + w, :] = x.transpose(1, 2, 3, 0)
    s0, s1, s2, s3 = padded.strides
    windows = backend.as_strided(
        padded, (c, kh, kw, ho, wo, n), (s0, s1 * dh, s2 * dw, s1 * sh, s2 * sw, s3)
    )
    return windows.reshape(c * kh * kw, ho * wo * n)


def _grouped(matrix, groups):
    """(rows, cols) -> (groups, rows / groups, cols): one matrix product per group."""
    return matrix.reshape(groups, matrix.shape[0] // groups, matrix.shape[1])


def _batch_last(xp, grad, groups):
    """(N, O, Ho, Wo) -> (groups, O / groups, Ho*Wo*N), the output layout of the product."""
    n, o = grad.shape[:2]
    rows = xp.ascontiguousarray(grad.transpose(1, 2, 3, 0)).reshape(o, -1)
    return _grouped(rows, groups)


def _conv_forward(xp, x, weight, geo, columns=None):
    n = x.shape[0]
    out_c = weight.shape[0]
    if columns is None:
        columns = _batch_last_columns(xp, x, geo)
    w = _grouped(weight.reshape(out_c, -1), geo.groups)
    cols = _grouped(columns, geo.groups)
    out = w @ cols  # (groups, O / groups, Ho*Wo*N)
    ho, wo = geo.out_size
    return out.reshape(out_c, ho, wo, n).transpose(3, 0, 1, 2), columns


def _input_grad(xp, grad, weight, geo):
    """The gradient of a convolution with respect to its input (col2im of W^T g)."""
    n = grad.shape[0]
    out_c, c_per_group, kh, kw = weight.shape
    g = _batch_last(xp, grad, geo.groups)
    w = _grouped(weight.reshape(out_c, -1), geo.groups)
    cols = (w.transpose(0, 2, 1) @ g).reshape(c_per_group * geo.groups, kh, kw, -1)
    (h, wd), (ho, wo) = geo.in_size, geo.out_size
    (sh, sw), (ph, pw), (dh, dw) = geo.stride, geo.padding, geo.dilation
    cols = cols.reshape(cols.shape[0], kh, kw, ho, wo, n)
    padded = xp.zeros((cols.shape[0], h + 2 * ph, wd + 2 * pw, n), dtype=grad.dtype)
    # one strided add per kernel offset, each over (C, Ho, Wo*N): no loops over pixels
    for i in range(kh):
        for j in range(kw):
            rows = slice(i * dh, i * dh + sh * (ho - 1) + 1, sh)
            columns = slice(j * dw, j * dw + sw * (wo - 1) + 1, sw)
            padded[:, rows, columns, :] += cols[:, i, j]
    return padded[:, ph : ph + h, pw : pw + wd, :].transpose(3, 0, 1, 2)


def _weight_grad(xp, x, grad, weight_shape, geo, columns=None):
    """The gradient of a convolution with respect to its weight (g times im2col(x)^T)."""
    if columns is None:
        columns = _batch_last_columns(xp, x, geo)
    g = _batch_last(xp, grad, geo.groups)
    cols = _grouped(columns, geo.groups)
    return (g @ cols.transpose(0, 2, 1)).reshape(weight_shape)


class Conv2d(Function):
    """out = x (*) W;  dx = conv2d_input_grad(g, W),  dW = conv2d_weight_grad(x, g)"""

    op_name = "conv2d"

    @staticmethod
    def forward(ctx, x, weight, geometry):
        xp = backend.array_module(x)
        ctx.geometry = geometry
        ctx.params = _shown(geometry)
        out, ctx.columns = _conv_forward(xp, x, weight, geometry)
        return out

    def _release(self):
        super()._release()
        self.columns = None  # the im2col matrix is the largest thing a CNN's graph keeps

    @staticmethod
    def backward(ctx, grad_out):
        x, weight = ctx.input_tensors
        need_x, need_w = ctx.needs_input_grad
        geo, columns = ctx.geometry, ctx.columns
        grad_x = Conv2dInputGrad._call(grad_out, weight, geometry=geo) if need_x else None
        grad_w = (
            Conv2dWeightGrad._call(x, grad_out, geometry=geo, weight_shape=weight.shape,
                                   columns=columns)
            if need_w
            else None
        )  # fmt: skip
        return grad_x, grad_w


class Conv2dInputGrad(Function):
    """out = col2im(W^T g), linear in g and W;  dg = conv2d(gg, W),  dW = weight_grad(gg, g)"""

    op_name = "conv2d_input_grad"

    @staticmethod
    def forward(ctx, grad, weight, geometry):
        ctx.geometry = geometry
        ctx.params = _shown(geometry)
        return _input_grad(backend.array_module(grad), grad, weight, geometry)

    @staticmethod
    def backward(ctx, grad_out):
        grad, weight = ctx.input_tensors
        need_g, need_w = ctx.needs_input_grad
        geo = ctx.geometry
        d_grad = Conv2d._call(grad_out, weight, geometry=geo) if need_g else None
        d_weight = (
            Conv2dWeightGrad._call(grad_out, grad, geometry=geo, weight_shape=weight.shape)
            if need_w
            else None
        )
        return d_grad, d_weight


class Conv2dWeightGrad(Function):
    """out = g im2col(x)^T, linear in x and g;  dx = input_grad(g, gg),  dg = conv2d(x, gg)"""

    op_name = "conv2d_weight_grad"

    @staticmethod
    def forward(ctx, x, grad, geometry, weight_shape, columns=None):
        ctx.geometry = geometry
        ctx.params = _shown(geometry)
        xp = backend.array_module(x)
        return _weight_grad(xp, x, grad, weight_shape, geometry, columns)

    @staticmethod
    def backward(ctx, grad_out):
        x, grad = ctx.input_tensors
        need_x, need_g = ctx.needs_input_grad
        geo = ctx.geometry
        d_x = Conv2dInputGrad._call(grad, grad_out, geometry=geo) if need_x else None
        d_grad = Conv2d._call(x, grad_out, geometry=geo) if need_g else None
        return d_x, d_grad


def _shown(geo):
    return {"stride": geo.stride, "padding": geo.padding, "dilation": geo.dilation,
            "groups": geo.groups}  # fmt: skip


def _pair(value, name):
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, int) for v in pair):
        raise TypeError(f"conv2d: {name} must be an int or a pair of ints, got {value!r}")
    return pair


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation of `input` (N, C, H, W) with `weight` (O, C / groups, kh, kw), plus
    `bias` (O,); `padding` is an int, a pair, "valid" or "same" (as torch.conv2d)."""
    if input.ndim != 4 or weight.ndim != 4:
        raise ValueError(
            f"conv2d: expected 4-D input (N, C, H, W) and weight (O, C / groups, kh, kw), got "
            f"shapes {tuple(input.shape)} and {tuple(weight.shape)}"
        )
    stride, dilation = _pair(stride, "stride"), _pair(dilation, "dilation")
    if isinstance(padding, str):
        input, padding = _string_padding(input, weight, padding, stride, dilation)
    n, c, h, w = input.shape
    out_c, c_per_group, kh, kw = weight.shape
    if not isinstance(groups, int) or groups < 1 or c != c_per_group * groups or out_c % groups:
        raise ValueError(
            f"conv2d: input of shape {tuple(input.shape)} and weight of shape "
            f"{tuple(weight.shape)} do not fit groups={groups} (the input needs "
            f"{c_per_group} x groups channels and the output channels must divide by groups)"
        )
    padding = _pair(padding, "padding")
    if min(stride + dilation) < 1 or min(padding) < 0:
        raise ValueError(
            f"conv2d: stride and dilation must be positive and padding non-negative, got "
            f"stride={stride}, padding={padding}, dilation={dilation}"
        )
    ho = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    wo = (w + 2 * padding[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    if ho < 1 or wo < 1:
        raise ValueError(
            f"conv2d: kernel {(kh, kw)} (dilation {dilation}) is larger than the input of shape "
            f"{tuple(input.shape)} padded by {padding}"
        )
    _check_same_kind("conv2d", input, weight)
    geometry = Geometry((h, w), (ho, wo), (kh, kw), stride, padding, dilation, groups)
    out = Conv2d._call(input, weight, geometry=geometry)
    return _add_bias("conv2d", out, bias, out_c)


def _check_same_kind(op, input, weight):
    """One dtype and one device for input and weight."""
    if input.dtype != weight.dtype:
        raise TypeError(
            f"{op}: input is {input.dtype} but weight is {weight.dtype}; convert one with .to()"
        )
    if input.device != weight.device:
        raise RuntimeError(
            f"{op}: expected input and weight on the same device, got {input.device} and "
            f"{weight.device}"
        )


def _add_bias(op, out, bias, out_c):
    """out (N, out_c, Ho, Wo) plus a per-channel `bias` (out_c,), if one is given."""
    if bias is None:
        return out
    if tuple(bias.shape) != (out_c,):
        raise ValueError(
            f"{op}: bias of shape {tuple(bias.shape)} does not fit {out_c} output channels"
        )
    return out + bias.reshape(1, out_c, 1, 1)


def _string_padding(input, weight, padding, stride, dilation):
    """PyTorch's padding="valid" (none) and "same" (output as large as the input, stride 1)."""
    if padding == "valid":
        return input, (0, 0)
    if padding != "same":
        raise ValueError(
            f"conv2d: padding must be an int, a pair, 'same' or 'valid', got {padding!r}"
        )
    if stride != (1, 1):
        raise ValueError("conv2d: padding='same' needs stride 1")
    total_h = dilation[0] * (weight.shape[2] - 1)
    total_w = dilation[1] * (weight.shape[3] - 1)
    if total_h % 2 or total_w % 2:  # uneven: the extra row/column goes at the end, as PyTorch
        from .join import pad

        widths = (total_w // 2, total_w - total_w // 2, total_h // 2, total_h - total_h // 2)
        return pad(input, widths), (0, 0)
    return input, (total_h // 2, total_w // 2)


def conv_transpose2d(
    input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):
    """2-D transposed convolution of `input` (N, C_in, H, W) with `weight`
    (C_in, C_out / groups, kh, kw), plus `bias` (C_out,), as torch.conv_transpose2d.

    It is the gradient of a convolution with respect to its input: a convolution of the output
    size Ho = (H - 1) * stride - 2 * padding + dilation * (kh - 1) + output_padding + 1 with the
    same weight maps that output back to (H, W). `output_padding` only adds rows and columns at
    the end (the sizes a strided convolution cannot tell apart); it must be less than stride or
    dilation."""
    if input.ndim != 4 or weight.ndim != 4:
        raise ValueError(
            f"conv_transpose2d: expected 4-D input (N, C_in, H, W) and weight "
            f"(C_in, C_out / groups, kh, kw), got shapes {tuple(input.shape)} and "
            f"{tuple(weight.shape)}"
        )
    stride, dilation = _pair(stride, "stride"), _pair(dilation, "dilation")
    padding, output_padding = _pair(padding, "padding"), _pair(output_padding, "output_padding")
    n, c, h, w = input.shape
    in_c, out_per_group, kh, kw = weight.shape
    if not isinstance(groups, int) or groups < 1 or c != in_c or in_c % groups:
        raise ValueError(
            f"conv_transpose2d: input of shape {tuple(input.shape)} and weight of shape "
            f"{tuple(weight.shape)} do not fit groups={groups} (weight's first dim must equal "
            f"the input channels and divide by groups)"
        )
    if min(stride + dilation) < 1 or min(padding + output_padding) < 0:
        raise ValueError(
            f"conv_transpose2d: stride and dilation must be positive, padding and "
            f"output_padding non-negative, got stride={stride}, padding={padding}, "
            f"output_padding={output_padding}, dilation={dilation}"
        )
    for op, s, d in zip(output_padding, stride, dilation):
        if op >= s and op >= d:
            raise ValueError(
                f"conv_transpose2d: output_padding {output_padding} must be smaller than either "
                f"stride {stride} or dilation {dilation}"
            )
    out_h = (h - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kh - 1) + output_padding[0] + 1
    out_w = (w - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kw - 1) + output_padding[1] + 1
    if out_h < 1 or out_w < 1:
        raise ValueError(
            f"conv_transpose2d: output size {(out_h, out_w)} is too small for input of shape "
            f"{tuple(input.shape)} with padding {padding}"
        )
    _check_same_kind("conv_transpose2d", input, weight)
    # the convolution this one is the input-gradient of: (out_h, out_w) -> (h, w)
    geometry = Geometry((out_h, out_w), (h, w), (kh, kw), stride, padding, dilation, groups)
    out = Conv2dInputGrad._call(input, weight, geometry=geometry)
    return _add_bias("conv_transpose2d", out, bias, out_per_group * groups)
