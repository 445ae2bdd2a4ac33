"""fit / evaluate / predict: the loss falls, logs are complete, runs are reproducible."""

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core.training import Callback, evaluate, fit, predict


def numpy_state(model):
    return {k: v.numpy().copy() for k, v in model.state_dict().items()}


def states_equal(a, b):
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def test_fit_loss_falls_and_history_is_complete(model, loaders, sgd):
    train, val = loaders
    history = fit(
        model, nn.CrossEntropyLoss(), sgd(model), train, 8, val_loader=val, progress=False
    )
    h = history.history
    assert set(h) == {"loss", "accuracy", "val_loss", "val_accuracy", "lr"}
    assert all(len(v) == 8 for v in h.values())
    assert history.epoch == list(range(8))
    assert len(history.batch_losses) == 8 * len(train)
    assert h["loss"][-1] < 0.5 * h["loss"][0]
    assert h["val_accuracy"][-1] > 0.85
    assert h["lr"] == [0.2] * 8


def test_fit_is_reproducible_with_a_seed(loaders, sgd):
    def run():
        ag.manual_seed(1)
        m = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
        train = loaders[0]
        train.generator = ag.Generator("cpu", 3)
        fit(m, nn.CrossEntropyLoss(), sgd(m), train, 2, progress=False, seed=5)
        return numpy_state(m)

    assert states_equal(run(), run())


def test_callbacks_fire_in_order(model, loaders, sgd):
    events = []

    class Recorder(Callback):
        def on_train_begin(self, logs=None):
            events.append("train_begin")

        def on_epoch_begin(self, epoch, logs=None):
            events.append(f"epoch_begin {epoch}")

        def on_batch_end(self, batch, logs=None):
            assert "loss" in logs
            events.append("batch")

        def on_epoch_end(self, epoch, logs=None):
            assert "val_loss" in logs and "accuracy" in logs
            events.append(f"epoch_end {epoch}")

        def on_train_end(self, logs=None):
            events.append("train_end")

    train, val = loaders
    recorder = Recorder()
    fit(
        model,
        nn.CrossEntropyLoss(),
        sgd(model),
        train,
        2,
        val_loader=val,
        callbacks=[recorder],
        progress=False,
    )
    per_epoch = ["batch"] * len(train)
    assert events == (
        [
            "train_begin",
            "epoch_begin 0",
            *per_epoch,
            "epoch_end 0",
            "epoch_begin 1",
            *per_epoch,
            "epoch_end 1",
            "train_end",
        ]
    )
    assert recorder.model is model


def test_plain_progress_prints_one_line_per_epoch(model, loaders, sgd, capsys):
    fit(model, nn.CrossEntropyLoss(), sgd(model), loaders[0], 3, progress=True)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("epoch 1/3") and "loss=" in lines[0] and "acc=" in lines[0]


def test_scheduler_steps_once_per_epoch_and_plateau_gets_val_loss(model, loaders, sgd):
    class Step:
        def __init__(self):
            self.calls = []

        def step(self, *args):
            self.calls.append(args)

    class ReduceLROnPlateau(Step):
        pass

    train, val = loaders
    step, plateau = Step(), ReduceLROnPlateau()
    fit(model, nn.CrossEntropyLoss(), sgd(model), train, 2, scheduler=step, progress=False)
    assert step.calls == [(), ()]
    h = fit(
        model,
        nn.CrossEntropyLoss(),
        sgd(model),
        train,
        2,
        val_loader=val,
        scheduler=plateau,
        progress=False,
    )
    assert [c[0] for c in plateau.calls] == h.history["val_loss"]


def test_custom_metric(model, loaders, sgd):
    def error_rate(outputs, targets):
        return float((outputs.argmax(1).numpy() != targets.numpy()).mean())

    h = fit(
        model,
        nn.CrossEntropyLoss(),
        sgd(model),
        loaders[0],
        1,
        metrics=("accuracy", error_rate),
        progress=False,
    )
    assert h["accuracy"][0] + h["error_rate"][0] == pytest.approx(1.0)


