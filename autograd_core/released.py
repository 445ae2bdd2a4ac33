"""What a node keeps of its inputs once backward has freed it: the graph's shape, no arrays.

PyTorch keeps its graph after `backward()` and frees only the saved buffers, so that the graph
can still be walked and drawn. Here each input of a released node leaves seven fields in one
flat tuple (one allocation per node, on backward's hot path): a weak reference to the tensor
(its value stays readable while someone else holds it), the node that made it and its output
index (the structure), and its shape, dtype, name and requires_grad (what a drawing shows once
the tensor itself is gone).
"""

from __future__ import annotations

from weakref import ref

# the fields of one released edge, in order; EDGE_SIZE fields per input
TENSOR, GRAD_FN, OUT_INDEX, SHAPE, DTYPE, NAME, REQUIRES_GRAD = range(7)
EDGE_SIZE = 7
_NO_TENSOR = (None,) * EDGE_SIZE  # a non-tensor argument of the op


def edges_of(inputs) -> tuple:
    """The released form of a node's inputs, flat: EDGE_SIZE fields per input."""
    if len(inputs) == 2:  # most ops have one or two inputs: spelled out, without a loop
        a, b = inputs
        if a is not None and b is not None:
            # fmt: off
            return (
                ref(a), a.grad_fn, a._out_index, a._data.shape, a._data.dtype, a.name,
                a._requires_grad,
                ref(b), b.grad_fn, b._out_index, b._data.shape, b._data.dtype, b.name,
                b._requires_grad,
            )
            # fmt: on
    if len(inputs) == 1 and inputs[0] is not None:
        (a,) = inputs
        return (
            ref(a),
            a.grad_fn,
            a._out_index,
            a._data.shape,
            a._data.dtype,
            a.name,
            a._requires_grad,
        )
    flat = []  # a list: an op may take thousands of inputs (stack, cat)
    for t in inputs:
        if t is None:
            flat.extend(_NO_TENSOR)
        else:
            flat.extend((ref(t), t.grad_fn, t._out_index, t._data.shape, t._data.dtype, t.name))
            flat.append(t._requires_grad)
    return tuple(flat)


class ReleasedEdge:
    """One input of a released node, read back from the flat tuple (only when the graph is
    walked or drawn, never on backward's path). `tensor()` is the tensor, or None once freed."""

    __slots__ = ("_ref", "grad_fn", "out_index", "shape", "dtype", "name", "requires_grad")

    def __init__(self, fields):
        self._ref, self.grad_fn, self.out_index, self.shape, self.dtype = fields[:NAME]
        self.name, self.requires_grad = fields[NAME], fields[REQUIRES_GRAD]

    def tensor(self):
        return self._ref()

    @property
    def leaf_id(self) -> int:
        """Identifies the tensor among the edges, alive or not (its weak reference is one
        object per tensor)."""
        return id(self._ref)


def released_edges(node):
    """The inputs backward kept for `node`, one `ReleasedEdge` each (None for a non-tensor
    argument), or None when the node was not released by backward."""
    flat = getattr(node, "_freed_edges", None)
    if flat is None:
        return None
    edges = [flat[i : i + EDGE_SIZE] for i in range(0, len(flat), EDGE_SIZE)]
    return [None if edge[TENSOR] is None else ReleasedEdge(edge) for edge in edges]
