"""MultiplicativeLR, ConstantLR, PolynomialLR, CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR,
SequentialLR and ChainedScheduler against their closed forms and hand-computed values."""

import copy
import math

import pytest

import autograd_core as ag
import optim
from optim import lr_scheduler as sched

TOL = 1e-12


def make_opt(lr=1.0, kind="sgd", groups=1, **kw):
    params = [{"params": [ag.zeros(2, requires_grad=True)]} for _ in range(groups)]
    cls = {"sgd": optim.SGD, "adam": optim.Adam, "adagrad": optim.Adagrad}[kind]
    return cls(params, lr=lr, **kw)


def run(opt, scheduler, n, key="lr"):
    """The value of group 0's `key` (a callable of the group, or a name) for epochs 0..n-1."""
    get = key if callable(key) else (lambda g: g[key])
    out = []
    for _ in range(n):
        out.append(get(opt.param_groups[0]))
        opt.step()
        scheduler.step()
    return out


def lr_and_momentum(group):
    return (group["lr"], group["momentum"])


def beta1(group):
    return group["betas"][0]


# ---- MultiplicativeLR, ConstantLR, PolynomialLR ------------------------------------------


def test_multiplicative_lr_is_a_running_product():
    f = lambda t: 0.9 if t % 2 else 0.5  # noqa: E731
    opt = make_opt(2.0)
    got = run(opt, sched.MultiplicativeLR(opt, lr_lambda=f), 8)
    want = [2.0 * math.prod(f(k) for k in range(1, t + 1)) for t in range(8)]
    assert got == pytest.approx(want, abs=TOL)


def test_multiplicative_lr_per_group_and_errors():
    opt = make_opt(1.0, groups=2)
    s = sched.MultiplicativeLR(opt, [lambda t: 0.5, lambda t: 0.8])
    for _ in range(3):
        opt.step()
        s.step()
    assert s.get_last_lr() == pytest.approx([0.5**3, 0.8**3], abs=TOL)
    with pytest.raises(ValueError, match="Expected 2 lr_lambdas, but got 1"):
        sched.MultiplicativeLR(opt, [lambda t: 1.0])
    with pytest.raises(TypeError, match="lr_lambda should be a function, but got float"):
        sched.MultiplicativeLR(make_opt(), 0.9)


def test_constant_lr_defaults_and_custom():
    opt = make_opt(0.3)
    got = run(opt, sched.ConstantLR(opt), 8)
    assert got == pytest.approx([0.1] * 5 + [0.3] * 3, abs=TOL)
    opt = make_opt(1.0)
    got = run(opt, sched.ConstantLR(opt, factor=0.5, total_iters=3), 6)
    assert got == pytest.approx([0.5, 0.5, 0.5, 1.0, 1.0, 1.0], abs=TOL)
    with pytest.raises(ValueError, match="Constant multiplicative factor expected to be between"):
        sched.ConstantLR(make_opt(), factor=1.5)


@pytest.mark.parametrize("total_iters, power", [(5, 1.0), (7, 2.0), (4, 0.5)])
def test_polynomial_lr(total_iters, power):
    opt = make_opt(0.8)
    s = sched.PolynomialLR(opt, total_iters=total_iters, power=power)
    got = run(opt, s, total_iters + 4)
    want = [0.8 * (1 - min(t, total_iters) / total_iters) ** power for t in range(total_iters + 4)]
    assert got == pytest.approx(want, abs=TOL)


def test_polynomial_lr_default_sequence():
    opt = make_opt(1.0)
    got = run(opt, sched.PolynomialLR(opt), 7)
    assert got == pytest.approx([1.0, 0.8, 0.6, 0.4, 0.2, 0.0, 0.0], abs=TOL)


# ---- CosineAnnealingWarmRestarts ----------------------------------------------------------


def sgdr(epoch, T_0, T_mult, eta_min, base=1.0):
    """Closed form: walk the periods T_0, T_0 * T_mult, ... to find T_cur and T_i."""
    T_i, T_cur = T_0, epoch
    while T_cur >= T_i:
        T_cur -= T_i
        T_i *= T_mult
    return eta_min + (base - eta_min) * (1 + math.cos(math.pi * T_cur / T_i)) / 2


