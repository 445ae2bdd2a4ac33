"""F.pad with negative widths (cropping, in every mode) and adaptive_max_pool2d /
AdaptiveMaxPool2d with return_indices; expected values are PyTorch 2.13's."""

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F


def _x(device, requires_grad=False):
    x = ag.arange(12.0, device=device).reshape(1, 3, 4)
    return x.requires_grad_() if requires_grad else x


def test_negative_widths_crop_with_gradient(device):
    x = _x(device, requires_grad=True)
    y = F.pad(x, (-1, 2, 1, -2), value=9.0)
    assert y.tolist() == [[[9.0] * 5, [1.0, 2.0, 3.0, 9.0, 9.0]]]
    weights = ag.arange(10.0, device=device).reshape(y.shape)
    (y * weights).sum().backward()
    assert x.grad.tolist() == [[[0.0, 5.0, 6.0, 7.0], [0.0] * 4, [0.0] * 4]]


@pytest.mark.parametrize(
    "mode, row",
    [
        ("reflect", [1.0, 2.0, 3.0, 2.0, 1.0]),
        ("replicate", [1.0, 2.0, 3.0, 3.0, 3.0]),
        ("circular", [1.0, 2.0, 3.0, 1.0, 2.0]),
    ],
)
def test_negative_widths_crop_before_the_other_modes_pad(mode, row, device):
    out = F.pad(_x(device), (-1, 2), mode=mode)
    assert out.tolist()[0][0] == row


def test_cropping_to_nothing_and_past_nothing():
    assert F.pad(_x("cpu"), (-2, -2)).shape == (1, 3, 0)
    with pytest.raises(ValueError, match=r"pad: widths \(-3, -2\) crop 5 elements from dim 2"):
        F.pad(_x("cpu"), (-3, -2))


def test_zero_pad_layer_crops_too():
    assert nn.ZeroPad2d((-1, 0, 0, -1))(_x("cpu")).tolist() == [[[1, 2, 3], [5, 6, 7]]]


# ---- adaptive max pooling with indices ------------------------------------------------------
X = ((np.arange(70) * 29) % 71).reshape(2, 1, 5, 7).astype(np.float64)  # distinct values


def test_adaptive_max_pool2d_indices_values_and_gradient(device):
    x = ag.tensor(X, device=device, requires_grad=True)
    out, indices = F.adaptive_max_pool2d(x, (3, 4), return_indices=True)
    assert indices.dtype == ag.int64
    assert indices.tolist() == [
        [[[7, 2, 12, 12], [22, 22, 17, 12], [22, 22, 24, 34]]],
        [[[1, 9, 4, 6], [21, 9, 26, 26], [21, 31, 31, 26]]],
    ]
    assert out.tolist() == [
        [[[61, 58, 64, 64], [70, 70, 67, 64], [70, 70, 57, 63]]],
        [[[50, 69, 66, 53], [62, 69, 65, 65], [62, 68, 68, 65]]],
    ]
    same = F.adaptive_max_pool2d(x, (3, 4))
    np.testing.assert_array_equal(same.detach().cpu().numpy(), out.detach().cpu().numpy())
    (out * ag.arange(24.0, device=device).reshape(out.shape)).sum().backward()
    grad = x.grad.cpu().numpy().ravel()
    assert np.flatnonzero(grad).tolist() == [2, 12, 17, 22, 24, 34, 36, 39, 41, 44, 56, 61, 66]
    expected = [1, 12, 6, 26, 10, 11, 12, 14, 15, 30, 36, 60, 43]
    assert grad[np.flatnonzero(grad)].tolist() == expected


def test_adaptive_max_pool2d_module_unbatched_with_indices():
    out, indices = nn.AdaptiveMaxPool2d(2, return_indices=True)(ag.tensor(X[0]))
    assert out.shape == (1, 2, 2) and indices.tolist() == [[[17, 17], [22, 17]]]


def test_indices_feed_max_unpool2d():
    x = ag.tensor(X[:, :, :4, :4])
    out, indices = F.adaptive_max_pool2d(x, 2, return_indices=True)
    unpooled = F.max_unpool2d(out, indices, 2)
    assert unpooled.shape == x.shape
    assert float(unpooled.sum()) == float(out.sum())
