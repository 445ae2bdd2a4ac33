"""ONNX forms of the layer ops: matrix products, linear, convolutions, pooling, unfold,
einsum."""

from __future__ import annotations

import numpy as np

from .graph import INT64_MIN
from .lower import emits, op_module

conv = op_module("conv")
linalg = op_module("linalg")
pool = op_module("pool")
window = op_module("window")
Einsum = op_module("einsum").Einsum


@emits(linalg.MatMul)
def _matmul(ctx):
    return ctx.b.node("MatMul", [ctx.input(0), ctx.input(1)])


@emits(linalg.Linear)
def _linear(ctx):
    g = ctx.b
    x, weight = ctx.input(0), ctx.input(1)
    bias = [ctx.input(2)] if len(ctx.op.inputs) > 2 and ctx.op.inputs[2] is not None else []
    # Gemm in float32; in float64 older ONNX Runtimes fuse Gemm and Relu into a node they
    # have no float64 kernel for, so MatMul and Add
    if ctx.tensor(0).ndim == 2 and ctx.dtype == np.float32:
        return g.node("Gemm", [x, weight, *bias], transB=1)
    out = g.node("MatMul", [x, g.node("Transpose", [weight], perm=[1, 0])])
    return g.node("Add", [out, bias[0]]) if bias else out


def _conv_attrs(geometry):
    (ph, pw) = geometry.padding
    return {
        "kernel_shape": list(geometry.kernel),
        "strides": list(geometry.stride),
        "pads": [ph, pw, ph, pw],
        "dilations": list(geometry.dilation),
        "group": int(geometry.groups),
    }


def _native_conv(ctx) -> bool:
    # ONNX Runtime has Conv and ConvTranspose for float32 only; other dtypes (float64) go
    # through windows and a matrix product, which it runs for every float type
    return ctx.dtype == np.float32


@emits(conv.Conv2d, dynamic=("geometry",))
def _conv2d(ctx):
    geo = ctx.param("geometry")
    if _native_conv(ctx):
        return ctx.b.node("Conv", [ctx.input(0), ctx.input(1)], **_conv_attrs(geo))
    if ctx.op_b is not None:
        ctx.check_static()  # the windows below are cut for fixed image sizes
    x, weight = ctx.input(0), ctx.input(1)
    out_c, c_per_group = ctx.tensor(1).shape[:2]
    return _conv_by_matmul(ctx, x, ctx.tensor(0).shape[1:], weight, out_c, c_per_group, geo)


