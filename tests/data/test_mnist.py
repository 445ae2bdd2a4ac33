"""Tests for the IDX reader and MNIST / FashionMNIST (real test set where present)."""

import gzip
import struct
from pathlib import Path

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.data import MNIST, FashionMNIST, load_mnist_arrays, read_idx

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "mnist"
needs_real = pytest.mark.skipif(
    not (REAL / "t10k-images-idx3-ubyte.gz").is_file(), reason="MNIST test set not present"
)


def idx_bytes(array, code=0x08):
    head = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return head + array.tobytes()


def test_read_idx_plain_and_gzip(tmp_path):
    imgs = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    (tmp_path / "a").write_bytes(idx_bytes(imgs))
    (tmp_path / "a.gz").write_bytes(gzip.compress(idx_bytes(imgs)))
    np.testing.assert_array_equal(read_idx(tmp_path / "a", 2051), imgs)
    np.testing.assert_array_equal(read_idx(tmp_path / "a.gz", 2051), imgs)
    labels = np.array([3, 1, 4], np.uint8)
    (tmp_path / "l").write_bytes(idx_bytes(labels))
    assert read_idx(tmp_path / "l", 2049).tolist() == [3, 1, 4]


def test_read_idx_bad_magic(tmp_path):
    (tmp_path / "l").write_bytes(idx_bytes(np.zeros(3, np.uint8)))
    with pytest.raises(ValueError, match="bad magic number 2049.*expected 2051"):
        read_idx(tmp_path / "l", 2051)
    (tmp_path / "junk").write_bytes(b"\x12\x34\x56\x78" + bytes(10))
    with pytest.raises(ValueError, match="bad magic"):
        read_idx(tmp_path / "junk")


def test_read_idx_truncated_and_trailing(tmp_path):
    data = idx_bytes(np.zeros((4, 5, 5), np.uint8))
    (tmp_path / "t").write_bytes(data[:-7])
    with pytest.raises(ValueError, match="truncated"):
        read_idx(tmp_path / "t")
    (tmp_path / "x").write_bytes(data + b"\0")
    with pytest.raises(ValueError, match="trailing"):
        read_idx(tmp_path / "x")
    (tmp_path / "h").write_bytes(data[:9])
    with pytest.raises(ValueError, match="header"):
        read_idx(tmp_path / "h")
    (tmp_path / "g.gz").write_bytes(gzip.compress(data)[:-10])
    with pytest.raises(ValueError):
        read_idx(tmp_path / "g.gz")


@needs_real
def test_real_mnist_test_set():
    ds = MNIST(REAL, train=False)
    assert len(ds) == 10_000
    assert ds.data.shape == (10_000, 28, 28) and ds.data.dtype == ag.uint8
    assert ds.targets.dtype == ag.int64
    img, label = ds[0]
    assert label == 7 and img.shape == (28, 28)
    images, labels = load_mnist_arrays(REAL, train=False)
    assert images.shape == (10_000, 28, 28) and labels[0] == 7
    assert np.bincount(labels).tolist()[:2] == [980, 1135]


@needs_real
def test_real_mnist_with_transforms():
    from autograd_core.data import DataLoader, transforms

    ds = MNIST(REAL, train=False, transform=transforms.ToTensor(), target_transform=lambda y: y + 1)
    x, y = ds[0]
    assert x.shape == (1, 28, 28) and 0.0 <= x.min().item() and x.max().item() <= 1.0
    assert y == 8
    xb, yb = next(iter(DataLoader(ds, batch_size=16)))
    assert xb.shape == (16, 1, 28, 28) and yb.dtype == ag.int64


def test_missing_files_message(tmp_path):
    with pytest.raises(RuntimeError, match=r"t10k-images-idx3-ubyte.gz.*put them into the folder"):
        MNIST(tmp_path, train=False)


def test_bad_md5(tmp_path):
    labels = np.zeros(2, np.uint8)
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"):
        (tmp_path / name).write_bytes(gzip.compress(idx_bytes(labels)))
    with pytest.raises(RuntimeError, match="MD5 mismatch"):
        FashionMNIST(tmp_path, train=True)


def test_download_failure_says_where(tmp_path, monkeypatch):
    import urllib.request

    def refuse(*args, **kwargs):
        raise OSError("no network in tests")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    with pytest.raises(RuntimeError, match=r"download failed.*t10k-labels-idx1-ubyte.gz.*folder"):
        MNIST(tmp_path / "mnist", train=False, download=True)
