"""A SIGINT at any moment of `train` writing its run folder leaves the old complete run or the
new complete run, and `predict` works on what remains."""

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from autograd_core.cli import main

ROOT = Path(__file__).resolve().parents[1]
pytest.importorskip("matplotlib")

# A process that imports the library once, then for each line "STOP_AT STDERR ARGS..." on its
# stdin forks a child running `train ARGS`. The child prints "pid N", then "step NAME" before
# each write of the run folder; step number STOP_AT waits 2 s first, for the test to interrupt
# it there. The server prints "exit CODE" when the child ends. The hook lives here only.
_TRAIN_SERVER = textwrap.dedent(
    """
    import os, pathlib, signal, sys, time

    import matplotlib.figure

    import autograd_core.training as training
    from autograd_core import atomic
    from autograd_core.cli import main

    stop_at, steps = [-1], [0]

    def slowed(name, original):
        def call(*args, **kwargs):
            print(f"step {name}", flush=True)
            if steps[0] == stop_at[0]:
                time.sleep(2)
            steps[0] += 1
            return original(*args, **kwargs)
        return call

    atomic.write_atomically = slowed("safetensors", atomic.write_atomically)
    pathlib.Path.write_text = slowed("write_text", pathlib.Path.write_text)
    pathlib.Path.write_bytes = slowed("write_bytes", pathlib.Path.write_bytes)
    matplotlib.figure.Figure.savefig = slowed("savefig", matplotlib.figure.Figure.savefig)
    os.rename = slowed("rename", os.rename)
    training.fit = slowed("fit", training.fit)

    for line in sys.stdin:
        first, stderr, *argv = line.split()
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            # a shell may start background jobs with SIGINT ignored; Python's handler, here
            signal.signal(signal.SIGINT, signal.default_int_handler)
            fd = os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fd, 2)
            stop_at[0] = int(first)
            print(f"pid {os.getpid()}", flush=True)
            code = main(argv)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        print(f"exit {os.waitstatus_to_exitcode(status)}", flush=True)
    """
)


class _Trainer:
    def __init__(self, tmp_path):
        self.stderr = tmp_path / "stderr.txt"
        self.process = subprocess.Popen(
            [sys.executable, "-c", _TRAIN_SERVER],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def train(self, out, seed, stop_at=-1):
        """(exit code, the steps seen, stderr), interrupting the child at step `stop_at`."""
        argv = f"train --data moons --epochs 1 --no-progress --seed {seed} --out {out}"
        self.process.stdin.write(f"{stop_at} {self.stderr} {argv}\n")
        self.process.stdin.flush()
        pid, steps = None, []
        for line in self.process.stdout:
            word, _, value = line.strip().partition(" ")
            if word == "pid":
                pid = int(value)
            elif word == "step":
                steps.append(value)
                if len(steps) == stop_at + 1:
                    os.kill(pid, signal.SIGINT)
            elif word == "exit":
                return int(value), steps, self.stderr.read_text()

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


def _run_files(out):
    """What identifies a run: its file names, weights and history (config.json holds the
    training time, which differs from run to run)."""
    return (
        sorted(p.name for p in out.iterdir()),
        (out / "model.safetensors").read_bytes(),
        (out / "history.json").read_text(),
    )


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="the test's server forks")
def test_sigint_while_writing_leaves_one_complete_run(tmp_path, capsys):
    parent, old = tmp_path / "runs", tmp_path / "old"
    out = parent / "moons"
    trainer = _Trainer(tmp_path)
    try:
        # the runs as they are when nothing interrupts them, and the steps of writing one
        reference = {}
        for seed, folder in ((1, old), (2, out)):
            code, steps, err = trainer.train(folder, seed)
            assert code == 0, err
            reference[seed] = _run_files(folder)
        assert steps[0] == "fit" and steps[-1] == "rename"
        outcomes = []
        for stop_at in range(len(steps) + 1):  # the extra one: the rename of the old run aside
            shutil.rmtree(out)
            shutil.copytree(old, out)  # the old complete run, seed 1
            code, seen, err = trainer.train(out, 2, stop_at)
            where = f"interrupted at step {stop_at} ({seen[stop_at]})"
            assert code == 130, (where, err)
            assert err.strip().splitlines()[-1] == "error: interrupted", where
            seed = json.loads((out / "config.json").read_text())["args"]["seed"]
            assert _run_files(out) == reference[seed], f"a mixed run, {where}"
            assert sorted(p.name for p in parent.iterdir()) == ["moons"], where
            assert main(["predict", "--checkpoint", str(out)]) == 0, where
            assert "held-out accuracy" in capsys.readouterr().out
            outcomes.append(seed)
    finally:
        trainer.close()
    # interrupted while training or writing: the old run; at either rename: the new one
    assert seen[-2:] == ["rename", "rename"]
    assert outcomes == [1] * (len(outcomes) - 2) + [2, 2]
