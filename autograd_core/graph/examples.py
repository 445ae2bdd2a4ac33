"""The README's pictures: `python -m autograd_core.graph.examples OUTDIR` writes them as SVG.

neuron.svg            the course's sigmoid neuron, values and gradients after backward
three_layer_*.svg     the backprop lecture's 3-layer, 1-neuron network, forward and backward
lenet.svg             a LeNet on 8x8 digits, one box per module
neuron_backward_*.svg the neuron's backward pass, step by step
"""

from __future__ import annotations

import sys
from pathlib import Path

from .. import Tape, float64, manual_seed, randn, sigmoid, tensor
from .draw import draw_graph
from .frames import backward_frames, save_frames

NEURON_OUTPUT = 0.5664790559676278


def sigmoid_neuron(tape=None):
    """y = sigmoid(w . x + b) with w = (0.55, -0.35), x = (0.5, 0.45), b = 0.15."""
    w = tensor([0.55, -0.35], dtype=float64, requires_grad=True)
    x = tensor([0.5, 0.45], dtype=float64)
    b = tensor(0.15, dtype=float64, requires_grad=True)
    for t, name in ((w, "w"), (x, "x"), (b, "b")):
        t.name = name
    y = sigmoid(w @ x + b)
    y.name = "y"
    return y, {"w": w, "x": x, "b": b}


def three_layer_network(x=1.5, y=1.0):
    """Three layers of one neuron (sigmoid, sigmoid, identity), loss 1/2 (y_hat - y)^2."""
    weights = {1: 0.8, 2: -1.2, 3: 2.0}
    biases = {1: -0.4, 2: 0.3, 3: 0.5}
    a = tensor(x, dtype=float64)
    a.name = "x"
    for layer in (1, 2, 3):
        w = tensor(weights[layer], dtype=float64, requires_grad=True)
        b = tensor(biases[layer], dtype=float64, requires_grad=True)
        w.name, b.name = f"w{layer}", f"b{layer}"
        z = w * a + b
        z.name = f"z{layer}"
        a = sigmoid(z) if layer < 3 else z
        if layer < 3:
            a.name = f"a{layer}"
    loss = 0.5 * (a - y) ** 2
    loss.name = "L"
    return loss


def lenet_loss():
    """The zoo's LeNet on a batch of two random 8x8 digits, with its cross-entropy loss."""
    import nn

    from ..models import lenet

    manual_seed(0)
    model = lenet(in_channels=1, num_classes=10, image_size=8)
    images = randn(2, 1, 8, 8, requires_grad=True)  # so the drawing starts at the images
    labels = tensor([3, 7])
    loss = nn.CrossEntropyLoss()(model(images), labels)
    return loss, model, images


def write_examples(out_dir) -> list[Path]:
    """Write every example picture into `out_dir`; returns the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []

    def save(drawing, name):
        path = out / f"{name}.svg"
        path.write_bytes(drawing.pipe(format="svg"))
        written.append(path)

    with Tape() as tape:
        y, _ = sigmoid_neuron()
    if abs(y.item() - NEURON_OUTPUT) > 1e-15:
        raise AssertionError(f"the sigmoid neuron gives {y.item()!r}, expected {NEURON_OUTPUT}")
    y.backward()
    save(draw_graph(y, tape=tape, title="sigmoid neuron after backward()"), "neuron")

    with Tape() as tape:
        loss = three_layer_network()
    save(draw_graph(loss, tape=tape, show_grads=False, show_shapes=False), "three_layer_forward")
    loss.backward()
    backward = draw_graph(loss, tape=tape, direction="backward", show_shapes=False)
    save(backward, "three_layer_backward")

    loss, model, images = lenet_loss()
    save(
        draw_graph(
            loss, model=model, names={images: "images"}, collapse_modules=True, rankdir="TB"
        ),
        "lenet",
    )

    y, _ = sigmoid_neuron()
    frames = backward_frames(y)
    written += save_frames(frames, out, format="svg", prefix="neuron_backward")
    return written


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m autograd_core.graph.examples OUTDIR", file=sys.stderr)
        return 2
    for path in write_examples(argv[0]):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
