"""The one module that imports `graphviz`: install hints, and a Digraph that checks for `dot`."""

from __future__ import annotations

import shutil

try:
    import graphviz
except ImportError as error:  # the optional extra is missing
    raise ImportError(
        "autograd_core.graph needs the 'graphviz' Python package: "
        "pip install autograd-core[graph]  (or: pip install graphviz)"
    ) from error

INSTALL_DOT_HINT = (
    "rendering a graph needs Graphviz's 'dot' program, which was not found on PATH. "
    "Install it with one of: apt-get install graphviz (Debian/Ubuntu), "
    "conda install graphviz, brew install graphviz (macOS), "
    "or from https://graphviz.org/download/. The DOT text is still available as .source"
)


class GraphvizNotFoundError(graphviz.ExecutableNotFound):
    """`dot` is missing: a RuntimeError (as graphviz's own) whose message says how to install it."""

    def __init__(self, message: str = INSTALL_DOT_HINT):
        RuntimeError.__init__(self, message)


def require_dot() -> None:
    """Raise GraphvizNotFoundError unless the `dot` program can be run."""
    if shutil.which("dot") is None:
        raise GraphvizNotFoundError()


class Drawing(graphviz.Digraph):
    """A `graphviz.Digraph` whose rendering fails with an install hint when `dot` is missing.

    `.source` (the DOT text) never needs `dot`; Jupyter shows it inline through `pipe`.
    """

    def pipe(self, *args, **kwargs):
        require_dot()
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise GraphvizNotFoundError() from error

    def render(self, *args, **kwargs):
        require_dot()
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise GraphvizNotFoundError() from error
