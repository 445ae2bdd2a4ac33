"""Losses at the edges of their domains (p exactly 0 or 1, zero vectors, zero targets,
saturated logits): values and gradients as PyTorch 2.13 gives them, never a nan or inf
gradient that PyTorch does not have."""

import math

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
import optim

INF = math.inf
# p = 0 and 1 with both labels, an interior point, and the float32 neighbours of 0 and 1
P_EDGES = [0.0, 0.0, 1.0, 1.0, 0.5, 1e-8, 1 - 2**-24]
Y_EDGES = [0.0, 1.0, 0.0, 1.0, 0.3, 0.0, 1.0]
# torch.nn.functional.binary_cross_entropy(p, y, reduction="none") and d(sum)/dp
BCE_VALUES = [0.0, 100.0, 100.0, 0.0, 0.6931471805599453, 1.0000000050000001e-08, 5.96046e-08]
BCE_GRAD_SUM = [0.0, -1e12, 1e12, 0.0, 0.8, 1.00000001, -1.0000000596]


def _numpy(t):
    return t.detach().cpu().numpy()


@pytest.mark.parametrize("dtype", [ag.float32, ag.float64])
def test_bce_at_p_zero_and_one_matches_pytorch(device, dtype):
    p = ag.tensor(P_EDGES, dtype=dtype, device=device, requires_grad=True)
    y = ag.tensor(Y_EDGES, dtype=dtype, device=device)
    loss = F.binary_cross_entropy(p, y, reduction="none")
    np.testing.assert_allclose(_numpy(loss), BCE_VALUES, rtol=2e-6, atol=1e-12)
    loss.sum().backward()
    assert p.grad.dtype == dtype
    np.testing.assert_allclose(_numpy(p.grad), BCE_GRAD_SUM, rtol=2e-6)


def test_bce_gradient_carries_the_reduction_and_weight():
    p = ag.tensor(P_EDGES, dtype=ag.float64, requires_grad=True)
    y = ag.tensor(Y_EDGES, dtype=ag.float64)
    nn.BCELoss()(p, y).backward()
    np.testing.assert_allclose(_numpy(p.grad), np.array(BCE_GRAD_SUM) / 7, rtol=2e-6)
    p.grad = None
    w = ag.tensor([2.0, 1, 1, 1, 1, 1, 3], dtype=ag.float64)
    loss = nn.BCELoss(weight=w, reduction="sum")(p, y)
    assert loss.item() == pytest.approx(200.6931473693739, rel=1e-9)
    loss.backward()
    np.testing.assert_allclose(_numpy(p.grad), np.array(BCE_GRAD_SUM) * _numpy(w), rtol=2e-6)


def test_bce_target_gradient_is_finite_and_second_derivative_matches_pytorch():
    p = ag.tensor(P_EDGES, dtype=ag.float64, requires_grad=True)
    y = ag.tensor(Y_EDGES, dtype=ag.float64, requires_grad=True)
    F.binary_cross_entropy(p, y, reduction="sum").backward()
    # log(1 - p) - log(p) with both logs clamped at -100 (PyTorch's is unclamped: +-inf)
    expected = [100.0, 100.0, -100.0, -100.0, 0.0, 18.420680733952366, -16.635532273834038]
    np.testing.assert_allclose(_numpy(y.grad), expected, rtol=1e-9, atol=1e-12)
    q = ag.tensor([0.2, 0.7], dtype=ag.float64, requires_grad=True)
    labels = ag.tensor([0.0, 1.0], dtype=ag.float64)
    (g,) = ag.grad(F.binary_cross_entropy(q, labels, reduction="sum"), q, create_graph=True)
    np.testing.assert_allclose(_numpy(g), [1.25, -1.4285714285714286], rtol=1e-12)
    (gg,) = ag.grad(g.sum(), q)
    np.testing.assert_allclose(_numpy(gg), [1.5625, 2.0408163265306123], rtol=1e-9)


