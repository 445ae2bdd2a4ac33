"""Plots with matplotlib (loaded on first use, Agg without a display): training curves,
decision boundaries, confusion matrices and conv filters. Each returns its Figure."""

from __future__ import annotations

import math
import os
import sys

import numpy as np

from .metrics import confusion_matrix, predicted_classes, to_numpy


def _pyplot():
    try:
        import matplotlib
    except ImportError as e:
        raise ImportError("plots need matplotlib: pip install 'autograd-core[train]'") from e
    no_display = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    # pick Agg only if nobody chose a backend (a notebook's inline backend stays)
    if no_display and "matplotlib.pyplot" not in sys.modules and "MPLBACKEND" not in os.environ:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _finish(plt, fig, path):
    fig.tight_layout()
    if path is not None:
        fig.savefig(os.fspath(path), dpi=100)
    # a non-interactive backend never shows the figure; don't let pyplot keep it alive
    if "agg" in plt.get_backend().lower() and "inline" not in plt.get_backend().lower():
        plt.close(fig)
    return fig


def plot_history(history, path=None, title=None):
    """Loss (and accuracy, when logged) per epoch, train and validation; `history` is a
    `History`, its `.history` dict or the dict that `History.to_dict()` gives."""
    plt = _pyplot()
    batch_losses = getattr(history, "batch_losses", None)
    logs = getattr(history, "history", history)
    if isinstance(logs, dict) and "history" in logs and isinstance(logs["history"], dict):
        batch_losses = logs.get("batch_losses")
        logs = logs["history"]
    if not isinstance(logs, dict) or "loss" not in logs:
        raise ValueError("plot_history: expected a History or a dict with a 'loss' list")
    panels = [k for k in ("loss", "accuracy") if k in logs]
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 3.6), squeeze=False)
    for ax, key in zip(axes[0], panels):
        epochs = np.arange(1, len(logs[key]) + 1)
        if key == "loss" and batch_losses:
            # batch b of epoch e sits at e - 1 + (b + 1) / batches, so epoch means line up
            steps = (np.arange(len(batch_losses)) + 1) * len(epochs) / len(batch_losses)
            ax.plot(steps, batch_losses, color="0.75", linewidth=0.7, label="batch loss")
        ax.plot(epochs, logs[key], marker=".", label=f"train {key}")
        if f"val_{key}" in logs:
            ax.plot(epochs, logs[f"val_{key}"], marker=".", label=f"val {key}")
        ax.set_xlabel("epoch")
        ax.set_ylabel(key)
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    return _finish(plt, fig, path)


def plot_decision_boundary(model, X, y, path=None, resolution=200, title=None, device=None):
    """Coloured class regions of a 2-D classifier over the points `X` (N, 2) with labels `y`."""
    from .fit import predict

    plt = _pyplot()
    X, y = to_numpy(X), to_numpy(y).reshape(-1)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary: expected X of shape (N, 2), got {X.shape}")
    pad = 0.1 * (X.max(0) - X.min(0)) + 1e-3
    lo, hi = X.min(0) - pad, X.max(0) + pad
    xs = np.linspace(lo[0], hi[0], resolution)
    ys = np.linspace(lo[1], hi[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    grid = np.stack([gx.ravel(), gy.ravel()], 1).astype(X.dtype if X.dtype.kind == "f" else "f4")
    classes = predicted_classes(predict(model, grid, batch_size=8192, device=device))
    n_classes = int(max(classes.max(), y.max())) + 1
    fig, ax = plt.subplots(figsize=(5, 5))
    cmap = plt.get_cmap("tab10")
    levels = np.arange(n_classes + 1) - 0.5
    ax.contourf(
        gx, gy, classes.reshape(gx.shape), levels=levels, cmap=cmap, alpha=0.3, vmin=0, vmax=9
    )
    ax.scatter(
        X[:, 0], X[:, 1], c=y, cmap=cmap, vmin=0, vmax=9, s=12, edgecolors="k", linewidths=0.3
    )
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_title(title or "decision boundary")
    return _finish(plt, fig, path)


def plot_confusion_matrix(y_true, y_pred, class_names=None, path=None, normalize=False, title=None):
    """Counts (or row fractions, with `normalize`) of true class (rows) vs predicted (columns)."""
    plt = _pyplot()
    n = len(class_names) if class_names is not None else None
    matrix = confusion_matrix(y_true, y_pred, n)
    n = matrix.shape[0]
    names = [str(c) for c in class_names] if class_names is not None else [str(i) for i in range(n)]
    values = matrix / np.maximum(matrix.sum(1, keepdims=True), 1) if normalize else matrix
    size = max(4.0, 0.5 * n + 2)
    fig, ax = plt.subplots(figsize=(size, size))
    im = ax.imshow(values, cmap="Blues")
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    ax.set_xticks(range(n), names, rotation=45 if max(map(len, names)) > 2 else 0, ha="right")
    ax.set_yticks(range(n), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    threshold = values.max() / 2 if values.size else 0
    if n <= 20:
        for i in range(n):
            for j in range(n):
                text = f"{values[i, j]:.2f}" if normalize else str(matrix[i, j])
                color = "white" if values[i, j] > threshold else "black"
                ax.text(j, i, text, ha="center", va="center", color=color, fontsize=8)
    accuracy = np.trace(matrix) / max(matrix.sum(), 1)
    ax.set_title(title or f"confusion matrix (accuracy {accuracy:.1%})")
    return _finish(plt, fig, path)


def plot_filters(conv_weight, path=None, title=None):
    """A grid of conv filters from a weight (out_channels, in_channels, kH, kW); three input
    channels show in colour, otherwise the first channel in grey. Each filter is scaled alone."""
    plt = _pyplot()
    w = to_numpy(conv_weight).astype(np.float64)
    if w.ndim != 4:
        raise ValueError(
            f"plot_filters: expected a 4-D conv weight (out, in, kH, kW), got {w.shape}"
        )
    n = w.shape[0]
    cols = math.ceil(math.sqrt(n))
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(1.2 * cols, 1.2 * rows), squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if k >= n:
            continue
        f = w[k]
        img = f.transpose(1, 2, 0) if f.shape[0] == 3 else f[0]
        img = (img - img.min()) / (np.ptp(img) + 1e-12)
        ax.imshow(img, cmap=None if img.ndim == 3 else "gray", interpolation="nearest")
    fig.suptitle(title or f"{n} filters {w.shape[2]}x{w.shape[3]}")
    return _finish(plt, fig, path)
