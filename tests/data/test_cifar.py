"""Tests for the CIFAR-10 binary reader on generated files."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.data import CIFAR10


def write_batch(path, labels, seed=0):
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, size=(len(labels), 3072), dtype=np.uint8)
    records = np.concatenate([np.asarray(labels, np.uint8)[:, None], pixels], axis=1)
    path.write_bytes(records.tobytes())
    return pixels


def test_test_split(tmp_path):
    pixels = write_batch(tmp_path / "test_batch.bin", [3, 9, 0])
    ds = CIFAR10(tmp_path, train=False)
    assert len(ds) == 3 and ds.targets.tolist() == [3, 9, 0]
    assert ds.data.shape == (3, 32, 32, 3) and ds.data.dtype == ag.uint8
    img, label = ds[1]
    # channel-major records: the red plane comes first
    np.testing.assert_array_equal(img[..., 0], pixels[1, :1024].reshape(32, 32))
    assert label == 9


def test_train_split_and_subfolder(tmp_path):
    folder = tmp_path / "cifar-10-batches-bin"
    folder.mkdir()
    for i in range(1, 6):
        write_batch(folder / f"data_batch_{i}.bin", [i, i], seed=i)
    ds = CIFAR10(tmp_path, train=True)
    assert len(ds) == 10 and ds.targets.tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_truncated(tmp_path):
    write_batch(tmp_path / "test_batch.bin", [1, 2])
    data = (tmp_path / "test_batch.bin").read_bytes()
    (tmp_path / "test_batch.bin").write_bytes(data[:-100])
    with pytest.raises(ValueError, match="truncated"):
        CIFAR10(tmp_path, train=False)


def test_missing(tmp_path):
    with pytest.raises(RuntimeError, match="test_batch.bin"):
        CIFAR10(tmp_path, train=False)
