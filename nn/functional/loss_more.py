"""More losses: robust regression (smooth L1, Huber), divergences and likelihoods (KL, Gaussian
and Poisson NLL), and margin/embedding losses (ranking, hinge, soft margin, cosine, triplet)."""

import math

import autograd_core as ag

from .distance import pairwise_distance
from .loss import _broadcast_target, _check_targets, _class_indices, _reduce, _same_shape


def _logsigmoid(x):
    """log(sigmoid(x)) = -(max(-x, 0) + log1p(exp(-|x|))): never overflows, never log(0)."""
    return -(ag.maximum(-x, 0.0) + ag.log1p(ag.exp(-ag.abs(x))))


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


def kl_div(input, target, reduction="mean", log_target=False):
    """KL(target || q) pointwise, with `input` = log q (log-probabilities, as PyTorch):
    target * (log target - input), taken as 0 where target = 0; with log_target=True the target
    is log p too: exp(target) * (target - input). 'batchmean' divides the sum by the batch size
    (input.shape[0]), which gives the true KL divergence; 'mean' divides by every element."""
    if reduction not in ("mean", "sum", "none", "batchmean"):
        raise ValueError(
            f"kl_div: reduction must be 'mean', 'batchmean', 'sum' or 'none', got {reduction!r}"
        )
    if log_target:
        loss = ag.exp(target) * (target - input)
    else:
        # 0 log 0 = 0: take the log of a safe value, so neither value nor gradient is nan
        positive = target > 0
        log_t = ag.log(ag.where(positive, target, 1.0))
        loss = ag.where(positive, target * (log_t - input), -target * input)
    if reduction == "batchmean":
        total = loss.sum()
        return total / input.shape[0] if input.ndim > 0 else total
    return _reduce(loss, reduction, "kl_div")


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """0.5 (log var + (input - target)^2 / var) [+ 0.5 log(2 pi) if full]. `var` has the input's
    shape, or one dimension fewer (shared over the last dim), or a 1 in exactly one dimension,
    or is a float. var is clamped at `eps` for the value only: the gradient passes through the
    clamp unchanged, as PyTorch's in-place no-grad clamp does."""
    if isinstance(var, (int, float)):
        if var < 0:
            raise ValueError("gaussian_nll_loss: var has negative entries")
        var = ag.full_like(input, float(var))
    elif bool((var < 0).any().item()):
        raise ValueError("gaussian_nll_loss: var has negative entries")
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


def _same_ndim(op, **tensors):
    dims = {name: t.ndim for name, t in tensors.items()}
    if len(set(dims.values())) > 1:
        got = ", ".join(f"{name} {tuple(t.shape)}" for name, t in tensors.items())
        raise ValueError(f"{op}: inputs must have the same number of dimensions, got {got}")


def margin_ranking_loss(input1, input2, target, margin=0.0, reduction="mean"):
    """max(0, -target * (input1 - input2) + margin), target in {1, -1}: 1 says input1 should
    rank higher."""
    _same_ndim("margin_ranking_loss", input1=input1, input2=input2, target=target)
    loss = ag.clamp(-target * (input1 - input2) + margin, min=0.0)
    return _reduce(loss, reduction, "margin_ranking_loss")


def hinge_embedding_loss(input, target, margin=1.0, reduction="mean"):
    """input where target = 1, max(0, margin - input) where target = -1 (input is usually a
    distance between a pair: small for similar pairs, at least `margin` for dissimilar)."""
    pull = ag.where(target != -1, input, 0.0)
    push = ag.where(target != 1, ag.clamp(margin - input, min=0.0), 0.0)
    return _reduce(pull + push, reduction, "hinge_embedding_loss")


def soft_margin_loss(input, target, reduction="mean"):
    """log(1 + exp(-target * input)), target in {1, -1}; computed as -logsigmoid(target * input),
    which stays finite for large margins (PyTorch's log1p(exp(.)) overflows to inf there)."""
    _same_shape(input, target, "soft_margin_loss")
    return _reduce(-_logsigmoid(target * input), reduction, "soft_margin_loss")