def test_bce_interior_gradcheck():
    p = ag.tensor([[0.1, 0.6], [0.35, 0.9]], dtype=ag.float64, requires_grad=True)
    y = ag.tensor([[0.0, 1.0], [0.25, 0.5]], dtype=ag.float64, requires_grad=True)
    assert ag.gradcheck(lambda a, b: F.binary_cross_entropy(a, b), (p, y))


@pytest.mark.parametrize("start", [0.0, -30.0])
def test_logistic_regression_with_bce_on_separable_data_stays_finite(start):
    """Separable data drive the weights up without bound: from zero weights the float32
    sigmoid reaches exactly 0 and 1 after one step; from -30 it starts there, confidently
    wrong. No randomness: the trajectory is the same on every run."""
    x = ag.tensor([[-3.0, -2.0], [-2.0, -3.0], [-4.0, -1.0], [3.0, 2.0], [2.0, 3.0], [1.0, 4.0]])
    y = ag.tensor([[0.0], [0.0], [0.0], [1.0], [1.0], [1.0]])
    model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
    with ag.no_grad():
        model[0].weight.fill_(start)
        model[0].bias.zero_()
    opt = optim.SGD(model.parameters(), lr=10.0)
    loss_fn = nn.BCELoss()
    saturated = False
    for _ in range(100):
        opt.zero_grad()
        prob = model(x)
        loss = loss_fn(prob, y)
        loss.backward()
        opt.step()
        values = _numpy(prob)
        saturated = saturated or bool(((values == 0.0) | (values == 1.0)).any())
        assert math.isfinite(loss.item())
        for param in model.parameters():
            assert np.isfinite(_numpy(param)).all()
    assert saturated  # the edge was reached, so the test tested it
    if start == 0.0:
        assert ((_numpy(model(x)) > 0.5) == (_numpy(y) > 0.5)).all()
    else:
        # as in PyTorch: the sigmoid's own gradient p (1 - p) is 0 there, so the weights stay
        assert loss.item() == pytest.approx(100.0)