def _conv_by_matmul(ctx, x, chw, weight, out_c, c_per_group, geo):
    """conv2d as windows (N, C, K, Ho, Wo) times the weight, one product per group."""
    g = ctx.b
    c, h, w = chw
    groups = geo.groups
    windows, ho, wo = _windows(ctx, x, (h, w), geo.kernel, geo.dilation, geo.padding, geo.stride)
    k = geo.kernel[0] * geo.kernel[1]
    columns = g.node("Reshape", [windows, g.ints([-1, groups, c_per_group * k, ho * wo])])
    shape = g.ints([groups, out_c // groups, c_per_group * k])
    product = g.node("MatMul", [g.node("Reshape", [weight, shape]), columns])
    return g.node("Reshape", [product, g.ints([-1, out_c, ho, wo])])


@emits(conv.Conv2dInputGrad, dynamic=("geometry",))
def _conv_transpose2d(ctx):
    # the input-gradient of the convolution (in_size -> out_size) described by geometry
    geo = ctx.param("geometry")
    output_padding = []
    for i in range(2):
        k, s, p, d = geo.kernel[i], geo.stride[i], geo.padding[i], geo.dilation[i]
        natural = (geo.out_size[i] - 1) * s - 2 * p + d * (k - 1) + 1
        output_padding.append(geo.in_size[i] - natural)
    if _native_conv(ctx):
        return ctx.b.node(
            "ConvTranspose",
            [ctx.input(0), ctx.input(1)],
            output_padding=output_padding,
            **_conv_attrs(geo),
        )
    if ctx.op_b is not None:
        ctx.check_static()  # the windows of the convolution below have fixed sizes
    return _conv_transpose_by_conv(ctx, geo, output_padding)


def _conv_transpose_by_conv(ctx, geo, output_padding):
    """A transposed convolution as a convolution: the input spread out by the stride (zeros
    between), padded by d (k - 1) - p, convolved with the weight flipped and transposed."""
    g = ctx.b
    n_in, c_in, h, w = ctx.tensor(0).shape
    _, out_per_group, kh, kw = ctx.tensor(1).shape
    groups = geo.groups
    (sh, sw), (dh, dw), (ph, pw) = geo.stride, geo.dilation, geo.padding
    x = ctx.input(0)
    if (sh, sw) != (1, 1):
        spread = g.node("Unsqueeze", [x, g.ints([3, 5])])
        spread = g.node("Pad", [spread, g.ints([0] * 9 + [sh - 1, 0, sw - 1])])
        spread = g.node("Reshape", [spread, g.ints([-1, c_in, h * sh, w * sw])])
        ends = g.ints([(h - 1) * sh + 1, (w - 1) * sw + 1])
        x = g.node("Slice", [spread, g.ints([0, 0]), ends, g.ints([2, 3])])
    spread_h, spread_w = (h - 1) * sh + 1, (w - 1) * sw + 1
    before = [dh * (kh - 1) - ph, dw * (kw - 1) - pw]
    after = [before[0] + output_padding[0], before[1] + output_padding[1]]
    if min(before + after) < 0:  # padding larger than the kernel's reach: crop instead
        starts = [max(-b, 0) for b in before]
        ends = [spread_h - max(-after[0], 0), spread_w - max(-after[1], 0)]
        x = g.node("Slice", [x, g.ints(starts), g.ints(ends), g.ints([2, 3])])
        spread_h, spread_w = ends[0] - starts[0], ends[1] - starts[1]
        before, after = [max(b, 0) for b in before], [max(a, 0) for a in after]
    if max(before + after) > 0:
        pads = g.ints([0, 0, before[0], before[1], 0, 0, after[0], after[1]])
        x = g.node("Pad", [x, pads, ctx.scalar(0)])
    padded = (spread_h + before[0] + after[0], spread_w + before[1] + after[1])
    # weight (C_in, O/g, kh, kw) -> (O, C_in/g, kh, kw), flipped in space
    weight = g.node(
        "Reshape", [ctx.input(1), g.ints([groups, c_in // groups, out_per_group, kh, kw])]
    )
    weight = g.node("Transpose", [weight], perm=[0, 2, 1, 3, 4])
    weight = g.node("Reshape", [weight, g.ints([groups * out_per_group, c_in // groups, kh, kw])])
    flip = [g.ints([-1, -1]), g.ints([INT64_MIN, INT64_MIN]), g.ints([2, 3]), g.ints([-1, -1])]
    weight = g.node("Slice", [weight, *flip])
    plain = geo._replace(stride=(1, 1), padding=(0, 0))
    out_c = groups * out_per_group
    return _conv_by_matmul(ctx, x, (c_in, *padded), weight, out_c, c_in // groups, plain)


@emits(pool.MaxPool2dTiles)
def _max_pool_tiles(ctx):
    kernel = [int(k) for k in ctx.param("kernel")]
    return ctx.b.node("MaxPool", [ctx.input(0)], kernel_shape=kernel, strides=kernel)


def _windows(ctx, x, hw, kernel, dilation, padding, stride):
    """(N, C, H, W) -> (N, C, kh*kw, Ho, Wo): one strided slice per kernel offset (exact, and
    the -inf padding of max pooling passes through, which a one-hot convolution would turn
    into NaN)."""
    g = ctx.b
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = kernel, dilation, padding, stride
    h, w = hw
    if ph or pw:
        pads = g.ints([0, 0, ph, pw, 0, 0, ph, pw])
        x = g.node("Pad", [x, pads, ctx.scalar(0)], mode="constant")
    ho = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    wo = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    axes, steps = g.ints([2, 3]), g.ints([sh, sw])
    columns = []
    for i in range(kh):
        for j in range(kw):
            starts = g.ints([i * dh, j * dw])
            ends = g.ints([i * dh + sh * (ho - 1) + 1, j * dw + sw * (wo - 1) + 1])
            window_ = g.node("Slice", [x, starts, ends, axes, steps])
            columns.append(g.node("Unsqueeze", [window_, g.ints([2])]))
    stacked = g.node("Concat", columns, axis=2) if len(columns) > 1 else columns[0]
    return stacked, ho, wo


@emits(window.Unfold)
def _unfold(ctx):
    """Every window as a column: (N, C, H, W) -> (N, C*kh*kw, L)."""
    if ctx.op_b is not None and ctx.op_b.inputs[0].shape[2:] != ctx.tensor(0).shape[2:]:
        ctx.fail("windows over a dynamic image size are cut for one size; export H, W static")
    windows, _, _ = _windows(
        ctx,
        ctx.input(0),
        ctx.tensor(0).shape[2:],
        ctx.param("kernel_size"),
        ctx.param("dilation"),
        ctx.param("padding"),
        ctx.param("stride"),
    )
    return ctx.reshape_to_output(windows)


@emits(Einsum)
def _einsum(ctx):
    equation = ",".join(ctx.param("inputs")) + "->" + ctx.param("output")
    names = [ctx.input(j) for j in range(len(ctx.op.inputs))]
    return ctx.b.node("Einsum", names, equation=equation)
