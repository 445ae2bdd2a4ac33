"""nn.init: bounds, gains, in-place without recording."""

import math

import pytest

import autograd_core as ag
from nn import init


def test_init_functions():
    w = ag.empty((50, 40), requires_grad=True)
    for fn in (
        init.xavier_uniform_,
        init.kaiming_uniform_,
        init.xavier_normal_,
        init.kaiming_normal_,
    ):
        assert fn(w) is w and w.grad_fn is None
    init.xavier_uniform_(w)
    assert w.detach().abs().max().item() <= math.sqrt(6 / 90) + 1e-6
    assert init.constant_(w, 0.5).detach().mean().item() == 0.5
    assert init.zeros_(w).detach().sum().item() == 0.0
    assert init.ones_(w).detach().sum().item() == 2000.0


def test_gain_and_errors():
    assert init.calculate_gain("relu") == math.sqrt(2)
    assert init.calculate_gain("tanh") == 5 / 3
    with pytest.raises(ValueError, match="nonlinearity"):
        init.calculate_gain("swish")
    with pytest.raises(ValueError, match="at least 2 dims"):
        init.xavier_uniform_(ag.empty(3))


@pytest.mark.parametrize("name", ["conv_transpose1d", "conv_transpose2d", "conv_transpose3d"])
def test_calculate_gain_conv_transpose_is_one(name):
    assert init.calculate_gain(name) == 1.0


@pytest.mark.parametrize("param", ["x", True])
def test_calculate_gain_refuses_bad_slope(param):
    with pytest.raises(ValueError, match="not a valid number"):
        init.calculate_gain("leaky_relu", param)


@pytest.mark.parametrize("fn", [init.kaiming_uniform_, init.kaiming_normal_])
def test_kaiming_on_zero_element_tensor_is_a_no_op(fn):
    t = ag.empty((3, 0))
    assert fn(t) is t
