"""Fixtures of the graph tests: the course's examples, and a skip mark for rendering."""

import shutil

import pytest

pytest.importorskip("graphviz")

import autograd_core as ag  # noqa: E402
from autograd_core.graph import examples  # noqa: E402

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz 'dot' not installed")


@pytest.fixture
def neuron():
    """The sigmoid neuron recorded on a tape, before backward: (y, tensors by name, tape)."""
    with ag.Tape() as tape:
        y, tensors = examples.sigmoid_neuron()
    return y, tensors, tape


@pytest.fixture
def three_layer():
    """The 3-layer, 1-neuron network's loss recorded on a tape, before backward."""
    with ag.Tape() as tape:
        loss = examples.three_layer_network()
    return loss, tape
