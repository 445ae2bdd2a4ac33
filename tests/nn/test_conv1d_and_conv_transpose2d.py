"""Conv1d and ConvTranspose2d: loop references in NumPy, known values, gradchecks in float64,
parameters, reprs and errors."""

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
