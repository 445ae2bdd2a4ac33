"""save_graph: draws through autograd_core.graph when present, else says why it skipped."""

import sys
import types

import autograd_core as ag
import nn
from autograd_core.training import artifacts


class _Drawing:
    def __init__(self, loss):
        self.loss = loss

    def pipe(self, format):
        assert format == "svg"
        return b"<svg>graph</svg>"


def test_save_graph_uses_draw_graph_in_eval_mode(model, monkeypatch, tmp_path):
    seen = {}

    def draw_graph(loss, model=None, collapse_modules=False):
        seen.update(loss=loss, model=model, collapse=collapse_modules, training=model.training)
        return _Drawing(loss)

    fake = types.ModuleType("autograd_core.graph")
    fake.draw_graph = draw_graph
    monkeypatch.setitem(sys.modules, "autograd_core.graph", fake)
    monkeypatch.setattr(artifacts.importlib.util, "find_spec", lambda name: object())
    monkeypatch.setattr(artifacts.shutil, "which", lambda name: "/usr/bin/dot")
    model.train()
    note = artifacts.save_graph(
        tmp_path / "g.svg", model, nn.CrossEntropyLoss(), ag.randn(2, 2), ag.tensor([0, 1])
    )
    assert note is None and (tmp_path / "g.svg").read_bytes() == b"<svg>graph</svg>"
    assert seen["model"] is model and seen["collapse"] and not seen["training"]
    assert model.training and all(p.grad is None for p in model.parameters())


def test_save_graph_skips_with_a_note(model, monkeypatch, tmp_path):
    monkeypatch.setattr(artifacts.importlib.util, "find_spec", lambda name: object())
    monkeypatch.setattr(artifacts.shutil, "which", lambda name: None)
    note = artifacts.save_graph(
        tmp_path / "g.svg", model, nn.CrossEntropyLoss(), ag.randn(2, 2), ag.tensor([0, 1])
    )
    assert note.startswith("graph.svg skipped: graphviz 'dot' is not installed")
    assert not (tmp_path / "g.svg").exists()
