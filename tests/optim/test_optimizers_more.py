"""Adamax, NAdam, RAdam, ASGD, Rprop and LBFGS: first steps against NumPy versions of the
update formulas, validation, state_dict round trips, LBFGS on the Rosenbrock function."""

import math

import numpy as np
import pytest
from optim_steps import GRADS, P0, check_state_dict_round_trip, run

import autograd_core as ag
import optim


# ---- NumPy references, written from the update formulas ---------------------------------
def ref_adamax(lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, maximize=False):
    (b1, b2), p = betas, P0.copy()
    m, u, out = np.zeros(3), np.zeros(3), []
    for t, g in enumerate(GRADS, 1):
        g = -g if maximize else g
        g = g + weight_decay * p
        m = b1 * m + (1 - b1) * g
        u = np.maximum(b2 * u, np.abs(g) + eps)
        p = p - lr / (1 - b1**t) * m / u
        out.append(p)
    return out


def ref_nadam(
    lr=2e-3,
    betas=(0.9, 0.999),
    eps=1e-8,
    weight_decay=0.0,
    momentum_decay=4e-3,
    decoupled_weight_decay=False,
):
    (b1, b2), p = betas, P0.copy()
    m, v, mu_prod, out = np.zeros(3), np.zeros(3), 1.0, []
    for t, g in enumerate(GRADS, 1):
        if decoupled_weight_decay:
            p = p * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * p
        mu = b1 * (1 - 0.5 * 0.96 ** (t * momentum_decay))
        mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentum_decay))
        mu_prod = mu_prod * mu
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        denom = np.sqrt(v / (1 - b2**t)) + eps
        p = p - lr * (1 - mu) / (1 - mu_prod) * g / denom
        p = p - lr * mu_next / (1 - mu_prod * mu_next) * m / denom
        out.append(p)
    return out


def ref_radam(
    lr=1e-3,
    betas=(0.9, 0.999),
    eps=1e-8,
    weight_decay=0.0,
    decoupled_weight_decay=False,
    grads=GRADS,
):
    (b1, b2), p = betas, P0.copy()
    m, v, out = np.zeros(3), np.zeros(3), []
    rho_inf = 2 / (1 - b2) - 1
    for t, g in enumerate(grads, 1):
        if decoupled_weight_decay:
            p = p * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = m / (1 - b1**t)
        rho_t = rho_inf - 2 * t * b2**t / (1 - b2**t)
        if rho_t > 5:
            r = math.sqrt(
                (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
            )
            p = p - lr * m_hat * r * math.sqrt(1 - b2**t) / (np.sqrt(v) + eps)
        else:
            p = p - lr * m_hat
        out.append(p)
    return out


def ref_asgd(lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0.0):
    p, ax, eta, mu, out, axs = P0.copy(), np.zeros(3), lr, 1.0, [], []
    for t, g in enumerate(GRADS, 1):
        g = g + weight_decay * p
        p = p * (1 - lambd * eta) - eta * g
        ax = ax + mu * (p - ax) if mu != 1 else p.copy()
        eta = lr / (1 + lambd * lr * t) ** alpha
        mu = 1 / max(1, t - t0)
        out.append(p)
        axs.append(ax)
    return out, axs


def ref_rprop(lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), grads=GRADS):
    p, prev, size, out = P0.copy(), np.zeros(3), np.full(3, lr), []
    for g in grads:
        s = np.sign(g * prev)
        size = np.clip(size * np.where(s > 0, etas[1], np.where(s < 0, etas[0], 1.0)), *step_sizes)
        g = np.where(s < 0, 0.0, g)  # a sign change: no step for that element, and prev = 0
        p = p - np.sign(g) * size
        prev = g
        out.append(p)
    return out


# Rprop: the second gradient flips the sign of elements 0 and 1, the third flips element 2
RPROP_GRADS = [np.array([0.3, -0.1, 0.2]), np.array([-0.2, 0.4, 0.1]), np.array([-0.5, 0.5, -0.3])]

CASES = [
    (optim.Adamax, dict(lr=0.1), ref_adamax),
    (optim.Adamax, dict(lr=0.1, weight_decay=0.1, betas=(0.8, 0.9)), ref_adamax),
    (optim.NAdam, dict(lr=0.1), ref_nadam),
    (optim.NAdam, dict(lr=0.1, weight_decay=0.1, momentum_decay=0.1), ref_nadam),
    (optim.NAdam, dict(lr=0.1, weight_decay=0.1, decoupled_weight_decay=True), ref_nadam),
    (optim.RAdam, dict(lr=0.1, weight_decay=0.1), ref_radam),
    (optim.RAdam, dict(lr=0.1, weight_decay=0.1, decoupled_weight_decay=True), ref_radam),
    (optim.ASGD, dict(lr=0.1, lambd=0.1), lambda **kw: ref_asgd(**kw)[0]),
    (optim.ASGD, dict(lr=0.1, lambd=0.1, t0=1, weight_decay=0.1), lambda **kw: ref_asgd(**kw)[0]),
]


