"""The default process group: which rank this process is, how many there are, how they talk.

`init_process_group("mpi")` takes rank and world size from the MPI launcher (`mpiexec -n 4`);
`"nccl"` also builds an NCCL communicator on `cuda:{local_rank}` for CUDA tensors, with its
unique id sent over MPI, while CPU tensors keep going over MPI. mpi4py is imported only here,
when a group is asked for (the import costs about a second).
"""

from __future__ import annotations

import os
import sys
import traceback
from dataclasses import dataclass

from .. import backend as _backend
from .mpi_communicator import MpiCommunicator

_BACKENDS = ("mpi", "nccl")
_INSTALL_HINT = "pip install 'autograd-core[distributed]' (mpi4py and Open MPI wheels)"
NOT_INITIALIZED = (
    "Default process group has not been initialized, please make sure to call init_process_group."
)


@dataclass
class ProcessGroup:
    backend: str
    rank: int
    world_size: int
    local_rank: int
    mpi: MpiCommunicator
    nccl: object = None  # an NcclCommunicator for backend "nccl"
    device: object = None  # the GPU of this rank for backend "nccl"
    previous_excepthook: object = None


_group: ProcessGroup | None = None


def is_available() -> bool:
    """True: the package is always there (a backend may still be missing; see below)."""
    return True


def is_mpi_available() -> bool:
    """Whether mpi4py can be imported (the `[distributed]` extra)."""
    import importlib.util

    return importlib.util.find_spec("mpi4py") is not None


def is_nccl_available() -> bool:
    """Whether CuPy imports, sees a GPU and exposes NCCL."""
    if _backend.cuda_device_count() == 0:
        return False
    from .nccl_communicator import nccl_available

    return nccl_available(_backend.cupy_or_none())


def is_initialized() -> bool:
    return _group is not None


def default_group(name: str) -> ProcessGroup:
    if _group is None:
        raise RuntimeError(f"{name}: {NOT_INITIALIZED}")
    return _group


def init_process_group(
    backend: str | None = None,
    init_method: str | None = None,
    timeout=None,
    world_size: int = -1,
    rank: int = -1,
    device_id=None,
) -> None:
    """Join the processes started by the launcher into the default group.

    `backend`: "mpi" (CPU tensors; the default) or "nccl" (CUDA tensors, one GPU per rank, CPU
    tensors over MPI). Processes are started by `mpiexec -n N python ...`, which gives each its
    rank. `init_method` may be None or "env://": then RANK and WORLD_SIZE, where set (as
    torchrun sets them), and the `rank` / `world_size` arguments must agree with the launcher's.
    `timeout` is accepted for PyTorch's signature; MPI has no per-call timeout. `device_id`
    (backend "nccl"): the GPU index, else LOCAL_RANK / the rank on this machine.

    From here on an uncaught exception on any rank prints its traceback and aborts every rank
    (MPI_Abort), so one failing rank can never leave the others waiting in a collective.
    """
    global _group
    if _group is not None:
        raise RuntimeError("trying to initialize the default process group twice!")
    name = _check_backend(backend)
    if init_method not in (None, "env://"):
        raise ValueError(
            f"init_process_group: init_method {init_method!r} is not supported; processes meet "
            "through the MPI launcher (mpiexec), so use None or 'env://'"
        )
    MPI = _import_mpi()
    comm = MPI.COMM_WORLD
    mpi = MpiCommunicator(MPI, comm)
    _check_launcher_agrees("world_size", world_size, "WORLD_SIZE", mpi.world_size)
    _check_launcher_agrees("rank", rank, "RANK", mpi.rank)
    local_rank = _launcher_local_rank()
    if local_rank is None:
        local_rank = comm.Split_type(MPI.COMM_TYPE_SHARED).Get_rank()
    group = ProcessGroup(name, mpi.rank, mpi.world_size, local_rank, mpi)
    if name == "nccl":
        _attach_nccl(group, device_id)
    if group.world_size > 1:
        group.previous_excepthook = sys.excepthook
        sys.excepthook = _abort_all(MPI, group.rank)
    _group = group


