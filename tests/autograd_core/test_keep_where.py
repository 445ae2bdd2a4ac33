"""keep_where, the branch-free select behind ReLU's and max-pooling's gradients: it must equal
where(mask, values, 0) exactly, NaN and inf included, in any memory layout."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.ops.common import keep_where


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int64, np.uint8])
def test_equals_where_for_every_dtype(dtype):
    rng = np.random.default_rng(0)
    values = (rng.standard_normal((5, 7)) * 10).astype(dtype)
    mask = rng.random((5, 7)) > 0.5
    np.testing.assert_array_equal(keep_where(mask, values), np.where(mask, values, 0))
    assert keep_where(mask, values).dtype == dtype


def test_nan_and_inf_are_kept_where_selected_and_zeroed_elsewhere():
    values = np.array([np.nan, np.inf, -np.inf, np.nan, -0.0, 2.0])
    mask = np.array([True, True, False, False, True, False])
    out = keep_where(mask, values)
    assert np.isnan(out[0]) and out[1] == np.inf
    np.testing.assert_array_equal(out[2:], [0.0, 0.0, -0.0, 0.0])


def test_non_contiguous_inputs_and_a_strided_out():
    rng = np.random.default_rng(1)
    values = rng.standard_normal((6, 8)).astype(np.float32).T  # transposed
    mask = (rng.random((8, 12)) > 0.5)[:, ::2]  # strided
    target = np.zeros((8, 12), np.float32)
    result = keep_where(mask, values, out=target[:, 1::2])
    np.testing.assert_array_equal(target[:, 1::2], np.where(mask, values, 0))
    assert np.shares_memory(result, target) and (target[:, ::2] == 0).all()


def test_a_broadcast_mask_falls_back_to_where():
    values = np.arange(6.0).reshape(2, 3)
    mask = np.array([True, False, True])
    np.testing.assert_array_equal(keep_where(mask, values), [[0, 0, 2], [3, 0, 5]])


@pytest.mark.parametrize("create_graph", [False, True])
def test_a_nan_gradient_does_not_leak_through_a_dead_relu(create_graph):
    x = ag.tensor([-1.0, 2.0, 0.0], requires_grad=True)
    (grad,) = ag.grad(
        ag.relu(x), x, grad_outputs=ag.tensor([np.nan, np.nan, 1.0]), create_graph=create_graph
    )
    values = grad.detach().numpy()
    assert values[0] == 0 and np.isnan(values[1]) and values[2] == 0