@pytest.mark.parametrize("cls,kw,ref", CASES)
def test_first_steps_match_formula(cls, kw, ref):
    np.testing.assert_allclose(run(cls, **kw), ref(**kw), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("cls,kw,ref", CASES)
def test_float32_on_device(cls, kw, ref, device):
    got = run(cls, dtype=ag.float32, device=device, **kw)
    np.testing.assert_allclose(got, ref(**kw), rtol=1e-5, atol=1e-6)


def test_adamax_maximize():
    got = run(optim.Adamax, lr=0.1, maximize=True)
    np.testing.assert_allclose(got, ref_adamax(lr=0.1, maximize=True), rtol=1e-12)


# rho_t < t, so RAdam's rectified branch (rho_t > 5) starts at step 6 at the earliest
LONG_GRADS = GRADS + [np.array([0.1, -0.3, 0.2]) * k for k in range(1, 6)]


@pytest.mark.parametrize("decoupled", [False, True])
def test_radam_both_branches(decoupled):
    kw = dict(lr=0.1, betas=(0.8, 0.99), weight_decay=0.1, decoupled_weight_decay=decoupled)
    got = run(optim.RAdam, steps=8, grads=LONG_GRADS, **kw)
    np.testing.assert_allclose(got, ref_radam(grads=LONG_GRADS, **kw), rtol=1e-12)


def test_radam_switches_to_rectified_step():
    # with beta2 = 0.999, rho_t > 5 from step 6
    b2, rho_inf = 0.999, 2 / (1 - 0.999) - 1
    rho = [rho_inf - 2 * t * b2**t / (1 - b2**t) for t in range(1, 8)]
    assert [r > 5 for r in rho] == [False] * 5 + [True] * 2
    p = ag.tensor([1.0], dtype=ag.float64, requires_grad=True)
    opt = optim.RAdam([p], lr=0.1)
    for t in range(1, 7):
        before = p.item()
        p.grad = ag.tensor([0.5], dtype=ag.float64)
        opt.step()
        if t <= 5:  # plain bias-corrected momentum: m_hat = g for a constant g
            assert before - p.item() == pytest.approx(0.1 * 0.5, rel=1e-12)
        else:
            assert before - p.item() < 0.1 * 0.5


def test_asgd_state_and_average():
    kw = dict(lr=0.1, lambd=0.1, t0=1, weight_decay=0.1)
    p = ag.tensor(P0.copy(), dtype=ag.float64, requires_grad=True)
    opt = optim.ASGD([p], **kw)
    for g in GRADS:
        p.grad = ag.tensor(g, dtype=ag.float64)
        opt.step()
    state = opt.state[p]
    assert sorted(state) == ["ax", "eta", "mu", "step"]
    assert state["step"] == 3
    assert state["eta"] == pytest.approx(0.1 / (1 + 0.1 * 0.1 * 3) ** 0.75, rel=1e-14)
    assert state["mu"] == pytest.approx(1 / 2)
    _, axs = ref_asgd(**kw)
    np.testing.assert_allclose(state["ax"].numpy(), axs[-1], rtol=1e-12)


@pytest.mark.parametrize(
    "kw", [dict(lr=0.1), dict(lr=0.1, etas=(0.3, 2.0), step_sizes=(0.05, 0.15))]
)
def test_rprop(kw):
    got = run(optim.Rprop, grads=RPROP_GRADS, **kw)
    np.testing.assert_allclose(got, ref_rprop(grads=RPROP_GRADS, **kw), rtol=1e-12)


def test_rprop_sign_change_skips_the_step():
    p = ag.tensor([1.0], dtype=ag.float64, requires_grad=True)
    opt = optim.Rprop([p], lr=0.1)
    for g, expected, size in [(1.0, 0.9, 0.1), (-1.0, 0.9, 0.05), (-1.0, 0.95, 0.05)]:
        p.grad = ag.tensor([g], dtype=ag.float64)
        opt.step()
        assert p.item() == pytest.approx(expected, rel=1e-12)
        assert opt.state[p]["step_size"].item() == pytest.approx(size, rel=1e-12)
    assert opt.state[p]["prev"].item() == -1.0


def test_rprop_float32_on_device(device):
    got = run(optim.Rprop, grads=RPROP_GRADS, dtype=ag.float32, device=device, lr=0.1)
    np.testing.assert_allclose(got, ref_rprop(lr=0.1, grads=RPROP_GRADS), rtol=1e-6)


# ---- validation ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make,match",
    [
        (lambda p: optim.Adamax(p, lr=-1), "Invalid learning rate: -1"),
        (lambda p: optim.Adamax(p, eps=-1), "Invalid epsilon value: -1"),
        (lambda p: optim.Adamax(p, betas=(1.0, 0.9)), "Invalid beta parameter at index 0: 1.0"),
        (lambda p: optim.Adamax(p, weight_decay=-1), "Invalid weight_decay value: -1"),
        (lambda p: optim.NAdam(p, betas=(0.9, 1.0)), "Invalid beta parameter at index 1: 1.0"),
        (lambda p: optim.NAdam(p, momentum_decay=-1), "Invalid momentum_decay value: -1"),
        (lambda p: optim.NAdam(p, lr=-1), "Invalid learning rate: -1"),
        (lambda p: optim.RAdam(p, eps=-1), "Invalid epsilon value: -1"),
        (lambda p: optim.RAdam(p, weight_decay=-1), "Invalid weight_decay value: -1"),
        (lambda p: optim.ASGD(p, lr=-1), "Invalid learning rate: -1"),
        (lambda p: optim.ASGD(p, weight_decay=-1), "Invalid weight_decay value: -1"),
        (lambda p: optim.Rprop(p, lr=-1), "Invalid learning rate: -1"),
        (lambda p: optim.Rprop(p, etas=(1.5, 1.2)), "Invalid eta values: 1.5, 1.2"),
        (lambda p: optim.Rprop(p, etas=(0.5, 0.9)), "Invalid eta values: 0.5, 0.9"),
        (lambda p: optim.LBFGS(p, lr=-1), "Invalid learning rate: -1"),
        (
            lambda p: optim.LBFGS([{"params": p}, {"params": [ag.zeros(1, requires_grad=True)]}]),
            r"LBFGS doesn't support per-parameter options \(parameter groups\)",
        ),
    ],
)
def test_validation(make, match):
    with pytest.raises(ValueError, match=match):
        make([ag.zeros(2, requires_grad=True)])


