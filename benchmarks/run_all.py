"""Run every CPU benchmark in turn (and the GPU one, which skips without a GPU)."""

import runpy
from pathlib import Path

HERE = Path(__file__).resolve().parent

BENCHMARKS = (
    "bench_engine.py",
    "bench_training.py",
    "train_lenet_mnist.py",
    "bench_gpu.py",
    "bench_distributed.py",  # starts itself on 2 ranks with mpiexec
)
for name in BENCHMARKS:
    print(f"\n===== {name} =====", flush=True)
    runpy.run_path(str(HERE / name), run_name="__main__")
