"""CPU/GPU parity: every case of the op table gives the same values and gradients on the CPU
and on CUDA (float32, so tolerances allow for a different summation order). Without a GPU,
CUDA is the strict CuPy stand-in (tests/cuda_standin)."""

import numpy as np
import pytest
from op_cases import CASES, EDGE_CASE_WARNINGS

import autograd_core as ag

pytestmark = [
    pytest.mark.gpu,
    *EDGE_CASE_WARNINGS,
]

TOLERANCE = {"rtol": 1e-4, "atol": 1e-5}


def run(case, arrays, device):
    """Outputs and gradients (for a fixed upstream gradient) as NumPy arrays."""
    tensors = case.tensors(arrays, np.float32, device, requires_grad=True)
    outputs = case.fn(*tensors)
    outputs = tuple(outputs) if isinstance(outputs, (tuple, list)) else (outputs,)
    values = [o.detach().cpu().numpy() for o in outputs]
    floats = [o for o in outputs if o.dtype.kind == "f"]
    if not (case.differentiable or case.grad_ref) or not floats:
        return values, []
    rng = np.random.default_rng(4)
    upstream = [
        ag.tensor(rng.standard_normal(o.shape).astype(o.dtype), device=o.device) for o in floats
    ]
    wanted = [tensors[i] for i in case.float_positions()]
    grads = ag.grad(floats, wanted, upstream)
    for x, g in zip(wanted, grads):
        assert g.device == x.device
    return values, [g.cpu().numpy() for g in grads]


def parity_param(case):
    marks = [pytest.mark.xfail(strict=True, reason=case.known_grad_bug)]
    return pytest.param(case, id=case.name, marks=marks if case.known_grad_bug else ())


@pytest.mark.parametrize("case", [parity_param(c) for c in CASES])
def test_cpu_and_cuda_agree(case):
    arrays = case.make_inputs()
    cpu_values, cpu_grads = run(case, arrays, "cpu")
    cuda_values, cuda_grads = run(case, arrays, "cuda")
    for expected, got in zip(cpu_values + cpu_grads, cuda_values + cuda_grads, strict=True):
        assert got.dtype == expected.dtype and got.shape == expected.shape
        if got.dtype.kind == "f":
            np.testing.assert_allclose(got, expected, equal_nan=True, **TOLERANCE)
        else:
            np.testing.assert_array_equal(got, expected)
