"""ONNX forms of the layer ops: matrix products, linear, convolutions, pooling, unfold,
einsum."""

from __future__ import annotations

from ..ops import conv, linalg, pool, window
from ..ops.einsum import Einsum
from .lower import emits


@emits(linalg.MatMul)
def _matmul(ctx):
    return ctx.b.node("MatMul", [ctx.input(0), ctx.input(1)])


@emits(linalg.Linear)
def _linear(ctx):
    g = ctx.b
    x, weight = ctx.input(0), ctx.input(1)
    bias = [ctx.input(2)] if len(ctx.op.inputs) > 2 and ctx.op.inputs[2] is not None else []
    if ctx.tensor(0).ndim == 2:
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


@emits(conv.Conv2d)
def _conv2d(ctx):
    geometry = ctx.param("geometry")
    return ctx.b.node("Conv", [ctx.input(0), ctx.input(1)], **_conv_attrs(geometry))


@emits(conv.Conv2dInputGrad)
def _conv_transpose2d(ctx):
    # the input-gradient of the convolution (in_size -> out_size) described by geometry
    geo = ctx.param("geometry")
    output_padding = []
    for i in range(2):
        k, s, p, d = geo.kernel[i], geo.stride[i], geo.padding[i], geo.dilation[i]
        natural = (geo.out_size[i] - 1) * s - 2 * p + d * (k - 1) + 1
        output_padding.append(geo.in_size[i] - natural)
    attrs = _conv_attrs(geo)
    return ctx.b.node(
        "ConvTranspose", [ctx.input(0), ctx.input(1)], output_padding=output_padding, **attrs
    )


@emits(pool.MaxPool2dTiles)
def _max_pool_tiles(ctx):
    kernel = [int(k) for k in ctx.param("kernel")]
    return ctx.b.node("MaxPool", [ctx.input(0)], kernel_shape=kernel, strides=kernel)


@emits(window.Unfold)
def _unfold(ctx):
    """Every window as a column, by one strided slice per kernel offset (exact, and -inf
    padding of max pooling passes through, which a one-hot convolution would turn to NaN)."""
    g = ctx.b
    (kh, kw), (dh, dw) = ctx.param("kernel_size"), ctx.param("dilation")
    (ph, pw), (sh, sw) = ctx.param("padding"), ctx.param("stride")
    x = ctx.input(0)
    _, _, h, w = ctx.tensor(0).shape
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
    return ctx.reshape_to_output(stacked)


@emits(Einsum)
def _einsum(ctx):
    equation = ",".join(ctx.param("inputs")) + "->" + ctx.param("output")
    names = [ctx.input(j) for j in range(len(ctx.op.inputs))]
    return ctx.b.node("Einsum", names, equation=equation)
