"""A training run's folder, replaced whole: the new run is written into a temporary sibling
folder and swapped in, so an interruption at any moment leaves the old complete run or the
new complete run, never a mix."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
import uuid
from pathlib import Path

from ..atomic import sync_folder

# what `train` writes (and `export` adds); a folder holding anything else is not replaced
RUN_FILES = frozenset(
    {
        "model.safetensors",
        "config.json",
        "history.json",
        "curves.png",
        "confusion_matrix.png",
        "filters.png",
        "decision_boundary.png",
        "graph.svg",
        "model.onnx",
    }
)


def check_writable(out: Path) -> None:
    """Raise OSError or ValueError, with a message for the user, unless a run can later be
    swapped in at `out`: checked before training, so that no training is thrown away."""
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} is a file, not a folder")
    if out.is_dir():
        foreign = sorted(p.name for p in out.iterdir() if p.name not in RUN_FILES or p.is_dir())
        if foreign:
            shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
            raise ValueError(
                f"--out {out} holds files that are not part of a run ({shown}); a new run "
                "replaces its folder whole, so give a new or empty folder or an earlier run's"
            )
        if not os.access(out, os.W_OK):
            raise ValueError(f"--out {out} is read-only")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        probe = tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.probe-")
    except OSError as e:
        raise ValueError(f"--out {out} cannot be written: {e.strerror or e}") from None
    os.rmdir(probe)


@contextlib.contextmanager
def replacing(out: Path):
    """Yield a new empty folder beside `out`; when the block ends without an error, it
    becomes `out` (the earlier run there is removed). On any error, KeyboardInterrupt
    included, the new folder is removed and `out` is as it was."""
    new = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.new-"))
    try:
        yield new
        _sync_files(new)
        _swap_in(new, out)
    finally:
        shutil.rmtree(new, ignore_errors=True)  # gone already after a swap


def _swap_in(new: Path, out: Path) -> None:
    aside = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:12]}"
    swapped = False
    try:
        # between the two renames there is no run at `out`: interrupts wait until both are done
        with _interrupts_deferred():
            had_old = out.exists()
            if had_old:
                os.rename(out, aside)
            try:
                os.rename(new, out)
            except OSError:
                if had_old:
                    os.rename(aside, out)
                raise
            swapped = True
            sync_folder(out.parent)
    finally:
        if swapped:  # also when an interrupt held back above is raised as the block ends
            shutil.rmtree(aside, ignore_errors=True)


def _sync_files(folder: Path) -> None:
    # the bytes reach the disk before the rename, so a crash, too, leaves one whole run
    for path in folder.iterdir():
        if path.is_file():
            with open(path, "rb") as f:
                os.fsync(f.fileno())
    sync_folder(folder)


@contextlib.contextmanager
def _interrupts_deferred():
    """Hold SIGINT and SIGTERM back until the block ends, then act on them as before.

    Python runs signal handlers in the main thread only, so a handler that just records the
    signal defers it whichever thread the OS delivered it to (a thread's signal mask would
    not: NumPy's BLAS threads can receive a SIGINT the main thread blocks)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # interrupts are raised in the main thread, never in this one
        return
    held = []
    kinds = (signal.SIGINT, signal.SIGTERM)
    previous = {
        kind: signal.signal(kind, lambda signum, frame: held.append(signum)) for kind in kinds
    }
    try:
        yield
    finally:
        for kind, handler in previous.items():
            signal.signal(kind, handler if handler is not None else signal.SIG_DFL)
        for signum in held:
            handler = previous[signum]
            if callable(handler):
                handler(signum, None)  # SIGINT's default handler raises KeyboardInterrupt
            elif handler in (signal.SIG_DFL, None):
                os.kill(os.getpid(), signum)
