"""Grad mode: whether new ops are recorded for backward. One context variable behind `no_grad()`."""

from __future__ import annotations

import contextvars
import functools

_grad_enabled = contextvars.ContextVar("grad_enabled", default=True)
is_grad_enabled = _grad_enabled.get


class set_grad_enabled:
    """Turn recording on or off inside a `with` block, or for a decorated function."""

    def __init__(self, mode: bool = True):
        self.mode = bool(mode)
        self._tokens = []

    def __enter__(self):
        self._tokens.append(_grad_enabled.set(self.mode))
        return self

    def __exit__(self, *exc):
        _grad_enabled.reset(self._tokens.pop())
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__(*self._args()):
                return fn(*args, **kwargs)

        return wrapper

    def _args(self):
        return (self.mode,)


class no_grad(set_grad_enabled):
    """Ops run inside `with no_grad():` (or a function decorated `@no_grad()`) are not recorded.

    >>> import autograd_core as ag
    >>> x = ag.tensor(2.0, requires_grad=True)
    >>> with ag.no_grad():
    ...     y = x * 3
    >>> y.requires_grad
    False
    """

    def __init__(self):
        super().__init__(False)

    def _args(self):
        return ()


class enable_grad(set_grad_enabled):
    """Record ops again inside a `no_grad()` region."""

    def __init__(self):
        super().__init__(True)

    def _args(self):
        return ()
