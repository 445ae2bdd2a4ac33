"""mse_loss, l1_loss, smooth_l1_loss and huber_loss with a target of another shape: PyTorch's
UserWarning, then the loss broadcasts (values and gradients are PyTorch 2.13's); shapes that do
not broadcast are a ValueError naming both."""

import re
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F

LOSSES = {
    "mse_loss": (F.mse_loss, {}, nn.MSELoss),
    "l1_loss": (F.l1_loss, {}, nn.L1Loss),
    "smooth_l1_loss": (F.smooth_l1_loss, {"beta": 1.0}, nn.SmoothL1Loss),
    "huber_loss": (F.huber_loss, {"delta": 1.5}, nn.HuberLoss),
}

# input [0.5, -1.0, 2.0] against target [[0.0], [1.5]] in float64: the loss over the (2, 3)
# broadcast, and d loss / d input, as PyTorch 2.13 computes them
PYTORCH = {
    ("mse_loss", "mean"): (2.125, [-1 / 6, -7 / 6, 5 / 6]),
    ("mse_loss", "sum"): (12.75, [-1.0, -7.0, 5.0]),
    ("l1_loss", "mean"): (1.25, [0.0, -1 / 3, 1 / 3]),
    ("l1_loss", "sum"): (7.5, [0.0, -2.0, 2.0]),
    ("smooth_l1_loss", "mean"): (0.7916666666666666, [-1 / 12, -1 / 3, 0.25]),
    ("smooth_l1_loss", "sum"): (4.75, [-0.5, -2.0, 1.5]),
    ("huber_loss", "mean"): (0.9583333333333334, [-1 / 12, -5 / 12, 1 / 3]),
    ("huber_loss", "sum"): (5.75, [-0.5, -2.5, 2.0]),
}


def _message(target_shape, input_shape):
    return re.escape(
        f"Using a target size (autograd_core.Size({list(target_shape)})) that is different to "
        f"the input size (autograd_core.Size({list(input_shape)})). This will likely lead to "
        "incorrect results due to broadcasting. Please ensure they have the same size."
    )


@pytest.mark.parametrize("name", list(LOSSES))
def test_a_broadcasting_target_warns_with_pytorchs_message(name):
    loss_fn, kwargs, _ = LOSSES[name]
    x, t = ag.tensor([1.0, 2.0, 3.0]), ag.zeros(3, 1)
    with pytest.warns(UserWarning, match=_message((3, 1), (3,))) as record:
        loss_fn(x, t, **kwargs)
    assert len(record) == 1
    assert record[0].filename == __file__  # the warning points at the caller


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("name", list(LOSSES))
def test_values_and_gradients_are_pytorchs(name, reduction):
    loss_fn, kwargs, _ = LOSSES[name]
    x = ag.tensor([0.5, -1.0, 2.0], dtype=ag.float64, requires_grad=True)
    t = ag.tensor([[0.0], [1.5]], dtype=ag.float64)
    with pytest.warns(UserWarning, match="Using a target size"):
        loss = loss_fn(x, t, reduction=reduction, **kwargs)
    loss.backward()
    value, grad = PYTORCH[name, reduction]
    np.testing.assert_allclose(loss.item(), value, rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), grad, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", list(LOSSES))
def test_reduction_none_has_the_broadcast_shape(name):
    loss_fn, kwargs, _ = LOSSES[name]
    with pytest.warns(UserWarning, match=_message((2, 1), (3,))):
        loss = loss_fn(ag.zeros(3), ag.zeros(2, 1), reduction="none", **kwargs)
    assert loss.shape == (2, 3)


def test_the_input_may_be_the_one_that_broadcasts_and_both_get_gradients():
    x = ag.tensor([[1.0], [2.0], [4.0]], dtype=ag.float64, requires_grad=True)
    t = ag.tensor([0.0, 3.0], dtype=ag.float64, requires_grad=True)
    with pytest.warns(UserWarning, match=_message((2,), (3, 1))):
        loss = F.mse_loss(x, t)
    loss.backward()
    np.testing.assert_allclose(loss.item(), 4.5, rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), [[-1 / 3], [1 / 3], [5 / 3]], rtol=1e-12)
    np.testing.assert_allclose(t.grad.numpy(), [-7 / 3, 2 / 3], rtol=1e-12)


def test_a_0d_target_warns_too():
    with pytest.warns(UserWarning, match=_message((), (3,))):
        loss = F.mse_loss(ag.ones(3), ag.tensor(0.0))
    np.testing.assert_allclose(loss.item(), 1.0)


@pytest.mark.parametrize("name", list(LOSSES))
def test_the_modules_warn_as_well(name):
    _, kwargs, module = LOSSES[name]
    with pytest.warns(UserWarning, match=_message((3, 1), (3,))):
        module(**kwargs)(ag.ones(3), ag.zeros(3, 1))


@pytest.mark.parametrize("name", list(LOSSES))
def test_equal_shapes_do_not_warn(name):
    loss_fn, kwargs, _ = LOSSES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning here fails the test
        loss = loss_fn(ag.ones(2, 3), ag.zeros(2, 3), **kwargs)
    # |input - target| = 1: squared and absolute give 1, smooth L1 (beta 1) and Huber
    # (delta 1.5) give 0.5
    want = {"mse_loss": 1.0, "l1_loss": 1.0, "smooth_l1_loss": 0.5, "huber_loss": 0.5}[name]
    assert abs(loss.item() - want) < 1e-6


@pytest.mark.parametrize("name", list(LOSSES))
def test_shapes_that_do_not_broadcast_are_a_value_error_naming_both(name):
    loss_fn, kwargs, _ = LOSSES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # refused before any warning
        with pytest.raises(
            ValueError,
            match=rf"{name}: input shape \(3,\) and target shape \(4,\) do not broadcast",
        ):
            loss_fn(ag.zeros(3), ag.zeros(4), **kwargs)
        with pytest.raises(ValueError, match=r"input shape \(2, 3\) and target shape \(3, 2\)"):
            loss_fn(ag.zeros(2, 3), ag.zeros(3, 2), **kwargs)