@pytest.mark.parametrize("T_0, T_mult, eta_min", [(3, 1, 0.1), (2, 2, 0.0), (1, 3, 0.05)])
def test_warm_restarts_by_epoch(T_0, T_mult, eta_min):
    opt = make_opt(1.0)
    s = sched.CosineAnnealingWarmRestarts(opt, T_0, T_mult=T_mult, eta_min=eta_min)
    got = run(opt, s, 30)
    assert got == pytest.approx([sgdr(t, T_0, T_mult, eta_min) for t in range(30)], abs=TOL)


def test_warm_restarts_first_values_by_hand():
    opt = make_opt(1.0)
    got = run(opt, sched.CosineAnnealingWarmRestarts(opt, T_0=2), 5)
    assert got == pytest.approx([1.0, 0.5, 1.0, 0.5, 1.0], abs=TOL)


@pytest.mark.parametrize("T_mult", [1, 2, 3])
def test_warm_restarts_fractional_epochs(T_mult):
    opt = make_opt(1.0)
    s = sched.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=T_mult, eta_min=0.05)
    for epoch in [0.25, 0.5, 1.7, 2.0, 2.3, 5.9, 6.0, 7.5, 13.1, 0.3, 3, 30.7]:
        s.step(epoch)
        assert s.last_epoch == math.floor(epoch)
        assert opt.param_groups[0]["lr"] == pytest.approx(sgdr(epoch, 2, T_mult, 0.05), abs=TOL)
    # plain steps then go on from the last (fractional) position
    T_cur, T_i = s.T_cur, s.T_i
    s.step()
    if T_cur + 1 >= T_i:
        T_cur, T_i = (T_cur + 1) % T_i, T_i * T_mult
    else:
        T_cur += 1
    want = 0.05 + 0.95 * (1 + math.cos(math.pi * T_cur / T_i)) / 2
    assert s.get_last_lr() == pytest.approx([want], abs=TOL)


def test_warm_restarts_batch_steps_as_documented():
    # step(epoch + i / iters) after each batch: the lr moves within the epoch
    opt = make_opt(1.0)
    s = sched.CosineAnnealingWarmRestarts(opt, T_0=3)
    iters = 4
    for epoch in range(7):
        for i in range(iters):
            s.step(epoch + i / iters)
            assert opt.param_groups[0]["lr"] == pytest.approx(sgdr(epoch + i / iters, 3, 1, 0.0))


def test_warm_restarts_errors():
    with pytest.raises(ValueError, match="Expected positive integer T_0, but got 0"):
        sched.CosineAnnealingWarmRestarts(make_opt(), T_0=0)
    with pytest.raises(ValueError, match="Expected positive integer T_0, but got 2.5"):
        sched.CosineAnnealingWarmRestarts(make_opt(), T_0=2.5)
    with pytest.raises(ValueError, match="Expected integer T_mult >= 1, but got 0"):
        sched.CosineAnnealingWarmRestarts(make_opt(), T_0=2, T_mult=0)
    with pytest.raises(ValueError, match="Expected float or int eta_min"):
        sched.CosineAnnealingWarmRestarts(make_opt(), T_0=2, eta_min="0")
    s = sched.CosineAnnealingWarmRestarts(make_opt(), T_0=2)
    with pytest.raises(ValueError, match="Expected non-negative epoch, but got -1"):
        s.step(-1)


# ---- CyclicLR -----------------------------------------------------------------------------


def cyclic(t, base, top, up, down, scale):
    """Closed form: position x in cycle c, height h going up or down, times scale(c, t)."""
    size = up + down
    c = math.floor(1 + t / size)
    x = 1 + t / size - c
    h = x / (up / size) if x <= up / size else (x - 1) / (up / size - 1)
    return base + (top - base) * h * scale(c, t)


