"""Metrics on model outputs: accuracy (argmax, or sign for one logit) and the confusion matrix."""

from __future__ import annotations

import numpy as np

from ..creation import tensor
from ..tensor import Tensor


def to_numpy(x) -> np.ndarray:
    """A host NumPy array from a Tensor (on any device), an array or a list."""
    if isinstance(x, Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def batch_size(x) -> int:
    """The number of rows of a batch of targets, read from its shape (no copy to the host)."""
    shape = getattr(x, "shape", None)
    return int(shape[0]) if shape else len(to_numpy(x).reshape(-1))


def predicted_classes(outputs) -> np.ndarray:
    """Class indices from logits: argmax over dim 1, or `logit > 0` for a single output."""
    out = to_numpy(outputs)
    if out.ndim == 1 or (out.ndim == 2 and out.shape[1] == 1):
        return (out.reshape(-1) > 0).astype(np.int64)
    return out.argmax(axis=1)


def correct_count(outputs, targets) -> int:
    """How many rows of `outputs` pick the class in `targets`. Tensors are compared where they
    live: only the count comes to the host."""
    if not isinstance(outputs, Tensor):
        target = to_numpy(targets).reshape(-1).astype(np.int64)
        return int((predicted_classes(outputs) == target).sum())
    out = outputs.detach()
    if out.ndim == 1 or (out.ndim == 2 and out.shape[1] == 1):
        predicted = (out.reshape(-1) > 0).long()
    else:
        predicted = out.argmax(dim=1)
    if isinstance(targets, Tensor):
        target = targets.detach().to(out.device)
    else:
        target = tensor(np.asarray(targets), device=out.device)
    return int((predicted == target.reshape(-1).long()).sum().item())


def accuracy(outputs, targets) -> float:
    """Fraction of rows of `outputs` (logits) whose predicted class equals `targets`."""
    n = len(to_numpy(targets).reshape(-1))
    return correct_count(outputs, targets) / max(n, 1)


def confusion_matrix(y_true, y_pred, num_classes: int | None = None) -> np.ndarray:
    """Counts (num_classes, num_classes): row = true class, column = predicted class."""
    t = to_numpy(y_true).reshape(-1).astype(np.int64)
    p = to_numpy(y_pred).reshape(-1).astype(np.int64)
    if t.shape != p.shape:
        raise ValueError(f"confusion_matrix: y_true has {t.size} labels but y_pred has {p.size}")
    if num_classes is None:
        num_classes = int(max(t.max(initial=-1), p.max(initial=-1))) + 1
    if t.size and (min(t.min(), p.min()) < 0 or max(t.max(), p.max()) >= num_classes):
        raise ValueError(f"confusion_matrix: labels should be in [0, {num_classes})")
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (t, p), 1)
    return matrix
