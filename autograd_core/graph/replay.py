"""Replay the backward pass op by op, keeping every intermediate gradient, for the frames.

Each op's own `backward` is called in the engine's order (latest recorded first) with the
gradients summed so far, exactly as the engine does, so the numbers are the engine's; the
graph and the tensors' `.grad` are left untouched. Hooks registered on tensors are not run.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import backend, grad_mode
from ..ops.shape import sum_to
from ..tensor import Tensor
from .trace import TracedGraph


@dataclass
class Step:
    """One op's backward: the gradients of its outputs and what it sent to each input."""

    op: object  # the OpNode
    grad_outputs: tuple  # Tensor per output
    sent: dict  # input position -> Tensor (summed to the input's shape)


def replay_backward(graph: TracedGraph, gradients=None) -> tuple[dict, list]:
    """(seed gradients by tensor key, the steps in the order the engine runs them)."""
    seeds = _seed_gradients(graph, gradients)
    pending = dict(seeds)
    steps = []
    with grad_mode.no_grad():
        for op in reversed(graph.ops):
            node = op.node
            count = 1 if node._output_meta is None else len(node._output_meta)
            keys = [("out", node, index) for index in range(count)]
            slots = [pending.get(key) for key in keys]
            if all(g is None for g in slots):
                continue  # no gradient flows through this op
            slots = [_zeros_for(node, i) if g is None else g for i, g in enumerate(slots)]
            if node.inputs is None:  # released by a backward() without retain_graph
                raise RuntimeError(
                    f"backward_frames: the graph was freed by backward() (at op '{node.name}'); "
                    "make the frames before calling backward(), or call "
                    "backward(retain_graph=True)"
                )
            grads_in = node.backward(node, *slots)
            if type(grads_in) is not tuple:
                grads_in = (grads_in,)
            sent = {}
            for position, (key, g) in enumerate(zip(op.inputs, grads_in)):
                if key is None or g is None:
                    continue
                inp = graph.tensors[key].tensor
                if not inp.requires_grad:
                    continue
                g = g if isinstance(g, Tensor) else Tensor._wrap(g)
                if g.shape != inp.shape:
                    g = sum_to(g, inp.shape)  # undo broadcasting, as the engine does
                sent[position] = g
                pending[key] = g if key not in pending else pending[key] + g
            steps.append(Step(op, tuple(slots), sent))
    return seeds, steps


def _seed_gradients(graph, gradients) -> dict:
    outputs = [graph.tensors[key].tensor for key in graph.outputs]
    if gradients is None:
        gradients = [None] * len(outputs)
    elif isinstance(gradients, Tensor):
        gradients = [gradients]
    if len(gradients) != len(outputs):
        raise ValueError(
            f"backward_frames: got {len(gradients)} gradients for {len(outputs)} outputs"
        )
    seeds = {}
    for key, out, g in zip(graph.outputs, outputs, gradients):
        if not out.requires_grad:
            raise RuntimeError(
                "backward_frames: the output does not require grad, so no gradient flows"
            )
        if g is None:
            if out.numel() != 1:
                raise RuntimeError(
                    f"backward_frames: the output has shape {tuple(out.shape)}; pass "
                    "gradient= a tensor of that shape (only a scalar starts from 1)"
                )
            xp = backend.array_module(out._data)
            g = Tensor._wrap(xp.ones_like(out._data))
        elif tuple(g.shape) != tuple(out.shape):
            raise ValueError(
                f"backward_frames: gradient has shape {tuple(g.shape)} but the output has "
                f"shape {tuple(out.shape)}"
            )
        seeds[key] = g
    return seeds


def _zeros_for(node, index):
    shape, dtype, device = node._output_meta[index]
    return Tensor._wrap(backend.module_for(device).zeros(shape, dtype))
