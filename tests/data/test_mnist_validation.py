"""MNIST files whose contents do not fit: labels outside 0..9, image and label counts that
differ. Each fails on loading, naming the file, instead of inside training."""

import struct

import numpy as np
import pytest

from autograd_core.data import MNIST, FashionMNIST


def _idx(array):
    head = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return head + array.tobytes()


def _write(root, images, labels):
    # unpacked copies: their MD5 is not checked, so the tests can write any content
    (root / "t10k-images-idx3-ubyte").write_bytes(_idx(images))
    (root / "t10k-labels-idx1-ubyte").write_bytes(_idx(labels))


def _images(n):
    return np.zeros((n, 28, 28), np.uint8)


def test_valid_files_load(tmp_path):
    _write(tmp_path, _images(3), np.array([0, 9, 4], np.uint8))
    ds = MNIST(tmp_path, train=False)
    assert len(ds) == 3 and ds.targets.tolist() == [0, 9, 4]


@pytest.mark.parametrize("cls", [MNIST, FashionMNIST])
def test_label_out_of_range_names_the_file(tmp_path, cls):
    _write(tmp_path, _images(4), np.array([3, 200, 1, 10], np.uint8))
    with pytest.raises(ValueError, match=rf"{cls.__name__}: .*t10k-labels-idx1-ubyte holds label"):
        cls(tmp_path, train=False)
    with pytest.raises(ValueError, match=r"label 200 at index 1 \(2 labels out of range\)"):
        cls(tmp_path, train=False)


def test_counts_that_differ_name_both_files(tmp_path):
    _write(tmp_path, _images(5), np.array([1, 2, 3], np.uint8))
    with pytest.raises(
        ValueError,
        match=r"t10k-images-idx3-ubyte holds 5 images but \S*t10k-labels-idx1-ubyte holds 3",
    ):
        MNIST(tmp_path, train=False)