# One case per loss edge: (loss of the inputs, inputs as float64 lists, PyTorch's value,
# PyTorch's gradients with respect to every input).
EDGE_CASES = {
    "bce_with_logits_huge_logits": (
        lambda x: F.binary_cross_entropy_with_logits(
            x, ag.tensor([1.0, 1, 0, 0, 0, 1, 1], dtype=ag.float64), reduction="sum"
        ),
        [[1e4, -1e4, 1e4, -1e4, 100.0, -100.0, 0.0]],
        20200.693147180560,
        [[0.0, -1.0, 1.0, 0.0, 1.0, -1.0, -0.5]],
    ),
    "bce_with_logits_pos_weight_huge_logits": (
        lambda x: F.binary_cross_entropy_with_logits(
            x,
            ag.tensor([1.0, 1, 0, 0], dtype=ag.float64),
            reduction="sum",
            pos_weight=ag.tensor([3.0, 3, 3, 3], dtype=ag.float64),
        ),
        [[1e4, -1e4, 1e4, -1e4]],
        40000.0,
        [[0.0, -3.0, 1.0, 0.0]],
    ),
    "poisson_nll_rate_zero": (
        lambda x: F.poisson_nll_loss(
            x, ag.tensor([0.0, 2, 3, 0], dtype=ag.float64), log_input=False, reduction="sum"
        ),
        [[0.0, 0.0, 1e-30, 2.0]],
        94.10340371976184,
        [[1.0, -199999999.0, -299999999.0, 1.0]],
    ),
    "gaussian_nll_var_zero": (
        lambda x, v: F.gaussian_nll_loss(
            x, ag.tensor([1.0, 0, 0], dtype=ag.float64), v, reduction="sum"
        ),
        [[1.0, 2.0, 0.0], [0.0, 0.0, 1e-10]],
        1999979.276734163,
        [[0.0, 2000000.0, 0.0], [500000.0, -1999999500000.0, 500000.0]],
    ),
    "kl_div_target_zero": (
        lambda x: F.kl_div(x, ag.tensor([0.0, 0.5, 0.5], dtype=ag.float64), reduction="sum"),
        [[-1.0, -2.0, 0.0]],
        0.30685281944005466,
        [[0.0, -0.5, -0.5]],
    ),
    "cosine_embedding_zero_vectors": (
        lambda a, b: F.cosine_embedding_loss(
            a, b, ag.tensor([1.0, -1.0, 1.0, -1.0], dtype=ag.float64), reduction="sum"
        ),
        [
            [[0.0] * 3, [0.0] * 3, [1.0, 2.0, 3.0], [0.0] * 3],
            [[0.0] * 3, [1.0] * 3, [0.0] * 3, [0.0] * 3],
        ],
        2.0,
        [
            [[0.0] * 3, [577350.2691895296] * 3, [0.0] * 3, [0.0] * 3],
            [[0.0] * 3, [0.0] * 3, [-267261.2419, -534522.4838, -801783.7257], [0.0] * 3],
        ],
    ),
    "triplet_margin_equal_vectors": (
        lambda a, p, n: F.triplet_margin_loss(a, p, n, reduction="sum"),
        [[[1.0, 2.0], [0.0, 0.0]]] * 3,
        2.0,
        [[[0.0, 0.0]] * 2, [[-0.7071067811865476] * 2] * 2, [[0.7071067811865476] * 2] * 2],
    ),
    "triplet_margin_equal_vectors_eps_zero": (
        lambda a, p, n: F.triplet_margin_loss(a, p, n, eps=0.0, reduction="sum"),
        [[[1.0, 2.0]], [[1.0, 2.0]], [[3.0, 2.0]]],
        0.0,
        [[[0.0, 0.0]], [[0.0, 0.0]], [[0.0, 0.0]]],
    ),
    "smooth_l1_tiny_beta_at_zero": (
        lambda x: F.smooth_l1_loss(
            x, ag.tensor([0.0, 1.0, 0.0], dtype=ag.float64), beta=1e-30, reduction="sum"
        ),
        [[0.0, 1.0, 1e-30]],
        5e-31,
        [[0.0, 0.0, 1.0]],
    ),
    "cross_entropy_minus_inf_logit": (
        lambda x: F.cross_entropy(x, ag.tensor([0, 1]), reduction="sum"),
        [[[0.0, -INF, 1.0], [2.0, 0.0, -INF]]],
        3.4401896985611957,
        [
            [
                [-0.7310585786300049, 0.0, 0.7310585786300049],
                [0.8807970779778823, -0.880797077977882, 0.0],
            ]
        ],
    ),
    "nll_loss_every_target_ignored": (
        lambda x: F.nll_loss(x, ag.tensor([-100, -100])),
        [[[-1.0, -2.0], [-0.5, -0.3]]],
        math.nan,
        [[[0.0, 0.0], [0.0, 0.0]]],
    ),
    "multi_margin_at_the_hinge": (
        lambda x: F.multi_margin_loss(x, ag.tensor([0]), reduction="sum"),
        [[[1.0, 0.0, 0.0]]],
        0.0,
        [[[0.0, 0.0, 0.0]]],
    ),
}


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_loss_edge_matches_pytorch(name):
    loss_fn, inputs, value, grads = EDGE_CASES[name]
    tensors = [ag.tensor(v, dtype=ag.float64, requires_grad=True) for v in inputs]
    loss = loss_fn(*tensors)
    np.testing.assert_allclose(loss.item(), value, rtol=1e-9)
    got = ag.grad(loss, tensors)
    for g, expected in zip(got, grads):
        assert np.isfinite(_numpy(g)).all()
        np.testing.assert_allclose(_numpy(g), expected, rtol=1e-8, atol=1e-12)
