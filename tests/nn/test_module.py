"""Module registration, traversal, state_dict, hooks, to()."""

import numpy as np
import pytest

import autograd_core as ag
import nn


def mlp(*sizes):
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


def test_parameter_counts():
    assert mlp(2, 3, 1).num_parameters() == 13
    assert nn.count_parameters(mlp(4, 5, 6, 6, 5, 4, 1)) == 167


def test_parameter_shares_memory():
    t = ag.zeros(3)
    p = nn.Parameter(t)
    assert p.requires_grad and p.is_leaf
    t.add_(1.0)
    assert p.tolist() == [1.0, 1.0, 1.0]


def test_named_parameters_order_and_children():
    m = mlp(2, 3, 1)
    assert [n for n, _ in m.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert len(list(m.children())) == 3
    assert [n for n, _ in m.named_modules()] == ["", "0", "1", "2"]


def test_train_eval_and_zero_grad():
    m = mlp(2, 3, 1)
    m.eval()
    assert not any(x.training for x in m.modules())
    m.train()
    m(ag.randn(4, 2)).sum().backward()
    assert m[0].weight.grad is not None
    m.zero_grad()
    assert all(p.grad is None for p in m.parameters())


def test_to_dtype_keeps_references():
    m = mlp(2, 3, 1)
    w = m[0].weight
    m.to(ag.float64)
    assert m[0].weight is w and w.dtype == ag.float64


def test_state_dict_round_trip(tmp_path):
    m, m2 = mlp(2, 3, 1), mlp(2, 3, 1)
    ag.save(m.state_dict(), str(tmp_path / "m.safetensors"))
    m2.load_state_dict(ag.load(str(tmp_path / "m.safetensors")))
    x = ag.randn(5, 2)
    np.testing.assert_allclose(m(x).detach().numpy(), m2(x).detach().numpy())


def test_load_state_dict_errors():
    m = mlp(2, 3, 1)
    sd = m.state_dict()
    del sd["0.bias"]
    with pytest.raises(KeyError, match="missing keys"):
        m.load_state_dict(sd)
    sd = m.state_dict()
    sd["0.bias"] = ag.zeros(4)
    with pytest.raises(ValueError, match="size mismatch for 0.bias"):
        m.load_state_dict(sd)


def test_buffers_in_state_dict():
    m = nn.Module()
    m.register_buffer("running", ag.zeros(2))
    assert list(m.state_dict()) == ["running"] and list(m.parameters()) == []


def test_hooks():
    m = nn.Linear(2, 1)
    seen = []
    m.register_forward_pre_hook(lambda mod, args: seen.append("pre"))
    h = m.register_forward_hook(lambda mod, args, out: seen.append("fwd"))
    m.register_full_backward_hook(lambda mod, gi, go: seen.append(tuple(go[0].shape)))
    m(ag.randn(3, 2)).sum().backward()
    assert seen == ["pre", "fwd", (3, 1)]
    h.remove()
    m(ag.randn(3, 2))
    assert seen.count("fwd") == 1


def test_repr_and_containers():
    m = nn.ModuleDict({"a": nn.Linear(1, 1), "b": nn.ModuleList([nn.Tanh(), nn.Linear(1, 2)])})
    assert [n for n, _ in m.named_parameters()] == ["a.weight", "a.bias", "b.1.weight", "b.1.bias"]
    assert "(b): ModuleList(" in repr(m)


def test_linear_init_bounds_and_errors():
    lin = nn.Linear(100, 10)
    assert abs(lin.weight.detach().numpy()).max() <= 0.1 + 1e-6
    with pytest.raises(ValueError, match="linear"):
        lin(ag.randn(2, 3))


def test_assign_tensor_to_parameter_slot_raises():
    lin = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="parameter 'weight'"):
        lin.weight = ag.zeros(2, 2)
    lin.weight = nn.Parameter(ag.zeros(2, 2))
    assert lin.weight.tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_zero_grad_in_place():
    lin = nn.Linear(2, 1)
    lin(ag.randn(3, 2)).sum().backward()
    g = lin.weight.grad
    lin.zero_grad(set_to_none=False)
    assert lin.weight.grad is g and g.tolist() == [[0.0, 0.0]]


def test_full_backward_hook_sees_grad_input_and_grad_output_as_pytorch():
    m = nn.Linear(3, 2)
    x = ag.randn(4, 3, requires_grad=True)
    seen = {}

    def hook(module, grad_input, grad_output):
        seen["in"], seen["out"] = grad_input, grad_output

    m.register_full_backward_hook(hook)
    m(x).sum().backward()
    assert len(seen["in"]) == 1 and len(seen["out"]) == 1
    np.testing.assert_allclose(seen["out"][0].numpy(), np.ones((4, 2)))
    # d(sum(x W^T + b))/dx = ones @ W
    expected = np.ones((4, 2)) @ m.weight.detach().numpy()
    np.testing.assert_allclose(seen["in"][0].numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-6)


def test_full_backward_hook_can_replace_grad_input_and_runs_without_input_grads():
    m = nn.Linear(3, 2)
    x = ag.randn(4, 3, requires_grad=True)
    m.register_full_backward_hook(lambda mod, gi, go: (gi[0] * 0,))
    m(x).sum().backward()
    assert np.all(x.grad.numpy() == 0) and m.weight.grad is not None
    calls = []
    m2 = nn.Linear(3, 2)
    m2.register_full_backward_hook(lambda mod, gi, go: calls.append((gi, go[0].shape)))
    m2(ag.randn(4, 3)).sum().backward()
    assert calls == [((None,), (4, 2))]
