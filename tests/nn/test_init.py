"""nn.init: bounds, gains, in-place without recording; orthogonal_, trunc_normal_, eye_, dirac_
and sparse_."""

import math

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn import init


def arr(t):
    return t.detach().numpy()


def test_init_functions():
    w = ag.empty((50, 40), requires_grad=True)
    for fn in (
        init.xavier_uniform_,
        init.kaiming_uniform_,
        init.xavier_normal_,
        init.kaiming_normal_,
    ):
        assert fn(w) is w and w.grad_fn is None
    init.xavier_uniform_(w)
    assert w.detach().abs().max().item() <= math.sqrt(6 / 90) + 1e-6
    assert init.constant_(w, 0.5).detach().mean().item() == 0.5
    assert init.zeros_(w).detach().sum().item() == 0.0
    assert init.ones_(w).detach().sum().item() == 2000.0


def test_gain_and_errors():
    assert init.calculate_gain("relu") == math.sqrt(2)
    assert init.calculate_gain("tanh") == 5 / 3
    with pytest.raises(ValueError, match="nonlinearity"):
        init.calculate_gain("swish")
    with pytest.raises(ValueError, match="at least 2 dims"):
        init.xavier_uniform_(ag.empty(3))


@pytest.mark.parametrize("name", ["conv_transpose1d", "conv_transpose2d", "conv_transpose3d"])
def test_calculate_gain_conv_transpose_is_one(name):
    assert init.calculate_gain(name) == 1.0


@pytest.mark.parametrize("param", ["x", True])
def test_calculate_gain_refuses_bad_slope(param):
    with pytest.raises(ValueError, match="not a valid number"):
        init.calculate_gain("leaky_relu", param)


@pytest.mark.parametrize("fn", [init.kaiming_uniform_, init.kaiming_normal_])
def test_kaiming_on_zero_element_tensor_is_a_no_op(fn):
    t = ag.empty((3, 0))
    assert fn(t) is t


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4), (6, 2, 2), (2, 3, 2, 2)])
def test_orthogonal_rows_or_columns_are_orthonormal(shape):
    w = init.orthogonal_(ag.empty(*shape), gain=1.5)
    assert w.shape == shape
    a = arr(w).reshape(shape[0], -1).astype(np.float64)
    rows, cols = a.shape
    gram = a @ a.T if rows <= cols else a.T @ a
    np.testing.assert_allclose(gram, 1.5**2 * np.eye(min(rows, cols)), atol=1e-5)


def test_orthogonal_seeded_and_errors():
    a = init.orthogonal_(ag.empty(4, 4), generator=ag.Generator().manual_seed(0))
    b = init.orthogonal_(ag.empty(4, 4), generator=ag.Generator().manual_seed(0))
    np.testing.assert_array_equal(arr(a), arr(b))
    with pytest.raises(ValueError, match=r"orthogonal_: .*2 or more dimensions.*\(5,\)"):
        init.orthogonal_(ag.empty(5))


def test_trunc_normal_bounds_and_statistics():
    w = init.trunc_normal_(ag.empty(100_000), mean=1.0, std=2.0, a=-1.0, b=2.5)
    x = arr(w)
    assert x.min() >= -1.0 and x.max() <= 2.5
    # moments of N(1, 4) truncated to [-1, 2.5]: alpha = -1, beta = 0.75 in std units
    alpha, beta = -1.0, 0.75
    pdf = lambda z: math.exp(-z * z / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda z: (1 + math.erf(z / math.sqrt(2))) / 2  # noqa: E731
    z = cdf(beta) - cdf(alpha)
    mean = 1.0 + 2.0 * (pdf(alpha) - pdf(beta)) / z
    var = 4.0 * (
        1 + (alpha * pdf(alpha) - beta * pdf(beta)) / z - ((pdf(alpha) - pdf(beta)) / z) ** 2
    )
    assert abs(x.mean() - mean) < 0.02
    assert abs(x.std() - math.sqrt(var)) < 0.02
    with pytest.raises(ValueError, match="trunc_normal_: a must not exceed b"):
        init.trunc_normal_(ag.empty(3), a=1.0, b=0.0)


def test_erfinv_inverts_erf():
    u = np.linspace(-0.999999, 0.999999, 501)
    x = init._erfinv(ag.tensor(u))
    np.testing.assert_allclose(np.vectorize(math.erf)(arr(x)), u, atol=1e-12)


def test_eye_():
    np.testing.assert_array_equal(arr(init.eye_(ag.empty(3, 5))), np.eye(3, 5))
    with pytest.raises(ValueError, match=r"eye_: .*2 dimensions.*\(2, 2, 2\)"):
        init.eye_(ag.empty(2, 2, 2))


@pytest.mark.parametrize("shape,groups", [((4, 6, 3, 3), 2), ((3, 2, 5), 1), ((2, 2, 3, 3, 3), 1)])
def test_dirac_is_identity_convolution_on_channels(shape, groups):
    w = arr(init.dirac_(ag.empty(*shape), groups=groups))
    want = np.zeros(shape)
    per = shape[0] // groups
    centre = tuple(s // 2 for s in shape[2:])
    for g in range(groups):
        for d in range(min(per, shape[1])):
            want[(g * per + d, d) + centre] = 1.0
    np.testing.assert_array_equal(w, want)


def test_dirac_conv2d_copies_input():
    x = ag.randn(1, 3, 5, 5)
    conv = nn.Conv2d(3, 3, 3, padding=1, bias=False)
    init.dirac_(conv.weight)
    np.testing.assert_allclose(arr(conv(x)), arr(x), atol=1e-6)
    with pytest.raises(ValueError, match="dirac_: only tensors with 3, 4, or 5 dimensions"):
        init.dirac_(ag.empty(3, 3))
    with pytest.raises(ValueError, match=r"dirac_: dim 0 \(3\) must be divisible by groups=2"):
        init.dirac_(ag.empty(3, 3, 3), groups=2)


def test_sparse_zeros_per_column():
    w = arr(init.sparse_(ag.empty(10, 7), sparsity=0.25, std=0.5))
    np.testing.assert_array_equal((w == 0).sum(axis=0), [3] * 7)  # ceil(0.25 * 10)
    with pytest.raises(ValueError, match=r"sparse_: .*2 dimensions.*\(3,\)"):
        init.sparse_(ag.empty(3), 0.1)


def test_init_fills_on_device(device):
    w = ag.empty(4, 6, device=device)
    for fill in (init.orthogonal_, init.trunc_normal_, init.eye_, lambda t: init.sparse_(t, 0.5)):
        assert fill(w).device == w.device
    assert init.dirac_(ag.empty(2, 2, 3, 3, device=device)).device == w.device
