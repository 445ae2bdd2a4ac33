"""Run on 2 ranks by test_training.py: fit(..., distributed=True)."""

import numpy as np

import autograd_core as ag
import autograd_core.distributed as dist
import nn
import optim
from autograd_core.data import DataLoader, TensorDataset
from autograd_core.training import fit

ag.manual_seed(0)
x = ag.randn(60, 4)
y = (x[:, 0] + x[:, 1] > 0).long()
train = DataLoader(TensorDataset(x[:44], y[:44]), batch_size=8, shuffle=True)
val = DataLoader(TensorDataset(x[44:], y[44:]), batch_size=8)
ag.manual_seed(1 + int(__import__("os").environ["OMPI_COMM_WORLD_RANK"]))  # replicas differ
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
history = fit(
    model,
    nn.CrossEntropyLoss(),
    optim.SGD(model.parameters(), lr=0.2),
    train,
    epochs=3,
    val_loader=val,
    distributed=True,
)
rank = dist.get_rank()
assert not isinstance(model, nn.parallel.DistributedDataParallel)  # trained in place
# every rank logged the same averaged metrics and holds the same weights
logs = ag.tensor(
    [history.history[k][-1] for k in ("loss", "accuracy", "val_loss", "val_accuracy")],
    dtype=ag.float64,
)
both = [ag.zeros_like(logs) for _ in range(2)]
dist.all_gather(both, logs)
np.testing.assert_array_equal(both[0].numpy(), both[1].numpy())
for p in model.parameters():
    copies = [ag.zeros_like(p) for _ in range(2)]
    dist.all_gather(copies, p.detach().clone())
    np.testing.assert_array_equal(copies[0].numpy(), copies[1].numpy())
print(f"fit ok on rank {rank}", flush=True)
