"""Collectives on tensors, in place, as torch.distributed: all_reduce, broadcast, all_gather,
reduce_scatter and barrier. `async_op=True` returns a `Work`; its `wait()` completes it.

CPU tensors go over MPI, CUDA tensors over NCCL (backend "nccl"). A non-contiguous tensor is
reduced through a contiguous copy that is written back when the collective completes.
"""

from __future__ import annotations

import numpy as np

from .. import backend
from ..tensor import Tensor
from .process_group import default_group
from .reduce_op import ReduceOp, check_op
from .work import Work


def all_reduce(tensor, op=ReduceOp.SUM, group=None, async_op=False):
    """Combine `tensor` across ranks with `op`; every rank ends with the result, in place.

    >>> # on each of 2 ranks: t = ag.tensor([float(rank)]); all_reduce(t) -> tensor([1.])
    """
    pg, array = _start("all_reduce", tensor, group)
    if op is not ReduceOp.SUM:
        check_op(op, "all_reduce", array.dtype)
    comm = _communicator(pg, tensor, "all_reduce")
    if not async_op and op is not ReduceOp.AVG and array.flags.c_contiguous:
        comm.all_reduce(array, op, False)  # the common case, with nothing to do afterwards
        tensor._bump_version()
        return None
    buffer, write_back = _contiguous(array)

    def finish():
        if op is ReduceOp.AVG:
            _divide(buffer, pg.world_size)
        write_back()
        tensor._bump_version()

    return _complete(comm.all_reduce(buffer, op, async_op), finish, async_op)


def broadcast(tensor, src=0, group=None, async_op=False):
    """Copy rank `src`'s `tensor` into `tensor` on every other rank."""
    pg, array = _start("broadcast", tensor, group)
    _check_rank(src, pg, "broadcast", "src")
    comm = _communicator(pg, tensor, "broadcast")
    buffer, write_back = _contiguous(array)

    def finish():
        write_back()
        tensor._bump_version()

    return _complete(comm.broadcast(buffer, src, async_op), finish, async_op)


def all_gather(tensor_list, tensor, group=None, async_op=False):
    """Fill `tensor_list[r]` with rank r's `tensor`, on every rank."""
    pg, array = _start("all_gather", tensor, group)
    _check_list(tensor_list, tensor, pg, "all_gather", "tensor_list")
    comm = _communicator(pg, tensor, "all_gather")
    xp = backend.array_module(array)
    gathered = xp.empty((pg.world_size,) + array.shape, dtype=array.dtype)

    def finish():
        for target, part in zip(tensor_list, gathered):
            target._data[...] = part
            target._bump_version()

    request = comm.all_gather(gathered, xp.ascontiguousarray(array), async_op)
    return _complete(request, finish, async_op)


def reduce_scatter(output, input_list, op=ReduceOp.SUM, group=None, async_op=False):
    """Reduce `input_list[r]` across ranks with `op` and leave the result in rank r's `output`."""
    pg, array = _start("reduce_scatter", output, group)
    _check_list(input_list, output, pg, "reduce_scatter", "input_list")
    op = check_op(op, "reduce_scatter", array.dtype)
    comm = _communicator(pg, output, "reduce_scatter")
    xp = backend.array_module(array)
    stacked = xp.stack([t._data for t in input_list])
    buffer, write_back = _contiguous(array)

    def finish():
        if op is ReduceOp.AVG:
            _divide(buffer, pg.world_size)
        write_back()
        output._bump_version()

    return _complete(comm.reduce_scatter(buffer, stacked, op, async_op), finish, async_op)


def barrier(group=None, async_op=False, device_ids=None):
    """Wait until every rank has reached this call."""
    pg = default_group("barrier")
    _check_group(group, "barrier")
    if pg.nccl is not None:
        pg.nccl.barrier()  # this rank's queued GPU work first
    pg.mpi.barrier()
    return _complete(None, None, async_op)


def _start(name, tensor, group):
    pg = default_group(name)
    if group is not None:
        _check_group(group, name)
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{name}: expected a Tensor, got {type(tensor).__name__}")
    array = tensor._data
    if type(array) is np.ndarray and not array.flags.writeable:
        raise ValueError(
            f"{name}: the tensor is a read-only view (shape {tuple(tensor.shape)}); collectives "
            "write their result into it, so pass a tensor that owns its memory (.clone())"
        )
    return pg, array


def _check_group(group, name):
    if group is not None:
        raise ValueError(f"{name}: only the default group (group=None) is supported")


def _check_rank(value, pg, name, argument):
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name}: {argument} must be an int, got {type(value).__name__}")
    if not 0 <= value < pg.world_size:
        raise ValueError(
            f"{name}: {argument}={value} is not a rank of a world of {pg.world_size} processes"
        )


def _check_list(tensors, tensor, pg, name, argument):
    if not isinstance(tensors, (list, tuple)) or not all(isinstance(t, Tensor) for t in tensors):
        raise TypeError(f"{name}: {argument} must be a list of Tensors")
    if len(tensors) != pg.world_size:
        raise ValueError(
            f"{name}: {argument} holds {len(tensors)} tensors but the world has "
            f"{pg.world_size} ranks"
        )
    for position, t in enumerate(tensors):
        if t.shape != tensor.shape or t.dtype != tensor.dtype or t.device != tensor.device:
            raise ValueError(
                f"{name}: {argument}[{position}] is {tuple(t.shape)} {t.dtype} on {t.device}, "
                f"but the tensor is {tuple(tensor.shape)} {tensor.dtype} on {tensor.device}"
            )


def _communicator(pg, tensor, name):
    if type(tensor._data) is np.ndarray:
        comm = pg.mpi
        comm.check_dtype(tensor._data.dtype, name)
        return comm
    device = tensor.device
    if pg.nccl is None:
        raise ValueError(
            f"{name}: the tensor is on {device}, but backend 'mpi' moves CPU tensors only (the "
            "Open MPI wheel is built without CUDA); use init_process_group('nccl') for GPU "
            "tensors, or .cpu()"
        )
    elif device != pg.device:
        raise ValueError(f"{name}: the tensor is on {device}, but this rank's GPU is {pg.device}")
    else:
        comm = pg.nccl
    comm.check_dtype(tensor._data.dtype, name)
    return comm


def _contiguous(array):
    """A contiguous buffer for `array` and the call that writes it back (none when it is)."""
    if array.flags.c_contiguous:
        return array, _nothing
    buffer = backend.array_module(array).ascontiguousarray(array)

    def write_back():
        array[...] = buffer

    return buffer, write_back


def _divide(buffer, count):
    backend.array_module(buffer).divide(buffer, count, out=buffer)


def _nothing():
    pass


def _complete(request, finish, async_op):
    if not async_op:
        if finish is not None:
            finish()
        return None
    if request is None:  # done already (barrier)
        work = Work(_nothing, lambda: True, finish)
        work.wait()
        return work
    return Work(request.Wait, request.Test, finish)
