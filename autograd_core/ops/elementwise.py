"""Elementwise ops: arithmetic, exp/log, activations, comparisons, casts. Broadcasting is
undone by the engine, so each backward returns gradients of the broadcast shape."""

from __future__ import annotations

from .. import backend, dtypes
from ..function import Function
from .activation_backward import ReluBackward, SigmoidBackward, TanhBackward
from .common import as_tensor, binary_operands, constant, is_scalar, is_tensor, unboxed
from .compare import logical_and, sign


class Add(Function):
    """out = a + b"""

    op_name = "add"
    broadcasts = True
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad_out):
        return grad_out, grad_out

    backward_raw = backward  # the same on arrays


def add(a, b, alpha=1):
    """a + alpha * b."""
    if alpha != 1:
        b = b * alpha
    return Add._call(*binary_operands(a, b, "add"))


class Sub(Function):
    """out = a - b"""

    op_name = "sub"
    broadcasts = True
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, grad_out):
        return grad_out, -grad_out if ctx.needs_input_grad[1] else None

    backward_raw = backward


def sub(a, b, alpha=1):
    """a - alpha * b."""
    if alpha != 1:
        b = b * alpha
    return Sub._call(*binary_operands(a, b, "sub"))


class Mul(Function):
    """out = a * b;  da = b, db = a"""

    op_name = "mul"
    broadcasts = True

    @staticmethod
    def forward(ctx, a, b):
        return a * b

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.input_tensors
        need_a, need_b = ctx.needs_input_grad
        return grad_out * b if need_a else None, grad_out * a if need_b else None

    @staticmethod
    def backward_raw(ctx, grad_out):
        a, b = ctx.input_tensors
        need_a, need_b = ctx.needs_input_grad
        return (
            grad_out * unboxed(b._data) if need_a else None,
            grad_out * unboxed(a._data) if need_b else None,
        )


def mul(a, b):
    return Mul._call(*binary_operands(a, b, "mul"))


class Div(Function):
    """out = a / b;  da = 1 / b, db = -a / b^2"""

    op_name = "div"
    broadcasts = True

    @staticmethod
    def forward(ctx, a, b):
        return a / b

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.input_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_a = grad_out / b if need_a else None
        grad_b = -grad_out * a / (b * b) if need_b else None
        return grad_a, grad_b

    @staticmethod
    def backward_raw(ctx, grad_out):
        a, b = ctx.input_tensors
        a, b = unboxed(a._data), unboxed(b._data)
        need_a, need_b = ctx.needs_input_grad
        grad_a = grad_out / b if need_a else None
        grad_b = -grad_out * a / (b * b) if need_b else None
        return grad_a, grad_b


def div(a, b, rounding_mode=None):
    """a / b; `rounding_mode` "floor" or "trunc" rounds the quotient (no gradient) and keeps
    an integer dtype, as in PyTorch."""
    if rounding_mode is not None:
        return _rounded_div(a, b, rounding_mode)
    a, b = binary_operands(a, b, "div")
    if a.dtype.kind != "f":  # true division of integers gives floats, as in PyTorch
        a = cast(a, dtypes.get_default_dtype())
        b = cast(b, a.dtype)
    return Div._call(a, b)


def _rounded_div(a, b, rounding_mode):
    from .compare import _check_integer_divisor, floor_divide

    if rounding_mode == "floor":
        return floor_divide(a, b)
    if rounding_mode != "trunc":
        raise ValueError(
            f'div: rounding_mode must be None, "floor" or "trunc", got {rounding_mode!r}'
        )
    a, b = binary_operands(a, b, "div")
    _check_integer_divisor(a, b, "div")
    xp = backend.array_module(a._data)
    quotient = xp.trunc(xp.true_divide(a._data, b._data))
    return constant(quotient.astype(a.dtype))


class Neg(Function):
    """out = -a"""

    op_name = "neg"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, grad_out):
        return -grad_out

    backward_raw = backward


def neg(a):
    return Neg._call(a)


class PowScalar(Function):
    """out = a ** p for a number p;  da = p a^(p-1)"""

    op_name = "pow"

    @staticmethod
    def forward(ctx, a, exponent):
        ctx.params = {"exponent": exponent}
        return a**exponent

    @staticmethod
    def backward(ctx, grad_out):
        (a,) = ctx.input_tensors
        p = ctx.params["exponent"]
        if p == 0:
            return grad_out * 0
        if p == 1:
            return grad_out
        if p == 2:
            return grad_out * (a * 2)
        return grad_out * (pow(a, p - 1) * p)


