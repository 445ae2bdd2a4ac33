"""Dropout, Embedding, Flatten, Identity."""

import numpy as np
import pytest

import autograd_core as ag
import nn


def test_dropout_train_and_eval():
    d = nn.Dropout(0.25)
    x = ag.ones(10000)
    out = d(x).numpy()
    assert set(np.unique(out).tolist()) <= {0.0, float(np.float32(1.0 / 0.75))}
    assert abs(out.mean() - 1.0) < 0.05
    assert d.eval()(x) is x
    with pytest.raises(ValueError, match="p must be in"):
        nn.Dropout(1.5)


def test_embedding():
    e = nn.Embedding(10, 3, padding_idx=0)
    idx = ag.tensor([[0, 4], [4, 9]])
    out = e(idx)
    assert out.shape == (2, 2, 3) and out[0, 0].tolist() == [0.0, 0.0, 0.0]
    out.sum().backward()
    assert e.weight.grad[4].tolist() == [2.0, 2.0, 2.0]
    assert e.weight.grad[0].tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(TypeError, match="integer"):
        e(ag.zeros(2))


def test_flatten_identity():
    x = ag.randn(2, 3, 4)
    assert nn.Flatten()(x).shape == (2, 12)
    assert nn.Identity()(x) is x


def test_small_cnn_on_device(device):
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),
        nn.BatchNorm2d(4),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(4 * 4 * 4, 3),
    ).to(device)
    x = ag.randn(2, 1, 8, 8).to(device)
    loss = nn.CrossEntropyLoss()(model(x), ag.tensor([0, 2]).to(device))
    loss.backward()
    assert all(p.grad.device == p.device and p.grad.dtype == ag.float32 for p in model.parameters())
    assert model[1].running_mean.device == model[0].weight.device
