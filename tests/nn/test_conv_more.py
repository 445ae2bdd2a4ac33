"""Conv1d, ConvTranspose2d, 1-D / adaptive pooling, interpolate and pixel shuffle: loop
references in NumPy, known values, gradchecks in float64, parameters and errors."""

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


# --- references -----------------------------------------------------------------------------


def conv1d_reference(x, w, b, stride, padding, dilation, groups):
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    n, c, length = x.shape
    o, cg, k = w.shape
    lo = (length - dilation * (k - 1) - 1) // stride + 1
    out = np.zeros((n, o, lo))
    og = o // groups
    for oc in range(o):
        g = oc // og
        for t in range(lo):
            for j in range(k):
                pos = t * stride + j * dilation
                out[:, oc, t] += x[:, g * cg : (g + 1) * cg, pos] @ w[oc, :, j]
    return out + (0 if b is None else b[None, :, None])


def conv_transpose2d_reference(x, w, b, stride, padding, output_padding, groups, dilation):
    """Each input pixel adds its value times the kernel into the output, patches stride apart."""
    n, c, h, wd = x.shape
    _, og, kh, kw = w.shape
    (sh, sw), (ph, pw), (oph, opw), (dh, dw) = stride, padding, output_padding, dilation
    full_h = (h - 1) * sh + dh * (kh - 1) + 1 + oph
    full_w = (wd - 1) * sw + dw * (kw - 1) + 1 + opw
    out = np.zeros((n, og * groups, full_h, full_w))
    cg = c // groups
    for ci in range(c):
        g = ci // cg
        for i in range(h):
            for j in range(wd):
                for ki in range(kh):
                    for kj in range(kw):
                        out[:, g * og : (g + 1) * og, i * sh + ki * dh, j * sw + kj * dw] += (
                            x[:, ci, i, j, None] * w[ci, :, ki, kj]
                        )
    out = out[:, :, ph : full_h - ph, pw : full_w - pw]
    return out + (0 if b is None else b[None, :, None, None])


def pool1d_reference(x, k, s, p, reduce, pad_value):
    x = np.pad(x, ((0, 0), (0, 0), (p, p)), constant_values=pad_value)
    lo = (x.shape[2] - k) // s + 1
    return np.stack([reduce(x[:, :, t * s : t * s + k], axis=2) for t in range(lo)], axis=2)


