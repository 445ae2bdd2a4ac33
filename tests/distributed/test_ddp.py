"""DistributedDataParallel and SyncBatchNorm on 2 ranks against one process; a failing rank
stops every rank."""

from .mpi_launch import HERE, requires_mpi, run_checks, run_ranks


@requires_mpi
def test_ddp_on_half_batches_equals_one_process_on_whole_batches():
    # MLP and CNN in float64 and float32, SyncBatchNorm, no_sync, unused parameters, state_dict
    lines = run_checks(2, "ranks_ddp.py", timeout=180)
    assert sorted(lines) == ["ddp ok on rank 0", "ddp ok on rank 1"]


@requires_mpi
def test_a_rank_that_raises_stops_every_rank_within_seconds():
    code, out, err, seconds = run_ranks(2, str(HERE / "ranks_abort.py"), timeout=60)
    assert code != 0
    assert "rank 1 failed; aborting all ranks" in err
    assert "ValueError: rank one broke on purpose" in err
    assert "rank 0 went on" not in out
    assert seconds < 30, f"the job took {seconds:.1f}s to stop"