def destroy_process_group(group=None) -> None:
    """Leave the default group (MPI itself stays up until the process exits)."""
    global _group
    if _group is None:
        raise RuntimeError(f"destroy_process_group: {NOT_INITIALIZED}")
    if _group.nccl is not None:
        _group.nccl.destroy()
    if _group.previous_excepthook is not None:
        sys.excepthook = _group.previous_excepthook
    _group = None


def get_rank(group=None) -> int:
    """This process's rank, 0 to world size - 1."""
    return default_group("get_rank").rank


def get_world_size(group=None) -> int:
    """How many processes the group holds."""
    return default_group("get_world_size").world_size


def get_backend(group=None) -> str:
    return default_group("get_backend").backend


def get_node_local_rank(fallback_rank: int | None = None) -> int:
    """This process's rank among those on its machine (the GPU it should use).

    LOCAL_RANK where set (torchrun), else the launcher's (Open MPI, MPICH), else the group's.
    """
    if _group is not None:
        return _group.local_rank
    local_rank = _launcher_local_rank()
    if local_rank is not None:
        return local_rank
    if fallback_rank is not None:
        return fallback_rank
    raise RuntimeError(
        "get_node_local_rank: LOCAL_RANK is not set, no launcher variable names the local rank "
        "and no process group is initialized"
    )


def _launcher_local_rank() -> int | None:
    for variable in ("LOCAL_RANK", "OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID"):
        if variable in os.environ:
            return int(os.environ[variable])
    return None


def _check_backend(backend) -> str:
    if backend is None:
        return "mpi"
    if not isinstance(backend, str):
        raise TypeError(
            f"init_process_group: backend must be a string, got {type(backend).__name__}"
        )
    name = backend.lower()
    if name not in _BACKENDS:
        raise ValueError(
            f"init_process_group: unknown backend {backend!r}; expected 'mpi' (CPU) or 'nccl' "
            "(CUDA)"
        )
    return name


def _import_mpi():
    try:
        from mpi4py import MPI
    except ImportError as exc:
        raise ImportError(
            f"init_process_group: the MPI transport needs mpi4py ({exc}); {_INSTALL_HINT}"
        ) from exc
    return MPI


def _check_launcher_agrees(argument: str, value: int, variable: str, actual: int) -> None:
    if value != -1 and value != actual:
        raise ValueError(
            f"init_process_group: {argument}={value} but the MPI launcher started this process "
            f"with {argument} {actual} (mpiexec -n sets the world size)"
        )
    if variable in os.environ and int(os.environ[variable]) != actual:
        raise ValueError(
            f"init_process_group: {variable}={os.environ[variable]} but the MPI launcher "
            f"started this process with {argument} {actual}; launch with mpiexec -n "
            f"{os.environ.get('WORLD_SIZE', 'N')}"
        )


def _attach_nccl(group: ProcessGroup, device_id) -> None:
    from .nccl_communicator import NcclCommunicator

    index = group.local_rank if device_id is None else _device_index(device_id)
    cp = _backend.require_cuda(index)  # says whether CuPy or the GPU is missing, and the fix
    group.device = _backend.Device("cuda", index)
    group.nccl = NcclCommunicator(cp, index, group.mpi.comm, group.rank, group.world_size)


def _device_index(device_id) -> int:
    if isinstance(device_id, int) and not isinstance(device_id, bool):
        return device_id
    device = _backend.as_device(device_id)
    if device.type != "cuda":
        raise ValueError(f"init_process_group: device_id must be a CUDA device, got {device}")
    return device.index


def _abort_all(MPI, rank: int):
    """An excepthook that prints the failing rank's traceback, then aborts every rank."""

    def excepthook(kind, value, tb):
        message = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(f"rank {rank} failed; aborting all ranks:\n{message}")
        sys.stderr.flush()
        MPI.COMM_WORLD.Abort(1)

    return excepthook
