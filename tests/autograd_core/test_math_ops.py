"""Rounding, transcendental and two-input math ops beyond the table: the zero gradient of step
functions, integer and bool inputs, and errors naming the op."""

import numpy as np
import pytest

import autograd_core as ag

STEP_FUNCTIONS = [ag.floor, ag.ceil, ag.trunc, ag.round, ag.sign]


@pytest.mark.parametrize("op", STEP_FUNCTIONS, ids=lambda op: op.__name__)
def test_step_functions_have_a_zero_gradient_not_none(op, device):
    x = ag.tensor([1.5, -2.5, 0.0, 3.0], requires_grad=True, device=device)
    out = op(x)
    assert out.requires_grad and out.grad_fn is not None
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.cpu().numpy(), np.zeros(4, dtype=np.float32))


@pytest.mark.parametrize("op", [ag.floor, ag.ceil, ag.trunc, ag.round], ids=lambda op: op.__name__)
def test_rounding_an_integer_tensor_gives_a_copy_of_it(op, device):
    i = ag.tensor([3, -2, 0], device=device)
    out = op(i)
    assert out.dtype == ag.int64 and out.tolist() == [3, -2, 0]
    assert out is not i and out.grad_fn is None


def test_sign_of_bool_is_bool_and_of_int_is_int(device):
    assert ag.sign(ag.tensor([True, False], device=device)).tolist() == [True, False]
    out = ag.sign(ag.tensor([4, 0, -2], device=device))
    assert out.dtype == ag.int64 and out.tolist() == [1, 0, -1]


def test_nan_to_num_passes_the_gradient_only_where_finite(device):
    x = ag.tensor([1.0, float("nan"), float("inf"), -2.0], requires_grad=True, device=device)
    ag.nan_to_num(x, posinf=9.0).sum().backward()
    assert x.grad.tolist() == [1.0, 0.0, 0.0, 1.0]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda i: ag.frac(i), "frac: expected a floating-point tensor, got int64"),
        (lambda i: ag.hypot(i, i), "hypot: expected floating-point tensors, got int64"),
        (lambda i: ag.logaddexp(i, i), "logaddexp: expected floating-point tensors, got int64"),
        (lambda i: ag.lerp(i, i, 0.5), "lerp: expected floating-point tensors, got int64"),
        (lambda i: ag.round(i, decimals=1), "round: decimals needs a floating-point tensor"),
        (lambda i: ag.floor(i > 0), "floor: expected a number tensor, got bool"),
        (lambda i: ag.round(i * 1.0, decimals=0.5), "round: decimals must be an int"),
    ],
)
def test_ops_refuse_dtypes_pytorch_refuses(call, message, device):
    with pytest.raises(TypeError, match=f"^{message}"):
        call(ag.tensor([1, 2], device=device))


def test_lerp_refuses_a_weight_of_another_dtype_unless_0d(device):
    start = ag.zeros(3, device=device)
    end = ag.ones(3, device=device)
    weight = ag.full((3,), 0.5, dtype=ag.float64, device=device)
    with pytest.raises(TypeError, match="^lerp: weight has dtype float64"):
        ag.lerp(start, end, weight)
    half = ag.lerp(start, end, ag.tensor(0.5, dtype=ag.float64, device=device))
    assert half.dtype == ag.float32 and half.tolist() == [0.5, 0.5, 0.5]


@pytest.mark.parametrize("op", [ag.atan2, ag.hypot, ag.logaddexp], ids=lambda op: op.__name__)
def test_two_input_ops_name_themselves_on_a_shape_mismatch(op, device):
    with pytest.raises(ValueError, match=f"^{op.__name__}: shapes"):
        op(ag.ones(2, 3, device=device), ag.ones(4, device=device))


def test_lerp_names_itself_on_a_shape_mismatch(device):
    with pytest.raises(ValueError, match="^lerp: shapes"):
        ag.lerp(ag.ones(2, 3, device=device), ag.ones(3, device=device), ag.ones(4, device=device))
