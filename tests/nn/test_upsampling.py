"""interpolate, Upsample and pixel shuffle: known values, a bilinear loop reference, gradchecks
in float64 and errors."""

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F


def x64(*shape):
    return ag.randn(*shape, dtype=ag.float64, requires_grad=True)


def arr(t):
    return t.detach().numpy()


def bilinear_reference(x, out_h, out_w, align_corners):
    """Straight from the definition: four neighbours, per output pixel."""
    n, c, h, w = x.shape

    def source(i, size, out):
        if align_corners:
            return i * (size - 1) / (out - 1) if out > 1 else 0.0
        return max((i + 0.5) * size / out - 0.5, 0.0)

    out = np.zeros((n, c, out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            sy, sx = source(i, h, out_h), source(j, w, out_w)
            y0, x0 = min(int(sy), h - 1), min(int(sx), w - 1)
            y1, x1 = min(y0 + 1, h - 1), min(x0 + 1, w - 1)
            ly, lx = sy - y0, sx - x0
            out[:, :, i, j] = (
                (1 - ly) * (1 - lx) * x[:, :, y0, x0]
                + (1 - ly) * lx * x[:, :, y0, x1]
                + ly * (1 - lx) * x[:, :, y1, x0]
                + ly * lx * x[:, :, y1, x1]
            )
    return out


def test_interpolate_known_values():
    x = ag.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
    assert F.interpolate(x, size=(3, 4), mode="bilinear", align_corners=False).tolist() == [
        [[[1.0, 1.25, 1.75, 2.0], [2.0, 2.25, 2.75, 3.0], [3.0, 3.25, 3.75, 4.0]]]
    ]
    assert F.interpolate(x, size=3, mode="bilinear", align_corners=True).tolist() == [
        [[[1.0, 1.5, 2.0], [2.0, 2.5, 3.0], [3.0, 3.5, 4.0]]]
    ]
    assert F.interpolate(x, scale_factor=2).tolist() == [
        [[[1.0, 1.0, 2.0, 2.0]] * 2 + [[3.0, 3.0, 4.0, 4.0]] * 2]
    ]
    line = ag.arange(5.0).reshape(1, 1, 5)
    assert F.interpolate(line, size=3).tolist() == [[[0.0, 1.0, 3.0]]]  # floor(i * 5 / 3)
    assert F.interpolate(line, size=3, mode="nearest-exact").tolist() == [[[0.0, 2.0, 4.0]]]


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("size", [(8, 11), (3, 4), (1, 1), (5, 7)])
def test_bilinear_matches_reference_and_gradcheck(size, align_corners):
    x = x64(2, 2, 5, 7)
    out = F.interpolate(x, size=size, mode="bilinear", align_corners=align_corners)
    want = bilinear_reference(arr(x), *size, align_corners)
    np.testing.assert_allclose(arr(out), want, atol=1e-12)
    kw = dict(size=size, mode="bilinear", align_corners=align_corners)
    ag.gradcheck(lambda t, kw=kw: F.interpolate(t, **kw), (x,))


def test_scale_factor_linear_nearest_area_and_gradcheck():
    x = x64(1, 2, 4, 6)
    # with scale_factor, source positions use 1 / scale_factor: (i + 0.5) / 1.5 - 0.5
    out = F.interpolate(x, scale_factor=1.5, mode="bilinear")
    assert out.shape == (1, 2, 6, 9)
    rows = arr(F.interpolate(x, scale_factor=(1.5, 1.0), mode="bilinear"))
    src = np.maximum((np.arange(6) + 0.5) / 1.5 - 0.5, 0)
    lo, frac = np.floor(src).astype(int), src - np.floor(src)
    hi = np.minimum(lo + 1, 3)
    want = arr(x)[:, :, lo] * (1 - frac)[:, None] + arr(x)[:, :, hi] * frac[:, None]
    np.testing.assert_allclose(rows, want, atol=1e-12)
    nearest = arr(F.interpolate(x, size=(7, 4)))
    np.testing.assert_allclose(
        nearest, arr(x)[:, :, (np.arange(7) * 4) // 7][:, :, :, (np.arange(4) * 6) // 4]
    )
    area = arr(F.interpolate(x, size=(2, 3), mode="area"))
    np.testing.assert_allclose(area, arr(x).reshape(1, 2, 2, 2, 3, 2).mean((3, 5)))
    line = x64(2, 3, 5)
    linear = arr(F.interpolate(line, size=9, mode="linear", align_corners=True))
    np.testing.assert_allclose(linear[..., ::2], arr(line), atol=1e-12)  # corners aligned
    for kw in [dict(scale_factor=2), dict(size=(3, 8), mode="nearest-exact"),
               dict(size=(2, 3), mode="area")]:  # fmt: skip
        ag.gradcheck(lambda t, kw=kw: F.interpolate(t, **kw), (x,))
    ag.gradcheck(lambda t: F.interpolate(t, scale_factor=2.5, mode="linear"), (line,))


def test_upsample_module_and_errors():
    up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
    assert repr(up) == "Upsample(scale_factor=2.0, mode='bilinear')"
    assert repr(nn.Upsample(size=(3, 4))) == "Upsample(size=(3, 4), mode='nearest')"
    assert up(ag.randn(1, 2, 3, 4)).shape == (1, 2, 6, 8)
    assert list(up.parameters()) == []
    x = ag.randn(1, 1, 3, 3)
    with pytest.raises(ValueError, match="only one of size or scale_factor"):
        F.interpolate(x, size=2, scale_factor=2)
    with pytest.raises(ValueError, match="either size or scale_factor"):
        F.interpolate(x)
    with pytest.raises(ValueError, match="align_corners option can only be set"):
        F.interpolate(x, size=2, align_corners=True)
    with pytest.raises(NotImplementedError, match="got 3-D input, but bilinear mode needs 4-D"):
        F.interpolate(ag.randn(1, 1, 3), size=2, mode="bilinear")
    with pytest.raises(NotImplementedError, match="mode 'trilinear' is not supported"):
        F.interpolate(x, size=2, mode="trilinear")
    with pytest.raises(ValueError, match=r"spatial dimensions \[3, 3\] and output size \[2\]"):
        F.interpolate(x, size=(2,))


def test_pixel_shuffle_and_unshuffle():
    x = x64(2, 8, 3, 4)
    out = F.pixel_shuffle(x, 2)
    want = arr(x).reshape(2, 2, 2, 2, 3, 4).transpose(0, 1, 4, 2, 5, 3).reshape(2, 2, 6, 8)
    np.testing.assert_allclose(arr(out), want)
    # out[c, h*r + i, w*r + j] = in[c*r*r + i*r + j, h, w]
    assert arr(out)[1, 1, 2 * 2 + 1, 3 * 2 + 0] == arr(x)[1, 4 + 2, 2, 3]
    np.testing.assert_allclose(arr(F.pixel_unshuffle(out, 2)), arr(x))
    np.testing.assert_allclose(arr(nn.PixelShuffle(2)(x[0])), want[0])
    assert nn.PixelUnshuffle(3)(ag.randn(5, 2, 1, 6, 9)).shape == (5, 2, 9, 2, 3)
    ag.gradcheck(lambda t: F.pixel_shuffle(t, 2), (x,))
    ag.gradcheck(lambda t: F.pixel_unshuffle(t, 3), (x64(1, 2, 3, 6),))
    assert repr(nn.PixelShuffle(2)) == "PixelShuffle(upscale_factor=2)"
    assert repr(nn.PixelUnshuffle(2)) == "PixelUnshuffle(downscale_factor=2)"
    with pytest.raises(ValueError, match=r"pixel_shuffle: the channel dim \(6\) must divide"):
        F.pixel_shuffle(ag.randn(1, 6, 2, 2), 2)
    with pytest.raises(ValueError, match="pixel_unshuffle: height 3 and width 4 must divide"):
        F.pixel_unshuffle(ag.randn(1, 1, 3, 4), 2)