def multilabel_soft_margin_loss(input, target, weight=None, reduction="mean"):
    """Per sample, the mean over the C classes (last dim) of the binary cross-entropy with
    logits: -(y logsigmoid(x) + (1 - y) logsigmoid(-x)), times weight[c] if given."""
    _same_shape(input, target, "multilabel_soft_margin_loss")
    loss = -(target * _logsigmoid(input) + (1.0 - target) * _logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    n_classes = input.shape[-1] if input.ndim else 1
    loss = loss.sum(dim=-1) / n_classes if input.ndim else loss
    return _reduce(loss, reduction, "multilabel_soft_margin_loss")


def cosine_embedding_loss(input1, input2, target, margin=0.0, reduction="mean"):
    """1 - cos(x1, x2) where target = 1, max(0, cos(x1, x2) - margin) where target = -1.
    Inputs (N, D) with target (N,), or (D,) with a 0-d target; cos uses
    sqrt((|x1|^2 + 1e-12)(|x2|^2 + 1e-12)) as its denominator, as PyTorch."""
    op = "cosine_embedding_loss"
    if input1.ndim not in (1, 2) or tuple(input1.shape) != tuple(input2.shape):
        raise ValueError(
            f"{op}: expected input1 and input2 of one shape (N, D) or (D,), got "
            f"{tuple(input1.shape)} and {tuple(input2.shape)}"
        )
    if target.ndim != input1.ndim - 1:
        raise ValueError(
            f"{op}: target must have {input1.ndim - 1} dims for inputs of shape "
            f"{tuple(input1.shape)}, got {tuple(target.shape)}"
        )
    dim = input1.ndim - 1
    dot = (input1 * input2).sum(dim)
    sq1 = (input1 * input1).sum(dim) + 1e-12
    sq2 = (input2 * input2).sum(dim) + 1e-12
    cos = dot / ag.sqrt(sq1 * sq2)
    pos = ag.where(target == 1, 1.0 - cos, 0.0)
    neg = ag.where(target == -1, ag.clamp(cos - margin, min=0.0), 0.0)
    return _reduce(pos + neg, reduction, op)


def triplet_margin_loss(
    anchor, positive, negative, margin=1.0, p=2.0, eps=1e-6, swap=False, reduction="mean"
):
    """max(0, d(a, p) - d(a, n) + margin) with d = pairwise_distance(., ., p, eps). With
    swap=True, d(a, n) is replaced by min(d(a, n), d(p, n)) (the harder negative)."""
    op = "triplet_margin_loss"
    _same_ndim(op, anchor=anchor, positive=positive, negative=negative)
    if anchor.ndim == 0:
        raise ValueError(f"{op}: expected inputs of shape (N, D) or (D,), got 0-d tensors")
    if margin <= 0:
        raise ValueError(f"{op}: margin must be greater than 0, got {margin}")
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = ag.minimum(d_neg, pairwise_distance(positive, negative, p, eps))
    loss = ag.clamp(margin + d_pos - d_neg, min=0.0)
    return _reduce(loss, reduction, op)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, reduction="mean"):
    """Multi-class hinge loss: per sample, sum over classes j != y of
    max(0, margin - x[y] + x[j])^p / C (times weight[y] if given); input (N, C) or (C,),
    target integer class indices (N,) or 0-d, each in [0, C) (else IndexError)."""
    op = "multi_margin_loss"
    if p not in (1, 2):
        raise ValueError(f"{op}: only p = 1 and p = 2 are supported, got {p}")
    if input.ndim not in (1, 2):
        raise ValueError(f"{op}: expected input of shape (N, C) or (C,), got {tuple(input.shape)}")
    x = input if input.ndim == 2 else input.unsqueeze(0)
    y = _class_indices(target, op).reshape(-1)
    if y.shape[0] != x.shape[0]:
        raise ValueError(
            f"{op}: input shape {tuple(input.shape)} does not match target shape "
            f"{tuple(target.shape)}"
        )
    n_classes = x.shape[1]
    _check_targets(y, n_classes, op)
    picked = ag.gather(x, 1, y.unsqueeze(1))
    # relu, not clamp: a term exactly at the hinge (z = 0) gets no gradient, as in PyTorch
    z = ag.relu(margin - picked + x)
    if p == 2:
        z = z * z
    if weight is not None:
        z = z * weight[y].unsqueeze(1)
    not_target = ag.arange(n_classes, device=x.device).unsqueeze(0) != y.unsqueeze(1)
    loss = ag.where(not_target, z, 0.0).sum(1) / n_classes
    if input.ndim == 1:
        loss = loss.reshape(())
    return _reduce(loss, reduction, op)
