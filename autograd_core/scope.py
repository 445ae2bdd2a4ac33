"""`name_scope`: label the ops recorded inside a block (nn.Module uses it, graphs group by it)."""

from __future__ import annotations

import contextvars

from .watchers import Watching

_scope = contextvars.ContextVar("name_scope", default=())
current_scope = _scope.get


class name_scope(Watching):
    """Ops recorded inside `with name_scope(owner):` remember the stack of owners around them.

    An owner is any object (a module, a string); `node.scope` is the tuple of owners, outermost
    first, so a drawing can cluster the ops of each module.
    """

    def __init__(self, owner):
        self.owner = owner
        self._tokens = []

    def __enter__(self):
        self._tokens.append(_scope.set(_scope.get() + (self.owner,)))
        self._watch()
        return self

    def __exit__(self, *exc):
        _scope.reset(self._tokens.pop())
        self._unwatch()
        return False
