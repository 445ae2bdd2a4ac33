"""draw_graph's DOT text for known graphs: nodes, labels, values, gradients, edges, direction."""

import math

import numpy as np
import pytest
from dotparse import parse
from graph_testing import needs_dot

import autograd_core as ag
import nn
from autograd_core.graph import GraphTooLargeError, draw_graph
from autograd_core.graph.examples import NEURON_OUTPUT


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def _value_line(dot, node):
    return next(line for line in dot.lines(node) if line.startswith("value "))


def _grad_line(dot, node):
    found = [line for line in dot.lines(node) if line.startswith("grad ")]
    return found[0] if found else None


# ---- the sigmoid neuron ---------------------------------------------------------------------
def test_neuron_nodes_values_and_gradients(neuron):
    y, tensors, tape = neuron
    y.backward()
    dot = parse(draw_graph(y, tape=tape).source)
    z = 0.55 * 0.5 - 0.35 * 0.45 + 0.15
    dz = sigmoid(z) * (1 - sigmoid(z))
    assert abs(y.item() - NEURON_OUTPUT) < 1e-15
    out = dot.find("y")
    assert dot.of_class("output") == [out]
    assert _value_line(dot, out) == f"value {NEURON_OUTPUT:.6g}" == "value 0.566479"
    assert _grad_line(dot, out) == "grad 1"
    w, x, b = dot.find("w"), dot.find("x"), dot.find("b")
    assert sorted(dot.of_class("param")) == sorted([w, b])
    assert dot.of_class("input") == [x]
    assert dot.lines(w)[1] == "(2,) float64"
    assert _value_line(dot, w) == "value [0.55, -0.35]"
    assert (
        _grad_line(dot, w) == f"grad [{dz * 0.5:.4g}, {dz * 0.45:.4g}]" == "grad [0.1228, 0.1105]"
    )
    assert _grad_line(dot, b) == f"grad {dz:.6g}"
    assert _grad_line(dot, x) is None  # an input without requires_grad has no gradient
    ops = {dot.nodes[n]["label"]: n for n in dot.of_class("op")}
    assert sorted(ops) == ["add", "mul", "sigmoid", "sum"]
    # edges follow the forward pass: w, x -> mul -> t3 -> sum -> t4 -> add (b) -> t6 -> sigmoid
    t3, t4, t6 = dot.find("t3"), dot.find("t4"), dot.find("t6")
    expected = {
        (w, ops["mul"]),
        (x, ops["mul"]),
        (ops["mul"], t3),
        (t3, ops["sum"]),
        (ops["sum"], t4),
        (t4, ops["add"]),
        (b, ops["add"]),
        (ops["add"], t6),
        (t6, ops["sigmoid"]),
        (ops["sigmoid"], out),
    }
    assert {(t, h) for t, h, _ in dot.edges} == expected
    assert _value_line(dot, t6) == f"value {z:.6g}"
    assert dot.graph["rankdir"] == "LR"


def test_backward_direction_reverses_edges_and_labels_the_gradients(neuron):
    y, tensors, tape = neuron
    y.backward()
    forward = parse(draw_graph(y, tape=tape).source)
    backward = parse(draw_graph(y, tape=tape, direction="backward").source)
    assert {(h, t) for t, h, _ in forward.edges} == {(t, h) for t, h, _ in backward.edges}
    assert backward.graph["rankdir"] == "RL"  # mirrored: inputs stay on the left
    mul = next(n for n in backward.of_class("op") if backward.nodes[n]["label"] == "mul")
    w, x = backward.find("w"), backward.find("x")
    assert backward.edge(mul, w)["label"] == "[0.1228, 0.1105]"
    assert backward.edge(mul, x).get("style") == "dotted"  # no gradient flows into x
    add = next(n for n in backward.of_class("op") if backward.nodes[n]["label"] == "add")
    assert float(backward.edge(add, backward.find("b"))["label"]) == pytest.approx(
        tensors["b"].grad.item(), rel=1e-5
    )


def test_drawing_before_backward_shows_no_gradients(neuron):
    y, _, _ = neuron
    dot = parse(draw_graph(y).source)
    assert all(_grad_line(dot, n) is None for n in dot.of_class("tensor"))


