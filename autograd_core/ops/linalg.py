"""Matrix products: `matmul` for 1-D, 2-D and batched N-D operands with broadcasting."""

from __future__ import annotations

from ..function import Function
from .common import binary_operands
from .shape import transpose, unsqueeze


class MatMul(Function):
    """out = a @ b;  da = g @ b^T, db = a^T @ g (batch dims are summed by the engine)"""

    op_name = "matmul"

    @staticmethod
    def forward(ctx, a, b):
        return a @ b

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.input_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_a = matmul(grad_out, transpose(b, -1, -2)) if need_a else None
        grad_b = matmul(transpose(a, -1, -2), grad_out) if need_b else None
        return grad_a, grad_b


def matmul(a, b):
    """Matrix product with NumPy/PyTorch semantics: a 1-D operand is a vector, leading dims
    broadcast. Shapes that don't fit raise ValueError naming both."""
    a, b = binary_operands(a, b, "matmul")
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(
            f"matmul: both arguments need at least 1 dim, got shapes {tuple(a.shape)} and "
            f"{tuple(b.shape)}"
        )
    if a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
        raise ValueError(f"matmul: inner dimensions differ: {tuple(a.shape)} @ {tuple(b.shape)}")
    if a.ndim == 1 and b.ndim == 1:
        return (a * b).sum()
    if a.ndim == 1:
        return MatMul._call(unsqueeze(a, 0), b).squeeze(-2)
    if b.ndim == 1:
        return MatMul._call(a, unsqueeze(b, -1)).squeeze(-1)
    try:
        return MatMul._call(a, b)
    except ValueError:
        raise ValueError(
            f"matmul: batch dimensions don't broadcast: {tuple(a.shape)} @ {tuple(b.shape)}"
        ) from None


def mm(a, b):
    if a.ndim != 2 or b.ndim != 2:
        raise ValueError(f"mm: expects 2-D tensors, got {tuple(a.shape)} and {tuple(b.shape)}")
    return matmul(a, b)


def bmm(a, b):
    if a.ndim != 3 or b.ndim != 3:
        raise ValueError(f"bmm: expects 3-D tensors, got {tuple(a.shape)} and {tuple(b.shape)}")
    return matmul(a, b)


def dot(a, b):
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError(f"dot: expects 1-D tensors, got {tuple(a.shape)} and {tuple(b.shape)}")
    return matmul(a, b)
