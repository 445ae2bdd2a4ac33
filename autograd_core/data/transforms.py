"""Transforms: plain callables on images (NumPy arrays or CxHxW tensors) and targets."""

from __future__ import annotations

import numbers

import numpy as np

from ..creation import from_numpy, tensor
from ..ops import flip, pad
from ..random import Generator, default_generator
from ..tensor import Tensor


def _gen(generator: Generator | None):
    return (generator if generator is not None else default_generator()).numpy


def _pair(size, name):
    if isinstance(size, numbers.Integral):
        return int(size), int(size)
    if len(size) != 2:
        raise ValueError(f"{name}: size should be an int or (h, w), got {size!r}")
    return int(size[0]), int(size[1])


class Compose:
    """Apply transforms one after the other."""

    def __init__(self, transforms):
        self.transforms = list(transforms)

    def __call__(self, x):
        for t in self.transforms:
            x = t(x)
        return x

    def __repr__(self):
        inner = "".join(f"\n    {t!r}," for t in self.transforms)
        return f"Compose([{inner}\n])"


class ToTensor:
    """uint8 (H, W) or (H, W, C) array -> float32 (C, H, W) tensor in [0, 1]."""

    def __call__(self, pic):
        if isinstance(pic, Tensor):
            return pic
        arr = np.asarray(pic)
        if arr.ndim == 2:
            arr = arr[None]
        elif arr.ndim == 3:
            arr = arr.transpose(2, 0, 1)
        else:
            raise ValueError(
                f"ToTensor: expected an (H, W) or (H, W, C) image, got shape {arr.shape}"
            )
        out = arr.astype(np.float32)
        if arr.dtype == np.uint8:
            out /= 255.0
        return from_numpy(np.ascontiguousarray(out))

    def __repr__(self):
        return "ToTensor()"


class Normalize:
    """(x - mean) / std per channel of a (C, H, W) or (N, C, H, W) tensor."""

    def __init__(self, mean, std):
        self.mean = np.atleast_1d(np.asarray(mean, dtype=np.float32))
        self.std = np.atleast_1d(np.asarray(std, dtype=np.float32))
        if np.any(self.std == 0):
            raise ValueError(f"Normalize: std evaluated to zero, got {std}")

    def __call__(self, x):
        if x.ndim < 3:
            raise ValueError(f"Normalize: expected a (C, H, W) tensor, got shape {tuple(x.shape)}")
        c = x.shape[-3]
        if self.mean.size not in (1, c) or self.std.size not in (1, c):
            raise ValueError(
                f"Normalize: {c} channels but mean has {self.mean.size} and std {self.std.size}"
            )
        shape = (-1, 1, 1)
        mean, std = self.mean.reshape(shape), self.std.reshape(shape)
        if isinstance(x, Tensor):
            return (x - tensor(mean, dtype=x.dtype, device=x.device)) / tensor(
                std, dtype=x.dtype, device=x.device
            )
        return ((x - mean) / std).astype(np.float32)

    def __repr__(self):
        return f"Normalize(mean={self.mean.tolist()}, std={self.std.tolist()})"


class RandomCrop:
    """Crop a random (h, w) window from a (..., H, W) image, after zero `padding`."""

    def __init__(self, size, padding=0, generator: Generator | None = None):
        self.size = _pair(size, "RandomCrop")
        self.padding = int(padding)
        self.generator = generator

    def __call__(self, x):
        if self.padding:
            p = self.padding
            if isinstance(x, Tensor):
                x = pad(x, (p, p, p, p))
            else:
                widths = [(0, 0)] * (x.ndim - 2) + [(p, p), (p, p)]
                x = np.pad(x, widths)
        h, w = x.shape[-2], x.shape[-1]
        th, tw = self.size
        if th > h or tw > w:
            raise ValueError(f"RandomCrop: crop size {self.size} is larger than image {(h, w)}")
        rng = _gen(self.generator)
        i = int(rng.integers(0, h - th + 1))
        j = int(rng.integers(0, w - tw + 1))
        return x[..., i : i + th, j : j + tw]

    def __repr__(self):
        return f"RandomCrop(size={self.size}, padding={self.padding})"


class RandomHorizontalFlip:
    """Flip the last (width) dim with probability `p`."""

    def __init__(self, p=0.5, generator: Generator | None = None):
        self.p = float(p)
        self.generator = generator

    def __call__(self, x):
        if float(_gen(self.generator).random()) < self.p:
            if isinstance(x, Tensor):
                return flip(x, (-1,))
            return np.ascontiguousarray(x[..., ::-1])
        return x

    def __repr__(self):
        return f"RandomHorizontalFlip(p={self.p})"


class OneHot:
    """int class label (or int tensor) -> float32 one-hot vector of `num_classes`."""

    def __init__(self, num_classes):
        self.num_classes = int(num_classes)

    def __call__(self, y):
        labels = np.asarray(y.numpy() if isinstance(y, Tensor) else y, dtype=np.int64)
        if labels.size and (labels.min() < 0 or labels.max() >= self.num_classes):
            raise ValueError(
                f"OneHot: labels must lie in [0, {self.num_classes}), "
                f"got {labels.min()}..{labels.max()}"
            )
        return from_numpy(np.eye(self.num_classes, dtype=np.float32)[labels])

    def __repr__(self):
        return f"OneHot(num_classes={self.num_classes})"


class Lambda:
    """Wrap any function as a transform."""

    def __init__(self, fn):
        if not callable(fn):
            raise TypeError(f"Lambda: expected a callable, got {type(fn).__name__}")
        self.fn = fn

    def __call__(self, x):
        return self.fn(x)

    def __repr__(self):
        return "Lambda()"