def test_defaults():
    p = [ag.zeros(1, requires_grad=True)]
    assert optim.Adamax(p).defaults["lr"] == 2e-3
    assert optim.NAdam(p).defaults["momentum_decay"] == 4e-3
    assert optim.RAdam(p).defaults["lr"] == 1e-3
    asgd = optim.ASGD(p).defaults
    assert (asgd["lr"], asgd["lambd"], asgd["alpha"], asgd["t0"]) == (1e-2, 1e-4, 0.75, 1e6)
    assert optim.Rprop(p).defaults["etas"] == (0.5, 1.2)
    lbfgs = optim.LBFGS(p).defaults
    assert (lbfgs["max_iter"], lbfgs["max_eval"], lbfgs["history_size"]) == (20, 25, 100)


# ---- state_dict round trips ------------------------------------------------------------
def quad_steps(opt, params, n):
    for _ in range(n):
        opt.zero_grad()
        loss = sum(((p - 0.5) ** 2 * (p + 2.0)).sum() for p in params)
        loss.backward()
        opt.step()


ROUND_TRIP = [
    (optim.Adamax, dict(lr=0.05, weight_decay=0.01)),
    (optim.NAdam, dict(lr=0.05, decoupled_weight_decay=True, weight_decay=0.01)),
    (optim.RAdam, dict(lr=0.05, betas=(0.9, 0.9))),
    (optim.ASGD, dict(lr=0.05, lambd=0.1, t0=2)),
    (optim.Rprop, dict(lr=0.05)),
]


@pytest.mark.parametrize("cls,kw", ROUND_TRIP)
@pytest.mark.parametrize("through_file", [False, True])
def test_state_dict_round_trip(cls, kw, through_file, tmp_path):
    check_state_dict_round_trip(cls, kw, through_file, tmp_path, quad_steps, steps_before=4)


