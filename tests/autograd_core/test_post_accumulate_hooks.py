"""Tensor.register_post_accumulate_grad_hook: delivered mid-backward, once, on the final .grad."""

import numpy as np
import pytest

import autograd_core as ag


def _two_layers():
    w0 = ag.tensor([[0.5, -0.2], [0.1, 0.3]], dtype=ag.float64, requires_grad=True)
    w1 = ag.tensor([[0.7], [-0.4]], dtype=ag.float64, requires_grad=True)
    x = ag.tensor([[1.0, 2.0], [-1.0, 0.5]], dtype=ag.float64)
    return w0, w1, x


def test_hook_runs_as_soon_as_the_leaf_is_final_not_at_the_end():
    w0, w1, x = _two_layers()
    seen = []
    w1.register_post_accumulate_grad_hook(lambda p: seen.append(("w1", w0.grad is None)))
    w0.register_post_accumulate_grad_hook(lambda p: seen.append(("w0", w1.grad is None)))
    loss = (ag.tanh(x @ w0) @ w1).sum()
    loss.backward()
    # w1's gradient is final before backward reaches the first layer
    assert seen == [("w1", True), ("w0", False)]


def test_hook_sees_the_total_gradient_of_a_leaf_used_twice():
    w = ag.tensor([1.5, -2.0], dtype=ag.float64, requires_grad=True)
    totals = []
    w.register_post_accumulate_grad_hook(lambda p: totals.append(p.grad.numpy().copy()))
    ((w * w).sum() + (3 * w).sum()).backward()
    assert len(totals) == 1
    np.testing.assert_allclose(totals[0], 2 * np.array([1.5, -2.0]) + 3, rtol=1e-15)
    np.testing.assert_allclose(w.grad.numpy(), totals[0], rtol=1e-15)


def test_grad_changed_in_place_by_a_hook_does_not_leak_into_other_gradients():
    w = ag.tensor([0.3, 0.6], dtype=ag.float64, requires_grad=True)
    a = ag.tensor([0.2, -0.1], dtype=ag.float64, requires_grad=True)

    def double(p):
        p.grad.mul_(2)

    w.register_post_accumulate_grad_hook(double)
    (w + ag.exp(a)).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), [2.0, 2.0], rtol=1e-15)
    np.testing.assert_allclose(a.grad.numpy(), np.exp([0.2, -0.1]), rtol=1e-15)


def test_a_view_of_a_gradient_still_in_flight_is_copied_before_a_hook_changes_it():
    w = ag.tensor([[0.3, 0.6], [0.1, -0.2]], dtype=ag.float64, requires_grad=True)
    a = ag.tensor([0.2, -0.1, 0.4, 0.0], dtype=ag.float64, requires_grad=True)

    def triple(p):
        p.grad.mul_(3)

    w.register_post_accumulate_grad_hook(triple)
    # reshape's backward hands w a view of the gradient that exp's backward reads next
    (w.reshape(4) + ag.exp(a)).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), np.full((2, 2), 3.0), rtol=1e-15)
    np.testing.assert_allclose(a.grad.numpy(), np.exp([0.2, -0.1, 0.4, 0.0]), rtol=1e-15)


def test_hook_accumulates_across_passes_and_remove_stops_it():
    w = ag.tensor(2.0, dtype=ag.float64, requires_grad=True)
    seen = []
    handle = w.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.item()))
    (w * 3).backward()
    (w * 3).backward()
    handle.remove()
    (w * 3).backward()
    assert seen == pytest.approx([3.0, 6.0], rel=1e-15)
    assert w.grad.item() == pytest.approx(9.0, rel=1e-15)


def test_hook_is_not_run_by_grad_nor_for_leaves_outside_inputs():
    w = ag.tensor(2.0, dtype=ag.float64, requires_grad=True)
    v = ag.tensor(1.0, dtype=ag.float64, requires_grad=True)
    seen = []
    w.register_post_accumulate_grad_hook(lambda p: seen.append("w"))
    ag.grad(w * v, w)
    (w * v).backward(inputs=[v])
    assert seen == []
    (w * v).backward()
    assert seen == ["w"]


def test_hook_errors():
    w = ag.tensor(1.0, requires_grad=True)
    with pytest.raises(RuntimeError, match="non-leaf"):
        (w * 2).register_post_accumulate_grad_hook(lambda p: None)
    with pytest.raises(RuntimeError, match="doesn't require grad"):
        ag.tensor(1.0).register_post_accumulate_grad_hook(lambda p: None)
    with pytest.raises(TypeError, match="must be callable, got int"):
        w.register_post_accumulate_grad_hook(3)
    w.register_post_accumulate_grad_hook(lambda p: p)
    with pytest.raises(RuntimeError, match="must return None"):
        (w * 2).backward()
