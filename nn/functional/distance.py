"""Distances between batches of vectors: `F.pairwise_distance` and `F.cosine_similarity`."""

import autograd_core as ag


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """||x1 - x2 + eps||_p over the last dim (inputs broadcast). eps is added to the
    difference, as PyTorch does, so equal vectors give a small nonzero distance and the
    2-norm keeps a finite gradient."""
    if x1.ndim == 0 or x2.ndim == 0:
        raise ValueError(
            f"pairwise_distance: expected inputs with at least 1 dim, got shapes "
            f"{tuple(x1.shape)} and {tuple(x2.shape)}"
        )
    return ag.norm(x1 - x2 + eps, p, dim=-1, keepdim=keepdim)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """sum(x1 * x2) / (max(||x1||, eps) * max(||x2||, eps)) along `dim` (inputs broadcast).
    Each norm is clamped at eps separately, as PyTorch does, so a zero vector gives 0, not nan."""
    n1 = ag.clamp(ag.norm(x1, 2, dim=dim, keepdim=True), min=eps)
    n2 = ag.clamp(ag.norm(x2, 2, dim=dim, keepdim=True), min=eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)
