"""Data-parallel training across processes and machines: PyTorch's torch.distributed API on MPI
(CPU tensors, through mpi4py) and NCCL (CUDA tensors, through CuPy). Launch with `mpiexec`."""

from .collectives import all_gather, all_reduce, barrier, broadcast, reduce_scatter
from .process_group import (
    destroy_process_group,
    get_backend,
    get_node_local_rank,
    get_rank,
    get_world_size,
    init_process_group,
    is_available,
    is_initialized,
    is_mpi_available,
    is_nccl_available,
)
from .reduce_op import ReduceOp
from .work import Work

__all__ = [
    "ReduceOp",
    "Work",
    "all_gather",
    "all_reduce",
    "barrier",
    "broadcast",
    "destroy_process_group",
    "get_backend",
    "get_node_local_rank",
    "get_rank",
    "get_world_size",
    "init_process_group",
    "is_available",
    "is_initialized",
    "is_mpi_available",
    "is_nccl_available",
    "reduce_scatter",
]