def test_cyclic_triangular_by_hand():
    opt = make_opt(momentum=0.5)
    s = sched.CyclicLR(opt, base_lr=0.1, max_lr=0.5, step_size_up=2, cycle_momentum=False)
    got = run(opt, s, 9)
    assert got == pytest.approx([0.1, 0.3, 0.5, 0.3, 0.1, 0.3, 0.5, 0.3, 0.1], abs=TOL)


@pytest.mark.parametrize(
    "mode, up, down, scale",
    [
        ("triangular", 4, None, lambda c, t: 1.0),
        ("triangular2", 3, 5, lambda c, t: 0.5 ** (c - 1)),
        ("exp_range", 4, 2, lambda c, t: 0.97**t),
    ],
)
def test_cyclic_modes_lr_and_momentum(mode, up, down, scale):
    opt = make_opt(momentum=0.9)
    s = sched.CyclicLR(opt, 0.1, 1.0, step_size_up=up, step_size_down=down, mode=mode, gamma=0.97)
    n = 40
    lrs, moms = [], []
    for _ in range(n):
        lrs.append(opt.param_groups[0]["lr"])
        moms.append(opt.param_groups[0]["momentum"])
        opt.step()
        s.step()
    down = up if down is None else down
    assert lrs == pytest.approx([cyclic(t, 0.1, 1.0, up, down, scale) for t in range(n)], abs=TOL)
    # momentum runs the other way: max_momentum (0.9) at base_lr, base_momentum (0.8) at max_lr
    want = [0.9 - (0.9 - 0.8) * (cyclic(t, 0, 1, up, down, scale)) for t in range(n)]
    assert moms == pytest.approx(want, abs=TOL)


def test_cyclic_cycles_adam_beta1_per_group():
    opt = make_opt(kind="adam", groups=2, betas=(0.9, 0.99))
    s = sched.CyclicLR(
        opt, [0.1, 0.2], [1.0, 0.4], step_size_up=2, base_momentum=[0.7, 0.6], max_momentum=0.95
    )
    assert [g["betas"] for g in opt.param_groups] == [(0.95, 0.99), (0.95, 0.99)]
    opt.step()
    s.step()
    assert s.get_last_lr() == pytest.approx([0.55, 0.3], abs=TOL)
    assert [g["betas"][0] for g in opt.param_groups] == pytest.approx([0.825, 0.775], abs=TOL)
    opt.step()
    s.step()
    assert [g["betas"] for g in opt.param_groups] == [(0.7, 0.99), (0.6, 0.99)]


@pytest.mark.parametrize("scale_mode", ["cycle", "iterations"])
def test_cyclic_custom_scale_fn(scale_mode):
    fn = lambda x: 1 / (1 + x)  # noqa: E731
    opt = make_opt()
    s = sched.CyclicLR(
        opt, 0.1, 1.0, step_size_up=3, scale_fn=fn, scale_mode=scale_mode, cycle_momentum=False
    )
    got = run(opt, s, 20)
    if scale_mode == "cycle":
        scale = lambda c, t: fn(c)  # noqa: E731
    else:
        scale = lambda c, t: fn(t)  # noqa: E731
    assert got == pytest.approx([cyclic(t, 0.1, 1.0, 3, 3, scale) for t in range(20)], abs=TOL)
    assert s.state_dict()["_scale_fn_custom"] is None  # a plain function is not saved


def test_cyclic_errors():
    with pytest.raises(ValueError, match="mode is invalid and scale_fn is None"):
        sched.CyclicLR(make_opt(momentum=0.9), 0.1, 1.0, mode="sawtooth")
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1"):
        sched.CyclicLR(make_opt(kind="adagrad"), 0.1, 1.0)
    with pytest.raises(ValueError, match="base_lr must have the same length"):
        sched.CyclicLR(make_opt(groups=2, momentum=0.9), [0.1], 1.0)
    # without momentum cycling an optimiser with no momentum is fine
    sched.CyclicLR(make_opt(kind="adagrad"), 0.1, 1.0, cycle_momentum=False)


# ---- OneCycleLR ---------------------------------------------------------------------------


