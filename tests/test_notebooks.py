"""Run every lesson notebook in notebooks/ and its French edition in notebooks/fr/ from a fresh
kernel (a cell that raises fails it), and check that the French edition is up to date."""

import importlib
import importlib.util
import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
FRENCH_DIR = NOTEBOOK_DIR / "fr"
LESSONS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
NOTEBOOKS = LESSONS + sorted(FRENCH_DIR.glob("*.ipynb"))
IDS = [str(p.relative_to(NOTEBOOK_DIR)) for p in NOTEBOOKS]
ANSI_COLOURS = re.compile(r"\x1b\[[0-9;]*m")


def _runner_module(name):
    """nbclient and friends come with the dev extras: in CI a missing one is an error, not a
    skip that would let every lesson pass unseen."""
    if os.environ.get("CI"):
        return importlib.import_module(name)
    return pytest.importorskip(name)


def _build_french():
    spec = importlib.util.spec_from_file_location("build_french", NOTEBOOK_DIR / "build_french.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_ten_lessons_are_collected():
    names = [p.name for p in LESSONS]
    assert len(LESSONS) >= 10, f"expected the ten lessons in {NOTEBOOK_DIR}, found {names}"
    french = [p.name for p in FRENCH_DIR.glob("*.ipynb")]
    assert set(names[:10]) <= set(french), (
        f"the French edition lacks {set(names[:10]) - set(french)}"
    )


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_every_markdown_cell_has_its_french(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    missing = _build_french().missing_french(notebook)
    assert not missing, (
        f"{path.name}: markdown cells {missing} have no non-empty 'fr' text in their metadata "
        "(the French edition is built from it: notebooks/build_french.py)"
    )


def test_the_french_edition_is_what_the_build_script_writes():
    built, _ = _build_french().expected_files(NOTEBOOK_DIR)
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in FRENCH_DIR.glob("*.ipynb")}
    stale = sorted(name for name in built if on_disk.get(name) != built[name])
    extra = sorted(set(on_disk) - set(built))
    assert not stale and not extra, (
        f"notebooks/fr/ is out of date (differs: {stale}, no English source: {extra}); "
        "run `.venv/bin/python notebooks/build_french.py` and commit notebooks/fr/"
    )


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
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as error:
        message = ANSI_COLOURS.sub("", str(error))
        name = path.relative_to(NOTEBOOK_DIR)
        pytest.fail(f"{name}: a cell raised\n{message}", pytrace=False)


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
