"""Grad mode: whether new ops are recorded for backward. One context variable behind `no_grad()`."""

from __future__ import annotations

import contextvars
import functools

_grad_enabled = contextvars.ContextVar("grad_enabled", default=True)
is_grad_enabled = _grad_enabled.get


class set_grad_enabled:
    """Turn recording on or off inside a `with` block, or for a decorated function.

    Called alone, as in PyTorch, it switches the mode from then on:
    `autograd_core.set_grad_enabled(False)` at the top of an inference script.
    """

    def __init__(self, mode: bool = True):
        self.mode = bool(mode)
        self._tokens = []
        # PyTorch sets the mode on construction (so the plain call works); a `with` block
        # or a decorator then undoes it at its end or at once
        self._init_token = _grad_enabled.set(self.mode) if self._sets_on_init else None

    _sets_on_init = True

    def __enter__(self):
        if self._init_token is not None:
            token, self._init_token = self._init_token, None  # the mode is already set
        else:
            token = _grad_enabled.set(self.mode)
        self._tokens.append(token)
        return self

    def __exit__(self, *exc):
        _grad_enabled.reset(self._tokens.pop())
        return False

    def __call__(self, fn):
        if self._init_token is not None:  # decorating changes nothing until the call
            _grad_enabled.reset(self._init_token)
            self._init_token = None

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

    _sets_on_init = False

    def __init__(self):
        super().__init__(False)

    def _args(self):
        return ()


class enable_grad(set_grad_enabled):
    """Record ops again inside a `no_grad()` region."""

    _sets_on_init = False

    def __init__(self):
        super().__init__(True)

    def _args(self):
        return ()
