"""Data-parallel cost on this machine: the all-reduce of our wrapper against raw mpi4py, and a
DistributedDataParallel step on 2 ranks against one process, with the share of communication
that backward hides.

Run directly (`python benchmarks/bench_distributed.py`): it measures the one-process step, then
starts itself on 2 ranks with the venv's mpiexec. Needs the `[distributed]` extra.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
RANKS = 2
BATCH = 128  # the whole batch; each rank takes BATCH // RANKS
SIZES = (784, 1024, 1024, 10)


def _model():
    import nn

    layers = []
    for a, b in zip(SIZES, SIZES[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


def _batch(n):
    import autograd_core as ag

    return ag.randn(n, SIZES[0]), ag.randint(0, SIZES[-1], (n,))


def _step_fn(model, x, y):
    import nn
    import optim

    loss_fn, opt = nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.01)

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    return step


def _median_seconds(fn, repeats, barrier=None):
    fn()
    times = []
    for _ in range(repeats):
        if barrier is not None:
            barrier()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def one_process_step() -> float:
    import autograd_core as ag

    ag.manual_seed(0)
    return _median_seconds(_step_fn(_model(), *_batch(BATCH)), repeats=15)


def launch():
    from common import environment_line

    if importlib_missing("mpi4py"):
        print("mpi4py is not installed (pip install 'autograd-core[distributed]'): skipped")
        return
    # one BLAS thread in every process: the one-process figure is one core's, as each rank's
    env = dict(os.environ, OMP_NUM_THREADS="1")
    single = subprocess.run(
        [sys.executable, __file__, "--one-process"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    ).stdout.strip()
    env["BENCH_ONE_PROCESS_STEP"] = single
    mpiexec = Path(sys.executable).parent / "mpiexec"
    print(environment_line(), "(each rank: OMP_NUM_THREADS=1)", flush=True)
    command = [str(mpiexec), "--allow-run-as-root", "--oversubscribe", "-n", str(RANKS)]
    subprocess.run(command + [sys.executable, __file__, "--rank"], env=env, check=True, timeout=600)


def importlib_missing(name) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is None


def allreduce_bandwidth():
    from mpi4py import MPI

    import autograd_core as ag
    import autograd_core.distributed as dist

    comm = MPI.COMM_WORLD
    for megabytes, repeats in ((1, 60), (100, 7)):
        n = megabytes * 1024 * 1024 // 4
        ours = ag.ones(n)
        raw = np.ones(n, dtype=np.float32)
        contenders = {
            "raw mpi4py Allreduce": lambda raw=raw: comm.Allreduce(MPI.IN_PLACE, raw, op=MPI.SUM),
            "ours all_reduce": lambda ours=ours: dist.all_reduce(ours),
        }
        medians = {name: [] for name in contenders}
        for _ in range(3):  # alternate, so that drift hits both alike
            for name, fn in contenders.items():
                medians[name].append(_median_seconds(fn, repeats, comm.Barrier))
        medians = {name: statistics.median(ts) for name, ts in medians.items()}
        if dist.get_rank() == 0:
            raw_s, ours_s = medians["raw mpi4py Allreduce"], medians["ours all_reduce"]
            print(
                f"  all_reduce {megabytes:>3} MB float32: raw {raw_s * 1e3:8.2f} ms "
                f"({megabytes / raw_s / 1024:.2f} GB/s), ours {ours_s * 1e3:8.2f} ms "
                f"({megabytes / ours_s / 1024:.2f} GB/s)   ours / raw = {raw_s / ours_s:.2f}x "
                "(goal >= 0.95)",
                flush=True,
            )


def ddp_step():
    import autograd_core as ag
    import autograd_core.distributed as dist
    import nn

    rank, share = dist.get_rank(), BATCH // RANKS
    ag.manual_seed(0)
    x, y = _batch(share)
    plain = _model()
    local = _median_seconds(_step_fn(plain, x, y), 15, dist.barrier)
    # the same gradients all-reduced after backward, blocking: communication none hides
    grads = [ag.zeros_like(p) for p in plain.parameters()]
    flat = ag.zeros(sum(g.numel() for g in grads))
    comm = _median_seconds(lambda: dist.all_reduce(flat), 15, dist.barrier)
    ddp = nn.parallel.DistributedDataParallel(_model())
    overlapped = _median_seconds(_step_fn(ddp, x, y), 15, dist.barrier)
    if rank == 0:
        single = float(os.environ["BENCH_ONE_PROCESS_STEP"])
        exposed = max(overlapped - local, 0.0)
        hidden = min(max(1.0 - exposed / comm, 0.0), 1.0) if comm > 0 else 1.0
        buckets = len(ddp._reducer.buckets)
        print(f"\n  MLP {'-'.join(map(str, SIZES))}, SGD step, float32, whole batch {BATCH}")
        print(
            f"  one process, batch {BATCH}:          {single * 1e3:8.2f} ms (one core, as a rank)"
        )
        print(f"  {RANKS} ranks, batch {share} each, no DDP:  {local * 1e3:8.2f} ms")
        print(
            f"  {RANKS} ranks, DDP ({buckets} buckets):          {overlapped * 1e3:8.2f} ms   "
            f"one process / DDP = {single / overlapped:.2f}x"
        )
        print(
            f"  all-reduce of all gradients alone:  {comm * 1e3:8.2f} ms; DDP adds "
            f"{exposed * 1e3:.2f} ms to the step: {hidden:.0%} of communication hidden "
            "behind backward"
        )


def main_rank():
    import autograd_core.distributed as dist

    dist.init_process_group("mpi")
    if dist.get_rank() == 0:
        print(f"\nall-reduce on {RANKS} ranks (median per call)", flush=True)
    allreduce_bandwidth()
    ddp_step()
    dist.destroy_process_group()


if __name__ == "__main__":
    if "--rank" in sys.argv:
        main_rank()
    elif "--one-process" in sys.argv:
        print(repr(one_process_step()))
    else:
        launch()
