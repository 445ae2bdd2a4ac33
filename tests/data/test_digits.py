"""Tests for scikit-learn's 8x8 digits."""

import sys

import numpy as np
import pytest

from autograd_core.data import Digits, load_digits


def test_digits():
    pytest.importorskip("sklearn")
    images, labels = load_digits()
    assert images.shape == (1797, 1, 8, 8) and images.dtype == np.float32
    assert images.min() == 0.0 and images.max() == 1.0 and labels.dtype == np.int64
    ds = Digits()
    img, label = ds[0]
    assert len(ds) == 1797 and img.shape == (1, 8, 8) and label == 0


def test_missing_sklearn_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(ImportError, match="pip install scikit-learn"):
        load_digits()
