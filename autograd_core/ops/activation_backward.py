"""The derivatives of tanh, sigmoid and relu as single ops.

Written with Tensor arithmetic, each derivative would cost backward three small ops; as one op
it costs one, and it stays differentiable (create_graph=True) through its own backward.
"""

from __future__ import annotations

from ..function import Function
from .common import keep_where


class TanhBackward(Function):
    """out = g (1 - y^2) for y = tanh(a);  dg = 1 - y^2,  dy = -2 g y"""

    op_name = "tanh_backward"

    @staticmethod
    def forward(ctx, g, y):
        return g * (1 - y * y)

    @staticmethod
    def backward(ctx, grad_out):
        g, y = ctx.input_tensors
        need_g, need_y = ctx.needs_input_grad
        grad_g = TanhBackward._call(grad_out, y) if need_g else None
        grad_y = grad_out * g * y * -2 if need_y else None
        return grad_g, grad_y


class SigmoidBackward(Function):
    """out = g y (1 - y) for y = sigmoid(a);  dg = y (1 - y),  dy = g (1 - 2 y)"""

    op_name = "sigmoid_backward"

    @staticmethod
    def forward(ctx, g, y):
        return g * y * (1 - y)

    @staticmethod
    def backward(ctx, grad_out):
        g, y = ctx.input_tensors
        need_g, need_y = ctx.needs_input_grad
        grad_g = SigmoidBackward._call(grad_out, y) if need_g else None
        grad_y = grad_out * g * (1 - y * 2) if need_y else None
        return grad_g, grad_y


class ReluBackward(Function):
    """out = g where a > 0, else 0;  dg likewise, no gradient for a (piecewise constant)"""

    op_name = "relu_backward"

    @staticmethod
    def forward(ctx, g, a):
        # a select, not g * (a > 0): a NaN gradient must not leak through a dead unit
        return keep_where(a > 0, g)

    @staticmethod
    def backward(ctx, grad_out):
        _, a = ctx.input_tensors
        return ReluBackward._call(grad_out, a), None
