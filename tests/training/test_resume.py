"""fit(checkpoint=..., resume_from=...): a run stopped and resumed follows the trajectory of
the run that was never stopped (Dropout and shuffling included, float64, to a few ulps)."""

import numpy as np
import pytest

import autograd_core as ag
import nn
import optim
from autograd_core.data import DataLoader, TensorDataset, make_moons
from autograd_core.training import fit
from optim.lr_scheduler import StepLR

EPOCHS = 5


def _run_parts(seed):
    """A model, optimiser, scheduler and shuffling loader, all initialised from `seed`."""
    ag.manual_seed(seed)
    X, y = make_moons(n_samples=96, noise=0.2, seed=0)
    data = TensorDataset(ag.from_numpy(X.astype(np.float64)), ag.from_numpy(y))
    loader = DataLoader(data, batch_size=16, shuffle=True, generator=ag.Generator("cpu", seed))
    model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 2)).double()
    optimizer = optim.Adam(model.parameters(), lr=0.02)
    scheduler = StepLR(optimizer, step_size=2, gamma=0.5)
    return model, optimizer, scheduler, loader


def _fit(parts, epochs, **kwargs):
    model, optimizer, scheduler, loader = parts
    return fit(
        model,
        nn.CrossEntropyLoss(),
        optimizer,
        loader,
        epochs,
        val_loader=loader,
        scheduler=scheduler,
        progress=False,
        **kwargs,
    )


def _weights(model):
    return {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}


def _assert_same_run(a_model, a_history, b_model, b_history):
    a, b = _weights(a_model), _weights(b_model)
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_allclose(b[key], a[key], rtol=1e-12, atol=1e-15, err_msg=key)
    assert b_history.epoch == a_history.epoch
    np.testing.assert_allclose(b_history.batch_losses, a_history.batch_losses, rtol=1e-12)
    for key, values in a_history.history.items():
        np.testing.assert_allclose(b_history.history[key], values, rtol=1e-12, err_msg=key)


@pytest.mark.parametrize("stop_after", [1, 3])
def test_a_resumed_run_follows_the_uninterrupted_one(tmp_path, stop_after):
    whole = _run_parts(seed=3)
    whole_history = _fit(whole, EPOCHS, checkpoint=tmp_path / "whole.ckpt")

    first = _run_parts(seed=3)
    _fit(first, stop_after, checkpoint=tmp_path / "run.ckpt")
    # a new process, as after a crash: other seeds, other weights, another loader generator
    ag.manual_seed(12345)
    ag.randn(17)
    again = _run_parts(seed=8)
    resumed_history = _fit(
        again, EPOCHS, checkpoint=tmp_path / "run.ckpt", resume_from=tmp_path / "run.ckpt"
    )
    _assert_same_run(whole[0], whole_history, again[0], resumed_history)
    assert again[2].last_epoch == whole[2].last_epoch == EPOCHS
    assert again[1].param_groups[0]["lr"] == pytest.approx(whole[1].param_groups[0]["lr"])
    assert ag.load(tmp_path / "run.ckpt")["epoch"] == EPOCHS


def test_the_rng_state_is_what_makes_the_resume_exact(tmp_path):
    # the same resume with the random states of the checkpoint left out diverges: Dropout
    # masks and the shuffled order are part of the trajectory
    whole = _run_parts(seed=3)
    whole_history = _fit(whole, 3)
    first = _run_parts(seed=3)
    _fit(first, 1, checkpoint=tmp_path / "run.ckpt")
    checkpoint = ag.load(tmp_path / "run.ckpt")
    checkpoint["rng"] = {}
    checkpoint["loader_generator"] = ag.Generator("cpu", 0).get_state()
    ag.save(checkpoint, tmp_path / "no_rng.ckpt")
    again = _run_parts(seed=8)
    history = _fit(again, 3, resume_from=tmp_path / "no_rng.ckpt")
    assert history.epoch == whole_history.epoch
    differences = [
        np.abs(a - b).max()
        for a, b in zip(_weights(whole[0]).values(), _weights(again[0]).values())
    ]
    assert max(differences) > 1e-6


def test_resuming_a_finished_run_trains_no_more(tmp_path):
    parts = _run_parts(seed=3)
    _fit(parts, 2, checkpoint=tmp_path / "run.ckpt")
    again = _run_parts(seed=8)
    history = _fit(again, 2, resume_from=tmp_path / "run.ckpt")
    assert history.epoch == [0, 1]
    for key, value in _weights(parts[0]).items():
        np.testing.assert_array_equal(_weights(again[0])[key], value)


def test_resume_from_something_else_is_a_clear_error(tmp_path):
    parts = _run_parts(seed=3)
    ag.save(parts[0].state_dict(), tmp_path / "weights.safetensors")
    with pytest.raises(ValueError, match="is not a checkpoint written by fit"):
        _fit(parts, 2, resume_from=tmp_path / "weights.safetensors")
    _fit(parts, 1, checkpoint=tmp_path / "run.ckpt")
    model, optimizer, _, loader = _run_parts(seed=3)
    with pytest.raises(ValueError, match="saved with a scheduler; pass the same scheduler="):
        _fit((model, optimizer, None, loader), 2, resume_from=tmp_path / "run.ckpt")
    loader.generator = None
    with pytest.raises(ValueError, match="saved with a DataLoader generator"):
        _fit(_run_parts(seed=3)[:3] + (loader,), 2, resume_from=tmp_path / "run.ckpt")
