"""Timing helpers shared by the benchmarks: alternate the contenders, report medians and ratios."""

from __future__ import annotations

import gc
import importlib
import os
import statistics
import time


def optional(module: str):
    """Import a reference library if it is installed, else None."""
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def alternate(contenders: dict, repeats: int = 15, warmup: int = 2) -> dict:
    """Run each contender in turn, `repeats` rounds, and return its median seconds.

    Alternating in one process keeps the machine's drift (up to 25% here) out of the ratios.
    """
    for fn in contenders.values():
        for _ in range(warmup):
            fn()
    times = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, fn in contenders.items():
            gc.collect()
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def report(title: str, medians: dict, ours: str = "autograd_core", unit: float = 1e3, suffix="ms"):
    """Print one table: each contender's median and its ratio to ours (>1: ours is faster)."""
    print(f"\n{title}")
    base = medians[ours]
    for name, seconds in medians.items():
        ratio = "" if name == ours else f"   ours / {name} = {base / seconds:.2f}x"
        print(f"  {name:<16} {seconds * unit:10.2f} {suffix}{ratio}")


def environment_line() -> str:
    trim = os.environ.get("MALLOC_TRIM_THRESHOLD_", "unset")
    threads = os.environ.get("OMP_NUM_THREADS", "default")
    return f"MALLOC_TRIM_THRESHOLD_={trim}, OMP_NUM_THREADS={threads}, cores={os.cpu_count()}"