def anneal(start, end, pct, strategy):
    if strategy == "cos":
        return end + (start - end) * (1 + math.cos(math.pi * pct)) / 2
    return start + (end - start) * pct


def one_cycle(t, n, top, pct_start, strategy, three_phase, div=25.0, final_div=1e4):
    """(lr, momentum) at step t, with base_momentum 0.85 and max_momentum 0.95."""
    lo, hi = 0.85, 0.95
    initial = top / div
    floor_lr = initial / final_div
    up_end = pct_start * n - 1
    if three_phase:
        phases = [
            (up_end, initial, top, hi, lo),
            (2 * pct_start * n - 2, top, initial, lo, hi),
            (n - 1, initial, floor_lr, hi, hi),
        ]
    else:
        phases = [(up_end, initial, top, hi, lo), (n - 1, top, floor_lr, lo, hi)]
    start = 0.0
    for i, (end, lr0, lr1, m0, m1) in enumerate(phases):
        if t <= end or i == len(phases) - 1:
            pct = (t - start) / (end - start)
            return anneal(lr0, lr1, pct, strategy), anneal(m0, m1, pct, strategy)
        start = end


@pytest.mark.parametrize(
    "n, pct_start, strategy, three_phase",
    [(20, 0.3, "cos", False), (20, 0.25, "linear", True), (17, 0.4, "cos", True)],
)
def test_one_cycle_lr_and_momentum(n, pct_start, strategy, three_phase):
    opt = make_opt(momentum=0.9)
    s = sched.OneCycleLR(
        opt,
        max_lr=0.5,
        total_steps=n,
        pct_start=pct_start,
        anneal_strategy=strategy,
        three_phase=three_phase,
    )
    got = run(opt, s, n, key=lr_and_momentum)
    lrs = [g[0] for g in got]
    want = [one_cycle(t, n, 0.5, pct_start, strategy, three_phase) for t in range(n)]
    assert lrs == pytest.approx([w[0] for w in want], abs=TOL)
    assert [g[1] for g in got] == pytest.approx([w[1] for w in want], abs=TOL)
    assert lrs[0] == pytest.approx(0.5 / 25, abs=TOL)
    assert lrs[-1] == pytest.approx(0.5 / 25 / 1e4, abs=TOL)  # step n - 1: the floor


def test_one_cycle_momentum_and_adam_beta1():
    n = 12
    opt = make_opt(momentum=0.9)
    s = sched.OneCycleLR(opt, max_lr=1.0, total_steps=n)
    moms = run(opt, s, n, key="momentum")
    assert moms == pytest.approx(
        [one_cycle(t, n, 1.0, 0.3, "cos", False)[1] for t in range(n)], abs=TOL
    )
    opt = make_opt(kind="adam", betas=(0.9, 0.99))
    s = sched.OneCycleLR(opt, max_lr=1.0, epochs=3, steps_per_epoch=4, anneal_strategy="linear")
    assert s.total_steps == 12
    got = run(opt, s, n, key=beta1)
    assert got == pytest.approx(
        [one_cycle(t, n, 1.0, 0.3, "linear", False)[1] for t in range(n)], abs=TOL
    )
    assert opt.param_groups[0]["betas"][1] == 0.99


def test_one_cycle_div_factors_and_groups():
    opt = make_opt(groups=2, momentum=0.9)
    s = sched.OneCycleLR(opt, [1.0, 2.0], total_steps=10, div_factor=10.0, final_div_factor=100.0)
    assert s.get_last_lr() == pytest.approx([0.1, 0.2], abs=TOL)
    assert [g["min_lr"] for g in opt.param_groups] == pytest.approx([1e-3, 2e-3], abs=TOL)
    for _ in range(9):
        opt.step()
        s.step()
    assert s.get_last_lr() == pytest.approx([1e-3, 2e-3], abs=TOL)


