"""CIFAR-10 from its binary version (1 label byte + 3072 pixel bytes per record)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..creation import from_numpy
from .dataset import Dataset

_RECORD = 1 + 3 * 32 * 32


def read_cifar_bin(path):
    """One CIFAR-10 .bin file as (images uint8 (N, 32, 32, 3), labels int64 (N,))."""
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size == 0 or raw.size % _RECORD:
        raise ValueError(
            f"CIFAR10: {path} has {raw.size} bytes, not a whole number of {_RECORD}-byte records "
            f"(truncated or not the binary version)"
        )
    records = raw.reshape(-1, _RECORD)
    labels = records[:, 0].astype(np.int64)
    if labels.max() > 9:
        raise ValueError(f"CIFAR10: {path} has label {labels.max()}, expected 0..9")
    images = records[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(images), labels


class CIFAR10(Dataset):
    """CIFAR-10: `.data` uint8 (N, 32, 32, 3) like torchvision, `.targets` int64 (N,)."""

    train_list = [f"data_batch_{i}.bin" for i in range(1, 6)]
    test_list = ["test_batch.bin"]
    classes = [
        "airplane",
        "automobile",
        "bird",
        "cat",
        "deer",
        "dog",
        "frog",
        "horse",
        "ship",
        "truck",
    ]

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        self.root = Path(os.path.expanduser(str(root)))
        self.train = train
        self.transform = transform
        self.target_transform = target_transform
        names = self.train_list if train else self.test_list
        folder = self._folder(names)
        if folder is None:
            raise RuntimeError(
                f"CIFAR10: files not found: {', '.join(names)}. Download the binary version "
                f"(https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz), extract it and put "
                f"those files into {self.root} (or {self.root / 'cifar-10-batches-bin'})"
            )
        parts = [read_cifar_bin(folder / n) for n in names]
        self.data = from_numpy(np.concatenate([p[0] for p in parts]))
        self.targets = from_numpy(np.concatenate([p[1] for p in parts]))

    def _folder(self, names):
        for folder in (self.root, self.root / "cifar-10-batches-bin"):
            if all((folder / n).is_file() for n in names):
                return folder
        return None

    def __len__(self):
        return self.data.shape[0]

    def __getitem__(self, index):
        img, target = self.data.numpy()[index], int(self.targets.numpy()[index])
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target
