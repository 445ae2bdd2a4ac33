"""Optimizer base: param groups, skipping, zero_grad, state_dict round trips, validation."""

import numpy as np
import pytest
from optim_steps import check_state_dict_round_trip

import autograd_core as ag
import optim


def quad_steps(opt, params, n):
    for _ in range(n):
        opt.zero_grad()
        sum(((p - 1.0) ** 2 * (i + 1)).sum() for i, p in enumerate(params)).backward()
        opt.step()


def test_skips_frozen_and_gradless():
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    b = ag.tensor([3.0, 4.0], requires_grad=True)  # grad stays None
    c = ag.tensor([5.0, 6.0])  # no grad required
    opt = optim.Adam([a, b, c], lr=0.1)
    (a * a).sum().backward()
    opt.step()
    np.testing.assert_allclose(b.detach().numpy(), [3.0, 4.0])
    np.testing.assert_allclose(c.numpy(), [5.0, 6.0])
    assert b not in opt.state and c not in opt.state
    assert not np.allclose(a.detach().numpy(), [1.0, 2.0])


def test_param_groups_with_options():
    a = ag.tensor([1.0], requires_grad=True)
    b = ag.tensor([1.0], requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert opt.param_groups[1]["momentum"] == 0
    (a + b).sum().backward()
    opt.step()
    np.testing.assert_allclose([a.item(), b.item()], [0.9, 0.5])
    c = ag.tensor([1.0], requires_grad=True)
    opt.add_param_group({"params": c, "lr": 2.0})
    assert opt.param_groups[2]["params"] == [c] or opt.param_groups[2]["params"][0] is c


def test_zero_grad():
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([a], lr=0.1)
    (a * a).sum().backward()
    opt.zero_grad(set_to_none=False)
    np.testing.assert_allclose(a.grad.numpy(), [0.0, 0.0])
    opt.zero_grad()
    assert a.grad is None


def test_step_with_closure_returns_loss():
    a = ag.tensor([2.0], requires_grad=True)
    opt = optim.SGD([a], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (a * a).sum()
        loss.backward()
        return loss

    with ag.no_grad():  # the closure still records
        loss = opt.step(closure)
    assert loss.item() == 4.0
    assert a.item() == 1.0


@pytest.mark.parametrize(
    "cls,kw",
    [
        (optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True)),
        (optim.Adam, dict(lr=0.05, amsgrad=True)),
        (optim.RMSprop, dict(centered=True, momentum=0.5)),
        (optim.Adagrad, {}),
        (optim.Adadelta, {}),
        (optim.AdamW, {}),
    ],
)
@pytest.mark.parametrize("through_file", [False, True])
def test_state_dict_round_trip(cls, kw, through_file, tmp_path):
    ag.manual_seed(1)
    sd = check_state_dict_round_trip(cls, kw, through_file, tmp_path, quad_steps, steps_before=3)
    assert sorted(sd["state"]) == [0, 1]
    assert sd["param_groups"][1]["params"] == [1]


def test_state_dict_is_a_copy():
    a = ag.tensor([3.0], requires_grad=True)
    opt = optim.SGD([a], lr=0.1, momentum=0.9)
    quad_steps(opt, [a], 1)
    sd = opt.state_dict()
    quad_steps(opt, [a], 1)
    assert sd["state"][0]["momentum_buffer"].item() != opt.state[a]["momentum_buffer"].item()


@pytest.mark.parametrize(
    "make,match",
    [
        (lambda p: optim.SGD(p, lr=-0.1), "Invalid learning rate: -0.1"),
        (lambda p: optim.SGD(p, lr=0.1, momentum=-1), "Invalid momentum value"),
        (lambda p: optim.SGD(p, lr=0.1, weight_decay=-1), "Invalid weight_decay value"),
        (lambda p: optim.SGD(p, lr=0.1, nesterov=True), "Nesterov"),
        (lambda p: optim.Adam(p, betas=(1.0, 0.999)), "Invalid beta parameter at index 0"),
        (lambda p: optim.Adam(p, betas=(0.9, -0.1)), "Invalid beta parameter at index 1"),
        (lambda p: optim.Adam(p, eps=-1e-8), "Invalid epsilon value"),
        (lambda p: optim.AdamW(p, weight_decay=-1), "Invalid weight_decay value"),
        (lambda p: optim.RMSprop(p, momentum=-0.5), "Invalid momentum value"),
        (lambda p: optim.Adagrad(p, eps=-1), "Invalid epsilon value"),
        (lambda p: optim.Adadelta(p, rho=1.5), "Invalid rho value"),
        (lambda p: optim.Adam([], lr=0.1), "empty parameter list"),
    ],
)
def test_validation(make, match):
    with pytest.raises(ValueError, match=match):
        make([ag.zeros(2, requires_grad=True)])


def test_bad_params():
    a = ag.zeros(2, requires_grad=True)
    with pytest.raises(TypeError, match="iterable of Tensors"):
        optim.SGD(a, lr=0.1)
    with pytest.raises(ValueError, match="appears twice"):
        optim.SGD([a, a], lr=0.1)
    opt = optim.SGD([a], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [a]})


def test_update_not_recorded():
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.Adam([a], lr=0.1)
    (a * a).sum().backward()
    opt.step()
    assert a.is_leaf and a.grad_fn is None and a.requires_grad


def test_state_dict_leaves_out_parameters_without_state():
    # plain SGD keeps no per-parameter state; its state dict says so with an empty "state"
    p = ag.zeros(2, requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    p.grad = ag.ones(2)
    opt.step()
    assert opt.state_dict()["state"] == {}
