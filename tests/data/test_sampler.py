"""DistributedSampler (PyTorch's padding and split) and DataLoader(sampler=...)."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.data import DataLoader, DistributedSampler, TensorDataset


def _shares(n, replicas, **kw):
    return [list(DistributedSampler(range(n), replicas, r, **kw)) for r in range(replicas)]


def test_split_pads_with_the_first_indices_as_pytorch():
    # PyTorch: DistributedSampler(range(10), 3, r, shuffle=False)
    assert _shares(10, 3, shuffle=False) == [[0, 3, 6, 9], [1, 4, 7, 0], [2, 5, 8, 1]]
    assert [len(DistributedSampler(range(10), 3, r)) for r in range(3)] == [4, 4, 4]


def test_drop_last_cuts_to_a_multiple_of_the_replicas():
    assert _shares(10, 3, shuffle=False, drop_last=True) == [[0, 3, 6], [1, 4, 7], [2, 5, 8]]
    assert len(DistributedSampler(range(10), 3, 0, drop_last=True)) == 3


def test_more_replicas_than_samples_repeat_the_list():
    assert _shares(2, 5, shuffle=False) == [[0], [1], [0], [1], [0]]


def test_shuffle_is_one_permutation_shared_by_the_ranks_and_new_each_epoch():
    shares = _shares(12, 3, seed=7)
    assert sorted(sum(shares, [])) == list(range(12))
    assert shares == _shares(12, 3, seed=7)
    sampler = DistributedSampler(range(12), 3, 0, seed=7)
    first = list(sampler)
    sampler.set_epoch(1)
    assert list(sampler) != first
    sampler.set_epoch(0)
    assert list(sampler) == first


def test_sampler_errors():
    with pytest.raises(
        ValueError, match=r"Invalid rank 3, rank should be in the interval \[0, 2\]"
    ):
        DistributedSampler(range(4), num_replicas=3, rank=3)
    with pytest.raises(ValueError, match="num_replicas must be positive"):
        DistributedSampler(range(4), num_replicas=0, rank=0)
    with pytest.raises(TypeError, match="rank must be an int"):
        DistributedSampler(range(4), num_replicas=2, rank=1.0)
    with pytest.raises(RuntimeError, match="init_process_group"):
        DistributedSampler(range(4))


def test_data_loader_takes_its_order_from_the_sampler():
    x = ag.arange(10.0)
    dataset = TensorDataset(x, x * 2)
    loader = DataLoader(dataset, batch_size=3, sampler=DistributedSampler(dataset, 2, 1, False))
    assert len(loader) == 2
    batches = [b[0].numpy().tolist() for b in loader]
    assert batches == [[1.0, 3.0, 5.0], [7.0, 9.0]]
    drop = DataLoader(dataset, batch_size=3, drop_last=True, sampler=[4, 2, 0, 1])
    assert len(drop) == 1
    np.testing.assert_array_equal(next(iter(drop))[1].numpy(), [8.0, 4.0, 0.0])


def test_data_loader_sampler_and_shuffle_exclude_each_other():
    dataset = TensorDataset(ag.arange(4.0))
    with pytest.raises(ValueError, match="sampler option is mutually exclusive with shuffle"):
        DataLoader(dataset, shuffle=True, sampler=DistributedSampler(dataset, 2, 0))
