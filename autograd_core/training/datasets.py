"""The CLI's data sets as NumPy arrays with a fixed held-out part (`load_split`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DATASETS = ("digits", "mnist", "fashion-mnist", "cifar10", "moons", "spirals")
_FOLDERS = {"mnist": "mnist", "fashion-mnist": "fashion-mnist", "cifar10": "cifar10"}
_REPO = Path(__file__).resolve().parents[2]
HOLDOUT_FRACTION = 0.2
HOLDOUT_SEED = 0


@dataclass
class Split:
    """Training and held-out arrays: images float32 (N, C, H, W) or points (N, 2); int64 labels."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    classes: list
    notes: list = field(default_factory=list)

    @property
    def input_shape(self) -> tuple:
        return tuple(int(s) for s in self.x_train.shape[1:])

    @property
    def num_classes(self) -> int:
        return len(self.classes)


def holdout(x, y, fraction=HOLDOUT_FRACTION, seed=HOLDOUT_SEED):
    """A fixed, seeded split: `ceil(fraction * N)` random samples held out, the rest to train."""
    n = len(y)
    order = np.random.default_rng(seed).permutation(n)
    n_test = math.ceil(fraction * n)
    test, train = np.sort(order[:n_test]), np.sort(order[n_test:])
    return x[train], y[train], x[test], y[test]


def default_root(name: str) -> Path:
    """`../shared/data/<name>` (from the working folder or the repository) when present,
    else `data/<name>`."""
    folder = _FOLDERS[name]
    for base in (Path("..") / "shared" / "data", _REPO.parent / "shared" / "data"):
        if (base / folder).is_dir():
            return base / folder
    return Path("data") / folder


def load_split(name: str, data_root=None) -> Split:
    """Load data set `name`; RuntimeError / ValueError say what is missing or wrong."""
    if name == "digits":
        from ..data import load_digits

        x, y = load_digits()
        return Split(*holdout(x, y), classes=[str(i) for i in range(10)])
    if name in ("moons", "spirals"):
        from ..data import make_moons, make_spirals

        if name == "moons":
            x, y = make_moons(n_samples=1000, noise=0.2, seed=0)
        else:
            x, y = make_spirals(n_samples=900, noise=0.2, seed=0, n_classes=3)
        classes = [str(i) for i in range(int(y.max()) + 1)]
        return Split(*holdout(x, y), classes=classes)
    if name in ("mnist", "fashion-mnist"):
        return _load_mnist(name, Path(data_root) if data_root else default_root(name))
    if name == "cifar10":
        return _load_cifar(Path(data_root) if data_root else default_root(name))
    raise ValueError(f"unknown data set {name!r}; choose from {', '.join(DATASETS)}")


def _images(data) -> np.ndarray:
    x = data.numpy().astype(np.float32) / 255.0
    return x[:, None] if x.ndim == 3 else x.transpose(0, 3, 1, 2).copy()


def _load_mnist(name, root):
    from ..data import MNIST, FashionMNIST

    cls = MNIST if name == "mnist" else FashionMNIST
    try:
        train = cls(root, train=True)
    except RuntimeError as e:
        if "not found" not in str(e):
            raise
        train = None
    try:
        test = cls(root, train=False)
    except RuntimeError as e:
        if train is None and "not found" in str(e):
            raise RuntimeError(f"{e} (the train-* files too, for the full training set)") from None
        raise
    x_test, y_test = _images(test.data), test.targets.numpy()
    classes = list(cls.classes)
    if train is not None:
        return Split(_images(train.data), train.targets.numpy(), x_test, y_test, classes)
    note = (
        f"only the {cls.__name__} test set is in {root}: training on its first 8,000 images, "
        f"holding out the last 2,000"
    )
    return Split(x_test[:8000], y_test[:8000], x_test[-2000:], y_test[-2000:], classes, [note])


def _load_cifar(root):
    from ..data import CIFAR10

    train, test = CIFAR10(root, train=True), CIFAR10(root, train=False)
    return Split(
        _images(train.data),
        train.targets.numpy(),
        _images(test.data),
        test.targets.numpy(),
        list(CIFAR10.classes),
    )
