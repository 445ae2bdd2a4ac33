"""What the loss families share: the reduction ('mean', 'sum' or 'none') and the checks of the
target's shape against the input's (equal, or broadcasting with PyTorch's warning)."""

import warnings

import numpy as np


def _reduce(loss, reduction, op):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{op}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _same_shape(input, target, op):
    if tuple(input.shape) != tuple(target.shape):
        raise ValueError(
            f"{op}: input shape {tuple(input.shape)} and target shape {tuple(target.shape)} differ"
        )


def _broadcast_target(input, target, op):
    """A target of another shape that broadcasts with the input: PyTorch's UserWarning (a
    (N,) prediction against a (N, 1) target makes an (N, N) loss), then the loss broadcasts.
    Shapes that do not broadcast are a ValueError."""
    if input.shape == target.shape:
        return
    try:
        np.broadcast_shapes(tuple(input.shape), tuple(target.shape))
    except ValueError:
        raise ValueError(
            f"{op}: input shape {tuple(input.shape)} and target shape {tuple(target.shape)} "
            "do not broadcast"
        ) from None
    warnings.warn(
        f"Using a target size ({target.shape}) that is different to the input size "
        f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
        "Please ensure they have the same size.",
        UserWarning,
        stacklevel=3,
    )