class Pow(Function):
    """out = a ** b;  da = b a^(b-1), db = out log a"""

    op_name = "pow"
    broadcasts = True

    @staticmethod
    def forward(ctx, a, b):
        return a**b

    @staticmethod
    def backward(ctx, grad_out):
        from .select import where  # select.py builds on this module

        a, b = ctx.input_tensors
        need_a, need_b = ctx.needs_input_grad
        # As PyTorch: d/da is 0 where b = 0 (a^0 = 1), even at a = 0 where b a^(b-1) is 0 * inf;
        # d/db is 0 where a = 0 and b >= 0, not 0 * log 0. The masked entries are replaced
        # before pow and log see them, so double backward stays finite as well.
        grad_a = grad_b = None
        if need_a:
            constant_in_a = b == 0
            slope = b * pow(where(constant_in_a, 1.0, a), b - 1)
            grad_a = grad_out * where(constant_in_a, 0.0, slope)
        if need_b:
            flat = logical_and(a == 0, b >= 0)
            grad_b = grad_out * where(flat, 0.0, pow(a, b) * log(where(flat, 1.0, a)))
        return grad_a, grad_b


def pow(a, exponent):
    if is_tensor(a) and isinstance(exponent, (int, float)) and not isinstance(exponent, bool):
        if a.dtype.kind in "iub" and isinstance(exponent, int) and exponent < 0:
            raise RuntimeError(
                f"pow: integers to negative integer powers are not allowed ({a.dtype} tensor "
                f"** {exponent}); convert the tensor to a float dtype first"
            )
        if a.dtype.kind in "iub" and (isinstance(exponent, float) or exponent < 0):
            a = cast(a, dtypes.get_default_dtype())
        elif a.dtype.kind == "b":
            a = cast(a, dtypes.int64)  # NumPy's bool ** int is int8; PyTorch's is int64
        return PowScalar._call(a, exponent=exponent)
    return Pow._call(*binary_operands(a, exponent, "pow"))


def _unary(name, formula, forward, backward, saves_output=False, backward_raw=None):
    """Build a one-input op class from its forward and its derivative's formula (and that
    formula on plain arrays, optionally: see Function.backward_raw)."""
    cls = type(
        name,
        (Function,),
        {
            "__doc__": formula,
            "op_name": name.lower(),
            "saves_output": saves_output,
            "uses_inputs": not saves_output,
            "forward": staticmethod(forward),
            "backward": staticmethod(backward),
            "backward_raw": None if backward_raw is None else staticmethod(backward_raw),
        },
    )
    return cls


def _float_input(a, op):
    if not is_tensor(a):
        a = as_tensor(a, op=op)
    if a.dtype.kind != "f":
        a = cast(a, dtypes.get_default_dtype())
    return a


def _xp(array):
    return backend.array_module(array)


Exp = _unary(
    "Exp",
    "out = e^a;  da = out",
    lambda ctx, a: _xp(a).exp(a),
    lambda ctx, g: g * ctx.outputs[0],
    saves_output=True,
    backward_raw=lambda ctx, g: g * unboxed(ctx.output_data()),
)
Log = _unary(
    "Log",
    "out = ln a;  da = 1 / a",
    lambda ctx, a: _xp(a).log(a),
    lambda ctx, g: g / ctx.input_tensors[0],
)
Log1p = _unary(
    "Log1p",
    "out = ln(1 + a);  da = 1 / (1 + a)",
    lambda ctx, a: _xp(a).log1p(a),
    lambda ctx, g: g / (ctx.input_tensors[0] + 1),
)
Sqrt = _unary(
    "Sqrt",
    "out = sqrt(a);  da = 1 / (2 out)",
    lambda ctx, a: _xp(a).sqrt(a),
    lambda ctx, g: g / (ctx.outputs[0] * 2),
    saves_output=True,
)
Sin = _unary(
    "Sin",
    "out = sin a;  da = cos a",
    lambda ctx, a: _xp(a).sin(a),
    lambda ctx, g: g * cos(ctx.input_tensors[0]),
)
Cos = _unary(
    "Cos",
    "out = cos a;  da = -sin a",
    lambda ctx, a: _xp(a).cos(a),
    lambda ctx, g: -g * sin(ctx.input_tensors[0]),
)
Tanh = _unary(
    "Tanh",
    "out = tanh a;  da = 1 - out^2",
    lambda ctx, a: _xp(a).tanh(a),
    lambda ctx, g: TanhBackward._call(g, ctx.outputs[0]),
    saves_output=True,
    backward_raw=lambda ctx, g: TanhBackward.forward(ctx, g, unboxed(ctx.output_data())),
)
Abs = _unary(
    "Abs",
    "out = |a|;  da = sign(a)",
    lambda ctx, a: _xp(a).abs(a),
    lambda ctx, g: g * sign(ctx.input_tensors[0]),
)
Erf = _unary(
    "Erf",
    "out = erf(a);  da = 2/sqrt(pi) e^(-a^2)",
    lambda ctx, a: backend.erf(a),
    lambda ctx, g: g * (exp(-(ctx.input_tensors[0] ** 2)) * 1.1283791670955126),
)


