"""`DistributedSampler`: each rank's share of a dataset's indices, the same count on every rank."""

from __future__ import annotations

import math
import numbers

import numpy as np

from ..random import Generator


class DistributedSampler:
    """Indices of `dataset` for rank `rank` of `num_replicas` (PyTorch's DistributedSampler).

    With `shuffle` every rank draws the same permutation, seeded by `seed + epoch` (call
    `set_epoch(epoch)` at the start of each epoch for a new order), and takes every
    `num_replicas`-th index from position `rank`. So that every rank sees as many samples (and
    batches) as the others, the list is padded with its first indices up to a multiple of
    `num_replicas`, or, with `drop_last`, cut down to one. `num_replicas` and `rank` default to
    those of the initialised process group.

    >>> list(DistributedSampler(range(5), num_replicas=2, rank=1, shuffle=False))
    [1, 3, 0]
    """

    def __init__(
        self,
        dataset,
        num_replicas: int | None = None,
        rank: int | None = None,
        shuffle: bool = True,
        seed: int = 0,
        drop_last: bool = False,
    ):
        if num_replicas is None or rank is None:
            from .. import distributed as dist

            if not dist.is_initialized():
                raise RuntimeError(
                    "DistributedSampler: pass num_replicas and rank, or call "
                    "autograd_core.distributed.init_process_group first"
                )
            num_replicas = dist.get_world_size() if num_replicas is None else num_replicas
            rank = dist.get_rank() if rank is None else rank
        for name, value in (("num_replicas", num_replicas), ("rank", rank), ("seed", seed)):
            if not isinstance(value, numbers.Integral) or isinstance(value, bool):
                raise TypeError(f"DistributedSampler: {name} must be an int, got {value!r}")
        if num_replicas < 1:
            raise ValueError(
                f"DistributedSampler: num_replicas must be positive, got {num_replicas}"
            )
        if not 0 <= rank < num_replicas:
            raise ValueError(
                f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]"
            )
        self.dataset = dataset
        self.num_replicas, self.rank = int(num_replicas), int(rank)
        self.shuffle, self.seed, self.drop_last = shuffle, int(seed), drop_last
        self.epoch = 0
        n = len(dataset)
        if drop_last and n % self.num_replicas != 0:
            self.num_samples = math.ceil((n - self.num_replicas) / self.num_replicas)
        else:
            self.num_samples = math.ceil(n / self.num_replicas)
        self.total_size = self.num_samples * self.num_replicas

    def __iter__(self):
        n = len(self.dataset)
        if self.shuffle:
            order = Generator("cpu", self.seed + self.epoch).numpy.permutation(n)
        else:
            order = np.arange(n)
        if self.drop_last:
            order = order[: self.total_size]
        elif self.total_size > n:
            # repeat the list as often as needed (more ranks than samples, too)
            repeats = math.ceil(self.total_size / n)
            order = np.tile(order, repeats)[: self.total_size]
        return iter(order[self.rank : self.total_size : self.num_replicas].tolist())

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Reshuffle for `epoch`: the same order on every rank, a new one each epoch."""
        self.epoch = epoch
