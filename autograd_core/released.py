"""What a node keeps of its inputs once backward has freed it: the graph's shape, no arrays.

PyTorch keeps its graph after `backward()` and frees only the saved buffers, so that the graph
can still be walked and drawn. Here each input of a released node becomes one `ReleasedEdge`:
a weak reference to the tensor (its value stays readable while someone else holds it), the
node that made it (the structure) and its shape, dtype and name (what a drawing shows when
the tensor itself is gone).
"""

from __future__ import annotations

from weakref import ref


class ReleasedEdge:
    """One input of a released node. `tensor()` is the tensor, or None once it was freed."""

    __slots__ = (
        "_ref",
        "_constant",
        "grad_fn",
        "out_index",
        "shape",
        "dtype",
        "name",
        "requires_grad",
        "leaf_id",
    )

    def __init__(self, t):
        self._ref = ref(t)
        self.grad_fn = t.grad_fn
        self.out_index = t._out_index
        self.shape = t._data.shape
        self.dtype = t._data.dtype
        self.name = t.name
        self.requires_grad = t._requires_grad
        # an input without grad_fn keeps its identity, so one freed leaf is drawn once
        self.leaf_id = id(t)
        # a 0-d constant (the 0.5 of 0.5 * x) is drawn by its value: keep it, it is tiny
        self._constant = t if t.grad_fn is None and not t._requires_grad and not t.shape else None

    def tensor(self):
        return self._constant if self._constant is not None else self._ref()


def edges_of(inputs) -> tuple:
    """The released form of a node's inputs (None stays None: a non-tensor argument)."""
    return tuple([None if t is None else ReleasedEdge(t) for t in inputs])


def released_edges(node):
    """The edges kept by backward for `node`, or None (not released, or released without)."""
    return getattr(node, "_freed_edges", None)
