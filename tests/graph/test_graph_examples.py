"""The README's pictures, and the training run's graph.svg drawn by the real draw_graph."""

from graph_testing import needs_dot

import autograd_core as ag
import nn
from autograd_core.graph import examples
from autograd_core.training import artifacts


@needs_dot
def test_examples_write_the_readme_pictures(tmp_path):
    paths = examples.write_examples(tmp_path)
    names = {p.name for p in paths}
    assert {
        "neuron.svg",
        "lenet.svg",
        "three_layer_forward.svg",
        "three_layer_backward.svg",
    } <= names
    frames = sorted(n for n in names if n.startswith("neuron_backward_"))
    assert frames[0] == "neuron_backward_00.svg" and len(frames) == 5
    neuron = (tmp_path / "neuron.svg").read_text()
    assert "0.566479" in neuron and "grad [0.1228, 0.1105]" in neuron
    lenet = (tmp_path / "lenet.svg").read_text()
    assert "0: Conv2d" in lenet and "CrossEntropyLoss" in lenet
    assert all(p.stat().st_size < 60_000 for p in paths)  # small enough to commit


def test_examples_main_needs_an_output_folder(capsys):
    assert examples.main([]) == 2
    assert "usage" in capsys.readouterr().err


@needs_dot
def test_training_runs_save_their_graph(tmp_path):
    model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 2))
    note = artifacts.save_graph(
        tmp_path / "graph.svg", model, nn.CrossEntropyLoss(), ag.randn(3, 2), ag.tensor([0, 1, 1])
    )
    assert note is None
    svg = (tmp_path / "graph.svg").read_text()
    assert "<svg" in svg and "0: Linear" in svg
