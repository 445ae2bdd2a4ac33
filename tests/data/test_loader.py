"""Tests for DataLoader and default_collate."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.data import DataLoader, Dataset, Subset, TensorDataset, default_collate


class Pairs(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return ag.full((2,), float(i)), i


def test_batch_sizes_partial_and_drop_last():
    ds = TensorDataset(ag.arange(10), ag.arange(10) * 2)
    dl = DataLoader(ds, batch_size=4)
    assert len(dl) == 3
    assert [b[0].shape[0] for b in dl] == [4, 4, 2]
    dl = DataLoader(ds, batch_size=4, drop_last=True)
    assert len(dl) == 2
    assert [b[0].shape[0] for b in dl] == [4, 4]


def test_generic_dataset_batches_match_fast_path():
    dl = DataLoader(Pairs(5), batch_size=2)
    batches = list(dl)
    assert len(batches) == 3
    x, y = batches[2]
    assert x.shape == (1, 2) and x.dtype == ag.float32
    assert y.dtype == ag.int64 and y.tolist() == [4]


def test_shuffle_seeded():
    ds = TensorDataset(ag.arange(50))

    def order(seed):
        dl = DataLoader(ds, batch_size=7, shuffle=True, generator=ag.Generator(seed=seed))
        return np.concatenate([b[0].numpy() for b in dl]).tolist()

    assert order(0) == order(0)
    assert order(0) != order(1)
    assert sorted(order(0)) == list(range(50))


def test_shuffle_default_generator_follows_manual_seed():
    ds = TensorDataset(ag.arange(30))
    ag.manual_seed(5)
    a = [b[0].tolist() for b in DataLoader(ds, batch_size=30, shuffle=True)]
    ag.manual_seed(5)
    b = [b[0].tolist() for b in DataLoader(ds, batch_size=30, shuffle=True)]
    assert a == b


def test_collate_types():
    assert default_collate([1, 2]).dtype == ag.int64
    assert default_collate([1.0, 2.5]).dtype == ag.float64  # as PyTorch
    out = default_collate([(ag.zeros(3), 1), (ag.ones(3), 0)])
    assert isinstance(out, tuple) and out[0].shape == (2, 3) and out[1].tolist() == [1, 0]
    d = default_collate(
        [{"x": np.zeros(2, np.float32), "y": 1}, {"x": np.ones(2, np.float32), "y": 2}]
    )
    assert d["x"].shape == (2, 2) and d["y"].tolist() == [1, 2]
    with pytest.raises(TypeError, match="cannot batch"):
        default_collate([object(), object()])


def test_custom_collate_and_bad_batch_size():
    dl = DataLoader(Pairs(3), batch_size=2, collate_fn=lambda b: len(b))
    assert list(dl) == [2, 1]
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(Pairs(3), batch_size=0)


def test_device_moves_batches(device):
    dl = DataLoader(TensorDataset(ag.arange(4.0)), batch_size=2, device=device)
    for (x,) in dl:
        assert x.device.type == device
    for x, _ in DataLoader(Pairs(3), batch_size=2, device=device):
        assert x.device.type == device


def test_subset_of_tensor_dataset_fast_path():
    ds = TensorDataset(ag.arange(10) * 10)
    sub = Subset(ds, [9, 2, 5])
    assert [b[0].tolist() for b in DataLoader(sub, batch_size=2)] == [[90, 20], [50]]
