"""`draw_graph`: the recorded graph of a tensor as a graphviz Digraph, values and gradients."""

from __future__ import annotations

from .emit import to_drawing
from .layout import Annotations, Options, build_scene
from .trace import DEFAULT_MAX_NODES, TracedGraph, trace

RANKDIRS = ("LR", "TB")
DIRECTIONS = ("forward", "backward")


def draw_graph(
    output,
    *,
    model=None,
    names=None,
    tape=None,
    show_values=True,
    show_grads=True,
    show_shapes=True,
    rankdir="LR",
    direction="forward",
    collapse_modules=False,
    group_modules=True,
    max_nodes=DEFAULT_MAX_NODES,
    legend=False,
    title=None,
):
    """Draw the ops that made `output` (a Tensor or a list of Tensors) and the tensors between.

    Tensors show a name (`names={tensor: "x"}`, then the parameter names of `model`, then
    `tensor.name`) or the id the Tape prints (t1, t2, ...; pass `tape=` to use that tape's
    numbering), their shape and dtype, their value and, once known, their `.grad` (leaves
    after backward; intermediate tensors when retained, as a Tape does). Ops show their name
    and hyperparameters. Parameters, inputs and outputs are coloured differently.

    `direction="backward"` turns the edges around and labels them with the gradients they
    carry. `group_modules` draws the ops of each nn.Module in a labelled cluster;
    `collapse_modules=True` (or a depth, 1 = outermost modules) draws each module as one box.
    After `backward()` (without retain_graph) the graph is still drawn, as PyTorch keeps it:
    every op and edge, the values and `.grad` of the tensors still held (leaves, retained
    ones, the output), and "value freed by backward()" for intermediates nobody holds; a
    `tape` keeps those values too.

    Raises GraphTooLargeError above `max_nodes` drawn nodes (None: no limit).
    Returns a `graphviz.Digraph`: `.source` is the DOT text, `.pipe(format="svg")` renders it
    (GraphvizNotFoundError, with install instructions, when the `dot` program is missing), and
    Jupyter shows it inline.

    >>> import autograd_core as ag
    >>> w = ag.tensor([0.55, -0.35], requires_grad=True)
    >>> y = ag.sigmoid(w @ ag.tensor([0.5, 0.45]) + 0.15)
    >>> "sigmoid" in draw_graph(y, names={w: "w"}).source
    True
    """
    options = make_options(
        model=model,
        names=names,
        tape=tape,
        show_values=show_values,
        show_grads=show_grads,
        show_shapes=show_shapes,
        rankdir=rankdir,
        direction=direction,
        collapse_modules=collapse_modules,
        group_modules=group_modules,
        max_nodes=max_nodes,
        legend=legend,
    )
    graph = trace_for(output, options)
    notes = Annotations(grads=current_grads(graph), title=title)
    return render(graph, options, notes)


def make_options(**kwargs) -> Options:
    """Checked drawing options (ValueError / TypeError naming the bad one)."""
    if kwargs["rankdir"] not in RANKDIRS:
        raise ValueError(f"draw_graph: rankdir must be 'LR' or 'TB', got {kwargs['rankdir']!r}")
    if kwargs["direction"] not in DIRECTIONS:
        raise ValueError(
            f"draw_graph: direction must be 'forward' or 'backward', got {kwargs['direction']!r}"
        )
    collapse = kwargs["collapse_modules"]
    if not isinstance(collapse, (bool, int)) or (not isinstance(collapse, bool) and collapse < 1):
        raise ValueError(
            f"draw_graph: collapse_modules must be True, False or a depth >= 1, got {collapse!r}"
        )
    max_nodes = kwargs["max_nodes"]
    if max_nodes is not None and (not isinstance(max_nodes, int) or max_nodes < 1):
        raise ValueError(f"draw_graph: max_nodes must be a positive int or None, got {max_nodes!r}")
    return Options(**kwargs)


def trace_for(output, options: Options) -> TracedGraph:
    # collapsed drawings are counted after collapsing; walking is cheap, drawing is not
    limit = None if options.collapse_modules else options.max_nodes
    graph = trace(output, options.tape, limit)
    if options.model is not None:
        # a leaf that needs a gradient but is not one of the model's parameters is an input
        params = {id(p) for p in options.model.parameters()}
        for info in graph.tensors.values():
            if info.kind == "param" and id(info.tensor) not in params:
                info.kind = "input"
    return graph


def current_grads(graph: TracedGraph) -> dict:
    """tensor key -> its `.grad` where the engine stored one (leaves, retained tensors)."""
    return {
        key: info.tensor.grad
        for key, info in graph.tensors.items()
        if info.kind != "constant" and info.tensor.grad is not None
    }


def render(graph: TracedGraph, options: Options, notes: Annotations):
    scene = build_scene(graph, options, notes)
    return to_drawing(
        scene,
        rankdir=options.rankdir,
        direction=options.direction,
        title=notes.title,
        legend=options.legend,
    )
