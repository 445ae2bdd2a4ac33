"""Each plot returns a Figure and writes a non-empty PNG."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.training import (
    History,
    plot_confusion_matrix,
    plot_decision_boundary,
    plot_filters,
    plot_history,
)

pytest.importorskip("matplotlib")


def _written(path):
    return path.is_file() and path.stat().st_size > 1000


def test_plot_history(tmp_path):
    h = History()
    for e, (loss, acc) in enumerate([(1.0, 0.5), (0.5, 0.8), (0.3, 0.9)]):
        h.on_epoch_end(
            e, {"loss": loss, "accuracy": acc, "val_loss": loss + 0.1, "val_accuracy": acc - 0.1}
        )
    fig = plot_history(h, tmp_path / "curves.png")
    assert len(fig.axes) == 2 and _written(tmp_path / "curves.png")
    assert len(plot_history({"loss": [1.0, 0.5]}).axes) == 1
    with pytest.raises(ValueError, match="plot_history"):
        plot_history({"acc": [1]})


def test_plot_decision_boundary(model, moons, tmp_path):
    X, y = moons
    fig = plot_decision_boundary(model, X, y, tmp_path / "db.png", resolution=40)
    assert fig.axes and _written(tmp_path / "db.png")
    with pytest.raises(ValueError, match="expected X of shape \\(N, 2\\)"):
        plot_decision_boundary(model, np.zeros((4, 3)), np.zeros(4))


def test_plot_confusion_matrix(tmp_path):
    y_true = np.array([0, 1, 2, 2, 1, 0])
    y_pred = np.array([0, 2, 2, 2, 1, 0])
    fig = plot_confusion_matrix(y_true, y_pred, ["a", "b", "c"], tmp_path / "cm.png")
    assert "83.3%" in fig.axes[0].get_title() and _written(tmp_path / "cm.png")


def test_plot_filters(tmp_path):
    fig = plot_filters(ag.randn(6, 1, 5, 5), tmp_path / "f.png")
    assert len(fig.axes) == 6 and _written(tmp_path / "f.png")
    plot_filters(ag.randn(4, 3, 3, 3))
    with pytest.raises(ValueError, match="4-D conv weight"):
        plot_filters(ag.randn(3, 3))