def test_one_cycle_errors():
    opt = make_opt(momentum=0.9)
    with pytest.raises(ValueError, match=r"You must define either total_steps OR \(epochs AND"):
        sched.OneCycleLR(opt, 1.0, epochs=3)
    with pytest.raises(ValueError, match="Expected positive integer total_steps, but got 0"):
        sched.OneCycleLR(opt, 1.0, total_steps=0)
    with pytest.raises(ValueError, match="Expected positive integer epochs, but got -1"):
        sched.OneCycleLR(opt, 1.0, epochs=-1, steps_per_epoch=3)
    with pytest.raises(ValueError, match="Expected positive integer steps_per_epoch"):
        sched.OneCycleLR(opt, 1.0, epochs=2, steps_per_epoch=0)
    with pytest.raises(ValueError, match="Expected float between 0 and 1 pct_start, but got 1"):
        sched.OneCycleLR(opt, 1.0, total_steps=10, pct_start=1)  # an int, as PyTorch
    with pytest.raises(ValueError, match="anneal_strategy must be one of 'cos' or 'linear'"):
        sched.OneCycleLR(opt, 1.0, total_steps=10, anneal_strategy="exp")
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1"):
        sched.OneCycleLR(make_opt(kind="adagrad"), 1.0, total_steps=10)
    s = sched.OneCycleLR(opt, 1.0, total_steps=3)
    for _ in range(3):
        s.step()
    with pytest.raises(ValueError, match="Tried to step 4 times. The specified number of total"):
        s.step()


# ---- SequentialLR and ChainedScheduler ----------------------------------------------------


def test_sequential_warmup_then_decay():
    opt = make_opt(1.0)
    warmup = sched.LinearLR(opt, start_factor=0.1, total_iters=3)
    decay = sched.ExponentialLR(opt, gamma=0.9)
    s = sched.SequentialLR(opt, [warmup, decay], milestones=[4])
    got = run(opt, s, 12)
    want = [min(0.1 + 0.3 * t, 1.0) for t in range(4)] + [0.9 ** (t - 4) for t in range(4, 12)]
    assert got == pytest.approx(want, abs=TOL)
    assert s.get_last_lr() == pytest.approx([0.9**8], abs=TOL)


