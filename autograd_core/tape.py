"""`Tape`: watch the ops as they are recorded and print them as a Wengert list, for lessons."""

from __future__ import annotations

import contextvars

from .watchers import Watching

# every open tape, outermost first: an op inside nested `with Tape()` blocks is on each
_active_tapes = contextvars.ContextVar("active_tapes", default=())


def record_on_active_tape(node, inputs, outputs):
    tapes = _active_tapes.get()
    if tapes:
        entry = TapeEntry(node, tuple(inputs), tuple(outputs))
        for tape in tapes:
            tape.entries.append(entry)
        for out in outputs:
            out.retain_grad()  # so that the list can show every gradient after backward


class TapeEntry:
    """One recorded op: the node, the tensors it read and the tensors it made."""

    __slots__ = ("node", "inputs", "outputs")

    def __init__(self, node, inputs, outputs):
        self.node, self.inputs, self.outputs = node, inputs, outputs

    @property
    def op(self) -> str:
        return self.node.name


class Tape(Watching):
    """Records every op run inside `with Tape() as tape:`; `print(tape)` shows the Wengert list.

    Each line is one op in execution order: `t3 = mul(t1, t2)  shape ()  value 0.5`; after
    `backward()` the gradient of each result is shown too. Tensors are named t1, t2, ... in
    order of appearance, or by `tensor.name` when set. The tape keeps its tensors alive.

    >>> import autograd_core as ag
    >>> a = ag.tensor(2.0, requires_grad=True)
    >>> with ag.Tape() as tape:
    ...     y = a * a + 1
    >>> print(tape)
    t2 = mul(t1, t1)  shape ()  value 4
    t3 = add(t2, 1)  shape ()  value 5
    """

    def __init__(self):
        self.entries: list[TapeEntry] = []
        self._token = None

    def __enter__(self):
        self._token = _active_tapes.set((*_active_tapes.get(), self))
        self._watch()
        return self

    def __exit__(self, *exc):
        _active_tapes.reset(self._token)
        self._unwatch()
        return False

    def __len__(self):
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def names(self) -> dict[int, str]:
        """id(tensor) -> its name on this tape (t1, t2, ... or tensor.name)."""
        names: dict[int, str] = {}
        for entry in self.entries:
            for t in (*entry.inputs, *entry.outputs):
                if t is not None and id(t) not in names and not _is_constant(t, entry):
                    names[id(t)] = t.name or f"t{len(names) + 1}"
        return names

    def label(self, t, names=None) -> str:
        """A tensor's name on the tape, or the value of a scalar constant (the 1 in x + 1)."""
        names = self.names() if names is None else names
        return names.get(id(t)) or _short(t)

    def lines(self) -> list[str]:
        names = self.names()
        lines = []
        for entry in self.entries:
            args = ", ".join(self.label(t, names) for t in entry.inputs if t is not None)
            params = entry.node.describe()
            if params:
                args = f"{args}, {params}" if args else params
            outs = ", ".join(names[id(t)] for t in entry.outputs)
            first = entry.outputs[0]
            line = f"{outs} = {entry.op}({args})  shape {tuple(first.shape)}  value {_short(first)}"
            if first.grad is not None:
                line += f"  grad {_short(first.grad)}"
            lines.append(line)
        return lines

    def __str__(self):
        return "\n".join(self.lines())

    def __repr__(self):
        return f"Tape({len(self.entries)} ops)"


def _is_constant(t, entry) -> bool:
    """A scalar that no op made and that needs no gradient: printed by value, not named."""
    made_here = any(t is out for out in entry.outputs)
    unnamed = t.name is None
    return unnamed and t.grad_fn is None and not t.requires_grad and t.ndim == 0 and not made_here


def _short(t) -> str:
    """A scalar's value, a small tensor's values, or a large tensor's mean and range."""
    values = t.detach().cpu().numpy()
    if values.size == 1:
        return f"{values.item():.6g}"
    if values.size <= 6:
        return "[" + ", ".join(f"{v:.4g}" for v in values.ravel()) + "]"
    return f"mean {values.mean():.4g} min {values.min():.4g} max {values.max():.4g}"
