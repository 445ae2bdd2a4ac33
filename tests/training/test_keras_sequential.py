"""Keras's Sequential on our layers: compile by name with Keras's defaults, fit, summary."""

import numpy as np
import pytest

import nn
import optim
from autograd_core.training import Sequential


def test_sequential_learns_a_line_with_kerass_sgd():
    x = np.linspace(-1, 1, 32, dtype=np.float32).reshape(-1, 1)
    y = 2 * x + 1
    model = Sequential([nn.Linear(1, 1)])
    model.compile(optimizer="sgd", loss="mse", metrics=())
    opt = model.optimizer
    assert isinstance(opt, optim.SGD)
    assert opt.param_groups[0]["lr"] == 0.01 and opt.param_groups[0]["momentum"] == 0
    model.compile(optimizer="sgd", loss="mse", metrics=(), lr=0.5)
    model.fit(x, y, epochs=60, batch_size=32, progress=False, seed=0)
    w, b = model.model[0].weight.item(), model.model[0].bias.item()
    assert abs(w - 2) < 1e-2 and abs(b - 1) < 1e-2  # a convex problem: holds for any start
    assert model.predict(x[:2]).shape == (2, 1)


def test_named_optimisers_take_kerass_defaults():
    model = Sequential([nn.Linear(2, 2)])
    model.compile("rmsprop")
    group = model.optimizer.param_groups[0]
    assert isinstance(model.optimizer, optim.RMSprop)
    assert group["lr"] == 1e-3 and group["alpha"] == 0.9
    model.compile("adam")
    assert model.optimizer.param_groups[0]["lr"] == 1e-3
    with pytest.raises(ValueError, match="unknown optimizer 'lamb'"):
        model.compile("lamb")


def test_add_call_and_summary_count_parameters(capsys):
    model = Sequential(name="mlp")
    model.add(nn.Linear(4, 5)).add(nn.Sigmoid()).add(nn.Linear(5, 1))
    assert model(np.zeros((3, 4), np.float32)).shape == (3, 1)
    text = model.summary()
    assert text in capsys.readouterr().out
    assert "0 (Linear)" in text and "Total params: 31" in text  # 4*5+5 + 5*1+1
