"""Package-level rules: nn and optim stay independent, imports are quiet and light."""

import ast
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _imported_modules(package):
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, alias.name
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path, node.module


def test_nn_and_optim_do_not_import_each_other():
    for package, other in (("nn", "optim"), ("optim", "nn")):
        for path, module in _imported_modules(package):
            assert module.split(".")[0] != other, f"{path} imports {module}"


def test_only_the_backend_names_cupy():
    for path, module in _imported_modules("autograd_core"):
        if module.split(".")[0] in ("cupy", "cupyx"):
            assert path.name == "backend.py", f"{path} imports {module}"


def test_import_prints_nothing_and_loads_no_heavy_dependency():
    code = (
        "import sys, autograd_core\n"
        "names = ('matplotlib', 'graphviz', 'tqdm', 'cupy', 'sklearn')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
    assert out.stderr == ""
