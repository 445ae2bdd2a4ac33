"""Write a scene as a graphviz Digraph: graph attributes, nested module clusters, nodes, edges."""

from __future__ import annotations

from collections import defaultdict

from . import style
from ._graphviz import Drawing
from .layout import Scene
from .modules import scope_key

REVERSED_RANKDIR = {"LR": "RL", "TB": "BT", "RL": "LR", "BT": "TB"}


def to_drawing(scene: Scene, *, rankdir="LR", direction="forward", title=None, legend=False):
    """The scene as a `Drawing` (a graphviz.Digraph).

    A backward drawing turns every edge around and mirrors the rank direction, so inputs stay
    where the forward drawing has them and the arrows show the gradients flowing back.
    """
    backward = direction == "backward"
    graph_attr = {
        "rankdir": REVERSED_RANKDIR[rankdir] if backward else rankdir,
        "fontname": style.FONT,
        "nodesep": "0.25",
        "ranksep": "0.35",
    }
    if title:
        graph_attr.update(label=title, labelloc="t", fontsize="16")
    drawing = Drawing(
        name="autograd_graph",
        graph_attr=graph_attr,
        node_attr={"fontname": style.FONT, "fontsize": "10"},
        edge_attr={"fontname": style.FONT, "fontsize": "9", "color": "#555555"},
    )
    by_cluster = defaultdict(list)
    for node in scene.nodes:
        by_cluster[scope_key(node.cluster)].append(node)
    children = defaultdict(list)
    for key in scene.clusters:
        children[key[:-1]].append(key)
    _emit_cluster(drawing, (), scene, by_cluster, children, {})
    for tail, head, attrs in scene.edges:
        if backward:
            tail, head = head, tail
        drawing.edge(tail, head, **attrs)
    if legend:
        _add_legend(drawing)
    return drawing


def _emit_cluster(container, key, scene, by_cluster, children, numbers):
    for node in by_cluster.get(key, ()):
        container.node(node.id, label=node.label, **node.attrs)
    # module nesting is shallow (a handful of levels), so recursion is safe here
    for child in children.get(key, ()):
        number = numbers.setdefault(child, len(numbers))
        label, _ = scene.clusters[child]
        with container.subgraph(name=f"cluster_{number}") as sub:
            sub.attr(label=label, **style.CLUSTER_STYLE)
            _emit_cluster(sub, child, scene, by_cluster, children, numbers)


def _add_legend(drawing):
    with drawing.subgraph(name="cluster_legend") as legend:
        legend.attr(label="legend", **style.CLUSTER_STYLE)
        for kind, text in style.LEGEND:
            legend.node(f"legend_{kind}", label=text, **style.TENSOR_STYLE[kind])
        legend.node("legend_op", label="op", **style.OP_STYLE)
