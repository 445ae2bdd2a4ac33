"""In-place methods of `Tensor` (`add_`, `zero_`, `+=`, ...): recorded on the tape when a
gradient must flow through them, written straight into the array when nothing is recorded."""

from __future__ import annotations


class InPlaceMethods:
    """Mixed into `Tensor`: the methods that change a tensor's values."""

    __slots__ = ()

    # ---- in-place operators --------------------------------------------------------------
    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)

    # ---- in-place ops (optimisers and initialisers use these) -------------------------------
    # Each has a graph path (`_inplace` with an out-of-place op) and, outside the graph, a
    # fast path that writes straight into the array: optimiser steps allocate nothing.
    def add_(self, other, alpha=1):
        if self._fast_inplace(other):
            other = _raw(other, self)
            _xp(self).add(self._data, other if alpha == 1 else other * alpha, out=self._data)
            return self._bumped()
        return self._inplace("add_", lambda t: t.add(other, alpha=alpha))

    def sub_(self, other, alpha=1):
        return self.add_(other, alpha=-alpha)

    def mul_(self, other):
        if self._fast_inplace(other):
            _xp(self).multiply(self._data, _raw(other, self), out=self._data)
            return self._bumped()
        return self._inplace("mul_", lambda t: F.mul(t, other))

    def div_(self, other):
        if self._fast_inplace(other):
            _xp(self).divide(self._data, _raw(other), out=self._data)
            return self._bumped()
        return self._inplace("div_", lambda t: F.div(t, other))

    def pow_(self, exponent):
        return self._inplace("pow_", lambda t: F.pow(t, exponent))

    def sqrt_(self):
        if self._fast_inplace():
            _xp(self).sqrt(self._data, out=self._data)
            return self._bumped()
        return self._inplace("sqrt_", F.sqrt)

    def clamp_(self, min=None, max=None):
        if self._fast_inplace(min, max):
            _xp(self).clip(self._data, _raw(min), _raw(max), out=self._data)
            return self._bumped()
        return self._inplace("clamp_", lambda t: F.clamp(t, min, max))

    clip_ = clamp_

    def clamp_min_(self, min):
        return self.clamp_(min=min)

    def clamp_max_(self, max):
        return self.clamp_(max=max)

    # ---- in-place forms of the unary ops: the op's value written back, history rebased --------
    def neg_(self):
        return self._inplace("neg_", F.neg)

    def abs_(self):
        return self._inplace("abs_", F.abs)

    def exp_(self):
        return self._inplace("exp_", F.exp)

    def expm1_(self):
        return self._inplace("expm1_", F.expm1)

    def log_(self):
        return self._inplace("log_", F.log)

    def log1p_(self):
        return self._inplace("log1p_", F.log1p)

    def log2_(self):
        return self._inplace("log2_", F.log2)

    def log10_(self):
        return self._inplace("log10_", F.log10)

    def rsqrt_(self):
        return self._inplace("rsqrt_", F.rsqrt)

    def square_(self):
        return self._inplace("square_", F.square)

    def reciprocal_(self):
        return self._inplace("reciprocal_", F.reciprocal)

    def sin_(self):
        return self._inplace("sin_", F.sin)

    def cos_(self):
        return self._inplace("cos_", F.cos)

    def tan_(self):
        return self._inplace("tan_", F.tan)

    def tanh_(self):
        return self._inplace("tanh_", F.tanh)

    def sigmoid_(self):
        return self._inplace("sigmoid_", F.sigmoid)

    def relu_(self):
        return self._inplace("relu_", F.relu)

    def sign_(self):
        return self._inplace("sign_", F.sign)

    def floor_(self):
        return self._inplace("floor_", F.floor)

    def ceil_(self):
        return self._inplace("ceil_", F.ceil)

    def trunc_(self):
        return self._inplace("trunc_", F.trunc)

    def frac_(self):
        return self._inplace("frac_", F.frac)

    def round_(self, *, decimals=0):
        return self._inplace("round_", lambda t: F.round(t, decimals=decimals))

    def remainder_(self, other):
        return self._inplace("remainder_", lambda t: F.remainder(t, other))

    def floor_divide_(self, other):
        return self._inplace("floor_divide_", lambda t: F.floor_divide(t, other))

    def addcmul_(self, tensor1, tensor2, value=1):
        if self._fast_inplace(tensor1, tensor2):
            product = _raw(tensor1) * _raw(tensor2)
            if value != 1:
                product *= value
            _xp(self).add(self._data, product, out=self._data)
            return self._bumped()
        return self._inplace("addcmul_", lambda t: t + value * (tensor1 * tensor2))

    def addcdiv_(self, tensor1, tensor2, value=1):
        if self._fast_inplace(tensor1, tensor2):
            ratio = _raw(tensor1) / _raw(tensor2)
            if value != 1:
                ratio *= value
            _xp(self).add(self._data, ratio, out=self._data)
            return self._bumped()
        return self._inplace("addcdiv_", lambda t: t + value * (tensor1 / tensor2))

    def lerp_(self, end, weight):
        if self._fast_inplace(end, weight):
            step = _raw(end) - self._data
            step *= _raw(weight)
            _xp(self).add(self._data, step, out=self._data)
            return self._bumped()
        return self._inplace("lerp_", lambda t: t + weight * (end - t))

    def _fast_inplace(self, *operands):
        """True when nothing needs recording, so the array can be changed directly."""
        if self.grad_fn is None and self._requires_grad and F.grad_mode.is_grad_enabled():
            return False  # `_inplace` raises the leaf error with its message
        if self._view is not None and (F.grad_mode.is_grad_enabled() or self._view.expands):
            return False  # `_inplace` checks what PyTorch refuses of a write into a view
        if not F.grad_mode.is_grad_enabled():
            return self._writable_same_device(operands)
        if self._requires_grad:
            return False
        for operand in operands:
            if getattr(operand, "_requires_grad", False):
                return False
        return self._writable_same_device(operands)

    def _writable_same_device(self, operands):
        for operand in operands:
            data = getattr(operand, "_data", None)
            if data is not None and type(data) is not type(self._data):
                return False  # let the graph path raise its device error
        return F.backend.is_writeable(self._data)

    def _bumped(self):
        self._bump_version()
        return self

    def maximum_(self, other):
        return self._inplace("maximum_", lambda t: F.maximum(t, other))

    def masked_fill_(self, mask, value):
        return self._inplace("masked_fill_", lambda t: F.masked_fill(t, mask, value))

    def copy_(self, src):
        """Write `src` (broadcast to this shape, cast to this dtype) into this tensor; the
        gradient flows to `src`, and none to the values it replaced."""
        return self._inplace("copy_", lambda t: F.expand_copy(src, t), overwrites=True)

    def zero_(self):
        return self.fill_(0)

    def fill_(self, value):
        """Set every element to `value` (a number or a one-element tensor, whose gradient is
        the sum of this tensor's)."""
        if is_tensor(value) and value.numel() != 1:
            raise RuntimeError(
                f"fill_: only supports a 0-dimension value tensor, got one of shape "
                f"{tuple(value.shape)}"
            )
        _check_fits("fill_", value, self.dtype)
        if self._fast_inplace(value):
            self._data[...] = value.item() if is_tensor(value) else value
            return self._bumped()
        if is_tensor(value):
            value = value.reshape(())
        return self._inplace("fill_", lambda t: F.expand_copy(value, t), overwrites=True)

    # ---- in-place shape changes: the same memory read in a new shape --------------------------
    def unsqueeze_(self, dim):
        return self._reshaped_("unsqueeze_", lambda t: t.unsqueeze(dim))

    def squeeze_(self, dim=None):
        return self._reshaped_("squeeze_", lambda t: t.squeeze(dim))

    def t_(self):
        return self._reshaped_("t_", lambda t: t.t())

    def transpose_(self, dim0, dim1):
        return self._reshaped_("transpose_", lambda t: t.transpose(dim0, dim1))

    def _reshaped_(self, op, make):
        """This tensor re-pointed at `make(self)`, a view of its own memory: a view stays a
        view of its base, with one more step."""
        self._check_inplace(op)
        old = type(self)._wrap(self._data, self._requires_grad, self.grad_fn, self._out_index)
        old._version, old._view = self._shared_version(), self._view
        out = make(old)
        if out is old:
            return self
        if self._view is None:
            wrap = type(self)._wrap
            views.base_reshaped(self, lambda array: make(wrap(array))._data)
        if out.grad_fn is not None:  # first: the edge it replaces keeps the old shape
            views.set_edge(self, out.grad_fn, out._out_index)
        self._data = out._data
        self._view = out._view if self._view is not None else None
        self._bump_version()
        return self

    def uniform_(self, a=0.0, b=1.0, generator=None):
        from .creation import random_like

        return self.copy_(random_like(self, "uniform", a, b, generator))

    def normal_(self, mean=0.0, std=1.0, generator=None):
        from .creation import random_like

        return self.copy_(random_like(self, "normal", mean, std, generator))


def _raw(value, target=None):
    """A tensor's array, or a number as it is (for the fast in-place path); a Python int
    that `target`'s integer dtype can't hold wraps around, as PyTorch's uint8 += 300."""
    if type(value) is int and target is not None and target._data.dtype.kind in "iu":
        return _wrapped(value, target._data.dtype)
    return getattr(value, "_data", value)


def _check_fits(op, value, dtype):
    """PyTorch refuses to store a Python int that the integer dtype can't hold."""
    if type(value) is int and dtype.kind in "iu" and _wrapped(value, dtype) != value:
        raise RuntimeError(
            f"{op}: value {value} cannot be converted to type {dtype} without overflow"
        )


def _xp(t):
    return F.backend.array_module(t._data)


from . import ops as F  # noqa: E402  (the ops need Tensor, which needs these methods first)
from . import views  # noqa: E402
from .ops.common import _wrapped, is_tensor  # noqa: E402
