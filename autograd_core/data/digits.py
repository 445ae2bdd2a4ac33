"""The 8x8 handwritten digits that scikit-learn ships (1,797 images), as float32 in [0, 1]."""

from __future__ import annotations

import numpy as np

from ..creation import from_numpy
from .dataset import Dataset


def load_digits():
    """Images float32 (1797, 1, 8, 8) in [0, 1] and labels int64 (1797,), as NumPy arrays."""
    try:
        from sklearn.datasets import load_digits as _sk_load
    except ImportError as e:
        raise ImportError("load_digits needs scikit-learn: pip install scikit-learn") from e
    bunch = _sk_load()
    images = (bunch.images.astype(np.float32) / 16.0).reshape(-1, 1, 8, 8)
    return images, bunch.target.astype(np.int64)


class Digits(Dataset):
    """scikit-learn's 8x8 digits as a dataset of (image (1, 8, 8) tensor, int label)."""

    def __init__(self, transform=None, target_transform=None):
        images, labels = load_digits()
        self.data = from_numpy(images)
        self.targets = from_numpy(labels)
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self):
        return self.data.shape[0]

    def __getitem__(self, index):
        img, target = self.data[index], int(self.targets.numpy()[index])
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target
