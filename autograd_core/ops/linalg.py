"""Matrix products: `matmul` for 1-D, 2-D and batched N-D operands with broadcasting."""

from __future__ import annotations

from ..function import Function
from .common import as_tensor, binary_operands, is_tensor
from .shape import broadcast_to, transpose, unsqueeze


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


class Linear(Function):
    """out = x W^T (+ b);  dx = g W,  dW = g^T x and db = sum of g over every leading dim

    One op instead of transpose, matmul and add: fewer nodes, and dW comes out in W's own
    (out, in) layout, so the optimiser's update runs over contiguous memory."""

    op_name = "linear"

    @staticmethod
    def forward(ctx, x, weight, bias=None):
        out = x @ weight.T
        if bias is not None:
            out += bias  # `out` is a fresh product: adding in place saves an array
        return out

    @staticmethod
    def backward(ctx, grad_out):
        x, weight = ctx.input_tensors[:2]
        need = ctx.needs_input_grad
        rows = grad_out.reshape(-1, grad_out.shape[-1])
        grad_x = matmul(grad_out, weight) if need[0] else None
        grad_w = matmul(transpose(rows, 0, 1), x.reshape(-1, x.shape[-1])) if need[1] else None
        if len(need) == 2:
            return grad_x, grad_w
        return grad_x, grad_w, rows.sum(0) if need[2] else None

    @staticmethod
    def backward_raw(ctx, grad_out):
        x, weight = (t._data for t in ctx.input_tensors[:2])
        need = ctx.needs_input_grad
        rows = grad_out.reshape(-1, grad_out.shape[-1])
        grad_x = grad_out @ weight if need[0] else None
        grad_w = rows.T @ x.reshape(-1, x.shape[-1]) if need[1] else None
        if len(need) == 2:
            return grad_x, grad_w
        return grad_x, grad_w, rows.sum(0) if need[2] else None


def linear(input, weight, bias=None):
    """input @ weight.T + bias, weight of shape (out_features, in_features), as PyTorch's
    `nn.functional.linear`; any number of leading dims."""
    if weight.ndim != 2 or input.ndim == 0 or input.shape[-1] != weight.shape[1]:
        raise ValueError(
            f"linear: input of shape {tuple(input.shape)} does not fit weight of shape "
            f"{tuple(weight.shape)} (expected (..., {weight.shape[-1]}) and 2-D weight)"
        )
    if bias is not None and tuple(bias.shape) != (weight.shape[0],):
        raise ValueError(
            f"linear: bias of shape {tuple(bias.shape)} does not fit {weight.shape[0]} outputs"
        )
    tensors = (input, weight) if bias is None else (input, weight, bias)
    dtypes_seen = {t.dtype for t in tensors}
    if len(dtypes_seen) > 1:
        raise TypeError(
            "linear: input, weight and bias must share a dtype, got "
            + ", ".join(str(t.dtype) for t in tensors)
        )
    if len({t.device for t in tensors}) > 1:
        raise RuntimeError(
            "linear: expected all tensors on the same device, got "
            + ", ".join(str(t.device) for t in tensors)
        )
    return Linear._call(*tensors)


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


def outer(a, b):
    """The outer product of two 1-D tensors: out[i, j] = a[i] * b[j]."""
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError(f"outer: expects 1-D tensors, got {tuple(a.shape)} and {tuple(b.shape)}")
    return unsqueeze(a, 1) * unsqueeze(b, 0)


def _scaled_sum(input, product, beta, alpha, op):
    """beta * input + alpha * product, where beta=0 ignores `input` (its NaN and inf too, as
    PyTorch) while still giving it a zero gradient."""
    from .select import where

    if not is_tensor(input):
        input = as_tensor(input, product, op)
    try:
        input = broadcast_to(input, product.shape)
    except ValueError:
        raise ValueError(
            f"{op}: input of shape {tuple(input.shape)} does not broadcast to the product's "
            f"shape {tuple(product.shape)}"
        ) from None
    if alpha != 1:
        product = product * alpha
    if beta == 0:
        return product + where(False, input, 0)
    return product + (input if beta == 1 else input * beta)


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """beta * input + alpha * (mat1 @ mat2), `input` broadcast to the (n, p) product."""
    if mat1.ndim != 2 or mat2.ndim != 2:
        raise ValueError(
            f"addmm: mat1 and mat2 must be 2-D, got {tuple(mat1.shape)} and {tuple(mat2.shape)}"
        )
    return _scaled_sum(input, mm(mat1, mat2), beta, alpha, "addmm")


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """beta * input + alpha * (batch1 @ batch2) for batches of matrices, `input` broadcast
    to the (b, n, p) product."""
    if batch1.ndim != 3 or batch2.ndim != 3:
        raise ValueError(
            f"baddbmm: batch1 and batch2 must be 3-D, got {tuple(batch1.shape)} and "
            f"{tuple(batch2.shape)}"
        )
    if batch1.shape[0] != batch2.shape[0]:
        raise ValueError(
            f"baddbmm: batch sizes differ: {tuple(batch1.shape)} and {tuple(batch2.shape)}"
        )
    return _scaled_sum(input, bmm(batch1, batch2), beta, alpha, "baddbmm")
