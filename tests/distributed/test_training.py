"""fit(..., distributed=True) and `mpiexec -n 2 python -m autograd_core train` on 2 ranks."""

from .mpi_launch import HERE, requires_mpi, run_ranks


@requires_mpi
def test_fit_distributed_averages_metrics_and_keeps_the_replicas_equal():
    code, out, err, _ = run_ranks(2, str(HERE / "ranks_fit.py"), timeout=180)
    assert code == 0, out + err
    lines = out.splitlines()
    assert sorted(line for line in lines if line.startswith("fit ok")) == [
        "fit ok on rank 0",
        "fit ok on rank 1",
    ]


@requires_mpi
def test_train_command_on_two_ranks_reports_and_writes_once(tmp_path):
    out_dir = tmp_path / "run"
    args = ["-m", "autograd_core", "train", "--model", "mlp", "--data", "moons"]
    args += ["--epochs", "2", "--out", str(out_dir), "--no-progress"]
    code, out, err, _ = run_ranks(2, *args, timeout=240)
    assert code == 0, out + err
    lines = out.splitlines()
    assert sum(line.startswith("training mlp") for line in lines) == 1, out
    assert sum(line.startswith("distributed: 2 ranks") for line in lines) == 1, out
    assert sum(line.startswith("held-out accuracy") for line in lines) == 1, out
    assert (out_dir / "model.safetensors").is_file()
    assert (out_dir / "config.json").is_file()
