"""Run every lesson notebook in notebooks/ from a fresh kernel; a cell that raises fails it."""

import importlib
import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]
ANSI_COLOURS = re.compile(r"\x1b\[[0-9;]*m")


def _runner_module(name):
    """nbclient and friends come with the dev extras: in CI a missing one is an error, not a
    skip that would let every lesson pass unseen."""
    if os.environ.get("CI"):
        return importlib.import_module(name)
    return pytest.importorskip(name)


def test_the_ten_lessons_are_collected():
    assert len(NOTEBOOKS) >= 10, f"expected the ten lessons in {NOTEBOOK_DIR}, found {IDS}"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs(path, monkeypatch):
    nbformat = _runner_module("nbformat")
    nbclient = _runner_module("nbclient")
    _runner_module("ipykernel")
    # the kernel inherits this environment: the repository importable without installing,
    # a headless matplotlib, and one BLAS thread: the lessons' matrices are small, and a
    # spinning second thread makes them many times slower on a busy two-core machine
    paths = [str(ROOT), os.environ.get("PYTHONPATH", "")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in paths if p))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as error:
        message = ANSI_COLOURS.sub("", str(error))
        pytest.fail(f"{path.name}: a cell raised\n{message}", pytrace=False)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_committed_without_outputs(path):
    # outputs make every re-run a large diff; the test run above regenerates them anyway
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    with_outputs = [
        i
        for i, cell in enumerate(cells)
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert not with_outputs, (
        f"{path.name}: cells {with_outputs} have outputs or execution counts; clear them "
        "(Jupyter: Edit > Clear Outputs of All Cells) before committing"
    )
