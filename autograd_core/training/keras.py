"""A Keras-style `Trainer`: `compile(optimizer, loss, metrics)` then `fit(x, y, ...)` on arrays."""

from __future__ import annotations

import numpy as np

from ..creation import from_numpy
from ..random import Generator, initial_seed
from ..tensor import Tensor
from .fit import evaluate, fit, predict
from .optimizers import make_loss, make_optimizer


def _tensor(x):
    return from_numpy(np.ascontiguousarray(x)) if isinstance(x, np.ndarray) else x


class Trainer:
    """Wraps a model: `Trainer(model).compile("adam", "cross_entropy").fit(x, y, epochs=5)`."""

    def __init__(self, model):
        self.model = model
        self.optimizer = None
        self.loss_fn = None
        self.metrics = ("accuracy",)

    def compile(self, optimizer="adam", loss="cross_entropy", metrics=("accuracy",), lr=None):
        """Set the optimiser (name or instance), the loss (name or callable) and the metrics."""
        if isinstance(optimizer, str):
            optimizer = make_optimizer(optimizer, self.model.parameters(), lr)
        self.optimizer = optimizer
        self.loss_fn = make_loss(loss)
        self.metrics = tuple(metrics or ())
        return self

    def _loader(self, x, y, batch_size, shuffle, seed):
        from ..data import DataLoader, TensorDataset

        x, y = _tensor(x), _tensor(y)
        if not isinstance(x, Tensor) or not isinstance(y, Tensor):
            raise TypeError("Trainer: x and y should be tensors or NumPy arrays")
        if x.shape[0] != y.shape[0]:
            raise ValueError(f"Trainer: x has {x.shape[0]} samples but y has {y.shape[0]}")
        gen = Generator("cpu", initial_seed() if seed is None else seed)
        return DataLoader(
            TensorDataset(x, y), batch_size=batch_size, shuffle=shuffle, generator=gen
        )

    def fit(
        self,
        x,
        y,
        epochs=1,
        batch_size=32,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        callbacks=(),
        scheduler=None,
        progress=True,
        seed=None,
        device=None,
    ):
        """Train on arrays; `validation_split` holds out the last fraction (as Keras does)."""
        if self.optimizer is None:
            raise RuntimeError("Trainer: call compile() before fit()")
        if not 0.0 <= validation_split < 1.0:
            raise ValueError(
                f"Trainer: validation_split should be in [0, 1), got {validation_split}"
            )
        x, y = _tensor(x), _tensor(y)
        val_loader = None
        if validation_data is not None:
            val_loader = self._loader(*validation_data, 256, False, 0)
        elif validation_split > 0:
            n_val = int(round(x.shape[0] * validation_split))
            if n_val < 1 or n_val >= x.shape[0]:
                raise ValueError(
                    f"Trainer: validation_split {validation_split} of "
                    f"{x.shape[0]} samples leaves an empty set"
                )
            cut = x.shape[0] - n_val
            val_loader = self._loader(x[cut:], y[cut:], 256, False, 0)
            x, y = x[:cut], y[:cut]
        loader = self._loader(x, y, batch_size, shuffle, seed)
        return fit(
            self.model,
            self.loss_fn,
            self.optimizer,
            loader,
            epochs,
            val_loader=val_loader,
            scheduler=scheduler,
            metrics=self.metrics,
            device=device,
            callbacks=callbacks,
            progress=progress,
            seed=seed,
        )

    def evaluate(self, x, y, batch_size=256) -> dict:
        return evaluate(
            self.model, self._loader(x, y, batch_size, False, 0), self.loss_fn, self.metrics
        )

    def predict(self, x, batch_size=256):
        return predict(self.model, _tensor(x), batch_size=batch_size)
