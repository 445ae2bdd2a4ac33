"""Run on 2 ranks by test_abort.py: rank 1 raises while rank 0 waits in a collective."""

import autograd_core as ag
import autograd_core.distributed as dist

dist.init_process_group("mpi")
if dist.get_rank() == 1:
    raise ValueError("rank one broke on purpose")
dist.all_reduce(ag.ones(4))  # never matched: without the abort this would wait forever
print("rank 0 went on: the abort did not happen")
