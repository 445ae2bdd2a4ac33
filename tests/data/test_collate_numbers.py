"""default_collate of numbers: the dtypes PyTorch 2.13's default_collate gives (Python floats
float64, Python ints int64, a float among ints float32, NumPy scalars their own dtype)."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.data import DataLoader, Dataset, default_collate

CASES = [
    ([1, 2, 3], ag.int64, [1, 2, 3]),
    ([1, 1.5, 2.7], ag.float32, [1.0, 1.5, 2.7]),
    ([1.5, 1, 2], ag.float64, [1.5, 1.0, 2.0]),
    ([1.5, 2.5], ag.float64, [1.5, 2.5]),
    ([True, False], ag.bool, [True, False]),
    ([True, 2], ag.int64, [1, 2]),
    ([True, 1.5], ag.float32, [1.0, 1.5]),
    ([1, np.float32(1.5)], ag.float32, [1.0, 1.5]),
    ([np.float32(1), np.float32(2)], ag.float32, [1.0, 2.0]),
    ([np.int32(1), np.int32(2)], ag.int32, [1, 2]),
    ([np.uint8(1), np.uint8(2)], ag.uint8, [1, 2]),
    ([np.float64(0.5), np.float64(2)], ag.float64, [0.5, 2.0]),
    ([np.bool_(True), np.bool_(False)], ag.bool, [True, False]),
]


@pytest.mark.parametrize("batch, dtype, values", CASES)
def test_collate_numbers_as_pytorch(batch, dtype, values):
    out = default_collate(batch)
    assert out.dtype == dtype
    np.testing.assert_allclose(out.numpy().astype(np.float64), values, rtol=1e-7)


class Numbers(Dataset):
    def __init__(self, values):
        self.values = values

    def __len__(self):
        return len(self.values)

    def __getitem__(self, i):
        return self.values[i], i


def test_loader_keeps_fractional_targets():
    (targets, index), *_ = list(DataLoader(Numbers([1, 1.5, 2.7]), batch_size=3))
    np.testing.assert_allclose(targets.numpy(), [1.0, 1.5, 2.7], rtol=1e-6)
    assert index.dtype == ag.int64 and index.tolist() == [0, 1, 2]
