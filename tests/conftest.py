"""Shared fixtures: one `device` fixture runs a test body on the CPU and on CUDA: the real GPU
where CuPy sees one, otherwise the strict CuPy stand-in of tests/cuda_standin (`cuda-standin`).
Every test marked `gpu` runs on the stand-in when there is no GPU; `--cuda-standin` picks the
stand-in even where there is one."""

import cuda_standin  # tests/ is on sys.path: pytest puts a rootdir conftest's folder there
import numpy as np
import pytest

import autograd_core as ag
from autograd_core import backend

# decided before any stand-in is active: a real CUDA GPU that CuPy can use
HAS_CUDA = backend.cuda_device_count() > 0


def pytest_addoption(parser):
    parser.addoption(
        "--cuda-standin",
        action="store_true",
        help="run the gpu tests on the CuPy stand-in even where a real GPU is present",
    )


def uses_standin(config) -> bool:
    return not HAS_CUDA or config.getoption("--cuda-standin")


DEVICES = [
    "cpu",
    pytest.param("cuda", marks=pytest.mark.gpu, id="cuda" if HAS_CUDA else "cuda-standin"),
]


@pytest.fixture(params=DEVICES)
def device(request):
    return request.param


@pytest.fixture(autouse=True)
def _gpu_tests_on_the_standin(request):
    """A `gpu` test without a GPU runs on the stand-in, which is active for its whole body."""
    if request.node.get_closest_marker("gpu") is None or not uses_standin(request.config):
        yield
        return
    with cuda_standin.activate():
        yield


@pytest.fixture
def cuda_standin_device():
    """The stand-in, active, with its transfer counts reset: for tests of host transfers."""
    with cuda_standin.activate() as transfers:
        transfers.reset()
        yield transfers


@pytest.fixture(autouse=True)
def _seed():
    ag.manual_seed(0)
    np.random.seed(0)
