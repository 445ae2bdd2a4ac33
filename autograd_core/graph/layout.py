"""From a traced graph to a scene: which nodes and edges are drawn, with which labels, where.

Collapsed modules become one box; tensors inside a box are hidden, tensors between boxes
become edges labelled with their shape; everything else is a node of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
        self._count_params_inside_boxes()
        for node_id, box, ops in boxes.values():
            label = self._box_label(box, ops)
            self._node(node_id, label, {**style.MODULE_STYLE, "class": "module"}, box[:-1])

    def _box_label(self, box, ops) -> str:
        owner = box[-1]
        lines = [owner_label(owner, self.modules)]
        extra = owner.extra_repr() if hasattr(owner, "extra_repr") else ""
        lines.extend(labels.wrap(extra))
        count = f"{len(ops)} op" + ("s" if len(ops) != 1 else "")
        params = self.params_inside.get(self.endpoint[ops[0].node], 0)
        if params:
            count += f", {params:,} params"
        lines.append(count)
        return labels.join_lines(lines)

    def _count_params_inside_boxes(self):
        """Parameters read only by the ops of one box are drawn inside it, as a count."""
        self.params_inside = {}
        for info in self.graph.tensors.values():
            ends = set(self._ends(info))
            if info.kind == "param" and len(ends) == 1:
                (end,) = ends
                self.params_inside[end] = self.params_inside.get(end, 0) + info.tensor.numel()

    # ---- tensors ---------------------------------------------------------------------------
    def _add_tensors(self):
        for number, (key, info) in enumerate(self._tensors_in_order()):
            if self._inside_one_box(key, info):
                continue
            producer_end = self.endpoint.get(info.producer) if info.producer else None
            uses_by_end = {}  # where each consumer is drawn -> its (op node, position) uses
            for consumer, position in info.consumers:
                uses_by_end.setdefault(self.endpoint[consumer], []).append((consumer, position))
            if info.kind == "intermediate" and _all_boxes([producer_end, *uses_by_end]):
                # between two module boxes: an edge labelled with the shape, no node
                for end, uses in uses_by_end.items():
                    if end == producer_end:
                        continue  # read again inside the box that made it
                    attrs = self._flow_attrs(key, info, uses)
                    if self.options.show_shapes and "label" not in attrs:
                        attrs["label"] = str(tuple(info.tensor.shape))
                    self._edge(producer_end, end, attrs)
                continue
            node_id = f"T{number}"
            label = self._tensor_label(key, info)
            self._node(node_id, label, self._tensor_attrs(key, info), self._tensor_cluster(info))
            if producer_end is not None:
                current = info.producer is self.notes.current_op
                self._edge(producer_end, node_id, dict(style.HIGHLIGHT) if current else {})
            for end, uses in uses_by_end.items():
                self._edge(node_id, end, self._flow_attrs(key, info, uses))

    def _inside_one_box(self, key, info) -> bool:
        ends = set(self._ends(info))
        if len(ends) != 1 or not _all_boxes(ends):
            return False
        if info.kind in ("param", "constant", "intermediate"):
            return True
        # an unnamed leaf that needs no gradient is the module's own (an unfolded input, a mask)
        named = info.tensor.name or key in self.known_names
        return info.kind == "input" and not info.tensor.requires_grad and not named

    def _tensors_in_order(self):
        """Tensors in the order the tape names them, so node ids follow execution order."""
        order = {key: i for i, key in enumerate(self.ids)}
        items = list(self.graph.tensors.items())
        return sorted(items, key=lambda item: order.get(item[0], len(order)))

    def _ends(self, info) -> list:
        """Where the ops that make and read this tensor are drawn (op or box ids)."""
        ends = [self.endpoint[n] for n, _ in info.consumers]
        if info.producer is not None and info.producer in self.endpoint:
            ends.append(self.endpoint[info.producer])
        return ends

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

    # ---- edges ---------------------------------------------------------------------------
    def _flow_attrs(self, key, info, uses) -> dict:
        """In a backward drawing, the edge into an op's input carries the gradient it sends
        (summed when the op reads the tensor more than once, as in x * x)."""
        if not self.backward:
            return {}
        attrs = {}
        sent = [self.notes.edge_grads[use] for use in uses if use in self.notes.edge_grads]
        grad = sum(sent[1:], sent[0]) if sent else None
        only_reader = len(uses) == len(info.consumers) and key not in self.notes.partial
        if grad is None and only_reader:
            grad = self.notes.grads.get(key)
        if grad is not None and self.options.show_grads:
            attrs.update(style.GRAD_EDGE, label=labels.format_flow(grad))
        elif not info.tensor.requires_grad:
            attrs["style"] = "dotted"  # no gradient flows back into it
        current = any(consumer is self.notes.current_op for consumer, _ in uses)
        if current and "label" in attrs:
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


def _all_boxes(ends) -> bool:
    """True when every end is a module box (ids M0, M1, ...), and there is one at least."""
    ends = list(ends)
    return bool(ends) and all(end is not None and end.startswith("M") for end in ends)
