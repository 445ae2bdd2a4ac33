"""Pooling: max and average pooling in 1-D and 2-D against loop references (ceil_mode,
return_indices, count_include_pad, divisor_override), max_unpool2d, adaptive max and average
pooling; gradchecks in float64, reprs and errors."""

import math

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F


def x64(*shape):
    return ag.randn(*shape, dtype=ag.float64, requires_grad=True)


def arr(t):
    return t.detach().numpy()


def pool1d_reference(x, k, s, p, reduce, pad_value):
    x = np.pad(x, ((0, 0), (0, 0), (p, p)), constant_values=pad_value)
    lo = (x.shape[2] - k) // s + 1
    return np.stack([reduce(x[:, :, t * s : t * s + k], axis=2) for t in range(lo)], axis=2)


def adaptive_bins(size, out):
    return [((i * size) // out, math.ceil((i + 1) * size / out)) for i in range(out)]


@pytest.mark.parametrize("k, s, p", [(3, None, 0), (3, 2, 1), (2, 1, 0)])
def test_pool1d_match_reference_and_gradcheck(k, s, p):
    x = x64(2, 3, 10)
    stride = k if s is None else s
    want_max = pool1d_reference(arr(x), k, stride, p, np.max, -np.inf)
    want_avg = pool1d_reference(arr(x), k, stride, p, np.mean, 0.0)
    np.testing.assert_allclose(arr(F.max_pool1d(x, k, s, p)), want_max)
    np.testing.assert_allclose(arr(F.avg_pool1d(x, k, s, p)), want_avg, atol=1e-12)
    np.testing.assert_allclose(arr(nn.MaxPool1d(k, s, p)(x)), want_max)
    np.testing.assert_allclose(arr(nn.AvgPool1d(k, s, p)(x)), want_avg, atol=1e-12)
    ag.gradcheck(lambda t: F.max_pool1d(t, k, s, p), (x,))
    ag.gradcheck(lambda t: F.avg_pool1d(t, k, s, p), (x,))


def test_pool1d_dilation_excluded_padding_and_repr():
    x = x64(1, 2, 9)
    dilated = arr(F.max_pool1d(x, 2, 1, 0, dilation=3))
    np.testing.assert_allclose(dilated, np.maximum(arr(x)[:, :, :-3], arr(x)[:, :, 3:]))
    out = F.avg_pool1d(x, 3, 2, 1, count_include_pad=False)
    np.testing.assert_allclose(arr(out)[..., 0], arr(x)[..., :2].mean(-1))
    assert repr(nn.MaxPool1d(3)) == (
        "MaxPool1d(kernel_size=3, stride=3, padding=0, dilation=1, ceil_mode=False)"
    )
    assert repr(nn.AvgPool1d(3, 2, 1)) == "AvgPool1d(kernel_size=(3,), stride=(2,), padding=(1,))"


def test_pool1d_ceil_mode_and_indices_are_the_2d_forms_on_one_row():
    x = x64(2, 3, 7)
    plane = x.unsqueeze(2)
    values, indices = nn.MaxPool1d(2, ceil_mode=True, return_indices=True)(x)
    values2d, indices2d = F.max_pool2d(plane, (1, 2), ceil_mode=True, return_indices=True)
    np.testing.assert_array_equal(arr(values), arr(values2d)[:, :, 0])
    np.testing.assert_array_equal(arr(indices), arr(indices2d)[:, :, 0])
    assert values.shape == (2, 3, 4)  # the last window starts inside and is clipped
    np.testing.assert_array_equal(arr(values)[..., 3], arr(x)[..., 6])
    averaged = nn.AvgPool1d(2, ceil_mode=True)(x)
    np.testing.assert_allclose(arr(averaged)[..., 3], arr(x)[..., 6])
    assert ag.gradcheck(lambda t: F.avg_pool1d(t, 2, ceil_mode=True), (x,))


@pytest.mark.parametrize("out", [(3, 4), 2, (5, 7), (None, 3), (4, 1)])
def test_adaptive_max_pool2d_bins_and_gradcheck(out):
    x = x64(2, 3, 5, 7)
    oh, ow = (out, out) if isinstance(out, int) else out
    oh, ow = oh or 5, ow or 7
    want = np.stack(
        [
            np.stack([arr(x)[:, :, a:b, c:d].max((2, 3)) for c, d in adaptive_bins(7, ow)], -1)
            for a, b in adaptive_bins(5, oh)
        ],
        -2,
    )
    got = F.adaptive_max_pool2d(x, out)
    np.testing.assert_allclose(arr(got), want)
    np.testing.assert_allclose(arr(nn.AdaptiveMaxPool2d(out)(x)), want)
    ag.gradcheck(lambda t: F.adaptive_max_pool2d(t, out), (x,))


def test_adaptive_max_pool2d_known_values_and_errors():
    x = ag.arange(25.0).reshape(1, 1, 5, 5)  # bins [0,2) [1,4) [3,5): maxima at their ends
    assert F.adaptive_max_pool2d(x, 3).tolist() == [[[[6.0, 8.0, 9.0], [16.0, 18.0, 19.0],
                                                      [21.0, 23.0, 24.0]]]]  # fmt: skip
    assert repr(nn.AdaptiveMaxPool2d((2, 3))) == "AdaptiveMaxPool2d(output_size=(2, 3))"
    _, indices = F.adaptive_max_pool2d(x, 3, return_indices=True)  # flat into the 5 x 5 plane
    assert indices.tolist() == [[[[6, 8, 9], [16, 18, 19], [21, 23, 24]]]]
    with pytest.raises(ValueError, match=r"adaptive_max_pool2d: expected 4-D .*got shape \(5,\)"):
        F.adaptive_max_pool2d(ag.randn(5), 2)


def test_adaptive_avg_pool1d():
    x = x64(2, 3, 7)
    want = np.stack([arr(x)[:, :, a:b].mean(-1) for a, b in adaptive_bins(7, 3)], -1)
    np.testing.assert_allclose(arr(F.adaptive_avg_pool1d(x, 3)), want, atol=1e-12)
    np.testing.assert_allclose(arr(nn.AdaptiveAvgPool1d(3)(x)), want, atol=1e-12)
    ag.gradcheck(lambda t: F.adaptive_avg_pool1d(t, 3), (x,))
    assert repr(nn.AdaptiveAvgPool1d(3)) == "AdaptiveAvgPool1d(output_size=3)"


def _out_size(size, k, s, p, d, ceil_mode):
    span = size + 2 * p - d * (k - 1) - 1
    out = (math.ceil(span / s) if ceil_mode else span // s) + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def _pool_reference(x, k, s, p, d, ceil_mode, mode, count_include_pad=True):
    """Loop reference over output cells: max with flat indices, or PyTorch's average."""
    n, c, h, w = x.shape
    ho = _out_size(h, k, s, p, d, ceil_mode)
    wo = _out_size(w, k, s, p, d, ceil_mode)
    out = np.zeros((n, c, ho, wo))
    idx = np.zeros((n, c, ho, wo), dtype=np.int64)
    for i in range(ho):
        for j in range(wo):
            if mode == "max":
                best = np.full((n, c), -np.inf)
                for a in range(k):
                    for b in range(k):
                        r, q = i * s - p + a * d, j * s - p + b * d
                        if 0 <= r < h and 0 <= q < w:
                            better = x[:, :, r, q] > best
                            best = np.where(better, x[:, :, r, q], best)
                            idx[:, :, i, j] = np.where(better, r * w + q, idx[:, :, i, j])
                out[:, :, i, j] = best
            else:
                r0, q0 = i * s - p, j * s - p
                r1, q1 = min(r0 + k, h + p), min(q0 + k, w + p)
                size = (r1 - r0) * (q1 - q0)
                r0, q0, r1, q1 = max(r0, 0), max(q0, 0), min(r1, h), min(q1, w)
                total = x[:, :, r0:r1, q0:q1].sum(axis=(2, 3))
                count = size if count_include_pad else (r1 - r0) * (q1 - q0)
                out[:, :, i, j] = total / count
    return out, idx


POOL_CASES = [  # (H, W, kernel, stride, padding, dilation)
    (5, 7, 2, 2, 0, 1),
    (5, 7, 3, 2, 1, 1),
    (6, 6, 3, 3, 1, 1),
    (4, 9, 2, 3, 1, 2),
    (7, 5, 3, 2, 0, 2),
]


@pytest.mark.parametrize("h,w,k,s,p,d", POOL_CASES)
@pytest.mark.parametrize("ceil_mode", [False, True])
def test_max_pool2d_ceil_mode_and_indices(h, w, k, s, p, d, ceil_mode):
    x = np.random.default_rng(0).standard_normal((2, 3, h, w))
    want, want_idx = _pool_reference(x, k, s, p, d, ceil_mode, "max")
    out, idx = nn.functional.max_pool2d(
        ag.tensor(x), k, s, p, d, ceil_mode=ceil_mode, return_indices=True
    )
    np.testing.assert_allclose(arr(out), want)
    np.testing.assert_array_equal(arr(idx), want_idx)
    assert idx.dtype == np.int64
    alone = nn.functional.max_pool2d(ag.tensor(x), k, s, p, d, ceil_mode=ceil_mode)
    np.testing.assert_allclose(arr(alone), want)
    ag.gradcheck(
        lambda t: nn.functional.max_pool2d(t, k, s, p, d, ceil_mode=ceil_mode),
        (ag.tensor(x[:1, :1], requires_grad=True),),
    )


@pytest.mark.parametrize("h,w,k,s,p,d", [c for c in POOL_CASES if c[5] == 1])
@pytest.mark.parametrize("ceil_mode", [False, True])
@pytest.mark.parametrize("count_include_pad", [True, False])
def test_avg_pool2d_ceil_mode_divisors(h, w, k, s, p, d, ceil_mode, count_include_pad):
    x = np.random.default_rng(1).standard_normal((2, 3, h, w))
    want, _ = _pool_reference(x, k, s, p, 1, ceil_mode, "avg", count_include_pad)
    out = nn.functional.avg_pool2d(
        ag.tensor(x), k, s, p, ceil_mode=ceil_mode, count_include_pad=count_include_pad
    )
    np.testing.assert_allclose(arr(out), want, rtol=1e-12)
    module = nn.AvgPool2d(k, s, p, ceil_mode=ceil_mode, count_include_pad=count_include_pad)
    np.testing.assert_allclose(arr(module(ag.tensor(x))), want, rtol=1e-12)
    ag.gradcheck(
        lambda t: nn.functional.avg_pool2d(t, k, s, p, ceil_mode, count_include_pad),
        (ag.tensor(x[:1, :1], requires_grad=True),),
    )


def test_avg_pool2d_known_ceil_values_and_divisor_override():
    x = ag.arange(25, dtype=ag.float64).reshape(1, 1, 5, 5)
    # 2x2 windows, stride 2 on 5x5: the last row/column of windows holds 2 or 1 cells
    out = nn.functional.avg_pool2d(x, 2, ceil_mode=True)
    assert out.tolist() == [[[[3.0, 5.0, 6.5], [13.0, 15.0, 16.5], [20.5, 22.5, 24.0]]]]
    summed = nn.functional.avg_pool2d(x, 2, ceil_mode=True, divisor_override=1)
    assert summed.tolist()[0][0][2] == [41.0, 45.0, 24.0]
    with pytest.raises(ValueError, match="avg_pool2d: divisor_override must be non-zero"):
        nn.functional.avg_pool2d(x, 2, divisor_override=0)


def test_maxpool2d_module_and_unpool_round_trip():
    x = ag.rand(2, 3, 6, 7, dtype=ag.float64) + 0.5  # positive: re-pooling sees the maxima
    pool = nn.MaxPool2d(2, return_indices=True, ceil_mode=True)
    out, idx = pool(x)
    assert out.shape == (2, 3, 3, 4)
    assert repr(pool) == (
        "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=True)"
    )
    unpool = nn.MaxUnpool2d(2)
    assert repr(unpool) == "MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))"
    back = unpool(out, idx, output_size=x.shape)
    assert back.shape == x.shape
    # every window's maximum is back in place, everything else is zero
    keep = arr(back) != 0
    np.testing.assert_array_equal(arr(back)[keep], arr(x)[keep])
    assert keep.sum() == out.numel()
    np.testing.assert_allclose(arr(nn.functional.max_pool2d(back, 2, ceil_mode=True)), arr(out))
    ag.gradcheck(
        lambda t: nn.functional.max_unpool2d(t, idx, 2, output_size=(6, 7)),
        (out.detach().requires_grad_(),),
    )
    # unbatched input, default output size
    o3, i3 = nn.functional.max_pool2d(x[0, :, :, :6], 2, return_indices=True)
    assert nn.functional.max_unpool2d(o3, i3, 2).shape == (3, 6, 6)
    with pytest.raises(ValueError, match=r"max_unpool2d: indices must lie in \[0, 25\)"):
        nn.functional.max_unpool2d(o3, i3, 2, output_size=(5, 5))
    with pytest.raises(ValueError, match=r"max_unpool2d: output_size \(9, 9\) must be within"):
        nn.functional.max_unpool2d(out, idx, 2, output_size=(9, 9))
    with pytest.raises(ValueError, match="max_unpool2d: indices of shape"):
        nn.functional.max_unpool2d(out, idx[:, :1], 2)


def test_ceil_mode_pools_and_unpool_on_device(device):
    x = ag.randn(1, 2, 5, 5, device=device, requires_grad=True)
    out, idx = nn.functional.max_pool2d(x, 2, ceil_mode=True, return_indices=True)
    back = nn.functional.max_unpool2d(out, idx, 2, output_size=(5, 5))
    avg = nn.functional.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False)
    (back.sum() + avg.sum()).backward()
    assert x.grad.device == x.device and idx.device == x.device
