"""Embedding: max_norm renormalises the rows it looks up, scale_grad_by_freq, padding_idx,
from_pretrained and repr."""

import math

import numpy as np
import pytest

import autograd_core as ag
import nn


def arr(t):
    return t.detach().numpy()


@pytest.mark.parametrize("norm_type", [2.0, 1.0, math.inf])
def test_embedding_max_norm_renormalises_looked_up_rows(norm_type):
    w = np.random.default_rng(0).standard_normal((6, 4)) * 3
    weight = ag.tensor(w.copy(), requires_grad=True)
    idx = ag.tensor([[1, 2, 2], [4, 1, 0]])
    out = nn.functional.embedding(idx, weight, max_norm=1.5, norm_type=norm_type)
    want = w.copy()
    for i in (0, 1, 2, 4):
        norm = np.linalg.norm(w[i], ord=norm_type)
        if norm > 1.5:
            want[i] = w[i] * 1.5 / (norm + 1e-7)
    np.testing.assert_allclose(arr(weight), want)  # in place, rows 3 and 5 untouched
    np.testing.assert_allclose(arr(out), want[arr(idx)])
    out.sum().backward()
    assert weight.grad[1].tolist() == [2.0] * 4 and weight.grad[3].tolist() == [0.0] * 4


def test_embedding_scale_grad_by_freq_and_padding():
    e = nn.Embedding(5, 3, padding_idx=0, scale_grad_by_freq=True)
    idx = ag.tensor([[0, 2, 2], [2, 3, 0]])
    g = np.random.default_rng(2).standard_normal((2, 3, 3))
    e(idx).backward(ag.tensor(g, dtype=e.weight.dtype))
    grad = arr(e.weight.grad)
    np.testing.assert_allclose(grad[2], (g[0, 1] + g[0, 2] + g[1, 0]) / 3, rtol=1e-6)
    np.testing.assert_allclose(grad[3], g[1, 1], rtol=1e-6)
    assert grad[0].tolist() == [0.0] * 3
    weight = ag.randn(5, 3, dtype=ag.float64, requires_grad=True)
    # without the scaling the gradient is the true one
    ag.gradcheck(lambda t: nn.functional.embedding(idx, t) ** 2, (weight,))


def test_embedding_from_pretrained_and_repr():
    w = ag.randn(7, 3)
    e = nn.Embedding.from_pretrained(w, padding_idx=2)
    assert not e.weight.requires_grad and e.weight.shape == (7, 3)
    np.testing.assert_array_equal(arr(e(ag.tensor([2, 5]))), arr(w)[[2, 5]])  # pad row kept
    assert nn.Embedding.from_pretrained(w, freeze=False).weight.requires_grad
    e = nn.Embedding(10, 4, padding_idx=-1, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True)
    assert repr(e) == (
        "Embedding(10, 4, padding_idx=9, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True)"
    )
    with pytest.raises(ValueError, match=r"from_pretrained: embeddings must be 2-D.*\(7,\)"):
        nn.Embedding.from_pretrained(ag.randn(7))
    with pytest.raises(ValueError, match="Embedding: padding_idx 10 must be within"):
        nn.Embedding(10, 4, padding_idx=10)
    with pytest.raises(TypeError, match="embedding: expected integer indices"):
        nn.functional.embedding(ag.zeros(2), w)
    with pytest.raises(ValueError, match=r"embedding: weight must be 2-D.*\(7,\)"):
        nn.functional.embedding(ag.tensor([1]), ag.randn(7))


def test_embedding_max_norm_and_grad_by_freq_on_device(device):
    emb = nn.Embedding(6, 4, max_norm=1.0, scale_grad_by_freq=True).to(device)
    emb(ag.tensor([[1, 2, 2]]).to(device)).sum().backward()
    assert emb.weight.grad.device == emb.weight.device
