"""EarlyStopping and ModelCheckpoint; History as a record."""

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core.training import EarlyStopping, History, LambdaCallback, ModelCheckpoint, fit


def numpy_state(model):
    return {k: v.numpy().copy() for k, v in model.state_dict().items()}


def states_equal(a, b):
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


class _Feed(LambdaCallback):
    """Overrides the logged val_loss with a scripted sequence, before the callbacks under test."""

    def __init__(self, values):
        self.values = list(values)
        super().__init__(on_epoch_end=self._set)

    def _set(self, epoch, logs):
        logs["val_loss"] = self.values[epoch]


def test_early_stopping_stops_after_patience(model, loaders, sgd):
    stop = EarlyStopping(patience=2)
    feed = _Feed([1.0, 0.5, 0.6, 0.7, 0.4, 0.3])
    h = fit(
        model,
        nn.CrossEntropyLoss(),
        sgd(model),
        loaders[0],
        6,
        callbacks=[feed, stop],
        progress=False,
    )
    assert len(h) == 4  # epochs 2 and 3 do not beat 0.5
    assert stop.stopped_epoch == 3 and stop.best_epoch == 1 and stop.best == 0.5


def test_early_stopping_restores_best_weights(model, loaders, sgd):
    snapshots = []
    snap = LambdaCallback(on_epoch_end=lambda epoch, logs: snapshots.append(numpy_state(model)))
    stop = EarlyStopping(patience=1, restore_best_weights=True)
    fit(
        model,
        nn.CrossEntropyLoss(),
        sgd(model),
        loaders[0],
        5,
        callbacks=[_Feed([1.0, 0.2, 0.3, 0.1, 0.1]), snap, stop],
        progress=False,
    )
    assert stop.stopped_epoch == 2
    assert states_equal(numpy_state(model), snapshots[1])


def test_early_stopping_max_mode_and_errors(model, loaders, sgd):
    assert EarlyStopping(monitor="val_accuracy").mode == "max"
    with pytest.raises(ValueError, match="EarlyStopping: monitored value 'val_loss' is not in"):
        fit(
            model,
            nn.CrossEntropyLoss(),
            sgd(model),
            loaders[0],
            1,
            callbacks=[EarlyStopping()],
            progress=False,
        )
    with pytest.raises(ValueError, match="mode should be"):
        EarlyStopping(mode="lowest")
    with pytest.raises(ValueError, match="patience"):
        EarlyStopping(patience=-1)


def test_model_checkpoint_writes_loadable_state(model, loaders, sgd, tmp_path):
    ckpt = ModelCheckpoint(tmp_path / "ckpt-{epoch:02d}.safetensors", save_best_only=True)
    fit(
        model,
        nn.CrossEntropyLoss(),
        sgd(model),
        loaders[0],
        3,
        callbacks=[_Feed([1.0, 2.0, 0.5]), ckpt],
        progress=False,
    )
    assert [p.rsplit("/", 1)[-1] for p in ckpt.saved] == [
        "ckpt-01.safetensors",
        "ckpt-03.safetensors",
    ]
    state = ag.load(ckpt.saved[-1])
    assert set(state) == set(model.state_dict())
    np.testing.assert_array_equal(state["0.weight"].numpy(), model[0].weight.detach().numpy())


def test_history_round_trips_through_json(model, loaders, sgd, tmp_path):
    import json

    h = fit(model, nn.CrossEntropyLoss(), sgd(model), loaders[0], 2, progress=False)
    h.save(tmp_path / "h.json")
    back = History.from_dict(json.loads((tmp_path / "h.json").read_text()))
    assert back.history == h.history and back.batch_losses == h.batch_losses
    assert back["loss"] == h.history["loss"]


def test_lambda_callback_rejects_unknown_hooks():
    with pytest.raises(TypeError, match="unknown hooks"):
        LambdaCallback(on_step=print)
