"""Optimisers and losses by name (`"adam"`, `"cross_entropy"`) for the CLI and `Trainer`."""

from __future__ import annotations

# a learning rate that trains the demo models well with each optimiser
DEFAULT_LR = {
    "sgd": 0.05,
    "adam": 5e-3,
    "adamw": 5e-3,
    "rmsprop": 1e-3,
    "adagrad": 1e-2,
    "adadelta": 1.0,
}
OPTIMIZERS = tuple(DEFAULT_LR)
_CLASS_NAMES = {
    "sgd": "SGD",
    "adam": "Adam",
    "adamw": "AdamW",
    "rmsprop": "RMSprop",
    "adagrad": "Adagrad",
    "adadelta": "Adadelta",
}


def make_optimizer(name: str, params, lr: float | None = None, **kwargs):
    """`optim.<Name>(params, lr)`; SGD gets momentum 0.9 unless told otherwise."""
    key = name.lower()
    if key not in _CLASS_NAMES:
        raise ValueError(f"unknown optimizer {name!r}; choose from {', '.join(OPTIMIZERS)}")
    import optim

    cls = getattr(optim, _CLASS_NAMES[key])
    if key == "sgd":
        kwargs.setdefault("momentum", 0.9)
    return cls(params, lr=DEFAULT_LR[key] if lr is None else lr, **kwargs)


_LOSSES = {
    "cross_entropy": "CrossEntropyLoss",
    "crossentropy": "CrossEntropyLoss",
    "sparse_categorical_crossentropy": "CrossEntropyLoss",
    "nll": "NLLLoss",
    "mse": "MSELoss",
    "l1": "L1Loss",
    "bce": "BCELoss",
    "bce_with_logits": "BCEWithLogitsLoss",
}


def make_loss(loss):
    """A loss module from its name, or `loss` itself when it is callable."""
    if callable(loss):
        return loss
    key = str(loss).lower()
    if key not in _LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose from {', '.join(_LOSSES)}")
    import nn

    return getattr(nn, _LOSSES[key])()