def test_show_options_and_tb_layout(neuron):
    y, _, tape = neuron
    y.backward()
    dot = parse(
        draw_graph(
            y, tape=tape, show_values=False, show_grads=False, show_shapes=False, rankdir="TB"
        ).source
    )
    assert dot.graph["rankdir"] == "TB"
    assert all(len(dot.lines(n)) == 1 for n in dot.of_class("tensor"))


def test_graph_after_backward_is_drawn_without_the_freed_values():
    # tests/graph/test_graph_after_backward.py has the details
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (w * w).sum()
    y.backward()
    dot = parse(draw_graph(y, names={w: "w"}).source)
    assert _grad_line(dot, dot.find("w")) == "grad [2, 4]"


def test_names_argument_and_list_of_outputs():
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    h = a * 3.0
    u, v = h.sum(), h.mean()
    dot = parse(draw_graph([u, v], names={a: "alpha", h: "hidden"}).source)
    alpha, hidden = dot.find("alpha"), dot.find("hidden")
    assert len(dot.of_class("output")) == 2
    consumers = [h2 for t, h2, _ in dot.edges if t == hidden]
    assert sorted(dot.nodes[c]["label"] for c in consumers) == ["mean", "sum"]
    assert dot.has_edge(
        alpha, next(n for n in dot.of_class("op") if dot.nodes[n]["label"] == "mul")
    )
    assert "3" in [dot.nodes[n]["label"] for n in dot.of_class("constant")]


def test_op_hyperparameters_and_large_tensor_summary():
    x = ag.randn(10, 20, requires_grad=True)
    y = x.sum(dim=1).reshape(2, 5)
    dot = parse(draw_graph(y).source)
    labels = sorted(dot.nodes[n]["label"] for n in dot.of_class("op"))
    assert labels == ["reshape\\nshape=(2, 5)", "sum\\ndim=(1,), keepdim=False"]
    values = x.detach().numpy().astype(np.float64)
    leaf = dot.find("t1")
    assert dot.lines(leaf)[2:] == [
        f"value mean {values.mean():.4g} std {values.std():.4g}",
        f"min {values.min():.4g} max {values.max():.4g}",
    ]


# ---- the three-layer, one-neuron network ----------------------------------------------------
def test_three_layer_network_values_and_error_terms(three_layer):
    loss, tape = three_layer
    loss.backward()
    dot = parse(draw_graph(loss, tape=tape, direction="backward").source)
    # the lecture's numbers, by hand
    w, b, x, y = {1: 0.8, 2: -1.2, 3: 2.0}, {1: -0.4, 2: 0.3, 3: 0.5}, 1.5, 1.0
    a, z = {0: x}, {}
    for l in (1, 2, 3):
        z[l] = w[l] * a[l - 1] + b[l]
        a[l] = sigmoid(z[l]) if l < 3 else z[l]
    eps = {3: a[3] - y}
    for l in (2, 1):
        eps[l] = eps[l + 1] * w[l + 1] * a[l] * (1 - a[l])
    for l in (1, 2, 3):
        node = dot.find(f"z{l}")
        assert _value_line(dot, node) == f"value {z[l]:.6g}"
        assert _grad_line(dot, node) == f"grad {eps[l]:.6g}"
        assert _grad_line(dot, dot.find(f"w{l}")) == f"grad {eps[l] * a[l - 1]:.6g}"
        assert _grad_line(dot, dot.find(f"b{l}")) == f"grad {eps[l]:.6g}"
    assert _value_line(dot, dot.find("L")) == f"value {0.5 * (a[3] - y) ** 2:.6g}"
    sigmoids = [n for n in dot.of_class("op") if dot.nodes[n]["label"] == "sigmoid"]
    assert len(sigmoids) == 2
    # backward edges run from each op to its inputs, labelled with what it sends
    for l in (1, 2):
        op = next(h for t, h, _ in dot.edges if t == dot.find(f"a{l}"))
        assert op in sigmoids
        assert float(dot.edge(op, dot.find(f"z{l}"))["label"]) == pytest.approx(eps[l], rel=1e-5)


