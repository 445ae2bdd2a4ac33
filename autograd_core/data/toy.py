"""2-D toy classification sets for lessons; NumPy arrays X float32 (N, 2), y int64 (N,)."""

from __future__ import annotations

import numpy as np


def _check(name, n_samples, noise):
    if not isinstance(n_samples, (int, np.integer)) or n_samples < 1:
        raise ValueError(f"{name}: n_samples should be a positive int, got {n_samples!r}")
    if noise < 0:
        raise ValueError(f"{name}: noise should be >= 0, got {noise}")


def _finish(X, y, noise, rng):
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(len(y))
    return X[order].astype(np.float32), y[order].astype(np.int64)


def make_xor(n_samples=200, noise=0.1, seed=0):
    """Points around the four corners (+-1, +-1); class 1 where the signs differ."""
    _check("make_xor", n_samples, noise)
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 2, size=(n_samples, 2)) * 2 - 1
    y = (corners[:, 0] != corners[:, 1]).astype(np.int64)
    return _finish(corners.astype(np.float64), y, noise, rng)


def make_moons(n_samples=200, noise=0.1, seed=0):
    """Two interleaving half circles (scikit-learn's layout)."""
    _check("make_moons", n_samples, noise)
    rng = np.random.default_rng(seed)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    X = np.concatenate(
        [
            np.stack([np.cos(t_out), np.sin(t_out)], 1),
            np.stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)], 1),
        ]
    )
    y = np.concatenate([np.zeros(n_out), np.ones(n_in)])
    return _finish(X, y, noise, rng)


def make_circles(n_samples=200, noise=0.05, seed=0, factor=0.5):
    """A small circle (class 1, radius `factor`) inside a big one (class 0, radius 1)."""
    _check("make_circles", n_samples, noise)
    if not 0 < factor < 1:
        raise ValueError(f"make_circles: factor should be in (0, 1), got {factor}")
    rng = np.random.default_rng(seed)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.concatenate(
        [
            np.stack([np.cos(t_out), np.sin(t_out)], 1),
            factor * np.stack([np.cos(t_in), np.sin(t_in)], 1),
        ]
    )
    y = np.concatenate([np.zeros(n_out), np.ones(n_in)])
    return _finish(X, y, noise, rng)


def make_spirals(n_samples=300, noise=0.2, seed=0, n_classes=3):
    """`n_classes` interleaved spiral arms (the CS231n layout), radius up to 1."""
    _check("make_spirals", n_samples, noise)
    if n_classes < 2:
        raise ValueError(f"make_spirals: n_classes should be >= 2, got {n_classes}")
    rng = np.random.default_rng(seed)
    y = np.arange(n_samples) % n_classes
    counts = np.bincount(y, minlength=n_classes)
    r = np.concatenate([np.linspace(0.0, 1.0, c) for c in counts])
    y = np.concatenate([np.full(c, k) for k, c in enumerate(counts)])
    t = y * (2 * np.pi / n_classes) + r * 4.0 + noise * rng.standard_normal(n_samples)
    X = np.stack([r * np.sin(t), r * np.cos(t)], 1)
    return _finish(X, y, 0.0, rng)
