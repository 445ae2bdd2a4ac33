"""nn.utils: gradient clipping and parameter vectors."""

import math

import autograd_core as ag
import nn
from nn import utils


def test_clip_grad_norm():
    m = nn.Linear(3, 2)
    m(ag.randn(4, 3) * 10.0).sum().backward()
    total = utils.clip_grad_norm_(m.parameters(), 1.0)
    assert total.item() > 1.0
    new = math.sqrt(sum((p.grad * p.grad).sum().item() for p in m.parameters()))
    assert abs(new - 1.0) < 1e-4
    assert m.weight.grad.dtype == ag.float32


def test_clip_grad_value():
    p = nn.Parameter(ag.zeros(3))
    p.grad = ag.tensor([-5.0, 0.5, 5.0])
    utils.clip_grad_value_([p], 1.0)
    assert p.grad.tolist() == [-1.0, 0.5, 1.0]


def test_vector_round_trip():
    m = nn.Linear(3, 2)
    v = utils.parameters_to_vector(m.parameters())
    assert v.shape == (8,)
    utils.vector_to_parameters(ag.arange(8).float(), m.parameters())
    assert m.bias.tolist() == [6.0, 7.0]
