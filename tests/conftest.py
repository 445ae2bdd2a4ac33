"""Shared fixtures: one `device` fixture runs a test body on the CPU and, where CuPy sees a
GPU, on CUDA too."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import backend

HAS_CUDA = backend.cuda_device_count() > 0

DEVICES = [
    "cpu",
    pytest.param(
        "cuda", marks=[pytest.mark.gpu, pytest.mark.skipif(not HAS_CUDA, reason="no CUDA GPU")]
    ),
]


@pytest.fixture(params=DEVICES)
def device(request):
    return request.param


@pytest.fixture(autouse=True)
def _seed():
    ag.manual_seed(0)
    np.random.seed(0)
