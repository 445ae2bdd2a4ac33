"""What a training run leaves in its folder: weights, config, history, plots and the graph."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import numpy as np

from ..grad_mode import enable_grad
from ..serialization import save


def first_conv_weight(model):
    """The weight of the model's first Conv2d, or None for a model without one."""
    for m in model.modules():
        if type(m).__name__ == "Conv2d":
            return m.weight
    return None


def save_run(out: Path, model, config: dict, history, split, predictions) -> list[str]:
    """Write weights, config and history, then the plots; returns note lines for skipped ones."""
    out.mkdir(parents=True, exist_ok=True)
    save(model.state_dict(), out / "model.safetensors")
    (out / "config.json").write_text(json.dumps(config, indent=1))
    history.save(out / "history.json")
    notes = []
    try:
        _save_plots(out, model, history, split, predictions)
    except ImportError as e:
        notes.append(f"plots skipped: {e}")
    return notes


def _save_plots(out, model, history, split, predictions):
    from .plots import plot_confusion_matrix, plot_decision_boundary, plot_filters, plot_history

    plot_history(history, out / "curves.png")
    plot_confusion_matrix(split.y_test, predictions, split.classes, out / "confusion_matrix.png")
    weight = first_conv_weight(model)
    if weight is not None:
        plot_filters(weight, out / "filters.png", title="first-layer filters")
    if split.input_shape == (2,):
        x = np.concatenate([split.x_train, split.x_test])
        y = np.concatenate([split.y_train, split.y_test])
        plot_decision_boundary(model, x, y, out / "decision_boundary.png")


def save_graph(path: Path, model, loss_fn, x, y) -> str | None:
    """Draw the computation graph of one small batch's loss as SVG; a note when skipped."""
    if importlib.util.find_spec("autograd_core.graph") is None:
        return "graph.svg skipped: autograd_core.graph is not available"
    if shutil.which("dot") is None:
        return "graph.svg skipped: graphviz 'dot' is not installed (apt-get install graphviz)"
    try:
        from ..graph import draw_graph
    except ImportError as e:
        return f"graph.svg skipped: {e}"
    was_training = model.training
    # eval mode: a forward pass for the drawing must not move BatchNorm's running statistics
    model.eval()
    try:
        with enable_grad():
            loss = loss_fn(model(x), y)
            drawing = draw_graph(loss, model=model, collapse_modules=True)
            svg = drawing.pipe(format="svg") if hasattr(drawing, "pipe") else drawing
    except Exception as e:  # the drawing is a bonus; a failure must not lose the trained run
        return f"graph.svg skipped: {type(e).__name__}: {e}"
    finally:
        model.train(was_training)
        model.zero_grad()
    if isinstance(svg, str):
        svg = svg.encode()
    if not isinstance(svg, bytes):
        return f"graph.svg skipped: draw_graph returned a {type(svg).__name__}"
    path.write_bytes(svg)
    return None
