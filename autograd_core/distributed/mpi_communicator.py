"""Collectives on contiguous NumPy arrays over MPI, through mpi4py's buffer interface.

Arrays go to MPI as memory (`Allreduce` on the array itself, in place), never pickled:
buffer-based calls are 8-20x faster than mpi4py's pickle-based lower-case ones.
"""

from __future__ import annotations

import numpy as np

from .reduce_op import ReduceOp

# the NumPy dtypes with an MPI datatype that every reduction accepts
_DTYPES = tuple(
    np.dtype(t) for t in (np.float32, np.float64, np.int8, np.uint8, np.int32, np.int64)
)


class MpiCommunicator:
    """One MPI communicator; every call takes contiguous CPU arrays and works in place."""

    name = "mpi"

    def __init__(self, MPI, comm):
        self.MPI, self.comm = MPI, comm
        self.rank, self.world_size = comm.Get_rank(), comm.Get_size()
        self._ops = {
            ReduceOp.SUM: MPI.SUM,
            ReduceOp.AVG: MPI.SUM,  # divided by the world size once the sum is in
            ReduceOp.PRODUCT: MPI.PROD,
            ReduceOp.MIN: MPI.MIN,
            ReduceOp.MAX: MPI.MAX,
        }

    def check_dtype(self, dtype, name: str):
        if dtype not in _DTYPES:
            supported = ", ".join(str(d) for d in _DTYPES)
            raise TypeError(f"{name}: backend 'mpi' cannot reduce {dtype} tensors ({supported})")

    def all_reduce(self, array, op: ReduceOp, async_op: bool):
        if async_op:
            return self.comm.Iallreduce(self.MPI.IN_PLACE, array, op=self._ops[op])
        self.comm.Allreduce(self.MPI.IN_PLACE, array, op=self._ops[op])
        return None

    def broadcast(self, array, src: int, async_op: bool):
        if async_op:
            return self.comm.Ibcast(array, root=src)
        self.comm.Bcast(array, root=src)
        return None

    def all_gather(self, gathered, array, async_op: bool):
        if async_op:
            return self.comm.Iallgather(array, gathered)
        self.comm.Allgather(array, gathered)
        return None

    def reduce_scatter(self, output, stacked, op: ReduceOp, async_op: bool):
        if async_op:
            return self.comm.Ireduce_scatter_block(stacked, output, op=self._ops[op])
        self.comm.Reduce_scatter_block(stacked, output, op=self._ops[op])
        return None

    def barrier(self):
        self.comm.Barrier()

    def destroy(self):
        pass  # COMM_WORLD lives until mpi4py finalizes MPI at exit
