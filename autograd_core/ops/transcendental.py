"""One-input functions beyond elementwise.py's: square, reciprocal, rsqrt, base-2 and base-10
logs and powers, expm1, and the trigonometric and hyperbolic functions with their inverses.
Integer inputs give the default float dtype (square keeps integers, as in PyTorch)."""

from __future__ import annotations

import math

from .common import unboxed
from .elementwise import _float_input, _unary, _xp, pow

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)


def _squared(x):
    """x * x on arrays or tensors: in a backward formula a product, not a pow node."""
    return x * x


def square(a):
    """a * a; integer tensors stay integer and bool becomes int64, as in PyTorch."""
    return pow(a, 2)


Reciprocal = _unary(
    "Reciprocal",
    "out = 1 / a;  da = -out^2",
    lambda ctx, a: _xp(a).reciprocal(a),
    lambda ctx, g: -g * (ctx.outputs[0] * ctx.outputs[0]),
    saves_output=True,
    backward_raw=lambda ctx, g: -g * _squared(unboxed(ctx.output_data())),
)
Rsqrt = _unary(
    "Rsqrt",
    "out = 1 / sqrt(a);  da = -out^3 / 2",
    lambda ctx, a: 1 / _xp(a).sqrt(a),
    lambda ctx, g: g * (ctx.outputs[0] * ctx.outputs[0] * ctx.outputs[0] * -0.5),
    saves_output=True,
)
Log2 = _unary(
    "Log2",
    "out = log2(a);  da = 1 / (a ln 2)",
    lambda ctx, a: _xp(a).log2(a),
    lambda ctx, g: g / (ctx.input_tensors[0] * _LN2),
)
Log10 = _unary(
    "Log10",
    "out = log10(a);  da = 1 / (a ln 10)",
    lambda ctx, a: _xp(a).log10(a),
    lambda ctx, g: g / (ctx.input_tensors[0] * _LN10),
)
Exp2 = _unary(
    "Exp2",
    "out = 2^a;  da = out ln 2",
    lambda ctx, a: _xp(a).exp2(a),
    lambda ctx, g: g * (ctx.outputs[0] * _LN2),
    saves_output=True,
)
Expm1 = _unary(
    "Expm1",
    "out = e^a - 1 (exact near 0);  da = out + 1",
    lambda ctx, a: _xp(a).expm1(a),
    lambda ctx, g: g * (ctx.outputs[0] + 1),
    saves_output=True,
)
Tan = _unary(
    "Tan",
    "out = tan a;  da = 1 + out^2",
    lambda ctx, a: _xp(a).tan(a),
    lambda ctx, g: g * (ctx.outputs[0] * ctx.outputs[0] + 1),
    saves_output=True,
)
Asin = _unary(
    "Asin",
    "out = asin a;  da = 1 / sqrt(1 - a^2)",
    lambda ctx, a: _xp(a).arcsin(a),
    lambda ctx, g: g * rsqrt(1 - _squared(ctx.input_tensors[0])),
)
Acos = _unary(
    "Acos",
    "out = acos a;  da = -1 / sqrt(1 - a^2)",
    lambda ctx, a: _xp(a).arccos(a),
    lambda ctx, g: -g * rsqrt(1 - _squared(ctx.input_tensors[0])),
)
Atan = _unary(
    "Atan",
    "out = atan a;  da = 1 / (1 + a^2)",
    lambda ctx, a: _xp(a).arctan(a),
    lambda ctx, g: g / (_squared(ctx.input_tensors[0]) + 1),
)
Sinh = _unary(
    "Sinh",
    "out = sinh a;  da = cosh a",
    lambda ctx, a: _xp(a).sinh(a),
    lambda ctx, g: g * cosh(ctx.input_tensors[0]),
)
Cosh = _unary(
    "Cosh",
    "out = cosh a;  da = sinh a",
    lambda ctx, a: _xp(a).cosh(a),
    lambda ctx, g: g * sinh(ctx.input_tensors[0]),
)
Asinh = _unary(
    "Asinh",
    "out = asinh a;  da = 1 / sqrt(a^2 + 1)",
    lambda ctx, a: _xp(a).arcsinh(a),
    lambda ctx, g: g * rsqrt(_squared(ctx.input_tensors[0]) + 1),
)
Acosh = _unary(
    "Acosh",
    "out = acosh a (a >= 1);  da = 1 / sqrt(a^2 - 1)",
    lambda ctx, a: _xp(a).arccosh(a),
    lambda ctx, g: g * rsqrt(_squared(ctx.input_tensors[0]) - 1),
)
Atanh = _unary(
    "Atanh",
    "out = atanh a (|a| < 1);  da = 1 / (1 - a^2)",
    lambda ctx, a: _xp(a).arctanh(a),
    lambda ctx, g: g / (1 - _squared(ctx.input_tensors[0])),
)


def reciprocal(a):
    """1 / a; integers give the default float dtype."""
    return Reciprocal._call(_float_input(a, "reciprocal"))


def rsqrt(a):
    """1 / sqrt(a); integers give the default float dtype."""
    return Rsqrt._call(_float_input(a, "rsqrt"))


def log2(a):
    return Log2._call(_float_input(a, "log2"))


def log10(a):
    return Log10._call(_float_input(a, "log10"))


def exp2(a):
    return Exp2._call(_float_input(a, "exp2"))


def expm1(a):
    """e^a - 1, accurate for small a where exp(a) - 1 loses the digits."""
    return Expm1._call(_float_input(a, "expm1"))


def tan(a):
    return Tan._call(_float_input(a, "tan"))


def asin(a):
    return Asin._call(_float_input(a, "asin"))


def acos(a):
    return Acos._call(_float_input(a, "acos"))


def atan(a):
    return Atan._call(_float_input(a, "atan"))


def sinh(a):
    return Sinh._call(_float_input(a, "sinh"))


def cosh(a):
    return Cosh._call(_float_input(a, "cosh"))


def asinh(a):
    return Asinh._call(_float_input(a, "asinh"))


def acosh(a):
    return Acosh._call(_float_input(a, "acosh"))


def atanh(a):
    return Atanh._call(_float_input(a, "atanh"))
