"""Without Graphviz's `dot` the DOT text is still made; without the graphviz package, a hint."""

import importlib
import shutil
import sys

import pytest
from graph_testing import graphviz

import autograd_core as ag
from autograd_core.graph import GraphvizNotFoundError, backward_frames, draw_graph, html_slideshow


@pytest.fixture
def no_dot(monkeypatch):
    monkeypatch.setenv("PATH", "")
    assert shutil.which("dot") is None


def _graph():
    w = ag.tensor([0.55, -0.35], requires_grad=True)
    return ag.sigmoid(w @ ag.tensor([0.5, 0.45]) + 0.15)


def test_without_dot_the_source_is_made_and_rendering_says_how_to_install(no_dot, tmp_path):
    drawing = draw_graph(_graph())
    assert "sigmoid" in drawing.source
    for render in (
        lambda: drawing.pipe(format="svg"),
        lambda: drawing.render(tmp_path / "g", format="svg"),
        lambda: drawing._repr_mimebundle_(),  # what Jupyter calls
    ):
        with pytest.raises(GraphvizNotFoundError, match="apt-get install graphviz") as error:
            render()
        assert "conda install graphviz" in str(error.value) and "brew" in str(error.value)
        assert isinstance(error.value, graphviz.ExecutableNotFound)  # graphviz's own, too
    with pytest.raises(GraphvizNotFoundError):
        html_slideshow(backward_frames(_graph()))


def test_which_is_asked_so_a_monkeypatched_lookup_is_honoured(monkeypatch):
    from autograd_core.graph import _graphviz

    monkeypatch.setattr(_graphviz.shutil, "which", lambda name: None)
    with pytest.raises(GraphvizNotFoundError, match="not found on PATH"):
        draw_graph(_graph()).pipe(format="svg")


def test_without_the_graphviz_package_the_import_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)  # makes `import graphviz` fail
    for name in [m for m in sys.modules if m.startswith("autograd_core.graph")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.delattr(ag, "graph", raising=False)
    with pytest.raises(ImportError, match=r"pip install autograd-core\[graph\]"):
        importlib.import_module("autograd_core.graph")
    with pytest.raises(ImportError, match=r"autograd-core\[graph\]"):
        ag.draw_graph  # noqa: B018
