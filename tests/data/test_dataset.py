"""Tests for Dataset, TensorDataset, Subset, ConcatDataset and random_split."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.data import ConcatDataset, Subset, TensorDataset, random_split


def test_tensor_dataset_rows():
    x, y = ag.arange(12).reshape(6, 2), ag.arange(6)
    ds = TensorDataset(x, y)
    assert len(ds) == 6
    xi, yi = ds[3]
    assert xi.tolist() == [6, 7] and yi.item() == 3


def test_tensor_dataset_shape_mismatch_names_shapes():
    with pytest.raises(ValueError, match=r"\(5, 2\).*\(4,\)"):
        TensorDataset(ag.zeros(5, 2), ag.zeros(4))


def test_subset_and_concat():
    ds = TensorDataset(ag.arange(5))
    sub = Subset(ds, [4, 0])
    assert len(sub) == 2 and sub[0][0].item() == 4
    cat = ConcatDataset([ds, sub])
    assert len(cat) == 7
    assert [cat[i][0].item() for i in range(7)] == [0, 1, 2, 3, 4, 4, 0]
    assert cat[-1][0].item() == 0
    with pytest.raises(IndexError):
        cat[7]


def test_random_split_counts_disjoint():
    ds = TensorDataset(ag.arange(10))
    a, b = random_split(ds, [7, 3], generator=ag.Generator(seed=1))
    assert (len(a), len(b)) == (7, 3)
    assert sorted(a.indices + b.indices) == list(range(10))


def test_random_split_fractions_pytorch_rule():
    ds = TensorDataset(ag.arange(10))
    parts = random_split(ds, [0.5, 0.25, 0.25], generator=ag.Generator(seed=0))
    # floors are 5, 2, 2; the one left over goes to the first part
    assert [len(p) for p in parts] == [6, 2, 2]
    assert len(set(sum((p.indices for p in parts), []))) == 10


def test_random_split_seeded():
    ds = TensorDataset(ag.arange(20))
    a = random_split(ds, [10, 10], generator=ag.Generator(seed=3))[0].indices
    b = random_split(ds, [10, 10], generator=ag.Generator(seed=3))[0].indices
    c = random_split(ds, [10, 10], generator=ag.Generator(seed=4))[0].indices
    assert a == b and a != c


def test_random_split_bad_sum():
    with pytest.raises(ValueError, match="sum of input lengths"):
        random_split(TensorDataset(ag.arange(10)), [3, 3])


def test_subset_index_list():
    ds = Subset(np.arange(10) * 10, [9, 8, 7])
    assert list(ds[[0, 2]]) == [90, 70]