def test_drawing_agrees_with_the_tape_node_for_node(three_layer):
    loss, tape = three_layer
    loss.backward()
    dot = parse(draw_graph(loss, tape=tape).source)
    names = tape.names()
    ops = sorted(dot.of_class("op"), key=lambda n: int(n[1:]))  # F0, F1, ... in tape order
    assert len(ops) == len(tape.entries)
    by_title = {dot.lines(n)[0]: n for n in dot.of_class("tensor")}
    for op, entry in zip(ops, tape.entries):
        params = entry.node.describe()
        assert dot.nodes[op]["label"] == entry.op + (f"\\n{params}" if params else "")
        (out,) = entry.outputs
        assert dot.has_edge(op, by_title[names[id(out)]])
        for t in entry.inputs:
            title = names.get(id(t)) or t.name or tape.label(t)
            tails = [tl for tl, h, _ in dot.edges if h == op and dot.lines(tl)[0] == title]
            assert tails, f"{entry.op}: no edge from {title}"
    # the ids printed by the tape are the ids in the drawing
    tape_ids = {name for line in str(tape).splitlines() for name in [line.split(" = ")[0]]}
    assert tape_ids <= set(by_title)


def test_ids_without_a_tape_follow_the_tape_numbering():
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    with ag.Tape() as tape:
        y = (ag.exp(a) * a).sum()
    with_tape = parse(draw_graph(y, tape=tape).source)
    without = parse(draw_graph(y).source)
    assert {with_tape.lines(n)[0] for n in with_tape.of_class("tensor")} == {
        without.lines(n)[0] for n in without.of_class("tensor")
    }


# ---- modules -----------------------------------------------------------------------------------
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 3)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(3, 2)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


def test_mlp_ops_are_drawn_in_nested_module_clusters():
    model = MLP()
    x = ag.randn(5, 4)
    loss = model(x).pow(2).mean()
    loss.backward(retain_graph=True)
    dot = parse(draw_graph(loss, model=model).source)
    weight = dot.find("fc1.weight")
    assert dot.cluster_path(weight) == ["MLP", "fc1: Linear"]
    assert dot.lines(dot.find("fc2.bias"))[1] == "(2,) float32"
    grad = model.fc2.bias.grad.numpy()
    assert (
        _grad_line(dot, dot.find("fc2.bias"))
        == "grad [" + ", ".join(f"{v:.4g}" for v in grad) + "]"
    )
    relu = next(n for n in dot.of_class("op") if dot.nodes[n]["label"] == "relu")
    assert dot.cluster_path(relu) == ["MLP", "act: ReLU"]
    matmuls = [n for n in dot.of_class("op") if dot.nodes[n]["label"] == "linear"]
    assert sorted(dot.cluster_path(n)[-1] for n in matmuls) == ["fc1: Linear", "fc2: Linear"]
    for name in ("pow", "mean"):  # computed outside any module
        op = next(n for n in dot.of_class("op") if dot.nodes[n]["label"].startswith(name))
        assert dot.cluster_path(op) == []
    assert dot.cluster_path(dot.of_class("output")[0]) == []
    flat = parse(draw_graph(loss, model=model, group_modules=False).source)
    assert flat.clusters == {} and len(flat.nodes) == len(dot.nodes)


def test_parameter_names_come_from_the_module_without_a_model():
    model = MLP()
    dot = parse(draw_graph(model(ag.randn(1, 4)).sum()).source)
    titles = sorted(dot.lines(n)[0] for n in dot.of_class("param"))
    assert titles == ["Linear.bias"] * 2 + ["Linear.weight"] * 2


def lenet_loss():
    from autograd_core.models import lenet

    model = lenet(1, 10, image_size=8)
    images = ag.randn(2, 1, 8, 8)
    loss = nn.CrossEntropyLoss()(model(images), ag.tensor([3, 7]))
    return loss, model, images


