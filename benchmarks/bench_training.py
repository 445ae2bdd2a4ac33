"""Training-step speed on the CPU: an MLP 784-256-128-10 step (batch 128), a LeNet step (batch
64, 1x28x28) and conv2d forward+backward alone, against PyTorch's CPU build (when installed)
and the same maths written by hand in NumPy. float32 throughout."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

import autograd_core as ag  # noqa: E402
import nn  # noqa: E402
import nn.functional as F  # noqa: E402
import optim  # noqa: E402
from benchmarks.common import alternate, environment_line, optional, report  # noqa: E402
from benchmarks.numpy_reference import NumpyLeNet, NumpyMLP, conv2d_numpy  # noqa: E402

torch = optional("torch")


def ours_mlp():
    return nn.Sequential(
        nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)
    )


def ours_lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10),
    )  # fmt: skip


def torch_mlp():
    tnn = torch.nn
    return tnn.Sequential(
        tnn.Linear(784, 256), tnn.ReLU(), tnn.Linear(256, 128), tnn.ReLU(), tnn.Linear(128, 10)
    )


def torch_lenet():
    tnn = torch.nn
    return tnn.Sequential(
        tnn.Conv2d(1, 6, 5, padding=2), tnn.ReLU(), tnn.MaxPool2d(2),
        tnn.Conv2d(6, 16, 5), tnn.ReLU(), tnn.MaxPool2d(2),
        tnn.Flatten(), tnn.Linear(16 * 5 * 5, 120), tnn.ReLU(), tnn.Linear(120, 84), tnn.ReLU(),
        tnn.Linear(84, 10),
    )  # fmt: skip


def step_ours(model, x, y):
    opt = optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    return step


def step_torch(model, x, y):
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    return step


def contenders_for(shape, batch, ours_model, torch_model, numpy_model):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, *shape)).astype(np.float32)
    y = rng.integers(0, 10, batch)
    contenders = {
        "autograd_core": step_ours(ours_model(), ag.tensor(x), ag.tensor(y)),
        "numpy by hand": numpy_model(x, y).step,
    }
    if torch:
        contenders["pytorch"] = step_torch(torch_model(), torch.tensor(x), torch.tensor(y))
    return contenders


def conv_contenders():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 6, 14, 14)).astype(np.float32)
    w = (rng.standard_normal((16, 6, 5, 5)) * 0.1).astype(np.float32)
    xt, wt = ag.tensor(x, requires_grad=True), ag.tensor(w, requires_grad=True)

    def ours():
        xt.grad = wt.grad = None
        F.conv2d(xt, wt).sum().backward()

    contenders = {"autograd_core": ours, "numpy by hand": lambda: conv2d_numpy(x, w)}
    if torch:
        xp, wp = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)

        def reference():
            xp.grad = wp.grad = None
            torch.nn.functional.conv2d(xp, wp).sum().backward()

        contenders["pytorch"] = reference
    return contenders


def main():
    print("training-step benchmarks,", environment_line())
    if torch:
        torch.set_num_threads(2)
    report(
        "MLP 784-256-128-10 step (forward + backward + SGD), batch 128",
        alternate(contenders_for((784,), 128, ours_mlp, torch_mlp, NumpyMLP), 41),
    )
    report(
        "LeNet step (forward + backward + SGD), batch 64 of 1x28x28",
        alternate(contenders_for((1, 28, 28), 64, ours_lenet, torch_lenet, NumpyLeNet), 15),
    )
    report("conv2d 64x6x14x14 * 16x6x5x5, forward + backward", alternate(conv_contenders(), 21))
    if not torch:
        print("\n(install torch==2.13.0 for the PyTorch column)")


if __name__ == "__main__":
    main()