def test_evaluate_restores_mode_and_matches_manual(model, loaders):
    train, val = loaders
    model.train()
    result = evaluate(model, val, nn.CrossEntropyLoss())
    assert model.training
    X, y = val.dataset.tensors
    with ag.no_grad():
        out = model(X)
    assert result["accuracy"] == pytest.approx(float((out.argmax(1) == y).float().mean()))
    assert result["loss"] == pytest.approx(nn.CrossEntropyLoss()(out, y).item(), rel=1e-5)
    assert set(evaluate(model, val)) == {"accuracy"}


def test_predict_tensor_array_and_loader_agree(model, moons, loaders):
    X, _ = moons
    a = predict(model, ag.from_numpy(X), batch_size=50)
    b = predict(model, X)
    c = predict(model, loaders[1])
    assert a.shape == (128, 2) and not a.requires_grad
    np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)
    np.testing.assert_allclose(a.numpy(), c.numpy(), rtol=1e-6)


def test_fit_rejects_bad_arguments(model, loaders, sgd):
    with pytest.raises(ValueError, match="fit: epochs should be a positive int"):
        fit(model, nn.CrossEntropyLoss(), sgd(model), loaders[0], 0)
    with pytest.raises(ValueError, match="fit: unknown metric 'f2'"):
        fit(model, nn.CrossEntropyLoss(), sgd(model), loaders[0], 1, metrics=("f2",))
    with pytest.raises(TypeError, match="fit: expected batches of \\(inputs, targets\\)"):
        fit(model, nn.CrossEntropyLoss(), sgd(model), [ag.zeros(2, 2)], 1, progress=False)


def test_fit_on_device(device, moons):
    X, y = moons
    ds = ag.data.TensorDataset(ag.from_numpy(X), ag.from_numpy(y))
    loader = ag.data.DataLoader(ds, batch_size=64)
    m = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
    import optim

    h = fit(
        m,
        nn.CrossEntropyLoss(),
        optim.Adam(m.parameters(), lr=0.05),
        loader,
        3,
        val_loader=loader,
        device=device,
        progress=False,
    )
    assert m[0].weight.device.type == device
    assert h["loss"][-1] < h["loss"][0]
    assert predict(m, X).device.type == device  # inputs follow the model's parameters


def test_tqdm_bars_on_a_terminal(model, loaders, sgd):
    import io

    pytest.importorskip("tqdm")
    from autograd_core.training.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    bar = Progress(True, 2, stream=stream)
    assert bar._tqdm is not None
    bar.epoch_begin(0, 3)
    for _ in range(3):
        bar.batch({"loss": 0.5, "accuracy": 0.75})
    bar.epoch_end(0, {"loss": 0.5, "accuracy": 0.75, "val_loss": 0.6, "lr": 0.1})
    text = stream.getvalue()
    assert "epoch 1/2" in text and "3/3" in text and "val_loss=0.6000" in text
    assert Progress(True, 2, stream=io.StringIO())._tqdm is None  # not a terminal: plain lines


def test_fit_with_optim_schedulers(model, loaders):
    import optim
    from optim.lr_scheduler import ReduceLROnPlateau, StepLR

    train, val = loaders
    opt = optim.SGD(model.parameters(), lr=0.1)
    h = fit(
        model,
        nn.CrossEntropyLoss(),
        opt,
        train,
        4,
        scheduler=StepLR(opt, step_size=2),
        progress=False,
    )
    assert h["lr"] == pytest.approx([0.1, 0.1, 0.01, 0.01])
    opt = optim.SGD(model.parameters(), lr=0.1)
    plateau = ReduceLROnPlateau(opt, patience=0)
    fit(
        model,
        nn.CrossEntropyLoss(),
        opt,
        train,
        2,
        val_loader=val,
        scheduler=plateau,
        progress=False,
    )
    assert plateau.best < float("inf")
