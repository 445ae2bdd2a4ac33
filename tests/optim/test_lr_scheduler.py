"""Schedulers against their closed forms."""

import math

import pytest

import autograd_core as ag
import optim
from optim import lr_scheduler as sched


def make_opt(lr=1.0):
    return optim.SGD([ag.zeros(2, requires_grad=True)], lr=lr)


def lrs(opt, scheduler, n):
    out = []
    for _ in range(n):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    return out


def test_initial_lr_and_get_last_lr():
    opt = make_opt(0.5)
    s = sched.StepLR(opt, step_size=2)
    assert opt.param_groups[0]["initial_lr"] == 0.5
    assert s.get_last_lr() == [0.5] and s.last_epoch == 0
    assert "optimizer" not in s.state_dict()


def test_step_lr():
    opt = make_opt(1.0)
    got = lrs(opt, sched.StepLR(opt, step_size=3, gamma=0.5), 10)
    assert got == pytest.approx([0.5 ** (t // 3) for t in range(10)])


def test_multistep_lr():
    opt = make_opt(1.0)
    got = lrs(opt, sched.MultiStepLR(opt, milestones=[5, 2], gamma=0.1), 7)
    assert got == pytest.approx([1, 1, 0.1, 0.1, 0.1, 0.01, 0.01])


def test_exponential_lr():
    opt = make_opt(2.0)
    got = lrs(opt, sched.ExponentialLR(opt, gamma=0.9), 6)
    assert got == pytest.approx([2.0 * 0.9**t for t in range(6)])


def test_cosine_annealing_lr():
    opt = make_opt(1.0)
    got = lrs(opt, sched.CosineAnnealingLR(opt, T_max=10, eta_min=0.1), 11)
    want = [0.1 + 0.9 * (1 + math.cos(math.pi * t / 10)) / 2 for t in range(11)]
    assert got == pytest.approx(want)
    assert got[-1] == pytest.approx(0.1)


def test_lambda_lr_per_group():
    a, b = ag.zeros(1, requires_grad=True), ag.zeros(1, requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 2.0}], lr=1.0)
    s = sched.LambdaLR(opt, [lambda t: 1 / (t + 1), lambda t: 0.5**t])
    for _ in range(3):
        opt.step()
        s.step()
    assert s.get_last_lr() == pytest.approx([1 / 4, 2.0 * 0.5**3])
    with pytest.raises(ValueError, match="Expected 2 lr_lambdas"):
        sched.LambdaLR(opt, [lambda t: 1.0])


def test_linear_lr():
    opt = make_opt(1.0)
    got = lrs(opt, sched.LinearLR(opt, start_factor=0.25, total_iters=3), 6)
    assert got == pytest.approx([0.25, 0.5, 0.75, 1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="Starting multiplicative factor"):
        sched.LinearLR(make_opt(), start_factor=0)


def test_reduce_on_plateau_patience():
    opt = make_opt(1.0)
    s = sched.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    seen = []
    for loss in [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]:
        s.step(loss)
        seen.append(opt.param_groups[0]["lr"])
    # best 0.9 at epoch 2; bad epochs 3,4,5 -> reduce at the 3rd; then 3 more -> reduce again
    assert seen == [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]
    assert s.get_last_lr() == [0.25]


def test_reduce_on_plateau_max_cooldown_min_lr():
    opt = make_opt(1.0)
    s = sched.ReduceLROnPlateau(opt, mode="max", factor=0.1, patience=0, cooldown=1, min_lr=0.05)
    seen = []
    for acc in [0.5, 0.4, 0.4, 0.4, 0.4]:
        s.step(acc)
        seen.append(opt.param_groups[0]["lr"])
    assert seen == pytest.approx([1.0, 0.1, 0.1, 0.05, 0.05])
    with pytest.raises(ValueError, match="Factor should be < 1.0"):
        sched.ReduceLROnPlateau(opt, factor=1.0)


def test_scheduler_state_dict_resumes():
    opt = make_opt(1.0)
    s = sched.StepLR(opt, step_size=2, gamma=0.5)
    for _ in range(3):
        opt.step()
        s.step()
    sd = s.state_dict()
    opt2 = make_opt(1.0)
    s2 = sched.StepLR(opt2, step_size=2, gamma=0.5)
    s2.load_state_dict(sd)
    opt2.param_groups[0]["lr"] = opt.param_groups[0]["lr"]
    for _ in range(3):
        s.step()
        s2.step()
        assert s.get_last_lr() == s2.get_last_lr()
    assert s2.last_epoch == 6


def test_resume_without_initial_lr_raises():
    with pytest.raises(KeyError, match="initial_lr"):
        sched.StepLR(make_opt(), step_size=1, last_epoch=3)


def test_chained_schedulers_compose():
    # warm-up then decay on one optimiser: each step rescales the current lr, so the factors
    # multiply (0.5 -> 1 over 2 epochs, times 0.9 ** epoch)
    opt = make_opt(1.0)
    warm = sched.LinearLR(opt, start_factor=0.5, total_iters=2)
    decay = sched.ExponentialLR(opt, gamma=0.9)
    got = []
    for _ in range(5):
        got.append(opt.param_groups[0]["lr"])
        opt.step()
        warm.step()
        decay.step()
    factors = [0.5, 0.75, 1.0, 1.0, 1.0]
    assert got == pytest.approx([f * 0.9**t for t, f in enumerate(factors)])
    assert decay.get_last_lr() == pytest.approx([0.9**5])


@pytest.mark.parametrize(
    "make",
    [
        lambda opt: sched.StepLR(opt, step_size=2, gamma=0.5),
        lambda opt: sched.MultiStepLR(opt, milestones=[2, 4], gamma=0.5),
        lambda opt: sched.ExponentialLR(opt, gamma=0.5),
    ],
)
def test_lr_changed_by_hand_carries_on(make):
    # from epoch 2 the schedule continues from the halved lr instead of overwriting it
    opt, ref = make_opt(1.0), make_opt(1.0)
    s, s_ref = make(opt), make(ref)
    for t in range(6):
        if t == 2:
            opt.param_groups[0]["lr"] *= 0.5
        s.step()
        s_ref.step()
        expected = ref.param_groups[0]["lr"] * (0.5 if t >= 2 else 1.0)
        assert opt.param_groups[0]["lr"] == pytest.approx(expected)


def test_cosine_annealing_past_t_max_is_periodic():
    # PyTorch's recursive form: after T_max the lr climbs back, period 2 * T_max
    opt = make_opt(1.0)
    got = lrs(opt, sched.CosineAnnealingLR(opt, T_max=4, eta_min=0.1), 17)
    expected = [0.1 + 0.9 * (1 + math.cos(math.pi * t / 4)) / 2 for t in range(17)]
    assert got == pytest.approx(expected)
