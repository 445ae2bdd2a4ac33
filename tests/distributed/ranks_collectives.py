"""Run on 3 ranks by test_collectives.py: every collective's values and errors."""

import numpy as np
import pytest

import autograd_core as ag
import autograd_core.distributed as dist

dist.init_process_group("mpi")
rank, world = dist.get_rank(), dist.get_world_size()
assert dist.is_initialized() and dist.get_backend() == "mpi" and world == 3
local = ag.tensor([dist.get_node_local_rank()], dtype=ag.int64)
local_ranks = [ag.zeros(1, dtype=ag.int64) for _ in range(world)]
dist.all_gather(local_ranks, local)
assert sorted(t.item() for t in local_ranks) == [0, 1, 2]  # one machine: each GPU index once

# all_reduce: each op, in place, float and int
for op, expected in [
    (dist.ReduceOp.SUM, [3.0, 6.0]),
    (dist.ReduceOp.AVG, [1.0, 2.0]),
    (dist.ReduceOp.MAX, [2.0, 4.0]),
    (dist.ReduceOp.MIN, [0.0, 0.0]),
    (dist.ReduceOp.PRODUCT, [0.0, 0.0]),
]:
    t = ag.tensor([float(rank), 2.0 * rank], dtype=ag.float64)
    assert dist.all_reduce(t, op=op) is None
    np.testing.assert_allclose(t.numpy(), expected, rtol=1e-15)
counts = ag.tensor([rank + 1, 10], dtype=ag.int64)
dist.all_reduce(counts)
assert counts.tolist() == [6, 30]

# async: the result is there after wait(); a non-contiguous tensor is written back
t = ag.full((1000,), float(rank + 1))
work = dist.all_reduce(t, op=dist.ReduceOp.AVG, async_op=True)
assert isinstance(work, dist.Work)
assert work.wait() is True and work.is_completed()
np.testing.assert_allclose(t.numpy(), np.full(1000, 2.0), rtol=1e-6)
grid = ag.arange(12.0, dtype=ag.float64).reshape(3, 4) * (rank + 1)
view = grid.T
assert not view.numpy().flags.c_contiguous
dist.all_reduce(view)
np.testing.assert_allclose(grid.numpy(), 6 * np.arange(12.0).reshape(3, 4), rtol=1e-15)

# broadcast, all_gather, reduce_scatter (sync and async)
t = ag.tensor([10.0 * rank, 1.0])
dist.broadcast(t, src=2)
np.testing.assert_allclose(t.numpy(), [20.0, 1.0])
t = ag.tensor([float(rank)])
dist.broadcast(t, src=1, async_op=True).wait()
assert t.item() == 1.0
parts = [ag.zeros(2, dtype=ag.float64) for _ in range(world)]
dist.all_gather(parts, ag.tensor([rank, rank + 0.5], dtype=ag.float64))
np.testing.assert_allclose(np.stack([p.numpy() for p in parts]), [[0, 0.5], [1, 1.5], [2, 2.5]])
out = ag.zeros(2)
inputs = [ag.full((2,), float(10 * i + rank)) for i in range(world)]
dist.reduce_scatter(out, inputs, async_op=True).wait()
np.testing.assert_allclose(out.numpy(), np.full(2, 30.0 * rank + 3.0))
dist.reduce_scatter(out, inputs, op=dist.ReduceOp.MAX)
np.testing.assert_allclose(out.numpy(), np.full(2, 10.0 * rank + 2.0))
dist.barrier()

# errors: each names the call and what was wrong, on every rank alike
with pytest.raises(TypeError, match="all_reduce: expected a Tensor, got list"):
    dist.all_reduce([1.0])
with pytest.raises(TypeError, match="op must be a ReduceOp"):
    dist.all_reduce(ag.ones(2), op="sum")
with pytest.raises(ValueError, match="ReduceOp.AVG needs a floating tensor, got int64"):
    dist.all_reduce(ag.ones(2, dtype=ag.int64), op=dist.ReduceOp.AVG)
with pytest.raises(TypeError, match="backend 'mpi' cannot reduce float16"):
    dist.all_reduce(ag.ones(2, dtype=ag.float16))
with pytest.raises(ValueError, match="src=3 is not a rank of a world of 3"):
    dist.broadcast(ag.ones(2), src=3)
with pytest.raises(ValueError, match="tensor_list holds 2 tensors but the world has 3"):
    dist.all_gather([ag.zeros(2), ag.zeros(2)], ag.ones(2))
with pytest.raises(ValueError, match=r"input_list\[1\] is \(3,\)"):
    dist.reduce_scatter(ag.zeros(2), [ag.zeros(2), ag.zeros(3), ag.zeros(2)])
with pytest.raises(ValueError, match="only the default group"):
    dist.all_reduce(ag.ones(2), group="pairs")
with pytest.raises(RuntimeError, match="initialize the default process group twice"):
    dist.init_process_group("mpi")

dist.destroy_process_group()
assert not dist.is_initialized()
with pytest.raises(RuntimeError, match="get_rank: Default process group has not been initialized"):
    dist.get_rank()
dist.init_process_group("mpi", init_method="env://", world_size=3, rank=rank)
assert dist.get_rank() == rank
print(f"collectives ok on rank {rank}")
