"""Ranking and embedding losses: `F.margin_ranking_loss`, `F.hinge_embedding_loss`,
`F.cosine_embedding_loss` and `F.triplet_margin_loss`, with reduction 'mean'/'sum'/'none'."""

import autograd_core as ag

from .distance import pairwise_distance
from .loss_reduction import _reduce


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
