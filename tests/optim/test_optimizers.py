"""Each optimiser's first steps against NumPy versions of the update formulas."""

import numpy as np
import pytest
from optim_steps import GRADS, P0, run

import autograd_core as ag
import optim


def ref_sgd(lr, momentum=0, dampening=0, nesterov=False, weight_decay=0):
    p, buf, out = P0.copy(), None, []
    for t, g in enumerate(GRADS):
        g = g + weight_decay * p
        if momentum:
            buf = g.copy() if t == 0 else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        p = p - lr * g
        out.append(p)
    return out


@pytest.mark.parametrize(
    "kw",
    [
        dict(lr=0.1),
        dict(lr=0.1, momentum=0.9),
        dict(lr=0.1, momentum=0.9, nesterov=True),
        dict(lr=0.1, momentum=0.5, dampening=0.3, weight_decay=0.1),
    ],
)
def test_sgd(kw):
    np.testing.assert_allclose(run(optim.SGD, **kw), ref_sgd(**kw), rtol=1e-12)


def test_sgd_maximize():
    got = run(optim.SGD, 1, lr=0.1, maximize=True)
    np.testing.assert_allclose(got[0], P0 + 0.1 * GRADS[0])


def test_adagrad():
    lr, decay, eps, init = 0.1, 0.01, 1e-10, 0.1
    p, s, out = P0.copy(), np.full(3, init), []
    for t, g in enumerate(GRADS, 1):
        s = s + g * g
        p = p - lr / (1 + (t - 1) * decay) * g / (np.sqrt(s) + eps)
        out.append(p)
    got = run(optim.Adagrad, lr=lr, lr_decay=decay, initial_accumulator_value=init)
    np.testing.assert_allclose(got, out, rtol=1e-12)


@pytest.mark.parametrize("centered", [False, True])
@pytest.mark.parametrize("momentum", [0, 0.9])
def test_rmsprop(centered, momentum):
    lr, alpha, eps = 0.01, 0.99, 1e-8
    p, v, m, buf, out = P0.copy(), np.zeros(3), np.zeros(3), np.zeros(3), []
    for g in GRADS:
        v = alpha * v + (1 - alpha) * g * g
        m = alpha * m + (1 - alpha) * g
        avg = np.sqrt(v - m * m if centered else v) + eps
        if momentum:
            buf = momentum * buf + g / avg
            p = p - lr * buf
        else:
            p = p - lr * g / avg
        out.append(p)
    got = run(optim.RMSprop, lr=lr, centered=centered, momentum=momentum)
    np.testing.assert_allclose(got, out, rtol=1e-10)


def test_adadelta():
    lr, rho, eps = 1.0, 0.9, 1e-6
    p, v, u, out = P0.copy(), np.zeros(3), np.zeros(3), []
    for g in GRADS:
        v = rho * v + (1 - rho) * g * g
        delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g
        u = rho * u + (1 - rho) * delta * delta
        p = p - lr * delta
        out.append(p)
    np.testing.assert_allclose(run(optim.Adadelta), out, rtol=1e-12)


def ref_adam(lr=1e-3, b1=0.9, b2=0.999, eps=1e-8, wd=0.0, amsgrad=False, decoupled=False):
    p, m, v, vmax, out = P0.copy(), np.zeros(3), np.zeros(3), np.zeros(3), []
    for t, g in enumerate(GRADS, 1):
        if decoupled:
            p = p * (1 - lr * wd)
        else:
            g = g + wd * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        vmax = np.maximum(vmax, v)
        m_hat = m / (1 - b1**t)
        v_hat = (vmax if amsgrad else v) / (1 - b2**t)
        p = p - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(p)
    return out


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam(amsgrad):
    got = run(optim.Adam, lr=0.1, weight_decay=0.05, amsgrad=amsgrad)
    np.testing.assert_allclose(got, ref_adam(lr=0.1, wd=0.05, amsgrad=amsgrad), rtol=1e-10)


def test_adam_first_step_is_lr_times_sign():
    # bias correction makes the first step lr * g / |g| (up to eps)
    got = run(optim.Adam, 1, lr=0.1)
    np.testing.assert_allclose(got[0], P0 - 0.1 * np.sign(GRADS[0]), rtol=1e-6)


def test_adamw_decoupled():
    got = run(optim.AdamW, lr=0.1, weight_decay=0.1)
    np.testing.assert_allclose(got, ref_adam(lr=0.1, wd=0.1, decoupled=True), rtol=1e-10)
    assert optim.AdamW([ag.zeros(1, requires_grad=True)]).defaults["weight_decay"] == 1e-2


CASES = [
    (optim.SGD, dict(lr=0.1, momentum=0.9)),
    (optim.Adagrad, dict(lr=0.5)),
    (optim.RMSprop, dict(lr=0.01)),
    (optim.Adadelta, dict(lr=5.0)),
    (optim.Adam, dict(lr=0.05)),
    (optim.AdamW, dict(lr=0.05, weight_decay=0.0)),
]


@pytest.mark.parametrize("cls,kw", CASES)
def test_minimises_quadratic(cls, kw, device):
    target = ag.tensor([1.0, -2.0, 3.0], device=device)
    x = ag.zeros(3, device=device, requires_grad=True)
    opt = cls([x], **kw)
    for _ in range(400):
        opt.zero_grad()
        loss = ((x - target) ** 2).sum()
        loss.backward()
        opt.step()
    assert loss.item() < 1e-2, (cls.__name__, loss.item())


@pytest.mark.parametrize("cls,kw", CASES)
def test_float32_stays_float32(cls, kw, device):
    x = ag.randn(4, device=device, requires_grad=True)
    opt = cls([x], **kw)
    for _ in range(3):
        opt.zero_grad()
        (x * x).sum().backward()
        opt.step()
    assert x.dtype == ag.float32
    assert x.grad_fn is None and x.requires_grad
    for value in opt.state[x].values():
        if isinstance(value, ag.Tensor):
            assert value.dtype == ag.float32 and value.device == x.device
