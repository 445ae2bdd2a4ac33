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
            other = _raw(other)
            _xp(self).add(self._data, other if alpha == 1 else other * alpha, out=self._data)
            return self._bumped()
        return self._inplace("add_", lambda t: t.add(other, alpha=alpha))

    def sub_(self, other, alpha=1):
        return self.add_(other, alpha=-alpha)

    def mul_(self, other):
        if self._fast_inplace(other):
            _xp(self).multiply(self._data, _raw(other), out=self._data)
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

    def neg_(self):
        return self._inplace("neg_", F.neg)

    def clamp_(self, min=None, max=None):
        if self._fast_inplace(min, max):
            _xp(self).clip(self._data, _raw(min), _raw(max), out=self._data)
            return self._bumped()
        return self._inplace("clamp_", lambda t: F.clamp(t, min, max))

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
        return self._inplace("copy_", lambda t: F.expand_copy(src, t))

    def zero_(self):
        return self.fill_(0)

    def fill_(self, value):
        self._check_inplace("fill_")
        self._data[...] = value.item() if hasattr(value, "item") else value
        self._bump_version()
        return self

    def uniform_(self, a=0.0, b=1.0, generator=None):
        from .creation import random_like

        return self.copy_(random_like(self, "uniform", a, b, generator))

    def normal_(self, mean=0.0, std=1.0, generator=None):
        from .creation import random_like

        return self.copy_(random_like(self, "normal", mean, std, generator))


def _raw(value):
    """A tensor's array, or a number as it is (for the fast in-place path)."""
    return getattr(value, "_data", value)


def _xp(t):
    return F.backend.array_module(t._data)


from . import ops as F  # noqa: E402  (the ops need Tensor, which needs these methods first)
