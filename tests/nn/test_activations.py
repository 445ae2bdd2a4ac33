"""Activations (SiLU, Mish, Hardtanh, ReLU6, Softsign, Hardswish, Hardsigmoid, Threshold, PReLU,
LogSigmoid, Tanhshrink, Softshrink, Hardshrink, CELU, SELU, GLU) and Softmin, Softmax2d: values
against NumPy, gradients at the kinks as PyTorch defines them, gradcheck in float64, parameters,
errors."""

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F

ALPHA, SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def x64(*shape):
    return ag.randn(*shape, dtype=ag.float64, requires_grad=True)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _softplus(x):
    return np.logaddexp(0.0, x)


def _softmax(x, dim):
    e = np.exp(x - x.max(axis=dim, keepdims=True))
    return e / e.sum(axis=dim, keepdims=True)


# name: (functional form, module, NumPy reference)
CASES = {
    "silu": (F.silu, nn.SiLU(), lambda x: x * _sigmoid(x)),
    "mish": (F.mish, nn.Mish(), lambda x: x * np.tanh(_softplus(x))),
    "hardtanh": (F.hardtanh, nn.Hardtanh(), lambda x: np.clip(x, -1.0, 1.0)),
    "hardtanh_2": (
        lambda x: F.hardtanh(x, -2.0, 0.5),
        nn.Hardtanh(-2.0, 0.5),
        lambda x: np.clip(x, -2.0, 0.5),
    ),
    "relu6": (F.relu6, nn.ReLU6(), lambda x: np.clip(x, 0.0, 6.0)),
    "softsign": (F.softsign, nn.Softsign(), lambda x: x / (1 + np.abs(x))),
    "hardswish": (F.hardswish, nn.Hardswish(), lambda x: x * np.clip(x + 3, 0, 6) / 6),
    "hardsigmoid": (F.hardsigmoid, nn.Hardsigmoid(), lambda x: np.clip(x + 3, 0, 6) / 6),
    "threshold": (
        lambda x: F.threshold(x, 0.5, -2.0),
        nn.Threshold(0.5, -2.0),
        lambda x: np.where(x > 0.5, x, -2.0),
    ),
    "prelu": (
        lambda x: F.prelu(x, ag.tensor([0.25], dtype=x.dtype)),
        nn.PReLU(),
        lambda x: np.where(x > 0, x, 0.25 * x),
    ),
    "logsigmoid": (F.logsigmoid, nn.LogSigmoid(), lambda x: -_softplus(-x)),
    "softmin": (lambda x: F.softmin(x, 1), nn.Softmin(1), lambda x: _softmax(-x, 1)),
    "tanhshrink": (F.tanhshrink, nn.Tanhshrink(), lambda x: x - np.tanh(x)),
    "softshrink": (
        F.softshrink,
        nn.Softshrink(),
        lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0.0)),
    ),
    "hardshrink": (F.hardshrink, nn.Hardshrink(), lambda x: np.where(np.abs(x) > 0.5, x, 0.0)),
    "celu": (
        lambda x: F.celu(x, 2.0),
        nn.CELU(2.0),
        lambda x: np.maximum(x, 0) + np.minimum(0, 2.0 * (np.exp(x / 2.0) - 1)),
    ),
    "selu": (
        F.selu,
        nn.SELU(),
        lambda x: SCALE * np.where(x > 0, x, ALPHA * (np.exp(np.minimum(x, 0)) - 1)),
    ),
    "glu": (
        lambda x: F.glu(x, 1),
        nn.GLU(1),
        lambda x: x[:, :2] * _sigmoid(x[:, 2:]),
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_forward_matches_numpy(name):
    fn, module, ref = CASES[name]
    x = np.random.uniform(-5, 5, (3, 4))
    expected = ref(x)
    np.testing.assert_allclose(fn(ag.tensor(x)).numpy(), expected, rtol=1e-12, atol=1e-12)
    out32 = module(ag.tensor(x.astype(np.float32)))
    assert out32.dtype == ag.float32
    np.testing.assert_allclose(out32.detach().numpy(), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", CASES)
def test_gradcheck(name):
    fn = CASES[name][0]
    # keep the points away from the kinks, where finite differences are meaningless
    x = np.random.uniform(-5, 5, (3, 4))
    for kink in (-6.0, -3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0):
        x = np.where(np.abs(x - kink) < 0.01, kink + 0.1, x)
    ag.gradcheck(fn, (ag.tensor(x, requires_grad=True),))


@pytest.mark.parametrize(
    "name",
    ["silu", "mish", "softsign", "logsigmoid", "softmin", "tanhshrink", "celu", "selu", "glu"],
)
def test_double_backward(name):
    ag.gradgradcheck(CASES[name][0], (x64(3, 4),))


KINK_X = [-6.0, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0]

# gradients of sum(fn(x)) at KINK_X, as torch 2.x computes them
KINK_GRADS = {
    "hardtanh": (F.hardtanh, [0, 0, 0, 1, 1, 1, 0, 0, 0]),
    "relu6": (F.relu6, [0, 0, 0, 0, 0, 1, 1, 1, 0]),
    "hardswish": (
        F.hardswish,
        [0, 0, 1 / 6, 1 / 3, 0.5, 2 / 3, 5 / 6, 1, 1],
    ),
    "hardsigmoid": (F.hardsigmoid, [0, 0, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 0, 0]),
    "threshold": (lambda x: F.threshold(x, 1.0, 20.0), [0, 0, 0, 0, 0, 0, 0, 1, 1]),
    "softshrink": (F.softshrink, [1, 1, 1, 0, 0, 0, 1, 1, 1]),
    "hardshrink": (F.hardshrink, [1, 1, 1, 0, 0, 0, 1, 1, 1]),
    "prelu": (
        lambda x: F.prelu(x, ag.tensor([0.25], dtype=ag.float64)),
        [0.25, 0.25, 0.25, 0.25, 0.25, 1, 1, 1, 1],
    ),
    "celu": (F.celu, [np.exp(-6), np.exp(-3), np.exp(-1), np.exp(-0.5), 1, 1, 1, 1, 1]),
    "selu": (
        F.selu,
        [SCALE * ALPHA * np.exp(v) if v <= 0 else SCALE for v in KINK_X],
    ),
    "logsigmoid": (F.logsigmoid, [_sigmoid(-v) for v in KINK_X]),
    "softsign": (F.softsign, [1 / (1 + abs(v)) ** 2 for v in KINK_X]),
    "mish": (
        F.mish,
        [-0.01235996793178131, -0.09339311453232084, 0.059216755877395014]
        + [0.28951067791351226, 0.6, 0.8864243753577273, 1.0490362200997922]
        + [1.0211069109294435, 1.00013414050621],
    ),
}


@pytest.mark.parametrize("name", KINK_GRADS)
def test_gradient_at_kinks(name):
    fn, expected = KINK_GRADS[name]
    x = ag.tensor(KINK_X, dtype=ag.float64, requires_grad=True)
    fn(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-7, atol=1e-12)


def test_known_values():
    x = ag.tensor(KINK_X, dtype=ag.float64)
    np.testing.assert_allclose(
        F.hardswish(x).numpy(),
        [0, 0, -1 / 3, -0.20833333333333334, 0, 0.2916666666666667, 2 / 3, 3, 6],
    )
    np.testing.assert_allclose(
        F.selu(x).numpy()[[0, 4, 6]], [-1.7537414482794556, 0.0, 1.0507009873554805]
    )
    np.testing.assert_allclose(
        F.mish(x).numpy()[[2, 6]], [-0.30340146137410895, 0.8650983882673103]
    )


def test_logsigmoid_stable_for_large_inputs():
    x = ag.tensor([-1000.0, -50.0, 0.0, 50.0, 1000.0], dtype=ag.float64, requires_grad=True)
    out = F.logsigmoid(x)
    np.testing.assert_allclose(
        out.detach().numpy(), [-1000.0, -50.0, -np.log(2.0), -np.exp(-50.0), 0.0], rtol=1e-12
    )
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1.0, 1.0, 0.5, np.exp(-50.0), 0.0], rtol=1e-12)
    assert np.isfinite(F.logsigmoid(ag.tensor([-1000.0, 1000.0])).numpy()).all()


