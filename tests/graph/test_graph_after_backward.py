"""draw_graph after backward() without retain_graph or a Tape: the structure is kept, the
saved arrays and the intermediate values are freed, and what is gone is drawn as freed."""

import gc
import weakref

import numpy as np
import pytest
from dotparse import parse
from graph_testing import needs_dot

import autograd_core as ag
from autograd_core.graph import draw_graph
from autograd_core.graph.examples import NEURON_OUTPUT
from autograd_core.graph.labels import FREED_VALUE


def _neuron():
    w = ag.tensor([0.55, -0.35], requires_grad=True)
    x = ag.tensor([0.5, 0.45])
    b = ag.tensor(0.15, requires_grad=True)
    return w, x, b


def _line(dot, node, start):
    found = [line for line in dot.lines(node) if line.startswith(start)]
    return found[0] if found else None


def test_the_neuron_is_drawn_after_backward_with_values_and_gradients():
    w, x, b = _neuron()
    y = ag.sigmoid(w @ x + b)
    y.backward()
    dot = parse(draw_graph(y, names={w: "w", x: "x", b: "b", y: "y"}).source)
    assert "sigmoid" in [dot.lines(n)[0] for n in dot.of_class("op")]
    assert _line(dot, dot.find("y"), "value ") == f"value {NEURON_OUTPUT:.6g}"
    assert _line(dot, dot.find("y"), "grad ") is None  # a non-leaf output keeps no .grad
    dz = NEURON_OUTPUT * (1 - NEURON_OUTPUT)
    assert _line(dot, dot.find("w"), "value ") == "value [0.55, -0.35]"
    assert _line(dot, dot.find("w"), "grad ") == f"grad [{0.5 * dz:.4g}, {0.45 * dz:.4g}]"
    assert _line(dot, dot.find("b"), "grad ") == f"grad {dz:.6g}"
    assert _line(dot, dot.find("x"), "value ") == "value [0.5, 0.45]"


def test_freed_intermediates_are_drawn_as_freed_and_retained_ones_with_value_and_grad():
    w, x, b = _neuron()
    z = w @ x + b
    z.retain_grad()
    y = ag.sigmoid(z)
    y.backward()
    dot = parse(draw_graph(y, names={z: "z"}).source)
    z_node = dot.find("z")
    assert _line(dot, z_node, "value ") == "value 0.2675"
    dz = NEURON_OUTPUT * (1 - NEURON_OUTPUT)
    assert _line(dot, z_node, "grad ") == f"grad {dz:.6g}"
    freed = [n for n in dot.of_class("intermediate") if FREED_VALUE in dot.lines(n)]
    assert freed, "the product inside w @ x is nobody's tensor: its value is gone"
    for node in freed:
        assert _line(dot, node, "grad ") is None  # and no gradient is invented for it
        assert any(line.endswith("float32") for line in dot.lines(node))  # shape still known


def test_a_freed_tensor_read_twice_is_one_box():
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    h = a * 3.0
    y = (h * h).sum()
    del h
    y.backward()
    dot = parse(draw_graph(y).source)
    freed = [n for n in dot.of_class("intermediate") if FREED_VALUE in dot.lines(n)]
    assert len(freed) == 2  # h (read by both inputs of h * h) and h * h


def test_backward_direction_after_backward_labels_edges_that_are_known():
    w, x, b = _neuron()
    y = ag.sigmoid(w @ x + b)
    y.backward()
    dot = parse(draw_graph(y, names={w: "w"}, direction="backward").source)
    assert any(attrs.get("label", "").startswith("[") for _, _, attrs in dot.edges)


def test_backward_still_frees_the_intermediate_arrays():
    w, x, b = _neuron()
    z = w @ x + b
    z_alive = weakref.ref(z)
    y = ag.sigmoid(z)
    del z
    gc.collect()
    assert z_alive() is not None  # the graph needs it until backward
    y.backward()
    gc.collect()
    assert z_alive() is None  # freed by backward, although the graph can still be drawn
    assert "sigmoid" in draw_graph(y).source


def test_a_second_backward_is_still_an_error():
    w, x, b = _neuron()
    y = ag.sigmoid(w @ x + b)
    y.backward()
    draw_graph(y)
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()


def test_a_node_released_without_its_edges_says_how_to_draw_it():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (w * w).sum()
    y.grad_fn._release()  # freed outside backward: nothing of its inputs is left
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        draw_graph(y)


def test_a_dropped_output_frees_the_whole_structure():
    w, x, b = _neuron()
    y = ag.sigmoid(w @ x + b)
    node = weakref.ref(y.grad_fn)
    y.backward()
    del y
    gc.collect()
    assert node() is None


def test_gradients_of_a_model_are_drawn_after_backward():
    import nn

    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    loss = model(ag.randn(5, 3)).pow(2).mean()
    loss.backward()
    dot = parse(draw_graph(loss, model=model).source)
    weight = dot.find("0.weight")
    grad = model[0].weight.grad.numpy()
    assert _line(dot, weight, "grad mean ") == (
        f"grad mean {grad.astype(np.float64).mean():.4g} std {grad.astype(np.float64).std():.4g}"
    )


@needs_dot
def test_the_drawing_after_backward_renders():
    w, x, b = _neuron()
    y = ag.sigmoid(w @ x + b)
    y.backward()
    assert b"<svg" in draw_graph(y).pipe(format="svg")


def test_an_op_with_many_inputs_is_drawn_after_backward():
    leaves = [ag.tensor(float(i), requires_grad=True) for i in range(4)]
    y = (ag.stack(leaves) * 2.0).sum()
    y.backward()
    dot = parse(draw_graph(y, names={t: f"x{i}" for i, t in enumerate(leaves)}).source)
    for i in range(4):
        assert _line(dot, dot.find(f"x{i}"), "grad ") == "grad 2"
    assert all(FREED_VALUE in dot.lines(n) for n in dot.of_class("intermediate"))
