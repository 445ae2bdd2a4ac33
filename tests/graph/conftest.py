"""Fixtures of the graph tests: the course's examples recorded on a tape."""

import pytest

import autograd_core as ag


@pytest.fixture
def neuron():
    """The sigmoid neuron recorded on a tape, before backward: (y, tensors by name, tape)."""
    from autograd_core.graph import examples

    with ag.Tape() as tape:
        y, tensors = examples.sigmoid_neuron()
    return y, tensors, tape


@pytest.fixture
def three_layer():
    """The 3-layer, 1-neuron network's loss recorded on a tape, before backward."""
    from autograd_core.graph import examples

    with ag.Tape() as tape:
        loss = examples.three_layer_network()
    return loss, tape
