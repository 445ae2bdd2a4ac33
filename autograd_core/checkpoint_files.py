"""Where `save` writes and `load` reads: a path (replaced atomically) or a binary file object."""

from __future__ import annotations

import io
import os

from .atomic import write_bytes_atomically


def is_path(f) -> bool:
    return isinstance(f, (str, os.PathLike))


def describe(f) -> str:
    """The file's name in messages: the path, a file object's own name, else its type."""
    if is_path(f):
        return os.fspath(f)
    name = getattr(f, "name", None)
    return name if isinstance(name, str) else f"<{type(f).__name__}>"


def check_file_object(f, op: str, method: str) -> None:
    """A path, or an object with `method` ('write' or 'read') that is not a text stream."""
    if is_path(f):
        return
    if not callable(getattr(f, method, None)):
        hint = " (wrap bytes in io.BytesIO)" if isinstance(f, (bytes, bytearray)) else ""
        raise TypeError(
            f"{op}: f must be a path or a binary file object with {method}(), "
            f"got {type(f).__name__}{hint}"
        )
    mode = getattr(f, "mode", None)
    if isinstance(f, io.TextIOBase) or (isinstance(mode, str) and "b" not in mode):
        opened = f"mode {mode!r}" if isinstance(mode, str) else f"a {type(f).__name__}"
        example = "open(path, 'wb')" if method == "write" else "open(path, 'rb')"
        raise TypeError(
            f"{op}: {describe(f)} is open in text mode ({opened}); a checkpoint is bytes: "
            f"open the file in binary mode, e.g. {example}, or use io.BytesIO"
        )


def write_checkpoint(f, data: bytes) -> None:
    """Write `data` to a path atomically, or to a file object at its position in one go
    (a seekable file is not needed; closing or flushing it is the caller's)."""
    if is_path(f):
        write_bytes_atomically(f, data)
        return
    written = f.write(data)
    # a raw (unbuffered) file may take fewer bytes than given; None from a duck-typed
    # writer means it took them all
    view = memoryview(data)
    while written is not None and written < len(view):
        view = view[written:]
        written = f.write(view)


def read_checkpoint(f) -> bytes:
    """All the bytes of a path, or of a file object from its position to its end."""
    if is_path(f):
        with open(f, "rb") as file:
            return file.read()  # one read: one version of the file, whoever replaces it
    blob = f.read()
    if isinstance(blob, str):
        raise TypeError(
            f"load: {describe(f)} returned text from read(); a checkpoint is bytes: open the "
            "file in binary mode, e.g. open(path, 'rb')"
        )
    if blob is None:  # a non-blocking stream with nothing ready
        raise ValueError(f"load: {describe(f)} had no bytes ready to read (non-blocking stream)")
    return bytes(blob)
