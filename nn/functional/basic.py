"""Basic functional layers: linear, dropout (and its channel-wise forms), one_hot, pad."""

import autograd_core as ag
from autograd_core import Tensor


def linear(input, weight, bias=None):
    """input @ weight.T + bias, with weight of shape (out_features, in_features): one op
    (autograd_core.linear) with its own backward."""
    return ag.linear(input, weight, bias)


def dropout(input, p=0.5, training=True, inplace=False):
    """Inverted dropout: zero each value with probability p, scale the rest by 1/(1-p)."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: p must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    keep = (ag.rand_like(input) >= p).to(input.dtype)
    return input * keep * (1.0 / (1.0 - p))


def one_hot(tensor, num_classes=-1):
    """int64 one-hot codes along a new last dim."""
    if not isinstance(tensor, Tensor) or tensor.dtype.kind not in "iu":
        raise TypeError("one_hot: expected an integer tensor of class indices")
    if tensor.numel() == 0:
        if num_classes < 0:
            raise ValueError("one_hot: cannot infer num_classes from an empty tensor")
        lo = hi = 0
    else:
        lo, hi = int(tensor.min().item()), int(tensor.max().item())
    if lo < 0:
        raise ValueError(f"one_hot: class values must be non-negative, got {lo}")
    if num_classes < 0:
        num_classes = hi + 1
    elif hi >= num_classes:
        raise ValueError(
            f"one_hot: class values must be smaller than num_classes={num_classes}, got {hi}"
        )
    classes = ag.arange(num_classes, device=tensor.device)
    return (tensor.unsqueeze(-1) == classes).long()


def pad(input, pad, mode="constant", value=0.0):
    return ag.pad(input, pad, mode=mode, value=value)


def _feature_dropout(name, input, p, training):
    """Zero whole channels: one keep/drop draw per (sample, channel), broadcast over the rest."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{name}: p must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    mask_shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2)
    keep = (ag.rand(*mask_shape, device=input.device) >= p).to(input.dtype)
    return input * keep * (1.0 / (1.0 - p))


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, L) or (C, L) with probability p; scale the rest by
    1/(1-p)."""
    if input.ndim not in (2, 3):
        raise ValueError(f"dropout1d: expected 2-D or 3-D input, got shape {tuple(input.shape)}")
    if input.ndim == 2:
        return _feature_dropout("dropout1d", input.unsqueeze(0), p, training).squeeze(0)
    return _feature_dropout("dropout1d", input, p, training)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels (feature maps) of (N, C, H, W) with probability p; scale the rest
    by 1/(1-p). Neighbouring pixels are correlated, so dropping single values would do little.

    As PyTorch, a 3-D input is read as (N, C, L).
    """
    if input.ndim < 2:
        raise ValueError(f"dropout2d: expected 3-D or 4-D input, got shape {tuple(input.shape)}")
    return _feature_dropout("dropout2d", input, p, training)
