"""Activations and losses: values, gradcheck in float64, float32 discipline."""

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F


def x64(*shape):
    return ag.randn(*shape, dtype=ag.float64, requires_grad=True)


def test_softmax_values():
    out = nn.Softmax(dim=-1)(ag.tensor([5.0, 4.0, 2.0]))
    np.testing.assert_allclose(out.numpy(), [0.70, 0.26, 0.04], atol=0.006)


@pytest.mark.parametrize(
    "fn",
    [
        F.relu,
        F.leaky_relu,
        F.elu,
        F.sigmoid,
        F.tanh,
        F.softplus,
        F.gelu,
        lambda x: F.gelu(x, approximate="tanh"),
        lambda x: F.softmax(x, 1),
        lambda x: F.log_softmax(x, 1),
        lambda x: F.softplus(x, beta=2.0),
    ],
)
def test_activation_gradcheck(fn):
    ag.gradcheck(fn, (x64(3, 4),))


def test_activation_modules_match():
    x = ag.randn(3, 4)
    for mod, fn in [
        (nn.ReLU(), F.relu),
        (nn.GELU(), F.gelu),
        (nn.ELU(), F.elu),
        (nn.LeakyReLU(0.2), lambda t: F.leaky_relu(t, 0.2)),
    ]:
        np.testing.assert_allclose(mod(x).numpy(), fn(x).numpy())


def test_softplus_stable():
    out = F.softplus(ag.tensor([-1000.0, 0.0, 1000.0]))
    np.testing.assert_allclose(out.numpy(), [0.0, np.log(2.0), 1000.0], rtol=1e-6)


def test_gelu_value():
    assert abs(F.gelu(ag.tensor(1.0)).item() - 0.8413447) < 1e-6


def test_regression_losses_gradcheck():
    t = ag.randn(3, 4, dtype=ag.float64)
    for red in ("mean", "sum", "none"):
        ag.gradcheck(lambda x, red=red: F.mse_loss(x, t, red), (x64(3, 4),))
        ag.gradcheck(lambda x, red=red: F.l1_loss(x, t, red), (x64(3, 4),))


def test_bce_losses():
    y = (ag.rand(3, 4, dtype=ag.float64) > 0.5).double()
    p = ag.tensor(np.random.uniform(0.1, 0.9, (3, 4)), requires_grad=True)
    ag.gradcheck(lambda q: F.binary_cross_entropy(q, y), (p,))
    ag.gradcheck(lambda z: F.binary_cross_entropy_with_logits(z, y), (x64(3, 4),))
    z = x64(3, 4)
    np.testing.assert_allclose(
        F.binary_cross_entropy_with_logits(z, y).item(),
        F.binary_cross_entropy(ag.sigmoid(z), y).item(),
        rtol=1e-10,
    )
    big = F.binary_cross_entropy_with_logits(
        ag.tensor([1000.0, -1000.0]), ag.tensor([0.0, 1.0]), reduction="none"
    )
    np.testing.assert_allclose(big.numpy(), [1000.0, 1000.0])


def test_cross_entropy_matches_reference():
    logits = ag.randn(5, 3, dtype=ag.float64)
    y = ag.tensor([0, 2, 1, 1, 0])
    a = logits.numpy()
    logp = a - np.log(np.exp(a).sum(1, keepdims=True))
    ref = -logp[np.arange(5), y.numpy()].mean()
    assert abs(F.cross_entropy(logits, y).item() - ref) < 1e-12
    assert abs(nn.NLLLoss()(ag.log_softmax(logits, 1), y).item() - ref) < 1e-12
    probs = F.one_hot(y, 3).double()
    assert abs(F.cross_entropy(logits, probs).item() - ref) < 1e-12


def test_cross_entropy_options_gradcheck():
    y = ag.tensor([0, 2, -100, 1])
    w = ag.tensor([1.0, 2.0, 0.5], dtype=ag.float64)
    for kw in [
        {},
        {"weight": w},
        {"label_smoothing": 0.1},
        {"weight": w, "label_smoothing": 0.2},
        {"reduction": "sum"},
        {"reduction": "none"},
    ]:
        ag.gradcheck(lambda x, kw=kw: F.cross_entropy(x, y, **kw), (x64(4, 3),))
    probs = ag.softmax(ag.randn(4, 3, dtype=ag.float64), 1)
    ag.gradcheck(lambda x: F.cross_entropy(x, probs, label_smoothing=0.1), (x64(4, 3),))
    y2 = ag.randint(0, 3, (2, 4, 5))
    ag.gradcheck(lambda x: F.cross_entropy(x, y2), (x64(2, 3, 4, 5),))
    ag.gradcheck(lambda x: F.nll_loss(x, y, weight=w), (x64(4, 3),))


