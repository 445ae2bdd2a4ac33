"""Write the French edition, notebooks/fr/NN_*.ipynb, from the English lessons NN_*.ipynb.

One source for both languages, so that they cannot drift: each markdown cell of a lesson holds
its French text in its metadata under "fr"; code cells are shared. The French notebook has the
French markdown, the same code cells and no outputs. Run from anywhere:

    .venv/bin/python notebooks/build_french.py

A lesson with a markdown cell that has no French yet is not written; the script names the
cells and exits with status 1 (tests/test_notebooks.py checks the same).
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FRENCH_DIR = HERE / "fr"
LESSON_PATTERN = "[0-9][0-9]_*.ipynb"


def lessons(folder: Path = HERE) -> list[Path]:
    """The English lessons, in order."""
    return sorted(folder.glob(LESSON_PATTERN))


def missing_french(notebook: dict) -> list[int]:
    """Indices of the markdown cells without a non-empty French text."""
    return [
        i
        for i, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "markdown"
        and not (isinstance(cell["metadata"].get("fr"), str) and cell["metadata"]["fr"].strip())
    ]


def _lines(text: str) -> list[str]:
    # nbformat's way: a list of lines, each but the last ending with its newline
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def french_notebook(notebook: dict) -> dict:
    """The French edition of one lesson (ValueError when a markdown cell lacks "fr")."""
    missing = missing_french(notebook)
    if missing:
        raise ValueError(f"markdown cells {missing} have no 'fr' text in their metadata")
    french = copy.deepcopy(notebook)
    for cell in french["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = _lines(cell["metadata"].pop("fr"))
        elif cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return french


def dumps(notebook: dict) -> str:
    """The text of a notebook file as Jupyter writes it."""
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def expected_files(folder: Path = HERE) -> tuple[dict, dict]:
    """({French file name: text} for the complete lessons, {lesson name: missing cells})."""
    built, incomplete = {}, {}
    for path in lessons(folder):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        missing = missing_french(notebook)
        if missing:
            incomplete[path.name] = missing
        else:
            built[path.name] = dumps(french_notebook(notebook))
    return built, incomplete


def main() -> int:
    built, incomplete = expected_files()
    FRENCH_DIR.mkdir(exist_ok=True)
    for stale in FRENCH_DIR.glob(LESSON_PATTERN):
        if stale.name not in built:
            stale.unlink()
    for name, text in built.items():
        (FRENCH_DIR / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(built)} French notebooks to {FRENCH_DIR}")
    for name, cells in incomplete.items():
        print(f"{name}: markdown cells {cells} have no 'fr' text; not written", file=sys.stderr)
    return 1 if incomplete else 0


if __name__ == "__main__":
    sys.exit(main())
