"""GPU training steps against PyTorch's eager CUDA in the same run: an MLP 784-1024-1024-10
(batch 512), a LeNet (batch 256) and a ResNet-style block (batch 128, 64 channels, 32x32).

For each it also shows where the time goes: total per step, the time the GPU is busy (CUDA
events around the step), and the rest, which is Python and launch overhead. Skips cleanly
without CuPy or a GPU.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

import autograd_core as ag  # noqa: E402
import nn  # noqa: E402
import optim  # noqa: E402
from benchmarks.bench_training import ours_lenet, step_ours, step_torch, torch_lenet  # noqa: E402
from benchmarks.common import optional  # noqa: E402
from benchmarks.train_lenet_mnist import ResidualBlock  # noqa: E402

torch = optional("torch")


def ours_mlp_big():
    return nn.Sequential(
        nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10)
    )


def torch_mlp_big():
    t = torch.nn
    return t.Sequential(
        t.Linear(784, 1024), t.ReLU(), t.Linear(1024, 1024), t.ReLU(), t.Linear(1024, 10)
    )


def ours_block():
    return nn.Sequential(
        ResidualBlock(64), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10)
    )


def torch_block():
    t = torch.nn

    class Block(t.Module):
        def __init__(self, c):
            super().__init__()
            self.conv1 = t.Conv2d(c, c, 3, padding=1, bias=False)
            self.bn1 = t.BatchNorm2d(c)
            self.conv2 = t.Conv2d(c, c, 3, padding=1, bias=False)
            self.bn2 = t.BatchNorm2d(c)

        def forward(self, x):
            out = self.bn1(self.conv1(x)).relu()
            return (self.bn2(self.conv2(out)) + x).relu()

    return t.Sequential(Block(64), t.AdaptiveAvgPool2d(1), t.Flatten(), t.Linear(64, 10))


def time_steps(step, sync, events, repeats=30):
    """Median wall time and median GPU-busy time of one step."""
    for _ in range(3):
        step()
    sync()
    walls, busy = [], []
    for _ in range(repeats):
        start_event, end_event = events()
        start = time.perf_counter()
        start_event.record()
        step()
        end_event.record()
        end_event.synchronize()
        walls.append(time.perf_counter() - start)
        busy.append(_elapsed_ms(start_event, end_event) / 1e3)
    return statistics.median(walls), statistics.median(busy)


def _elapsed_ms(start, end):
    if hasattr(start, "elapsed_time"):
        return start.elapsed_time(end)
    import cupy

    return cupy.cuda.get_elapsed_time(start, end)


def run_case(title, shape, batch, ours_model, torch_model):
    import cupy

    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, *shape)).astype(np.float32)
    y = rng.integers(0, 10, batch)
    model = ours_model().to("cuda")
    ours = step_ours(model, ag.tensor(x, device="cuda"), ag.tensor(y, device="cuda"))
    rows = {
        "autograd_core": time_steps(
            ours, ag.cuda.synchronize, lambda: (cupy.cuda.Event(), cupy.cuda.Event())
        )
    }
    if torch is not None and torch.cuda.is_available():
        tm = torch_model().cuda()
        theirs = step_torch(tm, torch.tensor(x).cuda(), torch.tensor(y).cuda())
        make = lambda: (torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True))  # noqa: E731
        rows["pytorch eager"] = time_steps(theirs, torch.cuda.synchronize, make)
    print(f"\n{title}")
    base = rows["autograd_core"][0]
    for name, (wall, busy) in rows.items():
        ratio = "" if name == "autograd_core" else f"   ours / pytorch = {base / wall:.2f}x"
        print(
            f"  {name:<14} {wall * 1e3:8.2f} ms/step  GPU busy {busy * 1e3:7.2f} ms  "
            f"overhead (Python, launches) {max(wall - busy, 0) * 1e3:7.2f} ms{ratio}"
        )


def main():
    if not ag.cuda.is_available():
        print("bench_gpu: no CUDA GPU visible through CuPy; nothing to measure")
        return
    _ = optim  # the step builders use optim.SGD
    run_case("MLP 784-1024-1024-10 step, batch 512", (784,), 512, ours_mlp_big, torch_mlp_big)
    run_case("LeNet step, batch 256", (1, 28, 28), 256, ours_lenet, torch_lenet)
    run_case(
        "ResNet-style block step, batch 128, 64x32x32", (64, 32, 32), 128, ours_block, torch_block
    )


if __name__ == "__main__":
    main()
