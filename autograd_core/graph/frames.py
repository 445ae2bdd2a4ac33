"""The backward pass step by step: one drawing per op, in the order the engine visits them."""

from __future__ import annotations

from pathlib import Path

from . import labels
from .draw import make_options, render, trace_for
from .layout import Annotations
from .replay import replay_backward
from .trace import DEFAULT_MAX_NODES, GraphTooLargeError

FORMATS = ("svg", "png", "pdf")
DEFAULT_MAX_FRAMES = 100


class Frames(list):
    """A list of drawings (graphviz Digraphs) that Jupyter plays as a slideshow."""

    def _repr_html_(self):
        from .slideshow import slideshow_fragment

        return slideshow_fragment(self)

    def save(self, directory, format="svg", prefix="frame"):
        return save_frames(self, directory, format=format, prefix=prefix)


def backward_frames(
    output,
    *,
    gradient=None,
    model=None,
    names=None,
    tape=None,
    show_values=True,
    show_shapes=True,
    rankdir="LR",
    direction="backward",
    collapse_modules=False,
    group_modules=True,
    max_nodes=DEFAULT_MAX_NODES,
    max_frames=DEFAULT_MAX_FRAMES,
):
    """Drawings of the backward pass from `output`, one per step, in tape order reversed.

    Frame 0 seeds the output with its gradient (1 for a scalar, else `gradient`); frame k
    highlights the k-th op the engine runs, the gradient that reached its output, and what
    its backward sends to each input (edges in red). Every gradient computed so far is shown;
    `(so far)` marks a sum still waiting for more consumers. The numbers come from the ops'
    own backward formulas (see `replay.py`); `.grad` of the tensors is not touched, so make
    the frames before calling backward() (or call it with retain_graph=True).
    More than `max_frames` steps is a GraphTooLargeError: each frame draws the whole graph.
    The other arguments are those of `draw_graph`.
    """
    options = make_options(
        model=model,
        names=names,
        tape=tape,
        show_values=show_values,
        show_grads=True,
        show_shapes=show_shapes,
        rankdir=rankdir,
        direction=direction,
        collapse_modules=collapse_modules,
        group_modules=group_modules,
        max_nodes=max_nodes,
        legend=False,
    )
    graph = trace_for(output, options)
    seeds, steps = replay_backward(graph, gradient)
    if max_frames is not None and len(steps) + 1 > max_frames:
        raise GraphTooLargeError(
            f"backward_frames: the backward pass has {len(steps)} steps, more than "
            f"max_frames={max_frames} frames of the whole graph; draw a smaller graph "
            "(a single neuron, a batch of one) or raise max_frames"
        )
    expected = _expected_contributions(steps)
    grads, edge_grads, arrived = dict(seeds), {}, {}
    frames = Frames()
    start = Annotations(
        grads=dict(grads),
        unknown_grad="grad ?",
        current_tensors=set(seeds),
        title=f"backward: start at the output with gradient {_flow_text(seeds)}",
    )
    frames.append(render(graph, options, start))
    for number, step in enumerate(steps, start=1):
        node = step.op.node
        for position, g in step.sent.items():
            key = step.op.inputs[position]
            grads[key] = g if key not in grads else grads[key] + g
            edge_grads[(node, position)] = g
            arrived[key] = arrived.get(key, 0) + 1
        partial = {key for key, n in arrived.items() if n < expected[key]}
        notes = Annotations(
            grads=dict(grads),
            partial=partial,
            edge_grads=dict(edge_grads),
            unknown_grad="grad ?",
            current_op=node,
            current_tensors=set(step.op.outputs),
            title=f"step {number}/{len(steps)}: {node.name}.backward",
        )
        frames.append(render(graph, options, notes))
    return frames


def _expected_contributions(steps) -> dict:
    """tensor key -> how many ops will send it a gradient over the whole pass."""
    counts: dict = {}
    for step in steps:
        for position in step.sent:
            key = step.op.inputs[position]
            counts[key] = counts.get(key, 0) + 1
    return counts


def _flow_text(seeds) -> str:
    return ", ".join(labels.format_flow(g) for g in seeds.values())


def save_frames(frames, directory, format="svg", prefix="frame") -> list[Path]:
    """Render each frame to `directory/prefix_00.format`, `_01`, ...; returns the paths."""
    if format not in FORMATS:
        raise ValueError(f"save_frames: format must be one of {FORMATS}, got {format!r}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    width = max(2, len(str(len(frames) - 1)))
    paths = []
    for index, frame in enumerate(frames):
        path = directory / f"{prefix}_{index:0{width}d}.{format}"
        path.write_bytes(frame.pipe(format=format))
        paths.append(path)
    return paths
