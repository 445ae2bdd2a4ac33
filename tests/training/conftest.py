"""Small data and models for the training tests: two moons and a tiny MLP."""

import pytest

import autograd_core as ag
import nn
from autograd_core.data import DataLoader, TensorDataset, make_moons


@pytest.fixture
def moons():
    X, y = make_moons(n_samples=128, noise=0.1, seed=0)
    return X, y


@pytest.fixture
def loaders(moons):
    X, y = moons
    ds = TensorDataset(ag.from_numpy(X), ag.from_numpy(y))
    train = DataLoader(ds, batch_size=32, shuffle=True, generator=ag.Generator("cpu", 0))
    val = DataLoader(ds, batch_size=64)
    return train, val


@pytest.fixture
def model():
    return nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))


@pytest.fixture
def sgd():
    import optim

    return lambda m, lr=0.2: optim.SGD(m.parameters(), lr=lr, momentum=0.9)