def test_label_smoothing_value():
    logits = ag.randn(4, 3, dtype=ag.float64)
    y = ag.tensor([0, 2, 1, 1])
    eps = 0.1
    target = F.one_hot(y, 3).double() * (1 - eps) + eps / 3
    a = F.cross_entropy(logits, y, label_smoothing=eps).item()
    assert abs(a - F.cross_entropy(logits, target).item()) < 1e-12


def test_float32_gradients_stay_float32():
    model = nn.Linear(4, 3)
    x = ag.randn(8, 4)
    y = ag.randint(0, 3, (8,))
    for loss in (nn.CrossEntropyLoss(label_smoothing=0.1), nn.CrossEntropyLoss()):
        model.zero_grad()
        out = loss(model(x), y)
        assert out.dtype == ag.float32
        out.backward()
        assert model.weight.grad.dtype == ag.float32
    out = nn.BCEWithLogitsLoss()(model(x), ag.rand(8, 3))
    out.backward()
    assert model.weight.grad.dtype == ag.float32


def test_loss_errors():
    with pytest.raises(ValueError, match="reduction"):
        nn.MSELoss(reduction="avg")
    with pytest.raises(ValueError, match="mse_loss"):
        F.mse_loss(ag.zeros(3), ag.zeros(4))


def test_dropout_and_one_hot():
    x = ag.ones(1000)
    out = F.dropout(x, 0.5)
    vals = set(np.unique(out.numpy()).tolist())
    assert vals <= {0.0, 2.0} and out.dtype == ag.float32
    assert F.dropout(x, 0.5, training=False) is x
    assert F.one_hot(ag.tensor([0, 2]), 3).tolist() == [[1, 0, 0], [0, 0, 1]]


def test_softplus_threshold_returns_input():
    # beta * x > threshold: x itself with gradient 1; below it the smooth formula
    x = ag.tensor([0.4, 0.6, 3.0], dtype=ag.float64, requires_grad=True)
    out = F.softplus(x, beta=2.0, threshold=1.0)
    smooth = np.log1p(np.exp(2.0 * 0.4)) / 2.0
    np.testing.assert_allclose(out.detach().numpy(), [smooth, 0.6, 3.0], rtol=1e-12)
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1 / (1 + np.exp(-0.8)), 1.0, 1.0], rtol=1e-12)
    assert nn.Softplus(beta=2.0, threshold=1.0)(x).detach().numpy()[1] == 0.6


@pytest.mark.parametrize("module", [nn.Softmax, nn.LogSoftmax])
@pytest.mark.parametrize("shape, dim", [((4,), 0), ((2, 3), 1), ((2, 3, 4), 0), ((2, 3, 4, 5), 1)])
def test_softmax_without_dim_picks_pytorch_legacy_dim(module, shape, dim):
    x = ag.randn(*shape, dtype=ag.float64)
    np.testing.assert_allclose(
        module()(x).numpy(), module(dim=dim)(x).numpy(), rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_cross_entropy_all_targets_ignored_nan_loss_zero_grad(label_smoothing):
    logits = x64(4, 3)
    target = ag.tensor([-100, -100, -100, -100])
    loss = F.cross_entropy(logits, target, label_smoothing=label_smoothing)
    assert np.isnan(loss.item())
    loss.backward()
    np.testing.assert_array_equal(logits.grad.numpy(), np.zeros((4, 3)))


@pytest.mark.parametrize(
    "values, num_classes, match",
    [
        ([0, 3], 3, "smaller than num_classes=3, got 3"),
        ([-1, 0], 3, "non-negative, got -1"),
        ([-1, 0], -1, "non-negative, got -1"),
    ],
)
def test_one_hot_refuses_out_of_range_classes(values, num_classes, match):
    with pytest.raises(ValueError, match=match):
        F.one_hot(ag.tensor(values), num_classes)


def test_one_hot_empty():
    assert F.one_hot(ag.tensor(np.zeros(0, dtype=np.int64)), 3).shape == (0, 3)
    with pytest.raises(ValueError, match="empty"):
        F.one_hot(ag.tensor(np.zeros(0, dtype=np.int64)))
