"""Tests for the transforms: shapes, values, seeded randomness."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.data import transforms as T


def test_to_tensor_gray_and_color():
    gray = np.array([[0, 255], [51, 102]], np.uint8)
    t = T.ToTensor()(gray)
    assert t.shape == (1, 2, 2) and t.dtype == ag.float32
    np.testing.assert_allclose(t.numpy()[0], gray / 255.0, rtol=1e-6)
    color = np.zeros((4, 5, 3), np.uint8)
    color[..., 2] = 255
    c = T.ToTensor()(color)
    assert c.shape == (3, 4, 5) and c.numpy()[2].min() == 1.0 and c.numpy()[0].max() == 0.0
    with pytest.raises(ValueError, match=r"ToTensor.*\(2, 2, 2, 2\)"):
        T.ToTensor()(np.zeros((2, 2, 2, 2), np.uint8))


def test_normalize_per_channel():
    x = ag.ones(2, 3, 3)
    y = T.Normalize([0.5, 1.0], [0.5, 2.0])(x)
    np.testing.assert_allclose(y.numpy()[0], 1.0)
    np.testing.assert_allclose(y.numpy()[1], 0.0)
    with pytest.raises(ValueError, match="3 channels"):
        T.Normalize([0.1, 0.2], [1, 1])(ag.ones(3, 2, 2))


def test_random_crop_padding_and_seed():
    x = ag.arange(16.0).reshape(1, 4, 4)
    out = T.RandomCrop(4, padding=2, generator=ag.Generator(seed=0))(x)
    assert out.shape == (1, 4, 4)
    a = T.RandomCrop(3, generator=ag.Generator(seed=7))(x).numpy()
    b = T.RandomCrop(3, generator=ag.Generator(seed=7))(x).numpy()
    np.testing.assert_array_equal(a, b)
    arr = T.RandomCrop((2, 3), padding=1)(np.ones((5, 5), np.uint8))
    assert arr.shape == (2, 3)
    with pytest.raises(ValueError, match="larger than image"):
        T.RandomCrop(5)(x)


def test_random_horizontal_flip():
    x = ag.arange(6.0).reshape(1, 2, 3)
    assert T.RandomHorizontalFlip(p=1.0)(x).numpy()[0, 0].tolist() == [2.0, 1.0, 0.0]
    assert T.RandomHorizontalFlip(p=0.0)(x) is x
    a = np.arange(6).reshape(2, 3)
    assert T.RandomHorizontalFlip(p=1.0)(a)[1].tolist() == [5, 4, 3]


def test_one_hot_lambda_compose():
    assert T.OneHot(4)(2).tolist() == [0.0, 0.0, 1.0, 0.0]
    assert T.OneHot(3)(ag.tensor([0, 2])).shape == (2, 3)
    with pytest.raises(ValueError, match="OneHot"):
        T.OneHot(3)(3)
    pipe = T.Compose([T.ToTensor(), T.Lambda(lambda t: t * 2)])
    assert pipe(np.full((2, 2), 255, np.uint8)).numpy().max() == 2.0
    with pytest.raises(TypeError, match="callable"):
        T.Lambda(3)
