"""Run on 2 ranks by test_ddp.py: DistributedDataParallel, each rank on half of every batch,
against one process on the whole batches (float64 to 1e-12, float32 to 1e-6)."""

import numpy as np
import pytest

import autograd_core as ag
import autograd_core.distributed as dist
import nn
import optim
from nn.parallel import DistributedDataParallel as DDP

dist.init_process_group("mpi")
rank, world = dist.get_rank(), dist.get_world_size()
assert world == 2
TOLERANCE = {ag.float64: 1e-12, ag.float32: 1e-6}
rng = np.random.RandomState(0)


def batches(shape, steps=4, n=8, classes=3, dtype=ag.float64):
    xs = rng.standard_normal((steps, n) + shape)
    ys = rng.randint(0, classes, (steps, n))
    return [(ag.tensor(x, dtype=dtype), ag.tensor(y, dtype=ag.int64)) for x, y in zip(xs, ys)]


def half(t):
    share = t.shape[0] // world
    return t[rank * share : (rank + 1) * share]


def mlp():
    return nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 3))


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 3, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(3 * 4 * 4, 3),
    )


def bn_mlp():
    return nn.Sequential(nn.Linear(6, 5), nn.BatchNorm1d(5), nn.Tanh(), nn.Linear(5, 3))


def bn_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 6 * 6, 3)
    )


def build(make, dtype, seed):
    ag.manual_seed(seed)
    model = make()
    return model.double() if dtype == ag.float64 else model


def assert_same(model, reference, tolerance, what):
    got, want = model.state_dict(), reference.state_dict()
    assert list(got) == list(want)
    for name in want:
        np.testing.assert_allclose(
            got[name].numpy(), want[name].numpy(), rtol=0, atol=tolerance, err_msg=f"{what} {name}"
        )


def check_training(make, shape, dtype, sync_bn=False, **ddp_options):
    what = f"{make.__name__} {dtype}"
    data = batches(shape, dtype=dtype)
    reference = build(make, dtype, seed=100)  # rank 0's initial weights
    model = build(make, dtype, seed=100 + rank)  # rank 1 starts elsewhere: DDP broadcasts
    if sync_bn:
        model = nn.SyncBatchNorm.convert_sync_batchnorm(model)
        assert any(isinstance(m, nn.SyncBatchNorm) for m in model.modules())
    ddp = DDP(model, **ddp_options)
    assert ddp.module is model
    assert_same(model, reference, 0.0, f"{what} after the broadcast:")
    loss_fn = nn.CrossEntropyLoss()
    opt = optim.SGD(ddp.parameters(), lr=0.1, momentum=0.9)
    ref_opt = optim.SGD(reference.parameters(), lr=0.1, momentum=0.9)
    for x, y in data:
        opt.zero_grad()
        loss_fn(ddp(half(x)), half(y)).backward()
        opt.step()
        ref_opt.zero_grad()
        loss_fn(reference(x), y).backward()
        ref_opt.step()
    assert_same(model, reference, TOLERANCE[dtype], f"{what} after training:")
    return ddp


# ---- DDP on whole batches equals one process ---------------------------------------------
for dtype in (ag.float64, ag.float32):
    # tiny buckets: several all-reduces in flight during one backward
    check_training(mlp, (6,), dtype, bucket_cap_mb=0.001)
    check_training(cnn, (1, 8, 8), dtype)
ddp = check_training(bn_mlp, (6,), ag.float64, sync_bn=True)
check_training(bn_cnn, (1, 8, 8), ag.float64, sync_bn=True)
check_training(bn_cnn, (1, 8, 8), ag.float32, sync_bn=True)
assert len(ddp._reducer.buckets) == 1

# ---- state_dict: the wrapped module's is unchanged; the wrapper's has 'module.' -----------
plain = bn_mlp().double()
assert list(ddp.module.state_dict()) == list(plain.state_dict())
assert list(ddp.state_dict()) == ["module." + k for k in plain.state_dict()]
plain.load_state_dict(ddp.module.state_dict())

# ---- no_sync: accumulated micro-batches equal the large batch -----------------------------
reference = build(mlp, ag.float64, seed=7)
model = build(mlp, ag.float64, seed=7)
ddp = DDP(model)
loss_fn = nn.CrossEntropyLoss()
(x, y), (x2, y2) = batches((6,), steps=2)
with ddp.no_sync():
    (loss_fn(ddp(half(x)), half(y)) / 2).backward()
local = model[0].weight.grad.clone()
others = [ag.zeros_like(local) for _ in range(world)]
dist.all_gather(others, local)
assert not np.allclose(others[0].numpy(), others[1].numpy())  # no communication yet
(loss_fn(ddp(half(x2)), half(y2)) / 2).backward()
loss_fn(
    reference(ag.cat([x[:4], x2[:4], x[4:], x2[4:]])), ag.cat([y[:4], y2[:4], y[4:], y2[4:]])
).backward()
for p, q in zip(model.parameters(), reference.parameters()):
    np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=0, atol=1e-12)


# ---- unused parameters ---------------------------------------------------------------------
class Branchy(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = nn.Linear(6, 3)
        self.extra = nn.Linear(6, 3)
        self.never = nn.Linear(6, 3)

    def forward(self, x, use_extra):
        out = self.head(x)
        return out + self.extra(x) if use_extra else out


# used on rank 1 only: rank 0 contributes zeros; `never` keeps .grad None everywhere
((x, y),) = batches((6,), steps=1)
reference = build(Branchy, ag.float64, seed=3)
model = build(Branchy, ag.float64, seed=3)
ddp = DDP(model, find_unused_parameters=True)
loss_fn(ddp(half(x), use_extra=rank == 1), half(y)).backward()
((loss_fn(reference(x[:4], False), y[:4]) + loss_fn(reference(x[4:], True), y[4:])) / 2).backward()
for name in ("head.weight", "head.bias", "extra.weight", "extra.bias"):
    got = dict(model.named_parameters())[name].grad.numpy()
    want = dict(reference.named_parameters())[name].grad.numpy()
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12, err_msg=name)
assert model.never.weight.grad is None and model.never.bias.grad is None
loss_fn(ddp(half(x), use_extra=False), half(y)).backward()  # the next iteration runs too

# without find_unused_parameters: the next forward names the parameters that got no gradient
ddp = DDP(build(Branchy, ag.float64, seed=3))
loss_fn(ddp(half(x), use_extra=True), half(y)).backward()
with pytest.raises(
    RuntimeError,
    match=rf"find_unused_parameters=True.*did not receive grad for rank {rank}: never.weight, "
    "never.bias$",
):
    ddp(half(x), use_extra=True)

with pytest.raises(TypeError, match="module must be an nn.Module, got function"):
    DDP(mlp)
with pytest.raises(ValueError, match="bucket_cap_mb must be positive, got 0"):
    DDP(mlp(), bucket_cap_mb=0)
with pytest.raises(RuntimeError, match="doesn't have any parameter that requires a gradient"):
    DDP(nn.ReLU())
with pytest.raises(RuntimeError, match="the ranks wrap different models"):
    DDP(nn.Linear(4, 2 + rank))  # would otherwise mismatch collectives and hang
print(f"ddp ok on rank {rank}")
