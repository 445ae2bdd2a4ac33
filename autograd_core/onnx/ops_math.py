"""ONNX forms of the elementwise ops, comparisons, selections, reductions and softmax."""

from __future__ import annotations

import math

import numpy as np

from .graph import tensor_type
from .lower import emits, op_module

binary_math = op_module("binary_math")
compare = op_module("compare")
elementwise = op_module("elementwise")
reduce = op_module("reduce")
rounding = op_module("rounding")
scan = op_module("scan")
select = op_module("select")
transcendental = op_module("transcendental")
softmax_ops = op_module("softmax")
LogSoftmax, LogSumExp, Softmax = softmax_ops.LogSoftmax, softmax_ops.LogSumExp, softmax_ops.Softmax

_UNARY = {
    elementwise.Neg: "Neg",
    elementwise.Exp: "Exp",
    elementwise.Log: "Log",
    elementwise.Sqrt: "Sqrt",
    elementwise.Sin: "Sin",
    elementwise.Cos: "Cos",
    elementwise.Tanh: "Tanh",
    elementwise.Abs: "Abs",
    elementwise.Erf: "Erf",
    elementwise.Sigmoid: "Sigmoid",
    elementwise.ReLU: "Relu",
    transcendental.Reciprocal: "Reciprocal",
    transcendental.Tan: "Tan",
    transcendental.Asin: "Asin",
    transcendental.Acos: "Acos",
    transcendental.Atan: "Atan",
    transcendental.Sinh: "Sinh",
    transcendental.Cosh: "Cosh",
    transcendental.Asinh: "Asinh",
    transcendental.Acosh: "Acosh",
    transcendental.Atanh: "Atanh",
    compare.Sign: "Sign",
    rounding.Floor: "Floor",
    rounding.Ceil: "Ceil",
}
_BINARY = {
    elementwise.Add: "Add",
    elementwise.Sub: "Sub",
    elementwise.Mul: "Mul",
    elementwise.Div: "Div",
    elementwise.Pow: "Pow",
    select.Maximum: "Max",
    select.Minimum: "Min",
}


def _unary(op_type):
    return lambda ctx: ctx.b.node(op_type, [ctx.input(0)])


def _binary(op_type):
    return lambda ctx: ctx.b.node(op_type, [ctx.input(0), ctx.input(1)])


for _cls, _op_type in _UNARY.items():
    emits(_cls)(_unary(_op_type))
for _cls, _op_type in _BINARY.items():
    emits(_cls)(_binary(_op_type))


@emits(elementwise.Log1p)
def _log1p(ctx):
    return ctx.b.node("Log", [ctx.b.node("Add", [ctx.input(0), ctx.scalar(1)])])


@emits(transcendental.Expm1)
def _expm1(ctx):
    return ctx.b.node("Sub", [ctx.b.node("Exp", [ctx.input(0)]), ctx.scalar(1)])


@emits(transcendental.Rsqrt)
def _rsqrt(ctx):
    return ctx.b.node("Reciprocal", [ctx.b.node("Sqrt", [ctx.input(0)])])


@emits(transcendental.Log2, transcendental.Log10)
def _log_base(ctx):
    base = 2.0 if ctx.op.key is transcendental.Log2 else 10.0
    return ctx.b.node("Div", [ctx.b.node("Log", [ctx.input(0)]), ctx.scalar(math.log(base))])


@emits(transcendental.Exp2)
def _exp2(ctx):
    return ctx.b.node("Pow", [ctx.scalar(2), ctx.input(0)])


@emits(elementwise.PowScalar)
def _pow_scalar(ctx):
    exponent = ctx.param("exponent")
    x = ctx.input(0)
    if exponent == 2:  # exact, as NumPy's square
        return ctx.b.node("Mul", [x, x])
    return ctx.b.node("Pow", [x, ctx.scalar(exponent)])


