"""Train a LeNet-style CNN and a ResNet-style block network on the real MNIST test images
(../shared/data/mnist): the first 8,000 for training, the last 2,000 held out. Prints time and
held-out accuracy of each (the LeNet should pass 97%)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import autograd_core as ag  # noqa: E402
import nn  # noqa: E402
import optim  # noqa: E402
from autograd_core.data import DataLoader, TensorDataset, load_mnist_arrays  # noqa: E402


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10),
    )  # fmt: skip


class ResidualBlock(nn.Module):
    """conv-bn-relu-conv-bn plus the identity shortcut, then relu."""

    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        out = self.bn1(self.conv1(x)).relu()
        out = self.bn2(self.conv2(out))
        return (out + x).relu()


def resnet_block_net():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
        nn.MaxPool2d(2), ResidualBlock(16), nn.MaxPool2d(2), ResidualBlock(16),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10),
    )  # fmt: skip


def train(name, model, train_loader, x_test, y_test, epochs, lr):
    opt = optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    start = time.perf_counter()
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
        model.eval()
        with ag.no_grad():
            predicted = model(x_test).argmax(dim=1)
        accuracy = (predicted == y_test).float().mean().item()
        print(f"  {name} epoch {epoch + 1}: loss {loss.item():.3f}, held-out {accuracy:.2%}")
    print(f"{name}: held-out accuracy {accuracy:.2%} in {time.perf_counter() - start:.1f} s")
    return accuracy


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", default=str(ROOT.parent / "shared" / "data" / "mnist"))
    parser.add_argument("--epochs", type=int, default=4)
    args = parser.parse_args()
    images, labels = load_mnist_arrays(args.root, train=False)
    x = ag.tensor(images[:, None].astype("float32") / 255.0)
    x = (x - 0.1307) / 0.3081
    y = ag.tensor(labels.astype("int64"))
    ag.manual_seed(0)
    loader = DataLoader(TensorDataset(x[:8000], y[:8000]), batch_size=64, shuffle=True)
    train("LeNet", lenet(), loader, x[8000:], y[8000:], args.epochs, 2e-3)
    train("ResNet-block net", resnet_block_net(), loader, x[8000:], y[8000:], 2, 3e-3)


if __name__ == "__main__":
    main()