# ---- LBFGS -----------------------------------------------------------------------------
def rosenbrock(xy):
    x, y = xy[0], xy[1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def lbfgs_run(steps, device="cpu", dtype=ag.float64, **kw):
    xy = ag.tensor([-1.5, 2.0], dtype=dtype, device=device, requires_grad=True)
    opt = optim.LBFGS([xy], **kw)

    def closure():
        opt.zero_grad()
        loss = rosenbrock(xy)
        loss.backward()
        return loss

    path = []
    for _ in range(steps):
        opt.step(closure)
        path.append(xy.detach().cpu().numpy().astype(np.float64))
    return path, opt, xy


# iterates from PyTorch 2.13 in float64: one iteration per step(closure) without a line
# search (a fixed step on Rosenbrock's curved valley magnifies last-bit differences, so only
# the first iterations are compared), and three full steps (max_iter=20) with strong_wolfe
TORCH_PATH = {
    None: (
        dict(max_iter=1),
        [
            (-0.7439024390243902, 2.2439024390243905),
            (-1.314377565452805, 2.020336070035731),
            (-1.5714969503124538, 1.9910250576682182),
            (-1.3978609639575563, 2.0067671025646203),
            (-1.4105621061808535, 2.004367900333712),
            (-1.412497087238126, 2.0030627986189082),
            (-1.4124249649672804, 2.0018379999008844),
            (-1.4083816681376915, 1.9818168638453508),
            (-1.3966612843631436, 1.93920552115472),
            (-1.3575174171543496, 1.8132625820382613),
            (-1.2935852454770502, 1.6254282979075156),
            (-1.21824483709206, 1.4273533706140442),
            (-1.0905331936348035, 1.135550200366282),
            (-0.9762213936613181, 0.9367722382391189),
            (-0.6828165818348131, 0.32968065358955856),
        ],
    ),
    "strong_wolfe": (
        {},
        [
            (-0.08511855589860293, -0.028757058413769698),
            (0.9995835472529905, 0.9991550319577943),
            (0.9999979943196398, 0.9999973438921637),
        ],
    ),
}


@pytest.mark.parametrize(
    "line_search_fn,steps,dtype,atol",
    [
        (None, 40, ag.float64, 1e-5),
        ("strong_wolfe", 5, ag.float64, 1e-5),
        ("strong_wolfe", 5, ag.float32, 1e-3),
    ],
)
def test_lbfgs_rosenbrock(line_search_fn, steps, dtype, atol, device):
    path, _, xy = lbfgs_run(steps, device=device, dtype=dtype, line_search_fn=line_search_fn)
    np.testing.assert_allclose(path[-1], [1.0, 1.0], atol=atol)
    assert xy.dtype == dtype


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_lbfgs_iterates(line_search_fn):
    kw, expected = TORCH_PATH[line_search_fn]
    path, _, _ = lbfgs_run(len(expected), line_search_fn=line_search_fn, **kw)
    np.testing.assert_allclose(path, expected, rtol=1e-10, atol=1e-12)


def test_lbfgs_needs_a_known_line_search():
    with pytest.raises(RuntimeError, match="only 'strong_wolfe' is supported"):
        lbfgs_run(1, line_search_fn="armijo")


@pytest.mark.parametrize("through_file", [False, True])
def test_lbfgs_state_dict_round_trip(through_file, tmp_path):
    _, opt, xy = lbfgs_run(2, max_iter=3, history_size=2)
    state = opt.state[xy]
    # the counts PyTorch reports for the same run
    assert (state["n_iter"], state["func_evals"], len(state["old_dirs"])) == (4, 6, 2)
    sd = opt.state_dict()
    if through_file:
        ag.save(sd, tmp_path / "lbfgs.safetensors")
        sd = ag.load(tmp_path / "lbfgs.safetensors")
    xy2 = xy.detach().clone().requires_grad_(True)
    opt2 = optim.LBFGS([xy2], max_iter=3, history_size=2)
    opt2.load_state_dict(sd)
    assert opt2.state[xy2]["old_dirs"][0] is not state["old_dirs"][0]
    before = xy.detach().numpy().copy()
    for o, p in [(opt, xy), (opt2, xy2)]:

        def closure(o=o, p=p):
            o.zero_grad()
            loss = rosenbrock(p)
            loss.backward()
            return loss

        for _ in range(3):
            o.step(closure)
    assert np.abs(xy.detach().numpy() - before).max() > 1e-3
    np.testing.assert_allclose(xy.detach().numpy(), xy2.detach().numpy(), rtol=1e-12)


@pytest.mark.parametrize(
    "cls", [optim.Adamax, optim.NAdam, optim.RAdam, optim.ASGD, optim.Rprop, optim.LBFGS]
)
def test_float32_stays_float32(cls, device):
    x = ag.randn(4, device=device, requires_grad=True)
    opt = cls([x])

    def closure():
        opt.zero_grad()
        loss = (x * x).sum()
        loss.backward()
        return loss

    for _ in range(3):
        opt.step(closure)
    assert x.dtype == ag.float32 and x.grad_fn is None and x.requires_grad
    for value in opt.state[x].values():
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, ag.Tensor):
                assert v.dtype == ag.float32 and v.device == x.device
