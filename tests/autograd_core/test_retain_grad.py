"""retain_grad() as PyTorch: backward() fills .grad of retained non-leaves, grad() does not."""

import autograd_core as ag


def test_backward_fills_the_grad_of_a_retained_non_leaf():
    x = ag.tensor(2.0, requires_grad=True)
    h = x * 3
    h.retain_grad()
    (h * h).backward()
    assert h.grad.item() == 12.0  # d(h^2)/dh = 2h


def test_grad_leaves_the_grad_of_a_retained_non_leaf_alone():
    x = ag.tensor(2.0, requires_grad=True)
    h = x * 3
    h.retain_grad()
    (dx,) = ag.grad(h * h, x)
    assert dx.item() == 36.0
    assert h.grad is None and x.grad is None


def test_tape_names_a_named_scalar_constant():
    w = ag.tensor(2.0, requires_grad=True)
    c = ag.tensor(1.5)
    c.name = "x"
    with ag.Tape() as tape:
        w * c
    assert "mul(t1, x)" in str(tape)
