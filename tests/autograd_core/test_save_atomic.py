"""`ag.save` is atomic: concurrent writers of one path never leave a mixed file, and a failed
save leaves the earlier file as it was, with no temporary file beside it."""

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import atomic

ROOT = Path(__file__).resolve().parents[2]
N = 200_000  # 800 kB per tensor: long enough writes that unsynchronised writers interleave


def _content(k):
    return {"a": ag.full((N,), float(k)), "b": ag.full((N,), float(k)), "k": k}


def _assert_whole(path, writers):
    loaded = ag.load(path)
    k = loaded["k"]
    assert k in writers
    for key in ("a", "b"):
        values = loaded[key].numpy()
        assert values.shape == (N,)
        assert (values == k).all(), f"{key} mixes the contents of several writers"


def _leftovers(folder, keep):
    return sorted(p.name for p in Path(folder).iterdir() if p.name != keep)


def test_concurrent_threads_never_mix_files(tmp_path):
    path = tmp_path / "shared.safetensors"
    errors = []
    for round_ in range(40):
        writers = (2 * round_, 2 * round_ + 1)
        start = threading.Barrier(len(writers))

        def write(k, start=start):
            try:
                start.wait()
                ag.save(_content(k), path)
            except BaseException as e:  # reported below: a writer must never fail
                errors.append(e)

        threads = [threading.Thread(target=write, args=(k,)) for k in writers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        _assert_whole(path, writers)
    assert _leftovers(tmp_path, path.name) == []


_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import autograd_core as ag

    path, go = sys.argv[1], Path(sys.argv[2])
    k, rounds, n = (int(a) for a in sys.argv[3:6])
    while not go.exists():
        time.sleep(0.001)
    for r in range(rounds):
        value = 1000 * k + r
        column = ag.full((n,), float(value))
        ag.save({"a": column, "b": column.clone(), "k": value}, path)
    """
)


def test_concurrent_processes_never_mix_files(tmp_path):
    path, go, rounds = tmp_path / "shared.safetensors", tmp_path / "go", 30
    ag.save(_content(-1), path)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), str(go), str(k), str(rounds), str(N)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in (1, 2)
    ]
    everything = {-1} | {1000 * k + r for k in (1, 2) for r in range(rounds)}
    go.touch()
    reads = 0
    while any(p.poll() is None for p in procs):
        _assert_whole(path, everything)  # a reader meanwhile sees one writer's file whole
        reads += 1
    for p in procs:
        _, err = p.communicate()
        assert p.returncode == 0, err
    _assert_whole(path, {1000 * k + rounds - 1 for k in (1, 2)})
    assert reads > 0
    assert _leftovers(tmp_path, path.name) == ["go"]


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch, failing):
    path = tmp_path / "model.safetensors"
    ag.save({"w": ag.ones(3)}, path)
    before = path.read_bytes()

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, disk_full)
    with pytest.raises(OSError, match="No space left on device"):
        ag.save({"w": ag.zeros(N)}, path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert _leftovers(tmp_path, path.name) == []


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("old")

    def interrupted(f):
        f.write(b"half of the new")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic.write_atomically(path, interrupted)
    assert path.read_text() == "old"
    assert _leftovers(tmp_path, path.name) == []


def test_a_save_that_cannot_encode_leaves_the_old_file(tmp_path):
    path = tmp_path / "model.safetensors"
    ag.save({"w": ag.ones(3)}, path)
    before = path.read_bytes()
    odd = ag.from_numpy(np.zeros(2, dtype=np.complex128))  # safetensors has no C128
    with pytest.raises(ValueError, match="entry 'odd' has dtype complex128"):
        ag.save({"w": ag.ones(3), "odd": odd}, path)
    assert path.read_bytes() == before
    assert _leftovers(tmp_path, path.name) == []


def test_a_new_file_gets_the_permissions_of_a_plain_open(tmp_path):
    ag.save(ag.ones(2), tmp_path / "a.safetensors")
    (tmp_path / "b").write_bytes(b"")
    assert (tmp_path / "a.safetensors").stat().st_mode == (tmp_path / "b").stat().st_mode


def test_replacing_a_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "a.safetensors"
    ag.save(ag.ones(2), path)
    path.chmod(0o640)
    ag.save(ag.zeros(2), path)
    assert path.stat().st_mode & 0o777 == 0o640
