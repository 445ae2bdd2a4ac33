"""NaN and edge values: what PyTorch gives for NaN inputs to the piecewise functions, for the
gradients of max/min/norm at NaN and of powers at 0, and for integer division by zero.

The known values were computed with PyTorch 2.13 on the same inputs."""

import math

import numpy as np
import pytest

import autograd_core as ag
import nn.functional as F

NAN = math.nan
X = [NAN, -2.0, -0.5, 0.0, 0.5, 2.0, 7.0]

# name: (function, PyTorch's values, PyTorch's gradient of the sum)
PIECEWISE = {
    "relu6": (F.relu6, [NAN, 0, 0, 0, 0.5, 2, 6], [1, 0, 0, 0, 1, 1, 0]),
    "hardtanh": (F.hardtanh, [NAN, -1, -0.5, 0, 0.5, 1, 1], [1, 0, 1, 1, 1, 0, 0]),
    "clamp": (lambda t: t.clamp(-1, 1), [NAN, -1, -0.5, 0, 0.5, 1, 1], [0, 0, 1, 1, 1, 0, 0]),
    "clamp_min": (lambda t: t.clamp(min=0), [NAN, 0, 0, 0, 0.5, 2, 7], [0, 0, 0, 1, 1, 1, 1]),
    "clamp_max": (lambda t: t.clamp(max=0), [NAN, -2, -0.5, 0, 0, 0, 0], [0, 1, 1, 1, 0, 0, 0]),
    "softshrink": (F.softshrink, [NAN, -1.5, 0, 0, 0, 1.5, 6.5], [1, 1, 0, 0, 0, 1, 1]),
    "hardshrink": (F.hardshrink, [NAN, -2, 0, 0, 0, 2, 7], [1, 1, 0, 0, 0, 1, 1]),
    "threshold": (
        lambda t: F.threshold(t, 0.1, 20.0),
        [NAN, 20, 20, 20, 0.5, 2, 7],
        [1, 0, 0, 0, 1, 1, 1],
    ),
    "sign": (ag.sign, [0, -1, -1, 0, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0]),
    "elu": (
        F.elu,
        [NAN, -0.8646647334, -0.3934693336, 0, 0.5, 2, 7],
        [1, 0.1353352815, 0.6065306664, 1, 1, 1, 1],
    ),
    "leaky_relu": (
        F.leaky_relu,
        [NAN, -0.02, -0.005, 0, 0.5, 2, 7],
        [0.01, 0.01, 0.01, 0.01, 1, 1, 1],
    ),
}


@pytest.mark.parametrize("name", list(PIECEWISE))
def test_nan_and_kinks_of_piecewise_functions_as_pytorch(name):
    fn, values, grad = PIECEWISE[name]
    x = ag.tensor(X, requires_grad=True)
    out = fn(x)
    out.sum().backward()
    np.testing.assert_allclose(out.detach().numpy(), values, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(x.grad.numpy(), grad, rtol=1e-6, atol=1e-7)


# name: (reduction of [1, nan, 3], PyTorch's gradient)
REDUCTIONS_AT_NAN = {
    "max": (lambda t: t.max(), [0, 1, 0]),
    "min": (lambda t: t.min(), [0, 1, 0]),
    "max_dim": (lambda t: t.max(0).values, [0, 1, 0]),
    "amax": (lambda t: t.amax(), [NAN, NAN, NAN]),
    "norm": (lambda t: t.norm(), [NAN, NAN, NAN]),
    "norm_1": (lambda t: t.norm(1), [1, 0, 1]),
    "norm_inf": (lambda t: t.norm(float("inf")), [0, 0, 0]),
    "norm_minus_inf": (lambda t: t.norm(-float("inf")), [0, 0, 0]),
}


@pytest.mark.parametrize("name", list(REDUCTIONS_AT_NAN))
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # amax's 0/0, as PyTorch's NaN
def test_gradients_of_max_min_and_norm_at_nan_as_pytorch(name):
    fn, grad = REDUCTIONS_AT_NAN[name]
    x = ag.tensor([1.0, NAN, 3.0], requires_grad=True)
    out = fn(x)
    assert math.isnan(out.item())
    out.backward()
    np.testing.assert_allclose(x.grad.numpy(), grad)


def test_norm_gradients_at_zero_as_pytorch():
    x = ag.tensor([0.0, 0.0, 3.0], requires_grad=True)
    x.norm().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0, 0, 1])
    zero = ag.zeros(3, requires_grad=True)
    zero.norm().backward()
    np.testing.assert_allclose(zero.grad.numpy(), [0, 0, 0])


@pytest.mark.parametrize(
    "exponent, values, grad",
    [
        (0.5, [0, 1], [math.inf, 0.5]),
        (0.0, [1, 1], [0, 0]),
        (1.0, [0, 1], [1, 1]),
        (2.0, [0, 1], [0, 2]),
        (1.5, [0, 1], [0, 1.5]),
        (-1.0, [math.inf, 1], [-math.inf, -1]),
    ],
)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_powers_at_zero_as_pytorch(exponent, values, grad):
    x = ag.tensor([0.0, 1.0], requires_grad=True)
    out = x.pow(exponent)
    out.sum().backward()
    np.testing.assert_allclose(out.detach().numpy(), values)
    np.testing.assert_allclose(x.grad.numpy(), grad)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_other_kinks_as_pytorch():
    x = ag.tensor([0.0], requires_grad=True)
    ag.sqrt(x).sum().backward()
    assert x.grad.item() == math.inf
    y = ag.tensor([0.0, -1.0], requires_grad=True)
    y.abs().sum().backward()
    np.testing.assert_allclose(y.grad.numpy(), [0, -1])
    b = ag.tensor([0.0, 2.0], requires_grad=True)
    (ag.tensor(0.0) ** b).sum().backward()
    np.testing.assert_allclose(b.grad.numpy(), [0, 0])
    b.grad = None
    (ag.tensor(2.0) ** b).sum().backward()
    np.testing.assert_allclose(b.grad.numpy(), [0.6931471806, 2.7725887222], rtol=1e-6)


@pytest.mark.parametrize(
    "divide",
    [
        lambda a, b: a // b,
        lambda a, b: a % b,
        lambda a, b: ag.floor_divide(a, b),
        lambda a, b: ag.remainder(a, b),
        lambda a, b: ag.div(a, b, rounding_mode="floor"),
        lambda a, b: ag.div(a, b, rounding_mode="trunc"),
    ],
    ids=["floordiv", "mod", "floor_divide", "remainder", "div-floor", "div-trunc"],
)
def test_integer_division_by_zero_raises_zero_division_error(divide):
    a = ag.tensor([5, 3])
    with pytest.raises(ZeroDivisionError, match="integer division by zero"):
        divide(a, ag.tensor([0, 1]))
    with pytest.raises(ZeroDivisionError, match="integer division by zero"):
        divide(a, 0)
    np.testing.assert_array_equal(divide(a, ag.tensor([2, 2])).numpy(), divide(a, 2).numpy())
    assert divide(a, ag.tensor([2, 2])).tolist() in ([2, 1], [1, 1])  # quotient or remainder


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_float_division_by_zero_gives_pytorchs_inf_and_nan():
    np.testing.assert_array_equal((ag.tensor([5.0, 3.0]) // 0).numpy(), [math.inf, math.inf])
    assert np.isnan((ag.tensor([5.0, -3.0]) % 0).numpy()).all()
