"""From a traced graph to a scene: which nodes and edges are drawn, with which labels, where.

Collapsed modules become one box; tensors inside a box are hidden, tensors between boxes
become edges labelled with their shape; everything else is a node of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import labels, style
from .modules import collapse_keys, scope_key
from .naming import module_names, owner_label, parameter_names, short_ids
from .trace import GraphTooLargeError, TracedGraph


@dataclass
class Options:
    show_values: bool = True
    show_grads: bool = True
    show_shapes: bool = True
    rankdir: str = "LR"
    direction: str = "forward"
    collapse_modules: bool | int = False
    group_modules: bool = True
    max_nodes: int | None = None
    legend: bool = False
    model: object = None
    tape: object = None
    names: object = None


@dataclass
class Annotations:
    """What a drawing shows beyond the graph: gradients known so far and a highlighted step."""

    grads: dict = field(default_factory=dict)  # tensor key -> Tensor
    partial: set = field(default_factory=set)  # keys whose gradient is still being summed
    edge_grads: dict = field(default_factory=dict)  # (op node, input position) -> Tensor
    unknown_grad: str | None = None  # text for a tensor no gradient has reached yet
    current_op: object = None
    current_tensors: set = field(default_factory=set)
    title: str | None = None


@dataclass
class SceneNode:
    id: str
    label: str
    attrs: dict
    cluster: tuple  # the modules (outermost first) whose clusters hold this node


@dataclass
class Scene:
    nodes: list
    edges: list  # (tail id, head id, attrs)
    clusters: dict  # scope key -> (label, owners)


def build_scene(graph: TracedGraph, options: Options, notes: Annotations) -> Scene:
    builder = _SceneBuilder(graph, options, notes)
    if options.max_nodes is not None:
        # a cheap lower bound first, so that a huge graph is refused before any label is made
        boxes = {scope_key(box) for box in builder.box_of.values() if box is not None}
        loose_ops = sum(box is None for box in builder.box_of.values())
        if len(boxes) + loose_ops > options.max_nodes:
            _refuse(len(boxes) + loose_ops, options.max_nodes)
    scene = builder.build()
    if options.max_nodes is not None and len(scene.nodes) > options.max_nodes:
        _refuse(len(scene.nodes), options.max_nodes)
    return scene


def _refuse(count, max_nodes):
    raise GraphTooLargeError(
        f"draw_graph: the drawing would have at least {count} nodes, more than "
        f"max_nodes={max_nodes}. Use collapse_modules=True (or a smaller depth, "
        "collapse_modules=1), draw the graph of a smaller input, or raise max_nodes."
    )


class _SceneBuilder:
    def __init__(self, graph, options, notes):
        self.graph, self.options, self.notes = graph, options, notes
        self.backward = options.direction == "backward"
        self.modules = module_names(options.model)
        self.ids = short_ids(graph, options.tape)
        self.known_names = parameter_names(graph, options.model, options.names)
        self.box_of = collapse_keys(graph, options.collapse_modules, options.model)
        self.nodes, self.edges, self.clusters = [], [], {}
        self.endpoint = {}  # op node -> the id of its op node or of its module box
        self.placement = {}  # op node -> cluster (tuple of owners)

    # ---- the whole scene -----------------------------------------------------------------
    def build(self) -> Scene:
        self._add_ops_and_boxes()
        self._add_tensors()
        return Scene(self.nodes, self.edges, self.clusters)

    def _add_ops_and_boxes(self):
        boxes = {}
        for index, op in enumerate(self.graph.ops):
            box = self.box_of[op.node]
            if box is None:
                node_id = f"F{index}"
                attrs = {**style.OP_STYLE, "class": "op"}
                if op.node is self.notes.current_op:
                    attrs.update(style.HIGHLIGHT, fillcolor=style.HIGHLIGHT_FILL)
                self._node(node_id, labels.op_label(op.node), attrs, op.scope)
                self.endpoint[op.node] = node_id
                self.placement[op.node] = op.scope
                continue
            key = scope_key(box)
            if key not in boxes:
                boxes[key] = (f"M{len(boxes)}", box, [])
            boxes[key][2].append(op)
            self.endpoint[op.node] = boxes[key][0]
            self.placement[op.node] = box[:-1]
        for node_id, box, ops in boxes.values():
            label = self._box_label(box, ops)
            self._node(node_id, label, {**style.MODULE_STYLE, "class": "module"}, box[:-1])

    def _box_label(self, box, ops) -> str:
        owner = box[-1]
        lines = [owner_label(owner, self.modules)]
        extra = owner.extra_repr() if hasattr(owner, "extra_repr") else ""
        lines.extend(labels.wrap(extra))
        inside = {op.node for op in ops}
        params = [
            info.tensor
            for info in self.graph.tensors.values()
            if info.kind == "param" and self._internal_to(info, inside)
        ]
        count = f"{len(ops)} op" + ("s" if len(ops) != 1 else "")
        if params:
            count += f", {sum(int(np.prod(p.shape)) for p in params):,} params"
        lines.append(count)
        return labels.join_lines(lines)

    # ---- tensors ---------------------------------------------------------------------------
    def _add_tensors(self):
        for number, (key, info) in enumerate(self._tensors_in_order()):
            ends = self._ends(info)
            boxed = [e for e in ends if e.startswith("M")]
            hideable = info.kind in ("param", "constant", "intermediate") or (
                # a module's own constant (an unfolded input, a mask) unless it has a name
                info.kind == "input"
                and not info.tensor.requires_grad
                and not info.tensor.name
                and key not in self.known_names
            )
            if hideable and ends and len(set(ends)) == 1 and boxed:
                continue  # lives inside one module box
            producer_end = self.endpoint.get(info.producer) if info.producer else None
            consumer_ends = [(self.endpoint[n], n, p) for n, p in info.consumers]
            between_boxes = (
                info.kind == "intermediate"
                and producer_end is not None
                and producer_end.startswith("M")
                and consumer_ends
                and all(end.startswith("M") for end, _, _ in consumer_ends)
            )
            if between_boxes:
                self._box_to_box_edges(key, info, producer_end, consumer_ends)
                continue
            node_id = f"T{number}"
            self._node(
                node_id,
                self._tensor_label(key, info),
                self._tensor_attrs(key, info),
                self._tensor_cluster(info),
            )
            if producer_end is not None:
                current = info.producer is self.notes.current_op
                self._edge(producer_end, node_id, dict(style.HIGHLIGHT) if current else {})
            seen = set()
            for end, consumer, position in consumer_ends:
                if end in seen:
                    continue
                seen.add(end)
                self._edge(node_id, end, self._flow_attrs(key, info, consumer, position))

    def _tensors_in_order(self):
        """Tensors in the order the tape names them, so node ids follow execution order."""
        order = {key: i for i, key in enumerate(self.ids)}
        items = list(self.graph.tensors.items())
        return sorted(items, key=lambda item: order.get(item[0], len(order)))

    def _ends(self, info) -> list:
        ends = [self.endpoint[n] for n, _ in info.consumers]
        if info.producer is not None and info.producer in self.endpoint:
            ends.append(self.endpoint[info.producer])
        return ends

    def _internal_to(self, info, inside) -> bool:
        nodes = [n for n, _ in info.consumers]
        return bool(nodes) and all(n in inside for n in nodes)

    def _tensor_label(self, key, info) -> str:
        if info.kind == "constant":
            return labels.format_values(info.tensor)[0]
        # "?" only for a tensor made outside the tape that was passed
        title = self.known_names.get(key) or self.ids.get(key) or info.tensor.name or "?"
        tape_id = self.ids.get(key)
        if self.options.tape is not None and tape_id and tape_id != title:
            title = f"{title} ({tape_id})"
        grad, note, extra = None, "", []
        if self.options.show_grads:
            grad = self.notes.grads.get(key)
            if key in self.notes.partial:
                note = " (so far)"
            waiting = grad is None and info.tensor.requires_grad
            if waiting and self.notes.unknown_grad is not None:
                extra = [self.notes.unknown_grad]
        return labels.tensor_label(
            title,
            info.tensor,
            show_shapes=self.options.show_shapes,
            show_values=self.options.show_values,
            grad=grad,
            grad_note=note,
            lines=extra,
        )

    def _tensor_attrs(self, key, info) -> dict:
        attrs = {**style.TENSOR_STYLE[info.kind], "class": f"tensor {info.kind}"}
        if key in self.notes.current_tensors:
            attrs.update(style.HIGHLIGHT)
        return attrs

    def _tensor_cluster(self, info) -> tuple:
        if info.kind in ("output", "input"):
            return ()
        if info.producer is not None:
            return self.placement[info.producer]
        return self.placement[info.consumers[0][0]] if info.consumers else ()

    # ---- edges -----------------------------------------------------------------------------
    def _box_to_box_edges(self, key, info, producer_end, consumer_ends):
        seen = set()
        for end, consumer, position in consumer_ends:
            if end in seen or end == producer_end:
                continue
            seen.add(end)
            attrs = self._flow_attrs(key, info, consumer, position)
            if self.options.show_shapes and "label" not in attrs:
                attrs["label"] = str(tuple(info.tensor.shape))
            self._edge(producer_end, end, attrs)

    def _flow_attrs(self, key, info, consumer, position) -> dict:
        """In a backward drawing, the edge into an op's input carries the gradient it sends."""
        if not self.backward:
            return {}
        attrs = {}
        grad = self.notes.edge_grads.get((consumer, position))
        single_use = len(info.consumers) == 1 and key not in self.notes.partial
        if grad is None and single_use and self.options.show_grads:
            grad = self.notes.grads.get(key)
        if grad is not None and self.options.show_grads:
            attrs.update(style.GRAD_EDGE, label=labels.format_flow(grad))
        elif not info.tensor.requires_grad:
            attrs["style"] = "dotted"  # no gradient flows back into it
        if consumer is self.notes.current_op and consumer is not None and "label" in attrs:
            attrs.update(style.HIGHLIGHT)
        return attrs

    def _edge(self, tail, head, attrs):
        # the scene stores forward edges; a backward drawing reverses them when emitted
        self.edges.append((tail, head, attrs))

    def _node(self, node_id, label, attrs, cluster):
        if not self.options.group_modules:
            cluster = ()
        for depth in range(1, len(cluster) + 1):
            prefix = cluster[:depth]
            key = scope_key(prefix)
            if key not in self.clusters:
                self.clusters[key] = (owner_label(prefix[-1], self.modules), prefix)
        self.nodes.append(SceneNode(node_id, label, attrs, cluster))
