"""Collectives on contiguous CuPy arrays through NCCL (`cupy.cuda.nccl`), one GPU per rank.

The only file of the distributed package that calls CuPy's API; it receives the CuPy module
from `autograd_core.backend`. Every collective is queued on the current CUDA stream, so the
gradients never leave the device and later kernels on that stream see the result. The NCCL
unique id is made on rank 0 and broadcast over MPI, as ChainerMN does.
"""

from __future__ import annotations

import numpy as np

from .reduce_op import ReduceOp


def nccl_available(cp) -> bool:
    """Whether this CuPy exposes a loadable NCCL (CuPy's wheels do not bundle it)."""
    try:
        cp.cuda.nccl.get_version()
    except Exception:  # noqa: BLE001 - any failure means NCCL cannot be used
        return False
    return True


class _StreamRequest:
    """An NCCL collective in flight: done when the event recorded after it has passed."""

    def __init__(self, cp):
        self._event = cp.cuda.Event(disable_timing=True)
        self._event.record()

    def Wait(self):
        # the result is ordered before every later kernel of the stream; the host waits too,
        # so that a `wait()` followed by a host read or a timer means what it says
        self._event.synchronize()

    def Test(self) -> bool:
        return self._event.done


class NcclCommunicator:
    """An NCCL communicator over the world of an MPI communicator, on GPU `device_index`
    (made this process's current device)."""

    name = "nccl"

    def __init__(self, cp, device_index: int, mpi_comm, rank: int, world_size: int):
        cp.cuda.Device(device_index).use()
        nccl = cp.cuda.nccl
        self.cp, self.rank, self.world_size = cp, rank, world_size
        unique_id = nccl.get_unique_id() if rank == 0 else None
        unique_id = mpi_comm.bcast(unique_id, root=0)  # 128 bytes, once at start-up
        self.comm = nccl.NcclCommunicator(world_size, unique_id, rank)
        self._types = {
            np.dtype(np.float16): nccl.NCCL_FLOAT16,
            np.dtype(np.float32): nccl.NCCL_FLOAT32,
            np.dtype(np.float64): nccl.NCCL_FLOAT64,
            np.dtype(np.int8): nccl.NCCL_INT8,
            np.dtype(np.uint8): nccl.NCCL_UINT8,
            np.dtype(np.int32): nccl.NCCL_INT32,
            np.dtype(np.int64): nccl.NCCL_INT64,
        }
        self._ops = {
            ReduceOp.SUM: nccl.NCCL_SUM,
            ReduceOp.AVG: nccl.NCCL_SUM,  # divided by the world size once the sum is in
            ReduceOp.PRODUCT: nccl.NCCL_PROD,
            ReduceOp.MIN: nccl.NCCL_MIN,
            ReduceOp.MAX: nccl.NCCL_MAX,
        }

    def check_dtype(self, dtype, name: str):
        if dtype not in self._types:
            supported = ", ".join(str(d) for d in self._types)
            raise TypeError(f"{name}: backend 'nccl' cannot reduce {dtype} tensors ({supported})")

    def _stream(self) -> int:
        return self.cp.cuda.get_current_stream().ptr

    def _request(self, async_op: bool):
        return _StreamRequest(self.cp) if async_op else None

    def all_reduce(self, array, op: ReduceOp, async_op: bool):
        pointer = array.data.ptr
        self.comm.allReduce(
            pointer, pointer, array.size, self._types[array.dtype], self._ops[op], self._stream()
        )
        return self._request(async_op)

    def broadcast(self, array, src: int, async_op: bool):
        self.comm.bcast(array.data.ptr, array.size, self._types[array.dtype], src, self._stream())
        return self._request(async_op)

    def all_gather(self, gathered, array, async_op: bool):
        self.comm.allGather(
            array.data.ptr, gathered.data.ptr, array.size, self._types[array.dtype], self._stream()
        )
        return self._request(async_op)

    def reduce_scatter(self, output, stacked, op: ReduceOp, async_op: bool):
        self.comm.reduceScatter(
            stacked.data.ptr,
            output.data.ptr,
            output.size,
            self._types[output.dtype],
            self._ops[op],
            self._stream(),
        )
        return self._request(async_op)

    def barrier(self):
        self.cp.cuda.get_current_stream().synchronize()

    def destroy(self):
        self.comm.destroy()
