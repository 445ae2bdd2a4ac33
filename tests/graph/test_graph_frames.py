"""backward_frames: one drawing per backward step, with the engine's true gradients."""

import numpy as np
import pytest
from dotparse import parse
from graph_testing import needs_dot

import autograd_core as ag
import nn
from autograd_core.graph import (
    GraphTooLargeError,
    Slideshow,
    backward_frames,
    html_slideshow,
    save_frames,
)
from autograd_core.graph.labels import format_values


def _titles_and_grads(frame):
    dot = parse(frame.source)
    grads = {}
    for n in dot.of_class("tensor"):
        lines = dot.lines(n)
        found = [line for line in lines if line.startswith("grad ")]
        if found:
            grads[lines[0]] = found[0]
    return dot, grads


def _current_op(dot):
    found = [n for n in dot.of_class("op") if dot.nodes[n].get("penwidth") == "3"]
    assert len(found) <= 1
    return dot.nodes[found[0]]["label"] if found else None


def test_neuron_frames_follow_the_tape_backwards(neuron):
    y, tensors, tape = neuron
    frames = backward_frames(y, tape=tape)
    assert len(frames) == 1 + len(tape.entries)
    first, grads = _titles_and_grads(frames[0])
    assert "start" in first.graph["label"]
    assert grads["y"] == "grad 1"
    assert all(g == "grad ?" for title, g in grads.items() if title != "y")
    assert _current_op(first) is None
    current = [_current_op(parse(f.source)) for f in frames[1:]]
    assert current == [e.op for e in reversed(tape.entries)]  # sigmoid, add, sum, mul
    titles = [parse(f.source).graph["label"] for f in frames[1:]]
    assert titles[0] == f"step 1/{len(tape.entries)}: sigmoid.backward"


def test_frames_show_the_engines_gradients(neuron):
    y, tensors, tape = neuron
    frames = backward_frames(y, tape=tape)
    assert all(t.grad is None for t in tensors.values())  # frames leave .grad alone
    y.backward()  # the engine's own pass; the tape keeps every intermediate gradient
    _, last = _titles_and_grads(frames[-1])
    _, engine = _titles_and_grads(ag.draw_graph(y, tape=tape))
    assert last == engine and len(last) == 6  # w, b, t3, t4, t6, y (x needs no gradient)
    # after step k, the input of the k-th op has its gradient and the edge into it carries it
    second, grads = _titles_and_grads(frames[2])  # add.backward
    assert grads["b"] == engine["b"] and grads["t4"] == engine["t4"]
    assert grads["t3"] == "grad ?" and grads["w"] == "grad ?"
    add = next(n for n in second.of_class("op") if second.nodes[n]["label"] == "add")
    edge = second.edge(add, second.find("b"))
    assert edge["penwidth"] == "3" and float(edge["label"]) == pytest.approx(
        tensors["b"].grad.item(), rel=1e-5
    )


def test_a_gradient_summed_from_two_consumers_is_marked_until_complete():
    x = ag.tensor(0.7, dtype=ag.float64, requires_grad=True)
    x.name = "x"
    a = ag.tanh(x)
    a.name = "a"
    y = a * a + ag.exp(a)  # a feeds mul twice and exp once
    frames = backward_frames(y)
    marks = [_titles_and_grads(f)[1].get("a", "") for f in frames]
    assert any(m.endswith("(so far)") for m in marks)
    assert not marks[-1].endswith("(so far)")
    y.backward()
    _, final = _titles_and_grads(frames[-1])
    assert final["x"] == f"grad {x.grad.item():.6g}"
    t = np.tanh(0.7)
    assert x.grad.item() == pytest.approx((2 * t + np.exp(t)) * (1 - t**2), rel=1e-12)


def test_broadcast_bias_and_module_frames_match_the_engine():
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
    x = ag.randn(4, 3)
    loss = model(x).pow(2).mean()
    frames = backward_frames(loss, model=model)
    loss.backward()
    _, last = _titles_and_grads(frames[-1])
    for name, p in model.named_parameters():
        assert last[name] == "grad " + format_values(p.grad)[0]
    assert model[0].bias.grad.shape == (2,)  # summed over the batch, as the engine does


def test_a_max_with_indices_replays_its_unused_output():
    x = ag.tensor([[1.0, 5.0], [4.0, 2.0]], requires_grad=True)
    values, _ = ag.max(x, dim=1)
    y = values.sum()
    frames = backward_frames(y, names={x: "x"})
    y.backward()
    assert _titles_and_grads(frames[-1])[1]["x"] == "grad [0, 1, 1, 0]"
    assert x.grad.numpy().ravel().tolist() == [0, 1, 1, 0]


def test_frames_need_the_graph():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    with ag.Tape() as tape:
        y = (w * w).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        backward_frames(y, tape=tape)


def test_a_non_scalar_output_needs_a_gradient():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    y = w * 3.0
    with pytest.raises(RuntimeError, match="gradient="):
        backward_frames(y)
    frames = backward_frames(y, gradient=ag.tensor([1.0, -1.0]), names={w: "w"})
    assert _titles_and_grads(frames[-1])[1]["w"] == "grad [3, -3]"


@needs_dot
def test_save_frames_writes_numbered_files(neuron, tmp_path):
    frames = backward_frames(neuron[0])
    paths = save_frames(frames, tmp_path / "out", format="svg", prefix="neuron")
    assert [p.name for p in paths] == [f"neuron_{i:02d}.svg" for i in range(len(frames))]
    assert all(p.read_text().lstrip().startswith("<?xml") for p in paths)
    png = save_frames(frames[:1], tmp_path, format="png")
    assert png[0].read_bytes().startswith(b"\x89PNG")


def test_save_frames_checks_the_format(neuron, tmp_path):
    with pytest.raises(ValueError, match="format"):
        save_frames(backward_frames(neuron[0]), tmp_path, format="gif")


@needs_dot
def test_html_slideshow_is_self_contained(neuron):
    frames = backward_frames(neuron[0])
    page = html_slideshow(frames)
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == len(frames) and "<?xml" not in page
    assert 'class="ag-prev"' in page and 'class="ag-next"' in page
    assert f'type="range" min="0" max="{len(frames) - 1}"' in page
    assert "<script>" in page and "src=" not in page and "http" not in page.split("<svg")[0]
    assert page.count('style="display: block') == 1
    inline = Slideshow(frames)._repr_html_()
    assert inline.count("<svg") == len(frames) and "<html" not in inline
    assert frames._repr_html_().count("<svg") == len(frames)
    # two slideshows on one page do not share element ids
    assert Slideshow(frames)._repr_html_().split('id="')[1] != inline.split('id="')[1]


def test_an_empty_slideshow_is_an_error():
    with pytest.raises(ValueError, match="no frames"):
        html_slideshow([])


def test_an_op_reading_a_tensor_twice_sends_the_sum_along_one_edge():
    x = ag.tensor(1.5, dtype=ag.float64, requires_grad=True)
    x.name = "x"
    y = x * x
    frames = backward_frames(y)
    dot = parse(frames[-1].source)
    (mul,) = dot.of_class("op")
    assert dot.edge(mul, dot.find("x"))["label"] == "3"  # 2 x, from both of mul's inputs


def test_too_many_steps_are_refused():
    x = ag.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(12):
        y = y * 1.5
    with pytest.raises(GraphTooLargeError, match="max_frames=10"):
        backward_frames(y, max_frames=10)
    assert len(backward_frames(y, max_frames=13)) == 13
