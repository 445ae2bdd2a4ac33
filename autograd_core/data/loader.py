"""DataLoader: batches of a dataset, optionally shuffled by a seedable generator."""

from __future__ import annotations

import numbers

import numpy as np

from ..creation import tensor as _tensor
from ..ops import stack
from ..random import Generator, default_generator
from ..tensor import Tensor
from .dataset import Subset, TensorDataset


def default_collate(batch):
    """Stack a list of samples: tensors, arrays, numbers, and tuples/lists/dicts of them.

    Numbers follow PyTorch, decided by the first sample: Python floats give float64; Python
    ints (and bools) give what `tensor(batch)` infers: int64, bool, or float32 when a float
    is among them (1, 1.5, 2.7 -> float32 [1.0, 1.5, 2.7], never truncated to ints); NumPy
    scalars keep their dtype.
    """
    first = batch[0]
    if isinstance(first, Tensor):
        return stack(list(batch))
    if isinstance(first, np.ndarray):
        return _tensor(np.stack(batch))
    if isinstance(first, np.generic) and not isinstance(first, (str, bytes)):
        return _tensor(np.asarray(batch))
    if isinstance(first, numbers.Integral):
        return _tensor(list(batch))
    if isinstance(first, numbers.Real):
        return _tensor(np.asarray(batch, dtype=np.float64))
    if isinstance(first, (str, bytes)):
        return list(batch)
    if isinstance(first, dict):
        return {k: default_collate([s[k] for s in batch]) for k in first}
    if isinstance(first, (tuple, list)):
        if any(len(s) != len(first) for s in batch):
            raise ValueError("default_collate: each sample in the batch should have equal size")
        return (
            type(first)(default_collate(list(col)) for col in zip(*batch))
            if isinstance(first, tuple)
            else [default_collate(list(col)) for col in zip(*batch)]
        )
    raise TypeError(f"default_collate: cannot batch samples of type {type(first).__name__}")


def _move(batch, device):
    if isinstance(batch, Tensor):
        return batch.to(device)
    if isinstance(batch, dict):
        return {k: _move(v, device) for k, v in batch.items()}
    if isinstance(batch, (tuple, list)):
        return type(batch)(_move(v, device) for v in batch)
    return batch


def _check_generator(generator):
    # the order is drawn on the host, as PyTorch's samplers draw it from a CPU generator; its
    # state (generator.get_state()) is what a resumed run needs to shuffle the same way
    if generator is None:
        return
    if not isinstance(generator, Generator):
        raise TypeError(
            f"DataLoader: generator should be an ag.Generator, got {type(generator).__name__}"
        )
    if generator.device.type != "cpu":
        raise ValueError(
            f"DataLoader: generator should be a CPU generator, got one on {generator.device}"
        )


class DataLoader:
    """Iterate over `dataset` in batches of `batch_size` samples."""

    def __init__(
        self,
        dataset,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        generator: Generator | None = None,
        collate_fn=None,
        device=None,
        sampler=None,
    ):
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size should be a positive int, got {batch_size!r}")
        _check_generator(generator)
        if sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler option is mutually exclusive with shuffle")
        self.sampler = sampler  # an iterable of dataset indices with a len (DistributedSampler)
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.generator = generator
        self.collate_fn = collate_fn
        self.device = device

    def __len__(self):
        n = len(self.dataset) if self.sampler is None else len(self.sampler)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def _order(self):
        if self.sampler is not None:
            return np.fromiter(iter(self.sampler), dtype=np.int64)
        n = len(self.dataset)
        if not self.shuffle:
            return np.arange(n)
        gen = self.generator if self.generator is not None else default_generator("cpu")
        return gen.numpy.permutation(n)

    def __iter__(self):
        order = self._order()
        source, mapping = self.dataset, None
        if isinstance(source, Subset) and isinstance(source.dataset, TensorDataset):
            source, mapping = source.dataset, np.asarray(source.indices, dtype=np.int64)
        fast = isinstance(source, TensorDataset) and self.collate_fn is None
        for b in range(len(self)):
            idx = order[b * self.batch_size : (b + 1) * self.batch_size]
            if fast:
                # one gather per tensor instead of stacking rows one by one
                rows = idx if mapping is None else mapping[idx]
                batch = tuple(t[rows] for t in source.tensors)
            else:
                collate = self.collate_fn or default_collate
                batch = collate([self.dataset[int(i)] for i in idx])
            if self.device is not None:
                batch = _move(batch, self.device)
            yield batch
