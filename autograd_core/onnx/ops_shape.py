"""ONNX forms of reshape, permute, expand, indexing, concatenation, padding and flips."""

from __future__ import annotations

import numpy as np

from .. import backend
from .graph import INT64_MAX, INT64_MIN
from .lower import emits, op_module

index = op_module("index")
join = op_module("join")
shape = op_module("shape")


@emits(shape.Reshape, dynamic=("shape",))
def _reshape(ctx):
    target = ctx.shape_input(ctx.param("shape"), ctx.param_b("shape"))
    return ctx.b.node("Reshape", [ctx.input(0), target])


@emits(shape.Permute)
def _permute(ctx):
    return ctx.b.node("Transpose", [ctx.input(0)], perm=[int(d) for d in ctx.param("dims")])


@emits(shape.BroadcastTo, dynamic=("shape",))
def _expand(ctx):
    target = ctx.shape_input(ctx.param("shape"), ctx.param_b("shape"), minus_one=False)
    return ctx.b.node("Expand", [ctx.input(0), target])


@emits(shape.Copy)
def _copy(ctx):
    return ctx.b.node("Identity", [ctx.input(0)])


@emits(shape.Flip)
def _flip(ctx):
    dims = [int(d) for d in ctx.param("dims")]
    g = ctx.b
    n = len(dims)
    starts, ends = g.ints([-1] * n), g.ints([INT64_MIN] * n)
    return g.node("Slice", [ctx.input(0), starts, ends, g.ints(dims), g.ints([-1] * n)])


@emits(join.Cat)
def _cat(ctx):
    names = [ctx.input(j) for j in range(len(ctx.op.inputs))]
    return ctx.b.node("Concat", names, axis=int(ctx.param("dim")))


@emits(join.ConstantPad)
def _pad(ctx):
    widths = ctx.param("widths")
    pads = [int(w[0]) for w in widths] + [int(w[1]) for w in widths]
    value = ctx.scalar(ctx.param("value"))
    return ctx.b.node("Pad", [ctx.input(0), ctx.b.ints(pads), value], mode="constant")


# ---- indexing ------------------------------------------------------------------------------
def _expand_ellipsis(parts, ndim):
    parts = parts if isinstance(parts, tuple) else (parts,)
    consumed = sum(
        (p.ndim if p.dtype == np.bool_ else 1) if backend.is_array(p) else 1
        for p in parts
        if p is not None and p is not Ellipsis
    )
    out = []
    for p in parts:
        if p is Ellipsis:
            out.extend([slice(None)] * (ndim - consumed))
        else:
            out.append(p)
    if not any(p is Ellipsis for p in parts):
        out.extend([slice(None)] * (ndim - consumed))
    return out


def _bounds(part):
    """(start, end, step) of an int or a slice, as ONNX Slice reads them."""
    if isinstance(part, (int, np.integer)):
        i = int(part)
        return i, (INT64_MAX if i == -1 else i + 1), 1
    step = 1 if part.step is None else int(part.step)
    if step > 0:
        start = 0 if part.start is None else int(part.start)
        end = INT64_MAX if part.stop is None else int(part.stop)
    else:
        start = INT64_MAX if part.start is None else int(part.start)
        end = INT64_MIN if part.stop is None else int(part.stop)
    return start, end, step


_MASK_MESSAGE = (
    "a boolean mask selects a data-dependent number of values; export needs static "
    "selections (use where or masked_fill)"
)
_SEVERAL_ARRAYS_MESSAGE = (
    "indexing with several index arrays (or an index array and integers) has no ONNX mapping "
    "here; index one dim at a time"
)


@emits(index.GetItem, dynamic=("index",))
def _getitem(ctx):
    shape_a = ctx.tensor(0).shape
    parts_a = _expand_ellipsis(ctx.param("index"), len(shape_a))
    parts_b = _expand_ellipsis(ctx.param_b("index"), len(shape_a))
    slices, squeeze, arrays, new_axes = [], [], [], []
    axis = out_axis = 0
    for part, part_b in zip(parts_a, parts_b):
        if part is None:
            new_axes.append(out_axis)
            out_axis += 1
        elif backend.is_array(part):
            if part.dtype == np.bool_:
                ctx.fail(_MASK_MESSAGE)
            arrays.append((axis, part, part_b))
            axis += 1
            out_axis += part.ndim
        elif isinstance(part, (int, np.integer)):
            slices.append((axis, _bounds(part), _bounds(part_b)))
            squeeze.append(axis)
            axis += 1
        else:
            if part != slice(None) and part.indices(shape_a[axis]) != (0, shape_a[axis], 1):
                slices.append((axis, _bounds(part), _bounds(part_b)))
            elif part_b != part:
                slices.append((axis, _bounds(part), _bounds(part_b)))
            axis += 1
            out_axis += 1
    if len(arrays) > 1 or (arrays and squeeze):
        ctx.fail(_SEVERAL_ARRAYS_MESSAGE)
    g = ctx.b
    x = ctx.input(0)
    if slices:
        axes = [s[0] for s in slices]
        # starts, ends and steps, each from the first run's and the second run's values
        starts, ends, steps = (
            ctx.shape_input([s[1][k] for s in slices], [s[2][k] for s in slices], False)
            for k in range(3)
        )
        x = g.node("Slice", [x, starts, ends, g.ints(axes), steps])
    if arrays:
        (axis, array, array_b) = arrays[0]
        indices = ctx.array_input(array, array_b)
        if array.dtype not in (np.int64, np.int32):
            indices = g.node("Cast", [indices], to=7)  # int64
        x = g.node("Gather", [x, indices], axis=axis)
    if squeeze:
        x = g.node("Squeeze", [x, g.ints(squeeze)])
    if new_axes:
        x = g.node("Unsqueeze", [x, g.ints(new_axes)])
    if x == ctx.input(0):
        x = g.node("Identity", [x])
    return x
