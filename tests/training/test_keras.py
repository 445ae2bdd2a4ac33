"""Trainer: compile by names, fit on arrays with a validation split, evaluate, predict."""

import pytest

import nn
from autograd_core.training import Trainer


def test_trainer_fits_moons(moons):
    X, y = moons
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
    trainer = Trainer(model).compile("adam", "cross_entropy", lr=0.02)
    h = trainer.fit(X, y, epochs=15, batch_size=16, validation_split=0.25, progress=False, seed=0)
    assert len(h["val_accuracy"]) == 15 and h["val_accuracy"][-1] > 0.85
    assert trainer.evaluate(X, y)["accuracy"] > 0.85
    assert trainer.predict(X).shape == (128, 2)


def test_trainer_errors(moons):
    X, y = moons
    model = nn.Linear(2, 2)
    with pytest.raises(RuntimeError, match="call compile\\(\\) before fit\\(\\)"):
        Trainer(model).fit(X, y)
    with pytest.raises(ValueError, match="unknown optimizer 'adamax'"):
        Trainer(model).compile("adamax")
    with pytest.raises(ValueError, match="x has 128 samples but y has 3"):
        Trainer(model).compile().fit(X, y[:3])
