"""The NCCL communicator's calls, checked against the signatures of CuPy's `cupy.cuda.nccl`
with a recording stand-in (no GPU has been available to run NCCL itself)."""

from types import SimpleNamespace

import numpy as np
import pytest

from autograd_core.distributed.nccl_communicator import NcclCommunicator, nccl_available
from autograd_core.distributed.reduce_op import ReduceOp


class _Recorder:
    """cupy.cuda.nccl.NcclCommunicator(ndev, commId, rank): records every collective."""

    calls: list = []

    def __init__(self, ndev, comm_id, rank):
        _Recorder.calls.append(("init", ndev, comm_id, rank))

    def __getattr__(self, name):
        return lambda *args: _Recorder.calls.append((name, *args))


class _Event:
    def __init__(self, disable_timing=False):
        self.done = False

    def record(self):
        pass

    def synchronize(self):
        self.done = True


def _fake_cupy():
    constants = {
        f"NCCL_{name}": code
        for code, name in enumerate(
            "FLOAT16 FLOAT32 FLOAT64 INT8 UINT8 INT32 INT64 SUM PROD MAX MIN".split()
        )
    }
    nccl = SimpleNamespace(
        get_unique_id=lambda: (7,) * 128,
        get_version=lambda: 22000,
        NcclCommunicator=_Recorder,
        **constants,
    )
    stream = SimpleNamespace(ptr=1234, synchronize=lambda: None)
    device = SimpleNamespace(use=lambda: None)
    cuda = SimpleNamespace(
        nccl=nccl, Event=_Event, get_current_stream=lambda: stream, Device=lambda i: device
    )
    return SimpleNamespace(cuda=cuda), nccl


class _Array:
    """What the communicator reads of a CuPy array: its pointer, size and dtype."""

    def __init__(self, ptr, size, dtype):
        self.data, self.size, self.dtype = SimpleNamespace(ptr=ptr), size, np.dtype(dtype)


def test_collectives_call_cupy_nccl_with_its_argument_order():
    cp, nccl = _fake_cupy()
    _Recorder.calls = []
    mpi = SimpleNamespace(bcast=lambda value, root: value)
    comm = NcclCommunicator(cp, 0, mpi, rank=0, world_size=2)
    assert _Recorder.calls[0] == ("init", 2, (7,) * 128, 0)
    x = _Array(100, 6, np.float32)
    assert comm.all_reduce(x, ReduceOp.MAX, async_op=False) is None
    request = comm.all_reduce(x, ReduceOp.AVG, async_op=True)
    assert not request.Test()
    request.Wait()
    assert request.Test()
    comm.broadcast(x, 1, False)
    gathered = _Array(200, 12, np.float32)
    comm.all_gather(gathered, x, False)
    comm.reduce_scatter(x, gathered, ReduceOp.SUM, False)
    f32 = nccl.NCCL_FLOAT32
    assert _Recorder.calls[1:] == [
        ("allReduce", 100, 100, 6, f32, nccl.NCCL_MAX, 1234),
        ("allReduce", 100, 100, 6, f32, nccl.NCCL_SUM, 1234),  # AVG: sum, then divided
        ("bcast", 100, 6, f32, 1, 1234),
        ("allGather", 100, 200, 6, f32, 1234),
        ("reduceScatter", 200, 100, 6, f32, nccl.NCCL_SUM, 1234),
    ]
    with pytest.raises(TypeError, match="backend 'nccl' cannot reduce complex64"):
        comm.check_dtype(np.dtype(np.complex64), "all_reduce")
    assert nccl_available(cp)
    assert not nccl_available(SimpleNamespace(cuda=SimpleNamespace()))