def test_prelu_parameter_and_channels():
    m = nn.PReLU(3)
    names = [(n, tuple(p.shape)) for n, p in m.named_parameters()]
    assert names == [("weight", (3,))]
    assert m.weight.tolist() == [0.25, 0.25, 0.25]
    assert nn.PReLU(init=0.1).weight.tolist() == [pytest.approx(0.1)]
    assert repr(m) == "PReLU(num_parameters=3)"
    m.load_state_dict({"weight": ag.tensor([0.1, 0.2, 0.3])})
    x = np.random.randn(2, 3, 4, 5)
    out = m(ag.tensor(x.astype(np.float32))).detach()
    slope = np.array([0.1, 0.2, 0.3]).reshape(1, 3, 1, 1)
    np.testing.assert_allclose(out.numpy(), np.where(x > 0, x, slope * x), rtol=1e-6)
    w = ag.tensor([0.1, 0.2, 0.3], dtype=ag.float64, requires_grad=True)
    ag.gradcheck(F.prelu, (x64(2, 3, 4), w))
    ag.gradcheck(F.prelu, (x64(5), ag.tensor([0.3], dtype=ag.float64, requires_grad=True)))


def test_prelu_weight_gradient():
    x = ag.tensor([[-2.0, 1.0], [-1.0, -3.0]], dtype=ag.float64)
    w = ag.tensor([0.5, 0.5], dtype=ag.float64, requires_grad=True)
    F.prelu(x, w).sum().backward()
    assert w.grad.tolist() == [-3.0, -3.0]