@emits(elementwise.Cast)
def _cast(ctx):
    return ctx.b.node("Cast", [ctx.input(0)], to=tensor_type(ctx.dtype))


@emits(elementwise.ToDevice)
def _identity(ctx):
    return ctx.b.node("Identity", [ctx.input(0)])


@emits(rounding.Round)
def _round(ctx):
    decimals = ctx.param("decimals")
    if not decimals:
        return ctx.b.node("Round", [ctx.input(0)])
    scale = ctx.scalar(10.0**decimals)
    scaled = ctx.b.node("Round", [ctx.b.node("Mul", [ctx.input(0), scale])])
    return ctx.b.node("Div", [scaled, scale])


@emits(binary_math.Hypot)
def _hypot(ctx):
    a, b = ctx.input(0), ctx.input(1)
    squares = ctx.b.node("Add", [ctx.b.node("Mul", [a, a]), ctx.b.node("Mul", [b, b])])
    return ctx.b.node("Sqrt", [squares])


@emits(binary_math.LogAddExp)
def _logaddexp(ctx):
    # max(a, b) + log(1 + exp(-|a - b|)): never overflows
    g, a, b = ctx.b, ctx.input(0), ctx.input(1)
    gap = g.node("Neg", [g.node("Abs", [g.node("Sub", [a, b])])])
    tail = g.node("Log", [g.node("Add", [g.node("Exp", [gap]), ctx.scalar(1)])])
    return g.node("Add", [g.node("Max", [a, b]), tail])


@emits(binary_math.Lerp)
def _lerp(ctx):
    g, start, end, weight = ctx.b, ctx.input(0), ctx.input(1), ctx.input(2)
    return g.node("Add", [start, g.node("Mul", [weight, g.node("Sub", [end, start])])])


@emits(select.Clamp)
def _clamp(ctx):
    low, high = ctx.param("low"), ctx.param("high")
    bounds = ["" if v is None else ctx.scalar(v) for v in (low, high)]
    while bounds and bounds[-1] == "":
        bounds.pop()
    return ctx.b.node("Clip", [ctx.input(0), *bounds])


@emits(select.Where)
def _where(ctx):
    return ctx.b.node("Where", [ctx.input(0), ctx.input(1), ctx.input(2)])


# ---- comparisons and logic (ops outside Function, captured by name) ------------------------
_COMPARE = {
    "eq": "Equal",
    "lt": "Less",
    "le": "LessOrEqual",
    "gt": "Greater",
    "ge": "GreaterOrEqual",
}
_LOGIC = {"logical_and": "And", "logical_or": "Or", "logical_xor": "Xor"}


def _operand_pair(ctx):
    """Both operands as ONNX names of one dtype (NumPy's promotion of the two)."""
    values = ctx.op.inputs
    dtypes = [np.dtype(v._data.dtype) if hasattr(v, "_data") else None for v in values]
    known = [d for d in dtypes if d is not None]
    common = np.result_type(*known) if known else np.dtype(np.float64)
    names = []
    for j, dtype in enumerate(dtypes):
        if dtype is None:
            names.append(ctx.input(j, common))
        elif dtype != common:
            names.append(ctx.b.node("Cast", [ctx.input(j)], to=tensor_type(common)))
        else:
            names.append(ctx.input(j))
    return names


def _as_bool(ctx, j):
    value = ctx.op.inputs[j]
    if hasattr(value, "_data") and value._data.dtype == np.bool_:
        return ctx.input(j)
    if not hasattr(value, "_data"):
        return ctx.input(j, np.bool_)
    return ctx.b.node(
        "Not", [ctx.b.node("Equal", [ctx.input(j), ctx.scalar(0, value._data.dtype)])]
    )


for _name, _op_type in _COMPARE.items():
    emits(_name)(lambda ctx, _t=_op_type: ctx.b.node(_t, _operand_pair(ctx)))


