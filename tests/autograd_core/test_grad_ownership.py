"""Leaf gradients own their memory: no two `.grad`s alias, and in-place accumulation never
corrupts a gradient still on its way through the graph."""

import numpy as np

import autograd_core as ag


def test_views_of_one_gradient_are_not_shared_between_leaves():
    a = ag.randn(2, 3, requires_grad=True)
    b = ag.randn(3, 2, requires_grad=True)
    (a.reshape(6) + b.reshape(6)).sum().backward()
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())
    with ag.no_grad():
        a.grad.mul_(10)
    np.testing.assert_array_equal(b.grad.numpy(), np.ones((3, 2), np.float32))


def test_same_gradient_object_to_two_leaves_is_copied():
    a = ag.randn(3, requires_grad=True)
    b = ag.randn(3, requires_grad=True)
    (a + b).sum().backward()
    assert a.grad is not b.grad
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())


def test_accumulation_within_a_pass_leaves_pending_gradients_intact():
    # x gets a gradient early (from the add) and again later (through h): the first one must
    # not be updated in place while the same array still waits at h's node
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1.0
    y = x + h  # Add returns one gradient object for both inputs
    (y * y).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * 2 * (2 * np.array([1.0, 2.0])), rtol=1e-6)


def test_callers_gradient_is_not_kept():
    x = ag.randn(3, requires_grad=True)
    upstream = ag.ones(3)
    (x + 0).backward(upstream)
    with ag.no_grad():
        x.grad.mul_(5)
    np.testing.assert_array_equal(upstream.numpy(), np.ones(3, np.float32))


def test_transposed_weight_gradient_is_kept_without_copy_and_accumulates():
    w = ag.randn(4, 3, requires_grad=True)
    x = ag.randn(5, 3)
    (x @ w.T).sum().backward()
    first = w.grad.numpy().copy()
    (x @ w.T).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), 2 * first, rtol=1e-6)