def test_cnn_collapsed_by_module_fits_on_a_slide():
    loss, model, images = lenet_loss()
    full = parse(draw_graph(loss, model=model).source)
    dot = parse(draw_graph(loss, model=model, collapse_modules=True).source)
    boxes = sorted(dot.of_class("module"), key=lambda n: int(n[1:]))  # M0, M1, ...
    labels = [dot.lines(n)[0] for n in boxes]
    children = [f"{name}: {type(m).__name__}" for name, m in model.named_children()]
    assert labels == children + ["CrossEntropyLoss"]
    assert len(dot.nodes) == len(boxes) + 1 < len(full.nodes) / 4  # the boxes and the loss
    assert dot.of_class("param") == []  # parameters live inside their boxes
    for node, (_, module) in zip(boxes, model.named_children()):
        count = sum(p.numel() for p in module.parameters())
        assert (f"{count:,} params" in dot.nodes[node]["label"]) == (count > 0)
    assert all(dot.cluster_path(n) == ["Sequential"] for n in boxes[:-1])
    # the boxes form a chain, each edge labelled with the activation's shape
    chain = {(t, h): a.get("label") for t, h, a in dot.edges}
    assert chain[(boxes[0], boxes[1])] == "(2, 16, 8, 8)"
    assert chain[(boxes[-2], boxes[-1])] == "(2, 10)"
    assert chain[(boxes[-1], dot.of_class("output")[0])] is None


def test_collapse_depth_one_draws_the_whole_model_as_one_box():
    loss, model, images = lenet_loss()
    dot = parse(draw_graph(loss, model=model, collapse_modules=1).source)
    assert [dot.lines(n)[0] for n in dot.of_class("module")] == ["Sequential", "CrossEntropyLoss"]


def test_collapsed_drawing_shows_an_input_that_requires_grad_as_an_input():
    loss, model, _ = lenet_loss()
    images = ag.randn(2, 1, 8, 8, requires_grad=True)
    loss = nn.CrossEntropyLoss()(model(images), ag.tensor([3, 7]))
    dot = parse(draw_graph(loss, model=model, collapse_modules=True, names={images: "x"}).source)
    x = dot.find("x")
    assert dot.of_class("input") == [x]
    first_conv = next(n for n in dot.of_class("module") if dot.lines(n)[0] == "0: Conv2d")
    assert dot.has_edge(x, first_conv)


# ---- limits and arguments ------------------------------------------------------------------
def test_a_huge_graph_is_refused_quickly_with_advice():
    x = ag.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(20000):
        y = y * 1.0001
    for collapse in (False, True):
        with pytest.raises(GraphTooLargeError, match="collapse_modules=True"):
            draw_graph(y, collapse_modules=collapse)
    with pytest.raises(GraphTooLargeError, match="max_nodes=10"):
        draw_graph(y, max_nodes=10)


def test_collapsing_brings_a_large_model_under_the_limit():
    model = nn.Sequential(*[nn.Sequential(nn.Linear(2, 2), nn.Tanh()) for _ in range(30)])
    loss = model(ag.randn(1, 2)).sum()
    with pytest.raises(GraphTooLargeError):
        draw_graph(loss, model=model, max_nodes=100)
    dot = parse(draw_graph(loss, model=model, max_nodes=100, collapse_modules=True).source)
    assert len(dot.of_class("module")) == 30


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"rankdir": "RL"}, "rankdir"),
        ({"direction": "sideways"}, "direction"),
        ({"collapse_modules": 0}, "collapse_modules"),
        ({"max_nodes": 0}, "max_nodes"),
    ],
)
def test_bad_arguments_are_named(neuron, kwargs, message):
    with pytest.raises(ValueError, match=message):
        draw_graph(neuron[0], **kwargs)


def test_draw_graph_is_exposed_lazily_on_the_package():
    from autograd_core import graph

    assert ag.draw_graph is graph.draw_graph
    assert ag.backward_frames is graph.backward_frames


def test_legend(neuron):
    dot = parse(draw_graph(neuron[0], legend=True).source)
    assert any(c.label == "legend" for c in dot.clusters.values())


@needs_dot
def test_renders_to_svg(neuron):
    y, _, tape = neuron
    y.backward()
    svg = draw_graph(y, tape=tape).pipe(format="svg").decode()
    assert "<svg" in svg and "sigmoid" in svg and "0.566479" in svg
