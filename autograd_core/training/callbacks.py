"""Callbacks for `fit`: the History record, EarlyStopping and ModelCheckpoint (Keras' names)."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path


class Callback:
    """Hooks that `fit` calls; `fit` sets `.model` and `.optimizer` before training starts.

    Set `self.stop_training = True` in a hook to end training after the current epoch.
    """

    model = None
    optimizer = None
    stop_training = False

    def set_context(self, model, optimizer) -> None:
        self.model = model
        self.optimizer = optimizer
        self.stop_training = False

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_batch_end(self, batch, logs=None):
        pass


class LambdaCallback(Callback):
    """A callback from plain functions, e.g. `LambdaCallback(on_epoch_end=lambda e, logs: ...)`."""

    def __init__(self, **hooks):
        names = {"on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_batch_end"}
        unknown = set(hooks) - names
        if unknown:
            raise TypeError(f"LambdaCallback: unknown hooks {sorted(unknown)}; use {sorted(names)}")
        for name, fn in hooks.items():
            setattr(self, name, fn)


class History(Callback):
    """Per-epoch logs (`history["val_accuracy"]`, like Keras) and the loss of every batch."""

    def __init__(self):
        self.history: dict[str, list] = {}
        self.epoch: list[int] = []
        self.batch_losses: list[float] = []

    def on_batch_end(self, batch, logs=None):
        if logs and "loss" in logs:
            self.batch_losses.append(float(logs["loss"]))

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))

    def __getitem__(self, key):
        return self.history[key]

    def __len__(self):
        return len(self.epoch)

    def to_dict(self) -> dict:
        return {
            "epoch": list(self.epoch),
            "history": dict(self.history),
            "batch_losses": list(self.batch_losses),
        }

    def save(self, path) -> None:
        """Write the record as JSON."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=1))

    @classmethod
    def from_dict(cls, data: dict) -> History:
        h = cls()
        h.epoch = list(data.get("epoch", []))
        h.history = {k: list(v) for k, v in data.get("history", {}).items()}
        h.batch_losses = list(data.get("batch_losses", []))
        return h

    def __repr__(self):
        return f"History(epochs={len(self.epoch)}, keys={sorted(self.history)})"


def _resolve_mode(name, mode, monitor):
    if mode == "auto":
        higher_better = ("acc", "auc", "f1", "precision", "recall")
        return "max" if any(k in monitor for k in higher_better) else "min"
    if mode not in ("min", "max"):
        raise ValueError(f"{name}: mode should be 'auto', 'min' or 'max', got {mode!r}")
    return mode


def _monitored(name, monitor, logs):
    if not logs or monitor not in logs:
        available = sorted(logs or {})
        raise ValueError(
            f"{name}: monitored value {monitor!r} is not in the epoch logs {available} "
            f"(val_* keys need a val_loader)"
        )
    return float(logs[monitor])


class _Monitor(Callback):
    """Tracks the best value of one log entry."""

    def __init__(self, monitor, mode, min_delta=0.0):
        self.monitor = monitor
        self.mode = _resolve_mode(type(self).__name__, mode, monitor)
        self.min_delta = abs(float(min_delta))
        self.best = math.inf if self.mode == "min" else -math.inf

    def _improved(self, value) -> bool:
        if math.isnan(value):
            return False
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta


class EarlyStopping(_Monitor):
    """Stop when `monitor` has not improved by `min_delta` for `patience` epochs.

    With `restore_best_weights`, the model gets the weights of its best epoch back at the end.
    """

    def __init__(
        self, monitor="val_loss", min_delta=0.0, patience=0, mode="auto", restore_best_weights=False
    ):
        if not isinstance(patience, int) or patience < 0:
            raise ValueError(f"EarlyStopping: patience should be an int >= 0, got {patience!r}")
        super().__init__(monitor, mode, min_delta)
        self.patience = patience
        self.restore_best_weights = restore_best_weights
        self.wait = 0
        self.best_epoch = None
        self.stopped_epoch = None
        self.best_weights = None

    def on_train_begin(self, logs=None):
        self.best = math.inf if self.mode == "min" else -math.inf
        self.wait, self.best_epoch, self.stopped_epoch, self.best_weights = 0, None, None, None

    def on_epoch_end(self, epoch, logs=None):
        value = _monitored("EarlyStopping", self.monitor, logs)
        if self._improved(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                # clones: the live parameters keep changing under the optimiser
                state = self.model.state_dict()
                self.best_weights = {k: v.detach().clone() for k, v in state.items()}
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.stop_training = True

    def on_train_end(self, logs=None):
        if self.restore_best_weights and self.best_weights is not None:
            self.model.load_state_dict(self.best_weights)


class ModelCheckpoint(_Monitor):
    """Save `model.state_dict()` with `ag.save` after each epoch (or only on improvement).

    `path` may hold format fields: `"ckpt-{epoch:02d}-{val_loss:.3f}.safetensors"`.
    """

    def __init__(self, path, monitor="val_loss", save_best_only=False, mode="auto"):
        super().__init__(monitor, mode)
        self.path = os.fspath(path)
        self.save_best_only = save_best_only
        self.saved: list[str] = []

    def on_epoch_end(self, epoch, logs=None):
        from ..serialization import save

        logs = dict(logs or {})
        if self.save_best_only:
            value = _monitored("ModelCheckpoint", self.monitor, logs)
            if not self._improved(value):
                return
            self.best = value
        target = Path(self.path.format(epoch=epoch + 1, **logs))
        target.parent.mkdir(parents=True, exist_ok=True)
        save(self.model.state_dict(), target)
        self.saved.append(str(target))
