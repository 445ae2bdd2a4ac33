"""Post-accumulate-grad hooks: `hook(leaf)` runs as soon as backward has finished `leaf.grad`.

PyTorch's `Tensor.register_post_accumulate_grad_hook`. Backward delivers a hooked leaf's
gradient right after the last recorded op that feeds it has run, not at the end of the pass,
so work on finished gradients (DistributedDataParallel's all-reduce) overlaps the rest of
backward. The hooks live here, keyed by the leaf's id, so `Tensor` keeps its slots and the
backward of a graph without hooked leaves pays one dict test.
"""

from __future__ import annotations

import sys
import weakref

import numpy as np

# id(leaf) -> (weak reference to the leaf, its hooks in registration order)
_registry: dict[int, tuple[weakref.ref, list]] = {}


class _PostAccumulateHandle:
    """Returned by `register_post_accumulate_grad_hook`: `remove()` unregisters the hook."""

    def __init__(self, key: int, hooks: list, hook):
        self._key, self._hooks, self._hook = key, hooks, hook

    def remove(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)
        entry = _registry.get(self._key)
        if entry is not None and entry[1] is self._hooks and not self._hooks:
            del _registry[self._key]


def register(leaf, hook) -> _PostAccumulateHandle:
    """Add `hook` to `leaf` (checked by the caller to be a leaf that requires grad)."""
    if not callable(hook):
        raise TypeError(
            f"register_post_accumulate_grad_hook: hook must be callable, got {type(hook).__name__}"
        )
    key = id(leaf)
    entry = _registry.get(key)
    if entry is None:
        # the registry is bound now: at interpreter exit module globals may be gone already
        def forget(ref, key=key, registry=_registry):
            current = registry.get(key)
            if current is not None and current[0] is ref:
                del registry[key]

        entry = _registry[key] = (weakref.ref(leaf, forget), [])
    entry[1].append(hook)
    return _PostAccumulateHandle(key, entry[1], hook)


def run_hooks(leaf) -> None:
    """Call the hooks of `leaf`, whose `.grad` backward has just finished."""
    entry = _registry.get(id(leaf))
    if entry is None:
        return
    for hook in list(entry[1]):
        if hook(leaf) is not None:
            raise RuntimeError(
                "post accumulate grad hooks must return None: they see the leaf, whose .grad "
                "is already final"
            )


class Countdown:
    """For one backward pass: the recorded edges still to run into each hooked leaf."""

    def __init__(self, outputs):
        self.edges: dict = {}  # node -> the hooked leaves among its inputs (repeated per use)
        self.remaining: dict[int, int] = {}  # id(leaf) -> edges into it not yet run
        seen = set()
        stack = [out.grad_fn for out in outputs if out.grad_fn is not None]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            for inp in node.inputs or ():
                if inp is None or not inp._requires_grad:
                    continue
                parent = inp.grad_fn
                if parent is not None:
                    if parent not in seen:
                        stack.append(parent)
                elif id(inp) in _registry:
                    self.edges.setdefault(node, []).append(inp)
                    self.remaining[id(inp)] = self.remaining.get(id(inp), 0) + 1

    def finished(self, node) -> list:
        """The hooked leaves whose last edge was `node`'s (it has just run)."""
        done = []
        remaining = self.remaining
        for leaf in self.edges.pop(node):
            remaining[id(leaf)] -= 1
            if remaining[id(leaf)] == 0:
                done.append(leaf)
        return done


def countdown(outputs) -> Countdown | None:
    """A `Countdown` for a backward from `outputs`, or None when no hooked leaf is reached."""
    if not _registry:
        return None
    counted = Countdown(outputs)
    return counted if counted.edges else None


def _count(array) -> int:
    return sys.getrefcount(array)  # as may_be_shared counts: its argument and one local


def _references_of_a_sole_owner() -> int:
    array = np.empty(0)
    return _count(array)


# what getrefcount reports for an array held by one local variable of the caller, measured
# once (the count's bookkeeping differs between Python versions)
_SOLE_OWNER = _references_of_a_sole_owner()


def may_be_shared(array) -> bool:
    """Whether anything but the caller's one local variable may reach `array`'s memory: a
    view, a view's base, a list slot. Only an unshared gradient may become `.grad` as it is
    mid-backward (PyTorch's AccumulateGrad steals a gradient only when its use count is 1)."""
    return array.base is not None or sys.getrefcount(array) > _SOLE_OWNER