@emits("ne")
def _ne(ctx):
    return ctx.b.node("Not", [ctx.b.node("Equal", _operand_pair(ctx))])


for _name, _op_type in _LOGIC.items():
    emits(_name)(lambda ctx, _t=_op_type: ctx.b.node(_t, [_as_bool(ctx, 0), _as_bool(ctx, 1)]))


@emits("logical_not")
def _logical_not(ctx):
    return ctx.b.node("Not", [_as_bool(ctx, 0)])


@emits("bitwise_and", "bitwise_or", "bitwise_xor")
def _bitwise(ctx):
    if ctx.dtype != np.bool_:
        ctx.fail("bitwise ops on integers have no ONNX form here; only on bool tensors")
    op_type = {"bitwise_and": "And", "bitwise_or": "Or", "bitwise_xor": "Xor"}[ctx.op.key]
    return ctx.b.node(op_type, [_as_bool(ctx, 0), _as_bool(ctx, 1)])


@emits("bitwise_not")
def _bitwise_not(ctx):
    if ctx.dtype != np.bool_:
        ctx.fail("bitwise not of integers has no ONNX form here; only of bool tensors")
    return ctx.b.node("Not", [ctx.input(0)])


# ---- reductions ----------------------------------------------------------------------------
def _reduce(op_type):
    def emit(ctx):
        return ctx.b.reduce(op_type, ctx.input(0), ctx.param("dims"), ctx.param("keepdim"))

    return emit


emits(reduce.Sum)(_reduce("ReduceSum"))
emits(reduce.Mean)(_reduce("ReduceMean"))
emits(reduce.Prod)(_reduce("ReduceProd"))
emits(LogSumExp)(_reduce("ReduceLogSumExp"))


@emits(reduce.AMax)
def _amax(ctx):
    op_type = "ReduceMax" if ctx.param("largest") else "ReduceMin"
    return ctx.b.reduce(op_type, ctx.input(0), ctx.param("dims"), ctx.param("keepdim"))


@emits(reduce.Var)
def _var(ctx):
    g, x = ctx.b, ctx.input(0)
    dims, keepdim, correction = ctx.param("dims"), ctx.param("keepdim"), ctx.param("correction")
    shape = ctx.tensor(0).shape
    axes = range(len(shape)) if dims is None else dims
    mean = g.reduce("ReduceMean", x, dims, True)
    deviation = g.node("Sub", [x, mean])
    var = g.reduce("ReduceMean", g.node("Mul", [deviation, deviation]), dims, keepdim)
    if not correction:
        return var
    n = math.prod(shape[a] for a in axes)
    if ctx.op_b is not None and math.prod(ctx.op_b.inputs[0].shape[a] for a in axes) != n:
        ctx.fail("var with a correction over a dynamic axis is not supported")
    return g.node(
        "Mul", [var, ctx.scalar(n / max(n - correction, 0) if n > correction else np.nan)]
    )


@emits(reduce.MaxWithIndices)
def _max_with_indices(ctx):
    g, x = ctx.b, ctx.input(0)
    dim, keepdim = ctx.param("dim"), ctx.param("keepdim")
    largest = ctx.param("largest")
    values = g.reduce("ReduceMax" if largest else "ReduceMin", x, [dim], keepdim)
    arg = "ArgMax" if largest else "ArgMin"
    indices = g.node(arg, [x], axis=int(dim), keepdims=1 if keepdim else 0)
    return [values, indices]


@emits(Softmax, LogSoftmax)
def _softmax(ctx):
    op_type = "Softmax" if ctx.op.key is Softmax else "LogSoftmax"
    return ctx.b.node(op_type, [ctx.input(0)], axis=int(ctx.param("dim")))


@emits(scan.CumSum)
def _cumsum(ctx):
    axis = ctx.b.const(np.asarray(int(ctx.param("dim")), dtype=np.int64))
    return ctx.b.node("CumSum", [ctx.input(0), axis])
