"""Which module each op belongs to: clusters for `group_modules`, boxes for `collapse_modules`."""

from __future__ import annotations

from .trace import TracedGraph


def collapse_keys(graph: TracedGraph, collapse, model=None) -> dict:
    """op node -> the scope prefix (tuple of modules) whose box it is drawn in, or None.

    `collapse` is an int (the depth, 1 = outermost modules) or True: the children of `model`
    when the op ran inside it, else the children of the outermost module, or the outermost
    module itself when it has no children (a loss module called on its own).
    """
    if collapse is False or collapse is None:
        return {op.node: None for op in graph.ops}
    with_children = {id(op.scope[0]) for op in graph.ops if len(op.scope) >= 2}
    keys = {}
    for op in graph.ops:
        scope = op.scope
        if collapse is True:
            depth = _auto_depth(scope, model, with_children)
        else:
            depth = int(collapse)
        keys[op.node] = scope[:depth] if scope and len(scope) >= depth else None
    return keys


def _auto_depth(scope, model, with_children) -> int:
    if not scope:
        return 1
    for index, owner in enumerate(scope):
        if owner is model:
            return index + 2
    return 2 if id(scope[0]) in with_children else 1


def scope_key(scope) -> tuple:
    """A hashable key of a scope: modules by identity, string scopes by value."""
    return tuple(o if isinstance(o, str) else id(o) for o in scope)