def test_softmin_and_softmax2d():
    x = np.random.randn(2, 3, 4, 5)
    np.testing.assert_allclose(nn.Softmax2d()(ag.tensor(x)).numpy(), _softmax(x, 1), rtol=1e-12)
    np.testing.assert_allclose(
        nn.Softmax2d()(ag.tensor(x[0])).numpy(), _softmax(x[0], 0), rtol=1e-12
    )
    # no dim given: PyTorch's implicit choice (1 for 4-D, 0 for 3-D)
    np.testing.assert_allclose(nn.Softmin()(ag.tensor(x)).numpy(), _softmax(-x, 1), rtol=1e-12)
    np.testing.assert_allclose(F.softmin(ag.tensor(x[0])).numpy(), _softmax(-x[0], 0), rtol=1e-12)
    ag.gradcheck(lambda t: nn.Softmax2d()(t), (x64(2, 3, 2, 2),))


def test_glu_halves():
    x = ag.tensor([[1.0, 2.0, 0.0, 100.0]])
    np.testing.assert_allclose(F.glu(x).numpy(), [[0.5, 2.0]])
    assert nn.GLU()(ag.randn(2, 3, 6)).shape == (2, 3, 3)
    assert nn.GLU(0)(ag.randn(4, 3)).shape == (2, 3)


def test_reprs():
    assert repr(nn.Hardtanh()) == "Hardtanh(min_val=-1.0, max_val=1.0)"
    assert repr(nn.ReLU6()) == "ReLU6()"
    assert repr(nn.Threshold(0.1, 20)) == "Threshold(threshold=0.1, value=20)"
    assert repr(nn.Softshrink()) == "Softshrink(0.5)"
    assert repr(nn.Hardshrink(0.3)) == "Hardshrink(0.3)"
    assert repr(nn.CELU()) == "CELU(alpha=1.0)"
    assert repr(nn.GLU()) == "GLU(dim=-1)"
    assert repr(nn.Softmin(1)) == "Softmin(dim=1)"
    assert repr(nn.SELU()) == "SELU()"
    assert repr(nn.SiLU()) == "SiLU()"
    assert repr(nn.Softmax2d()) == "Softmax2d()"
    assert list(nn.SiLU().parameters()) == []


def test_errors():
    with pytest.raises(ValueError, match=r"glu: dimension 1 .*\(3, 5\) must be even, got 5"):
        F.glu(ag.randn(3, 5))
    with pytest.raises(ValueError, match="glu: dim 2 is out of range for a 2-D input"):
        F.glu(ag.randn(3, 4), 2)
    with pytest.raises(ValueError, match="glu: .*scalar"):
        F.glu(ag.tensor(1.0))
    with pytest.raises(ValueError, match="Softmax2d: expected input to be 3D or 4D, got 2D"):
        nn.Softmax2d()(ag.randn(3, 4))
    with pytest.raises(ValueError, match="prelu: weight has 3 parameters .*\\(2, 4\\) has 4"):
        F.prelu(ag.randn(2, 4), ag.ones(3))
    with pytest.raises(ValueError, match="prelu: weight has 4 parameters .* has 1"):
        nn.PReLU(4)(ag.randn(4))
    with pytest.raises(ValueError, match="PReLU: num_parameters"):
        nn.PReLU(0)
    with pytest.raises(ValueError, match=r"Hardtanh: max_val \(0.0\) must be greater"):
        nn.Hardtanh(1.0, 0.0)
    with pytest.raises(ValueError, match="hardtanh: max_val"):
        F.hardtanh(ag.randn(3), 1.0, 0.0)
    with pytest.raises(ValueError, match="softshrink: lambd must be >= 0, got -1"):
        F.softshrink(ag.randn(3), -1.0)
    with pytest.raises(ValueError, match="Softshrink: lambd"):
        nn.Softshrink(-1.0)
    with pytest.raises(ValueError, match="celu: alpha must not be 0"):
        F.celu(ag.randn(3), 0.0)
    with pytest.raises(ValueError, match="CELU: alpha"):
        nn.CELU(0.0)


def test_on_device(device):
    x = ag.randn(2, 4, 3, 3).to(device)
    for name, (_, module, _) in CASES.items():
        if name == "prelu":
            module = nn.PReLU(4).to(device)
        out = module(x)
        assert out.device == x.device and out.dtype == ag.float32, name
    p = nn.PReLU(4).to(device)
    p(x).sum().backward()
    assert p.weight.grad.device == p.weight.device and p.weight.grad.shape == (4,)
