"""Atomic file writes: a reader sees the old file or the new one whole, never a mix."""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading

_umask_lock = threading.Lock()
_umask: list[int] = []


def write_atomically(path, write) -> None:
    """Call `write(file)` on a new temporary file beside `path`, then rename it over `path`.

    Each call has its own temporary file, so concurrent writers of one path never mix their
    bytes: the last rename wins whole. The bytes reach the disk (flush and fsync) before the
    rename, so a crash leaves the old file or the new one. On any error, KeyboardInterrupt
    included, the temporary file is removed and `path` is left as it was.
    """
    path = os.path.abspath(os.fspath(path))
    folder, name = os.path.split(path)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would
        if hasattr(os, "fchmod"):
            os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    sync_folder(folder)


def write_bytes_atomically(path, data: bytes) -> None:
    write_atomically(path, lambda f: f.write(data))


def write_text_atomically(path, text: str) -> None:
    write_bytes_atomically(path, text.encode("utf-8"))


def sync_folder(folder) -> None:
    """fsync a folder so that a rename inside it survives a crash (a no-op where folders
    cannot be opened, as on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _mode_for(path) -> int:
    try:
        return os.stat(path).st_mode & 0o7777  # replacing a file keeps its permissions
    except FileNotFoundError:
        return 0o666 & ~_current_umask()


def _current_umask() -> int:
    # the umask can only be read by setting it; do that once, under a lock
    with _umask_lock:
        if not _umask:
            mask = os.umask(0o022)
            os.umask(mask)
            _umask.append(mask)
        return _umask[0]
