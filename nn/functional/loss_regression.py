"""Regression losses (`F.mse_loss`, `F.l1_loss`, `F.smooth_l1_loss`, `F.huber_loss`) and the
likelihoods of a real or count target (`F.gaussian_nll_loss`, `F.poisson_nll_loss`), with
reduction 'mean'/'sum'/'none'."""

import math

import autograd_core as ag

from .loss_reduction import _broadcast_target, _reduce


def mse_loss(input, target, reduction="mean"):
    """Mean squared error; a target of another shape that broadcasts warns, as PyTorch."""
    _broadcast_target(input, target, "mse_loss")
    d = input - target
    return _reduce(d * d, reduction, "mse_loss")


def l1_loss(input, target, reduction="mean"):
    """Mean absolute error; a target of another shape that broadcasts warns, as PyTorch."""
    _broadcast_target(input, target, "l1_loss")
    return _reduce(ag.abs(input - target), reduction, "l1_loss")


def smooth_l1_loss(input, target, reduction="mean", beta=1.0):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (d = input - target);
    beta = 0 is the L1 loss. A target of another shape that broadcasts warns, as PyTorch."""
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be non-negative, got {beta}")
    _broadcast_target(input, target, "smooth_l1_loss")
    d = ag.abs(input - target)
    if beta == 0:
        return _reduce(d, reduction, "smooth_l1_loss")
    loss = ag.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta)
    return _reduce(loss, reduction, "smooth_l1_loss")


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta), which is
    delta * smooth_l1_loss(beta=delta). An optional `weight` of the input's shape multiplies
    each element before the reduction. A target of another shape that broadcasts warns, as
    PyTorch."""
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    _broadcast_target(input, target, "huber_loss")
    d = ag.abs(input - target)
    loss = ag.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta))
    if weight is not None:
        if tuple(weight.shape) != tuple(input.shape):
            raise ValueError(
                f"huber_loss: weight shape {tuple(weight.shape)} must equal input shape "
                f"{tuple(input.shape)}"
            )
        loss = loss * weight
    return _reduce(loss, reduction, "huber_loss")


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """0.5 (log var + (input - target)^2 / var) [+ 0.5 log(2 pi) if full]. `var` has the input's
    shape, or one dimension fewer (shared over the last dim), or a 1 in exactly one dimension,
    or is a float. var is clamped at `eps` for the value only: the gradient passes through the
    clamp unchanged, as PyTorch's in-place no-grad clamp does."""
    if isinstance(var, (int, float)):
        if var < 0:
            raise ValueError("gaussian_nll_loss: var has negative entries")
        var = ag.full_like(input, float(var))
    else:  # on a GPU the answer waits for the next copy to the host (ag.assert_async)
        ag.assert_async(
            ~(var < 0).any(), lambda: ValueError("gaussian_nll_loss: var has negative entries")
        )
    in_shape, var_shape = tuple(input.shape), tuple(var.shape)
    if var_shape != in_shape:
        if in_shape[:-1] == var_shape:
            var = var.unsqueeze(-1)
        elif len(var_shape) != len(in_shape) or (
            sum(v for i, v in zip(in_shape, var_shape) if i != v) != 1
        ):
            raise ValueError(
                f"gaussian_nll_loss: var shape {var_shape} does not fit input shape {in_shape}"
            )
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(
            f"gaussian_nll_loss: reduction must be 'mean', 'sum' or 'none', got {reduction!r}"
        )
    held = var.detach()
    var = var + (ag.clamp(held, min=eps) - held)
    d = input - target
    loss = 0.5 * (ag.log(var) + d * d / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction, "gaussian_nll_loss")


def poisson_nll_loss(input, target, log_input=True, full=False, eps=1e-8, reduction="mean"):
    """Poisson negative log-likelihood of `target` counts with rate lambda:
    exp(input) - target * input if log_input (input = log lambda), else
    input - target * log(input + eps). full adds Stirling's term
    target log target - target + 0.5 log(2 pi target) where target > 1."""
    if log_input:
        loss = ag.exp(input) - target * input
    else:
        loss = input - target * ag.log(input + eps)
    if full:
        big = target > 1
        t = ag.where(big, target, 2.0)
        stirling = t * ag.log(t) - t + 0.5 * ag.log(2 * math.pi * t)
        loss = loss + ag.where(big, stirling, 0.0)
    return _reduce(loss, reduction, "poisson_nll_loss")
