"""Tests for the 2-D toy sets and scikit-learn's digits."""

import numpy as np
import pytest

from autograd_core.data import make_circles, make_moons, make_spirals, make_xor


@pytest.mark.parametrize("make", [make_xor, make_moons, make_circles, make_spirals])
def test_shapes_dtypes_seeded(make):
    X, y = make(101, noise=0.1, seed=3)
    assert X.shape == (101, 2) and X.dtype == np.float32 and y.dtype == np.int64
    X2, y2 = make(101, noise=0.1, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = make(101, noise=0.1, seed=4)
    assert not np.array_equal(X, X3)


def test_classes():
    assert set(make_spirals(90, 0.1, 0, n_classes=3)[1].tolist()) == {0, 1, 2}
    X, y = make_circles(200, noise=0.0, seed=0)
    r = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(r[y == 0], 1.0, rtol=1e-5)
    np.testing.assert_allclose(r[y == 1], 0.5, rtol=1e-5)
    X, y = make_xor(100, noise=0.0, seed=0)
    assert np.all((X[:, 0] * X[:, 1] < 0) == (y == 1))
    with pytest.raises(ValueError, match="n_samples"):
        make_moons(0)
