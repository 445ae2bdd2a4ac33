"""Walk the recorded graph from its outputs: the tensors and ops a drawing shows, no recursion."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..released import released_edges
from ..tensor import Tensor

DEFAULT_MAX_NODES = 2000


class GraphTooLargeError(ValueError):
    """The graph has more nodes than a drawing can lay out in reasonable time."""


@dataclass
class TensorNode:
    """One tensor of the graph. `key` identifies it: (op node, output index) or the leaf's id."""

    key: tuple
    tensor: Tensor
    kind: str  # "output", "param", "input", "constant" or "intermediate"
    producer: object = None  # the Function node that made it (None for a leaf)
    consumers: list = field(default_factory=list)  # (op node, input position)


@dataclass
class OpNode:
    """One recorded op: its Function node, the keys of its inputs and of its outputs."""

    node: object
    inputs: list  # tensor keys, None where the op took a non-tensor argument
    outputs: list = field(default_factory=list)

    @property
    def scope(self) -> tuple:
        return tuple(self.node.scope)


@dataclass
class TracedGraph:
    """Everything reachable backwards from `outputs`, ops in execution (tape) order."""

    outputs: list  # tensor keys
    tensors: dict  # key -> TensorNode, in order of discovery
    ops: list  # OpNode, sorted by execution order


def tensor_key(t: Tensor, op_node=None, position: int = 0) -> tuple:
    """Non-leaves are identified by the op output they are; scalar constants by each use,
    so that a cached constant such as 0.5 is drawn beside every op that reads it."""
    if t.grad_fn is not None:
        return ("out", t.grad_fn, t._out_index)
    if op_node is not None and is_constant(t):
        return ("const", op_node, position)
    return ("leaf", getattr(t, "leaf_id", id(t)))


def is_constant(t: Tensor) -> bool:
    """The tape's rule: a 0-d leaf that needs no gradient is printed by value, not named."""
    return t.grad_fn is None and not t.requires_grad and t.ndim == 0 and not t.name


def _recorded_inputs(node, tape_inputs, gone):
    """The node's inputs: as recorded, from the tape, or, after a backward() that freed
    them, the tensors still alive and `FreedTensor` stand-ins for the others."""
    inputs = node.inputs
    if inputs is None:
        inputs = tape_inputs.get(node)
    if inputs is None:
        edges = released_edges(node)
        if edges is None:
            raise RuntimeError(
                f"draw_graph: the graph behind this tensor was freed (at op '{node.name}'). "
                "Draw it before calling backward(), call backward(retain_graph=True), or "
                "record it inside `with ag.Tape() as tape:` and pass tape=tape"
            )
        inputs = [None if edge is None else _alive_or_freed(edge, gone) for edge in edges]
    return inputs


class FreedTensor:
    """Stands in for a tensor that backward() freed: what the graph still knows of it (where
    it came from, shape, dtype, name), and no value or gradient, which are drawn as freed."""

    freed = True
    grad = None

    def __init__(self, edge):
        self.grad_fn = edge.grad_fn
        self._out_index = edge.out_index
        self.shape = tuple(edge.shape)
        self.dtype = edge.dtype
        self.name = edge.name
        self.requires_grad = edge.requires_grad
        self.leaf_id = edge.leaf_id

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def numel(self) -> int:
        count = 1
        for n in self.shape:
            count *= n
        return count


def _alive_or_freed(edge, gone: dict):
    t = edge.tensor()
    if t is not None:
        return t
    key = ("out", edge.grad_fn, edge.out_index) if edge.grad_fn is not None else edge.leaf_id
    if key not in gone:  # one stand-in per freed tensor, however many ops read it
        gone[key] = FreedTensor(edge)
    return gone[key]


def trace(outputs, tape=None, max_nodes: int | None = DEFAULT_MAX_NODES, hint: str = ""):
    """The graph reachable from `outputs` (a Tensor or a list of them).

    Raises GraphTooLargeError as soon as more than `max_nodes` tensors and ops are found
    (None: no limit); `hint` is appended to that message.
    """
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    for out in outputs:
        if not isinstance(out, Tensor):
            raise TypeError(f"draw_graph: expected Tensors, got {type(out).__name__}")
    tape_inputs = {entry.node: entry.inputs for entry in tape} if tape is not None else {}
    tensors: dict = {}
    ops: dict = {}
    gone: dict = {}  # the FreedTensor stand-ins made so far

    def add_tensor(t, key, kind):
        if key not in tensors:
            producer = t.grad_fn
            tensors[key] = TensorNode(key, t, kind, producer)
            if max_nodes is not None and len(tensors) + len(ops) > max_nodes:
                _refuse(max_nodes, hint)
        return tensors[key]

    output_keys = []
    stack = []
    for out in outputs:
        key = tensor_key(out)
        add_tensor(out, key, "output").kind = "output"
        output_keys.append(key)
        if out.grad_fn is not None:
            stack.append(out.grad_fn)
    while stack:
        node = stack.pop()
        if node in ops:
            continue
        op = ops[node] = OpNode(node, [])
        for position, inp in enumerate(_recorded_inputs(node, tape_inputs, gone)):
            if inp is None:
                op.inputs.append(None)
                continue
            key = tensor_key(inp, node, position)
            info = add_tensor(inp, key, _kind(inp))
            info.consumers.append((node, position))
            op.inputs.append(key)
            if inp.grad_fn is not None and inp.grad_fn not in ops:
                stack.append(inp.grad_fn)
    for key, info in tensors.items():
        if info.producer is not None and info.producer in ops:
            ops[info.producer].outputs.append(key)
    for op in ops.values():
        op.outputs.sort(key=lambda k: k[2])
    ordered = sorted(ops.values(), key=lambda op: op.node._seq)
    return TracedGraph(output_keys, tensors, ordered)


def _kind(t: Tensor) -> str:
    if t.grad_fn is not None:
        return "intermediate"
    if t.requires_grad:
        return "param"
    return "constant" if is_constant(t) else "input"


def _refuse(max_nodes, hint):
    raise GraphTooLargeError(
        f"draw_graph: the graph has more than max_nodes={max_nodes} nodes (tensors and ops), "
        "too many to lay out and read. Use collapse_modules=True to draw each module as one "
        "box, draw the graph of a smaller input (a batch of one, a shorter sequence), or raise "
        f"max_nodes.{hint}"
    )
