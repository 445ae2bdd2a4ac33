"""Engine overhead: 1,000 tiny ops with backward, a 10,000-op scalar chain, and a
micrograd-style scalar MLP, each against PyTorch's CPU build and micrograd when installed."""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

import autograd_core as ag  # noqa: E402
from benchmarks.common import alternate, environment_line, optional, report  # noqa: E402

torch = optional("torch")
micrograd = optional("micrograd.engine")


def tiny_ops(lib):
    """250 rounds of (y * 0.5 + 1).tanh() - y on a 4x4 tensor: 1,000 ops, then backward."""
    x = lib.ones((4, 4), requires_grad=True) if lib is ag else torch.ones(4, 4, requires_grad=True)
    y = x
    for _ in range(250):
        y = (y * 0.5 + 1.0).tanh() - y
    y.sum().backward()


def tiny_ops_numpy():
    """The same maths by hand in NumPy, forward and backward."""
    x = np.ones((4, 4), np.float32)
    ys, ts = [x], []
    y = x
    for _ in range(250):
        t = np.tanh(y * np.float32(0.5) + np.float32(1.0))
        ts.append(t)
        y = t - y
        ys.append(y)
    g = np.ones_like(y)
    for t in reversed(ts):
        g = g * (1 - t * t) * np.float32(0.5) - g


def chain(make, n=10_000):
    x = make(1.0)
    y = x
    for _ in range(n):
        y = y * 1.0001
    y.backward()


def scalar_mlp(make, activation):
    """A 2-16-16-1 ReLU MLP of scalar tensors over 50 samples (micrograd's own MLP), squared
    loss, forward and backward."""
    rng = random.Random(0)

    def neuron(n):
        return [make(rng.uniform(-1, 1)) for _ in range(n)], make(0.0)

    layers = [[neuron(2) for _ in range(16)], [neuron(16) for _ in range(16)], [neuron(16)]]
    loss = None
    for _ in range(50):
        a = [rng.uniform(-1, 1), rng.uniform(-1, 1)]
        for depth, layer in enumerate(layers):
            out = []
            for w, b in layer:
                s = b
                for wi, ai in zip(w, a):
                    s = s + wi * ai
                out.append(activation(s) if depth < 2 else s)
            a = out
        loss = a[0] * a[0] if loss is None else loss + a[0] * a[0]
    loss.backward()


def main():
    print("engine benchmarks,", environment_line())
    ours_make = lambda v: ag.tensor(v, requires_grad=True)  # noqa: E731

    contenders = {"autograd_core": lambda: tiny_ops(ag), "numpy by hand": tiny_ops_numpy}
    if torch:
        contenders["pytorch"] = lambda: tiny_ops(torch)
    report("1,000 elementwise ops on 4x4, forward + backward", alternate(contenders, 21))

    contenders = {"autograd_core": lambda: chain(ours_make)}
    if torch:
        contenders["pytorch"] = lambda: chain(lambda v: torch.tensor(v, requires_grad=True))
    report("chain of 10,000 scalar ops + backward", alternate(contenders, 9))
    if micrograd:
        try:
            chain(micrograd.Value)
        except RecursionError:
            print("  micrograd        RecursionError (its backward recurses once per node)")

    contenders = {"autograd_core": lambda: scalar_mlp(ours_make, ag.relu)}
    if torch:
        contenders["pytorch"] = lambda: scalar_mlp(
            lambda v: torch.tensor(v, requires_grad=True), torch.relu
        )
    if micrograd:
        contenders["micrograd"] = lambda: scalar_mlp(micrograd.Value, lambda v: v.relu())
    report("scalar MLP 2-16-16-1 over 50 samples (about 32k nodes)", alternate(contenders, 5, 1))
    if not torch or not micrograd:
        print("\n(install torch==2.13.0 and micrograd for the reference columns)")


if __name__ == "__main__":
    main()