def test_sequential_three_schedulers_restart_from_initial_lr():
    opt = make_opt(2.0)
    s = sched.SequentialLR(
        opt,
        [
            sched.ConstantLR(opt, factor=0.5, total_iters=2),
            sched.StepLR(opt, step_size=2, gamma=0.5),
            sched.PolynomialLR(opt, total_iters=4, power=2.0),
        ],
        milestones=[3, 8],
    )
    got = run(opt, s, 14)
    want = [1.0, 1.0, 2.0]
    want += [2.0 * 0.5 ** (k // 2) for k in range(5)]
    want += [2.0 * (1 - min(k, 4) / 4) ** 2 for k in range(6)]
    assert got == pytest.approx(want, abs=TOL)


@pytest.mark.parametrize(
    "build, after",
    [
        (lambda o: sched.MultiStepLR(o, [1, 3], gamma=0.5), [1.0, 0.5, 0.5, 0.25, 0.25, 0.25]),
        (
            lambda o: sched.CosineAnnealingLR(o, T_max=4, eta_min=0.1),
            [0.1 + 0.9 * (1 + math.cos(math.pi * k / 4)) / 2 for k in range(6)],
        ),
        (lambda o: sched.LinearLR(o, 0.25, total_iters=2), [0.25, 0.625, 1.0, 1.0, 1.0, 1.0]),
        (lambda o: sched.ExponentialLR(o, gamma=0.8), [0.8**k for k in range(6)]),
    ],
)
def test_sequential_second_scheduler_starts_from_its_epoch_zero(build, after):
    # at the milestone the next scheduler jumps to its closed form at epoch 0
    opt = make_opt(1.0)
    s = sched.SequentialLR(opt, [sched.ExponentialLR(opt, gamma=0.5), build(opt)], [3])
    assert run(opt, s, 9) == pytest.approx([1.0, 0.5, 0.25] + after, abs=TOL)


def test_sequential_errors():
    opt, other = make_opt(), make_opt()
    a, b = sched.ConstantLR(opt), sched.ExponentialLR(opt, 0.9)
    with pytest.raises(ValueError, match="expects at least one scheduler"):
        sched.SequentialLR(opt, [], milestones=[])
    with pytest.raises(ValueError, match="number of schedulers 2 and the number of milestones"):
        sched.SequentialLR(opt, [a, b], milestones=[1, 2])
    with pytest.raises(ValueError, match="expects all schedulers to belong to the same optimizer"):
        sched.SequentialLR(other, [a, b], milestones=[2])
    with pytest.raises(ValueError, match="does not support `ReduceLROnPlateau`"):
        sched.SequentialLR(opt, [a, sched.ReduceLROnPlateau(opt)], milestones=[2])
    with pytest.raises(TypeError, match="at index 1 should have `optimizer` as its attribute"):
        sched.SequentialLR(opt, [a, object()], milestones=[2])


def test_chained_constant_and_exponential():
    opt = make_opt(1.0)
    s = sched.ChainedScheduler(
        [sched.ConstantLR(opt, factor=0.1, total_iters=5), sched.ExponentialLR(opt, gamma=0.9)]
    )
    assert s.optimizer is opt
    got = run(opt, s, 10)
    assert got == pytest.approx([0.9**t * (0.1 if t < 5 else 1.0) for t in range(10)], abs=TOL)
    assert s.get_last_lr() == pytest.approx([0.9**10], abs=TOL)


def test_chained_errors():
    opt, other = make_opt(), make_opt()
    with pytest.raises(ValueError, match="expects at least one scheduler to be chained"):
        sched.ChainedScheduler([])
    with pytest.raises(ValueError, match="expects all schedulers to belong to the same optimizer"):
        sched.ChainedScheduler([sched.ConstantLR(opt), sched.ConstantLR(other)])
    with pytest.raises(ValueError, match="does not support `ReduceLROnPlateau`"):
        sched.ChainedScheduler([sched.ConstantLR(opt), sched.ReduceLROnPlateau(opt)], opt)


# ---- state_dict round trips mid-run -------------------------------------------------------


BUILDERS = {
    "multiplicative": lambda o: sched.MultiplicativeLR(o, lambda t: 0.9),
    "constant": lambda o: sched.ConstantLR(o, factor=0.5, total_iters=6),
    "polynomial": lambda o: sched.PolynomialLR(o, total_iters=9, power=2.0),
    "warm_restarts": lambda o: sched.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=2),
    "cyclic": lambda o: sched.CyclicLR(o, 0.1, 1.0, step_size_up=3, mode="triangular2"),
    "one_cycle": lambda o: sched.OneCycleLR(o, 1.0, total_steps=12, three_phase=True),
    "sequential": lambda o: sched.SequentialLR(
        o, [sched.LinearLR(o, 0.2, total_iters=3), sched.CosineAnnealingLR(o, 5)], [4]
    ),
    "chained": lambda o: sched.ChainedScheduler(
        [sched.ConstantLR(o, 0.5, total_iters=3), sched.PolynomialLR(o, total_iters=8)]
    ),
}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_state_dict_round_trip_mid_run(name):
    build = BUILDERS[name]
    opt = make_opt(1.0, momentum=0.9)
    whole = run(opt, build(opt), 12, key=lr_and_momentum)

    opt = make_opt(1.0, momentum=0.9)
    s = build(opt)
    first = run(opt, s, 5, key=lr_and_momentum)
    opt_state = copy.deepcopy(opt.state_dict())
    sched_state = copy.deepcopy(s.state_dict())
    assert "optimizer" not in sched_state

    # resume: a fresh optimiser and scheduler, then both states loaded
    opt = make_opt(1.0, momentum=0.9)
    s = build(opt)
    opt.load_state_dict(opt_state)
    s.load_state_dict(sched_state)
    rest = run(opt, s, 7, key=lr_and_momentum)
    flat = [v for pair in first + rest for v in pair]
    assert flat == pytest.approx([v for pair in whole for v in pair], abs=TOL)