class Sigmoid(Function):
    """out = 1 / (1 + e^-a);  da = out (1 - out)"""

    op_name = "sigmoid"
    saves_output = True
    uses_inputs = False

    @staticmethod
    def forward(ctx, a):
        xp = _xp(a)
        # e^-|a| never overflows; the two branches are the same function, stable on each side
        e = xp.exp(-xp.abs(a))
        return xp.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_out):
        return SigmoidBackward._call(grad_out, ctx.outputs[0])

    @staticmethod
    def backward_raw(ctx, grad_out):
        return SigmoidBackward.forward(ctx, grad_out, unboxed(ctx.output_data()))


class ReLU(Function):
    """out = max(a, 0);  da = 1 where a > 0 (0 at a = 0, as in PyTorch)"""

    op_name = "relu"

    @staticmethod
    def forward(ctx, a):
        return _xp(a).maximum(a, 0)

    @staticmethod
    def backward(ctx, grad_out):
        return ReluBackward._call(grad_out, ctx.input_tensors[0])

    @staticmethod
    def backward_raw(ctx, grad_out):
        a = unboxed(ctx.input_tensors[0]._data)
        if is_scalar(a) and is_scalar(grad_out):  # a scalar graph: a branch costs ~1/50 of where
            return grad_out if a > 0 else grad_out.dtype.type(0)
        return ReluBackward.forward(ctx, grad_out, a)


def exp(a):
    return Exp._call(_float_input(a, "exp"))


def log(a):
    return Log._call(_float_input(a, "log"))


def log1p(a):
    return Log1p._call(_float_input(a, "log1p"))


def sqrt(a):
    return Sqrt._call(_float_input(a, "sqrt"))


def sin(a):
    return Sin._call(_float_input(a, "sin"))


def cos(a):
    return Cos._call(_float_input(a, "cos"))


def tanh(a):
    return Tanh._call(_float_input(a, "tanh"))


def abs(a):
    return Abs._call(as_tensor(a, op="abs"))


def erf(a):
    return Erf._call(_float_input(a, "erf"))


def sigmoid(a):
    return Sigmoid._call(_float_input(a, "sigmoid"))


def relu(a):
    return ReLU._call(as_tensor(a, op="relu"))


class Cast(Function):
    """out = a converted to another dtype; the gradient is converted back"""

    op_name = "cast"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, dtype):
        ctx.params = {"dtype": str(dtype)}
        ctx.source_dtype = a.dtype
        return a.astype(dtype)

    @staticmethod
    def backward(ctx, grad_out):
        return cast(grad_out, ctx.source_dtype)


def cast(a, dtype):
    dtype = dtypes.as_dtype(dtype)
    if a.dtype == dtype:
        return a
    return Cast._call(a, dtype=dtype)


class ToDevice(Function):
    """out = a copied to another device; the gradient is copied back"""

    op_name = "to"
    uses_inputs = False

    @staticmethod
    def forward(ctx, a, device):
        ctx.params = {"device": str(device)}
        ctx.source_device = backend.device_of(a)
        return backend.to_device(a, device)

    @staticmethod
    def backward(ctx, grad_out):
        return to_device(grad_out, ctx.source_device)


def to_device(a, device):
    return ToDevice._call(a, device=backend.as_device(device))
