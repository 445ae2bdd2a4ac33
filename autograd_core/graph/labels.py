"""The text inside the boxes: values, gradients and summaries of tensors, ops with their
hyperparameters. Plain lines joined by DOT's `\\n`, so the DOT source stays readable."""

from __future__ import annotations

import numpy as np

from .. import backend

# up to this many elements a tensor's values are listed; above, a summary is shown
SMALL_TENSOR = 6
MAX_PARAMS_TEXT = 40
# the value line of a tensor that backward() freed: no longer known, and not guessed
FREED_VALUE = "value freed by backward()"


def as_numpy(t) -> np.ndarray:
    return backend.to_numpy(t.detach()._data)


def format_values(t) -> list[str]:
    """A scalar's value, a small tensor's values, or mean/std and min/max of a large one."""
    values = as_numpy(t)
    if values.size == 1:
        return [f"{values.item():.6g}"]
    if values.size <= SMALL_TENSOR:
        return ["[" + ", ".join(f"{v:.4g}" for v in values.ravel()) + "]"]
    if values.size == 0:
        return ["[]"]
    values = values.astype(np.float64)
    return [
        f"mean {values.mean():.4g} std {values.std():.4g}",
        f"min {values.min():.4g} max {values.max():.4g}",
    ]


def format_flow(g) -> str:
    """A gradient on an edge, on one line: its values when small, its norm otherwise."""
    values = as_numpy(g)
    if values.size <= SMALL_TENSOR:
        return format_values(g)[0]
    return f"|g| {np.linalg.norm(values.astype(np.float64).ravel()):.4g}"


def shape_text(t) -> str:
    return f"{tuple(t.shape)} {np.dtype(t.dtype).name}"


def tensor_label(title, t, *, show_shapes, show_values, grad=None, grad_note="", lines=()):
    """`title`, then shape and dtype, `value ...` and `grad ...` lines as asked."""
    out = [title]
    if show_shapes:
        out.append(shape_text(t))
    if show_values and getattr(t, "freed", False):
        out.append(FREED_VALUE)  # backward() freed it and nobody else holds it
    elif show_values:
        values = format_values(t)
        out.append(f"value {values[0]}")
        out.extend(values[1:])
    if grad is not None:
        values = format_values(grad)
        out.append(f"grad {values[0]}{grad_note}")
        out.extend(values[1:])
    out.extend(lines)
    return "\\n".join(_escape(line) for line in out)


def op_label(node) -> str:
    """The op's name as the tape prints it, its hyperparameters on a second line."""
    params = node.describe()
    if len(params) > MAX_PARAMS_TEXT:
        params = params[: MAX_PARAMS_TEXT - 3] + "..."
    lines = [node.name, params] if params else [node.name]
    return "\\n".join(_escape(line) for line in lines)


def wrap(text: str, width: int = 32) -> list[str]:
    """A module's extra_repr on lines of about `width` characters, broken after commas."""
    lines, line = [], ""
    for part in _top_level_parts(text):
        if line and len(line) + len(part) + 2 > width:
            lines.append(line + ",")
            line = part
        else:
            line = f"{line}, {part}" if line else part
    if line:
        lines.append(line)
    return lines


def _top_level_parts(text: str) -> list[str]:
    """`text` split at the commas outside brackets: kernel_size=(3, 3) stays whole."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    if text[start:].strip():
        parts.append(text[start:].strip())
    return parts


def join_lines(lines) -> str:
    return "\\n".join(_escape(line) for line in lines)


def _escape(text: str) -> str:
    # a backslash would start a DOT escape (\n, \l); quotes are escaped by graphviz itself
    return str(text).replace("\\", "\\\\")