def adaptive_bins(size, out):
    return [((i * size) // out, math.ceil((i + 1) * size / out)) for i in range(out)]


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


# --- conv1d ---------------------------------------------------------------------------------

CONV1D_CASES = [
    dict(),
    dict(stride=2, padding=1),
    dict(dilation=2, padding=2),
    dict(groups=2, padding=1, stride=3),
]


@pytest.mark.parametrize("kw", CONV1D_CASES)
def test_conv1d_matches_loop_reference_and_gradcheck(kw):
    groups = kw.get("groups", 1)
    x, w, b = x64(2, 4, 11), x64(6, 4 // groups, 3), x64(6)
    want = conv1d_reference(
        arr(x), arr(w), arr(b), kw.get("stride", 1), kw.get("padding", 0),
        kw.get("dilation", 1), groups,
    )  # fmt: skip
    np.testing.assert_allclose(arr(F.conv1d(x, w, b, **kw)), want, atol=1e-12)
    ag.gradcheck(lambda x, w, b: F.conv1d(x, w, b, **kw), (x, w, b))


def test_conv1d_same_valid_and_unbatched():
    x, w = x64(2, 3, 9), x64(5, 3, 4)
    out = F.conv1d(x, w, padding="same")
    assert out.shape == (2, 5, 9)
    # even kernel: one zero before, two after (the odd one at the end, as PyTorch)
    padded = np.pad(arr(x), ((0, 0), (0, 0), (1, 2)))
    np.testing.assert_allclose(arr(out), conv1d_reference(padded, arr(w), None, 1, 0, 1, 1))
    assert F.conv1d(x, w, padding="valid").shape == (2, 5, 6)
    np.testing.assert_allclose(arr(F.conv1d(x[0], w)), arr(F.conv1d(x, w))[0])


def test_conv1d_module_parameters_init_and_repr():
    conv = nn.Conv1d(4, 6, 3, stride=2, padding=1, groups=2)
    assert [(k, tuple(v.shape)) for k, v in conv.named_parameters()] == [
        ("weight", (6, 2, 3)),
        ("bias", (6,)),
    ]
    bound = 1 / math.sqrt(2 * 3)  # kaiming_uniform(a=sqrt(5)) and the bias: 1/sqrt(fan_in)
    assert np.abs(arr(conv.weight)).max() <= bound and np.abs(arr(conv.bias)).max() <= bound
    assert repr(conv) == "Conv1d(4, 6, kernel_size=(3,), stride=(2,), padding=(1,), groups=2)"
    plain = nn.Conv1d(2, 3, 5, bias=False, padding="same", padding_mode="reflect")
    assert plain.bias is None and len(list(plain.parameters())) == 1
    assert repr(plain) == (
        "Conv1d(2, 3, kernel_size=(5,), stride=(1,), padding=same, bias=False, "
        "padding_mode=reflect)"
    )
    assert conv(ag.randn(3, 4, 10)).shape == (3, 6, 5)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_conv1d_padding_modes(mode):
    numpy_mode = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}[mode]
    conv = nn.Conv1d(2, 3, 3, padding=2, padding_mode=mode, dtype=ag.float64)
    x = x64(2, 2, 7)
    padded = np.pad(arr(x), ((0, 0), (0, 0), (2, 2)), mode=numpy_mode)
    want = conv1d_reference(padded, arr(conv.weight), arr(conv.bias), 1, 0, 1, 1)
    np.testing.assert_allclose(arr(conv(x)), want, atol=1e-12)
    ag.gradcheck(lambda t, w: conv(t), (x, conv.weight))


def test_conv1d_errors():
    with pytest.raises(ValueError, match=r"conv1d: expected 3-D \(N, C, L\).*got shape"):
        F.conv1d(ag.randn(1, 2, 3, 4), ag.randn(1, 2, 3))
    with pytest.raises(ValueError, match=r"conv1d: expected 3-D weight.*\(1, 2, 3, 3\)"):
        F.conv1d(ag.randn(1, 2, 5), ag.randn(1, 2, 3, 3))
    with pytest.raises(ValueError, match="Conv1d: in_channels=3 and out_channels=4 must be"):
        nn.Conv1d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="Conv1d: padding='same' needs stride 1"):
        nn.Conv1d(3, 4, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match="Conv1d: padding_mode must be one of"):
        nn.Conv1d(3, 4, 3, padding_mode="mirror")


# --- conv_transpose2d -----------------------------------------------------------------------

TRANSPOSE_CASES = [
    dict(),
    dict(stride=2),
    dict(stride=2, padding=1, output_padding=1),
    dict(stride=(2, 3), padding=(0, 1), output_padding=(1, 2), dilation=(2, 1)),
    dict(groups=2, stride=2, padding=1),
]


@pytest.mark.parametrize("kw", TRANSPOSE_CASES)
def test_conv_transpose2d_matches_scatter_reference_and_gradcheck(kw):
    groups = kw.get("groups", 1)
    x, w, b = x64(2, 4, 3, 4), x64(4, 6 // groups, 3, 2), x64(6)

    def pair(name, default):
        v = kw.get(name, default)
        return (v, v) if isinstance(v, int) else v

    want = conv_transpose2d_reference(
        arr(x), arr(w), arr(b), pair("stride", 1), pair("padding", 0),
        pair("output_padding", 0), groups, pair("dilation", 1),
    )  # fmt: skip
    np.testing.assert_allclose(arr(F.conv_transpose2d(x, w, b, **kw)), want, atol=1e-12)
    ag.gradcheck(lambda x, w, b: F.conv_transpose2d(x, w, b, **kw), (x, w, b))


def test_conv_transpose2d_known_values_adjoint_and_double_backward():
    # ones through a 2x2 kernel of ones at stride 2 tile the output exactly
    ones = F.conv_transpose2d(ag.ones(1, 1, 2, 2), ag.ones(1, 1, 2, 2), stride=2)
    assert ones.tolist() == [[[[1.0] * 4] * 4]]
    row = F.conv_transpose2d(ag.tensor([[[[1.0, 2.0]]]]), ag.tensor([[[[1.0, 10.0]]]]))
    assert row.tolist() == [[[[1.0, 12.0, 20.0]]]]
    # it is the adjoint of conv2d: <conv2d(y, w), x> == <y, conv_transpose2d(x, w)>
    w, y = x64(3, 2, 3, 3), x64(2, 2, 8, 7)
    x = x64(2, 3, 4, 4)
    lhs = (F.conv2d(y, w, stride=2, padding=1) * x).sum().item()
    rhs = (y * F.conv_transpose2d(x, w, stride=2, padding=1, output_padding=(1, 0))).sum().item()
    assert abs(lhs - rhs) < 1e-9
    ag.gradgradcheck(
        lambda x, w: F.conv_transpose2d(x, w, stride=2), (x64(1, 2, 3, 3), x64(2, 1, 2, 2))
    )


def test_conv_transpose2d_module_parameters_output_size_and_repr():
    conv = nn.ConvTranspose2d(4, 6, (3, 2), stride=2, groups=2)
    assert [(k, tuple(v.shape)) for k, v in conv.named_parameters()] == [
        ("weight", (4, 3, 3, 2)),
        ("bias", (6,)),
    ]
    bound = 1 / math.sqrt(3 * 3 * 2)  # PyTorch's fan_in here is out_channels/groups * kh * kw
    assert np.abs(arr(conv.weight)).max() <= bound and np.abs(arr(conv.bias)).max() <= bound
    assert repr(conv) == "ConvTranspose2d(4, 6, kernel_size=(3, 2), stride=(2, 2), groups=2)"
    x = ag.randn(1, 4, 5, 6)
    assert conv(x).shape == (1, 6, 11, 12)
    assert conv(x, output_size=(12, 13)).shape == (1, 6, 12, 13)
    with pytest.raises(ValueError, match=r"ConvTranspose2d: requested output size \(14, 13\)"):
        conv(x, output_size=(14, 13))
    full = nn.ConvTranspose2d(2, 2, 3, 2, 1, 1, bias=False, dilation=2)
    assert repr(full) == (
        "ConvTranspose2d(2, 2, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), "
        "dilation=(2, 2), output_padding=(1, 1), bias=False)"
    )
    assert full.bias is None


def test_conv_transpose2d_errors():
    with pytest.raises(ValueError, match="output_padding .* must be smaller than either stride"):
        F.conv_transpose2d(ag.randn(1, 1, 3, 3), ag.randn(1, 1, 2, 2), output_padding=1)
    with pytest.raises(ValueError, match=r"conv_transpose2d: input of shape \(1, 3, 3, 3\)"):
        F.conv_transpose2d(ag.randn(1, 3, 3, 3), ag.randn(2, 1, 2, 2))
    with pytest.raises(ValueError, match=r"conv_transpose2d: bias of shape \(3,\)"):
        F.conv_transpose2d(ag.randn(1, 2, 3, 3), ag.randn(2, 1, 2, 2), ag.randn(3))
    with pytest.raises(ValueError, match=r"expected 4-D \(N, C, H, W\) or 3-D"):
        F.conv_transpose2d(ag.randn(3, 3), ag.randn(2, 1, 2, 2))
    with pytest.raises(ValueError, match="only padding_mode='zeros'"):
        nn.ConvTranspose2d(2, 2, 3, padding_mode="reflect")
    with pytest.raises(ValueError, match="ConvTranspose2d: output_padding"):
        nn.ConvTranspose2d(2, 2, 3, output_padding=1)


# --- pooling --------------------------------------------------------------------------------


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


# --- interpolate / Upsample -----------------------------------------------------------------


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


# --- pixel shuffle --------------------------------------------------------------------------


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
