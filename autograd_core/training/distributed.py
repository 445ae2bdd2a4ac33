"""`fit(..., distributed=True)`: one model replica per rank under DistributedDataParallel, each
rank on its share of the data, epoch metrics averaged over the ranks, only rank 0 reporting."""

from __future__ import annotations

import os
import sys

from ..creation import tensor
from ..data import DataLoader, DistributedSampler
from ..dtypes import float64

# set by the MPI launchers: Open MPI, MPICH / Intel MPI (Hydra); WORLD_SIZE by torchrun
_WORLD_SIZE_VARIABLES = ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "WORLD_SIZE")


def launched_world_size() -> int:
    """How many ranks the launcher started (1 outside mpiexec)."""
    for variable in _WORLD_SIZE_VARIABLES:
        if variable in os.environ:
            return int(os.environ[variable])
    return 1


def init_distributed(device) -> str | None:
    """Join the ranks' process group if not done yet: NCCL for CUDA, MPI otherwise. Returns
    this rank's device (`cuda:{local_rank}` for CUDA, one GPU per rank)."""
    from .. import distributed as dist

    cuda = device is not None and str(device).startswith("cuda")
    if not dist.is_initialized():
        dist.init_process_group("nccl" if cuda else "mpi")
    return f"cuda:{dist.get_node_local_rank()}" if cuda else device


def is_main_process() -> bool:
    """Rank 0, or the only process: the one that prints and writes files."""
    from .. import distributed as dist

    return not dist.is_initialized() or dist.get_rank() == 0


def quiet_unless_main() -> None:
    """Send the standard output of every rank but 0 to /dev/null (errors still show)."""
    if not is_main_process():
        sys.stdout = open(os.devnull, "w")  # kept open for the life of the process


def prepare(model, train_loader, val_loader, seed, device):
    """The DDP-wrapped model and the loaders of this rank's share of the data."""
    from nn.parallel import DistributedDataParallel

    init_distributed(device)
    if not isinstance(model, DistributedDataParallel):
        model = DistributedDataParallel(model)
    seed = _shared_seed(train_loader, seed)
    train_loader = _sharded(
        train_loader, shuffle=getattr(train_loader, "shuffle", False), seed=seed
    )
    if val_loader is not None:
        val_loader = _sharded(val_loader, shuffle=False, seed=0)
    return model, train_loader, val_loader


def _shared_seed(loader, seed) -> int:
    """The shuffling seed: fit's, else the loader generator's, as rank 0 has it (an unseeded
    generator differs between ranks, and every rank must draw the same permutation)."""
    from .. import distributed as dist
    from ..dtypes import int64

    if seed is None:
        generator = getattr(loader, "generator", None)
        seed = 0 if generator is None else generator.initial_seed
    shared = tensor([int(seed) % 2**63], dtype=int64)
    dist.broadcast(shared, src=0)
    return int(shared.item())


def _sharded(loader, shuffle, seed):
    if getattr(loader, "sampler", None) is not None or not isinstance(loader, DataLoader):
        return loader  # the caller chose its sampler (a DistributedSampler, say)
    sampler = DistributedSampler(
        loader.dataset, shuffle=shuffle, seed=seed, drop_last=loader.drop_last
    )
    return DataLoader(
        loader.dataset,
        batch_size=loader.batch_size,
        drop_last=loader.drop_last,
        collate_fn=loader.collate_fn,
        device=loader.device,
        sampler=sampler,
    )


def set_epoch(loader, epoch: int) -> None:
    """A new shuffle each epoch, the same on every rank (DistributedSampler.set_epoch)."""
    sampler = getattr(loader, "sampler", None)
    if hasattr(sampler, "set_epoch"):
        sampler.set_epoch(epoch)


def averaged(logs: dict) -> dict:
    """Each value averaged over the ranks (every rank saw as many samples: the sampler pads)."""
    from .. import distributed as dist

    names = list(logs)
    values = tensor([float(logs[k]) for k in names], dtype=float64)
    dist.all_reduce(values, op=dist.ReduceOp.AVG)
    return dict(zip(names, values.tolist()))


def main_process_callbacks(callbacks) -> list:
    """The callbacks that run on this rank: all on rank 0; elsewhere all but the ones that
    write files (ModelCheckpoint), which would race rank 0's copy."""
    from .callbacks import ModelCheckpoint

    if is_main_process():
        return list(callbacks)
    return [cb for cb in callbacks if not isinstance(cb, ModelCheckpoint)]
