"""Datasets: the map-style base class, TensorDataset, Subset, ConcatDataset, random_split."""

from __future__ import annotations

import bisect
import math

import numpy as np

from ..creation import as_tensor
from ..random import Generator, default_generator


class Dataset:
    """A map-style dataset: subclasses implement `__getitem__(index)` and `__len__()`."""

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must implement __len__")

    def __add__(self, other):
        return ConcatDataset([self, other])


class TensorDataset(Dataset):
    """Samples are the rows of the given tensors, indexed along their first dim.

    NumPy arrays are accepted too and become tensors (sharing memory where they can).
    """

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError("TensorDataset: expected at least one tensor")
        tensors = tuple(as_tensor(t) if isinstance(t, np.ndarray) else t for t in tensors)
        sizes = [tuple(t.shape) for t in tensors]
        if any(len(s) == 0 for s in sizes) or len({s[0] for s in sizes}) != 1:
            raise ValueError(f"TensorDataset: size mismatch between tensors, got shapes {sizes}")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self):
        return self.tensors[0].shape[0]


class Subset(Dataset):
    """The samples of `dataset` at `indices`."""

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = [int(i) for i in indices]

    def __getitem__(self, index):
        if isinstance(index, (list, np.ndarray)):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __len__(self):
        return len(self.indices)


class ConcatDataset(Dataset):
    """Several datasets one after the other."""

    def __init__(self, datasets):
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset: datasets should not be an empty iterable")
        self.cumulative_sizes = np.cumsum([len(d) for d in self.datasets]).tolist()

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, index):
        if index < 0:
            if -index > len(self):
                raise IndexError(
                    f"ConcatDataset: index {index} out of range for length {len(self)}"
                )
            index += len(self)
        if index >= len(self):
            raise IndexError(f"ConcatDataset: index {index} out of range for length {len(self)}")
        which = bisect.bisect_right(self.cumulative_sizes, index)
        start = self.cumulative_sizes[which - 1] if which else 0
        return self.datasets[which][index - start]


def _lengths(n, lengths):
    lengths = list(lengths)
    if math.isclose(sum(lengths), 1) and not all(isinstance(x, int) for x in lengths):
        # fractions: floor each, then hand the remainder out round-robin (PyTorch's rule)
        if any(x < 0 or x > 1 for x in lengths):
            raise ValueError(f"random_split: fractions must lie in [0, 1], got {lengths}")
        counts = [int(math.floor(n * f)) for f in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        return counts
    if any(x < 0 for x in lengths) or any(int(x) != x for x in lengths):
        raise ValueError(f"random_split: lengths must be non-negative ints, got {lengths}")
    if sum(lengths) != n:
        raise ValueError(
            f"random_split: sum of input lengths ({sum(lengths)}) does not equal "
            f"the length of the input dataset ({n})"
        )
    return [int(x) for x in lengths]


def random_split(dataset, lengths, generator: Generator | None = None):
    """Split `dataset` into non-overlapping random Subsets of the given counts or fractions."""
    counts = _lengths(len(dataset), lengths)
    gen = generator if generator is not None else default_generator()
    perm = gen.numpy.permutation(len(dataset))
    if not isinstance(perm, np.ndarray):  # a CUDA generator gives a CuPy array
        perm = perm.get()
    out, start = [], 0
    for c in counts:
        out.append(Subset(dataset, perm[start : start + c].tolist()))
        start += c
    return out
