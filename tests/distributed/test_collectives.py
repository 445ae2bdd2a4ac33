"""The process group and the collectives, on 3 ranks (mpiexec) and in this process."""

import subprocess
import sys

import pytest

import autograd_core.distributed as dist

from .mpi_launch import ROOT, requires_mpi, run_checks


@requires_mpi
def test_collectives_on_three_ranks():
    lines = run_checks(3, "ranks_collectives.py")
    assert sorted(lines) == [f"collectives ok on rank {r}" for r in range(3)]


def test_importing_the_package_does_not_load_mpi():
    code = "import sys, autograd_core.distributed, nn\nprint('mpi4py' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_errors_before_a_group_exists():
    assert not dist.is_initialized()
    with pytest.raises(RuntimeError, match="Default process group has not been initialized"):
        dist.get_world_size()
    with pytest.raises(RuntimeError, match="all_reduce: Default process group"):
        import autograd_core as ag

        dist.all_reduce(ag.ones(2))
    with pytest.raises(ValueError, match="unknown backend 'gloo'; expected 'mpi'"):
        dist.init_process_group("gloo")
    with pytest.raises(TypeError, match="backend must be a string, got int"):
        dist.init_process_group(3)
    with pytest.raises(ValueError, match="init_method 'tcp://10.0.0.1:23456' is not supported"):
        dist.init_process_group("mpi", init_method="tcp://10.0.0.1:23456")
    with pytest.raises(RuntimeError, match="destroy_process_group: Default process group"):
        dist.destroy_process_group()
