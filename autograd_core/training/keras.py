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


# Keras's defaults for an optimiser given by name (learning rates, RMSprop's rho), which differ
# from the training command's tuned ones
_KERAS_OPTIMIZERS = {
    "sgd": ("SGD", {"lr": 0.01}),
    "adam": ("Adam", {"lr": 1e-3, "eps": 1e-7}),
    "adamw": ("AdamW", {"lr": 1e-3, "eps": 1e-7, "weight_decay": 4e-3}),
    "rmsprop": ("RMSprop", {"lr": 1e-3, "alpha": 0.9, "eps": 1e-7}),
    "adagrad": ("Adagrad", {"lr": 1e-3, "initial_accumulator_value": 0.1, "eps": 1e-7}),
}


class Sequential(Trainer):
    """Keras's `Sequential` on our layers: `Sequential([nn.Linear(2, 8), nn.ReLU(), ...])`,
    then `compile`, `fit`, `evaluate`, `predict`, and `summary()`. A name given to `compile`
    takes Keras's defaults ("sgd" is plain SGD at 0.01, "rmsprop" has rho 0.9); an optimiser
    instance is used as it is. The layers form `self.model`, an `nn.Sequential`."""

    def __init__(self, layers=(), name=None):
        import nn

        super().__init__(nn.Sequential(*layers))
        self.name = name or "sequential"

    def add(self, layer):
        """Append a layer (Keras's `model.add`)."""
        self.model.append(layer)
        return self

    def __call__(self, x):
        return self.model(_tensor(x))

    def parameters(self):
        return self.model.parameters()

    def compile(self, optimizer="rmsprop", loss="cross_entropy", metrics=("accuracy",), lr=None):
        if isinstance(optimizer, str):
            key = optimizer.lower()
            if key not in _KERAS_OPTIMIZERS:
                raise ValueError(
                    f"Sequential.compile: unknown optimizer {optimizer!r}; choose from "
                    f"{', '.join(_KERAS_OPTIMIZERS)} or pass an optimiser"
                )
            import optim

            class_name, defaults = _KERAS_OPTIMIZERS[key]
            settings = dict(defaults, **({} if lr is None else {"lr": lr}))
            optimizer = getattr(optim, class_name)(self.model.parameters(), **settings)
        return super().compile(optimizer, loss, metrics)

    def summary(self) -> str:
        """Keras's table of layers with their parameter counts and the total (no output
        shapes: nothing is traced); printed and returned."""
        rows = [f'Model: "{self.name}"', f"{'Layer (type)':<32}{'Param #':>12}"]
        total = 0
        for index, layer in enumerate(self.model):
            count = sum(p.numel() for p in layer.parameters())
            total += count
            rows.append(f"{f'{index} ({type(layer).__name__})':<32}{count:>12,}")
        rows.append(f"Total params: {total:,}")
        text = "\n".join(rows)
        print(text)
        return text
