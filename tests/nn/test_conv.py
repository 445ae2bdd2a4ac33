"""unfold/fold, Conv2d and pooling: reference values and gradchecks in float64."""

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F


def x64(*shape):
    return ag.randn(*shape, dtype=ag.float64, requires_grad=True)


def conv_reference(x, w, b, stride, padding):
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    ho, wo = (h - kh) // stride + 1, (wd - kw) // stride + 1
    out = np.zeros((n, o, ho, wo))
    for i in range(ho):
        for j in range(wo):
            patch = x[:, :, i * stride : i * stride + kh, j * stride : j * stride + kw]
            out[:, :, i, j] = np.einsum("nchw,ochw->no", patch, w) + b
    return out


def test_conv2d_matches_loop_reference():
    x, w, b = (
        ag.randn(2, 3, 6, 5, dtype=ag.float64),
        ag.randn(4, 3, 3, 2, dtype=ag.float64),
        ag.randn(4, dtype=ag.float64),
    )
    out = F.conv2d(x, w, b, stride=2, padding=1)
    np.testing.assert_allclose(
        out.numpy(), conv_reference(x.numpy(), w.numpy(), b.numpy(), 2, 1), atol=1e-12
    )


def test_unfold_fold_gradcheck_and_adjoint():
    kw = dict(kernel_size=(2, 3), dilation=(1, 2), padding=1, stride=(2, 1))
    x = x64(2, 3, 5, 6)
    ag.gradcheck(lambda t: ag.unfold(t, **kw), (x,))
    cols = ag.unfold(x, **kw)
    c = x64(*cols.shape)
    ag.gradcheck(lambda t: ag.fold(t, (5, 6), **kw), (c,))
    # <unfold(x), c> == <x, fold(c)>
    lhs = (cols * c).sum().item()
    rhs = (x * ag.fold(c, (5, 6), **kw)).sum().item()
    assert abs(lhs - rhs) < 1e-9


@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(stride=2, padding=1),
        dict(dilation=2, padding="same"),
        dict(groups=2, padding=(1, 0)),
    ],
)
def test_conv2d_gradcheck(kw):
    x, w, b = x64(2, 4, 5, 5), x64(6, 4 // kw.get("groups", 1), 3, 2), x64(6)
    ag.gradcheck(lambda x, w, b: F.conv2d(x, w, b, **kw), (x, w, b))


def test_conv2d_double_backward():
    ag.gradgradcheck(lambda x, w: F.conv2d(x, w, padding=1), (x64(1, 2, 4, 4), x64(3, 2, 3, 3)))


def test_conv2d_module_shapes_and_dtype():
    conv = nn.Conv2d(3, 8, 3, padding="same")
    out = conv(ag.randn(2, 3, 7, 7))
    assert out.shape == (2, 8, 7, 7) and out.dtype == ag.float32
    out.sum().backward()
    assert conv.weight.grad.dtype == ag.float32
    assert nn.Conv2d(3, 8, 3, stride=2, padding="valid")(ag.randn(1, 3, 7, 7)).shape == (1, 8, 3, 3)
    with pytest.raises(
        ValueError, match=r"conv2d: expected 4-D input \(N, C, H, W\) or 3-D .*got shape \(7, 7\)"
    ):
        conv(ag.randn(7, 7))
    with pytest.raises(ValueError, match="channels"):
        conv(ag.randn(1, 4, 7, 7))


def test_max_pool_values_and_gradients():
    x = ag.tensor(np.arange(16.0).reshape(1, 1, 4, 4), requires_grad=True)
    out = F.max_pool2d(x, 2)
    assert out.tolist() == [[[[5.0, 7.0], [13.0, 15.0]]]]
    out.sum().backward()
    assert x.grad.numpy()[0, 0].tolist() == [[0, 0, 0, 0], [0, 1, 0, 1], [0, 0, 0, 0], [0, 1, 0, 1]]
    ag.gradcheck(lambda t: F.max_pool2d(t, 3, stride=1, padding=1), (x64(2, 2, 5, 5),))
    ag.gradcheck(lambda t: F.max_pool2d(t, 2), (x64(2, 2, 5, 5),))


def test_avg_and_adaptive_pool():
    x = x64(2, 3, 6, 5)
    ag.gradcheck(lambda t: F.avg_pool2d(t, 3, stride=2, padding=1), (x,))
    ag.gradcheck(lambda t: F.avg_pool2d(t, 2), (x,))
    ag.gradcheck(lambda t: F.adaptive_avg_pool2d(t, (4, 3)), (x,))
    np.testing.assert_allclose(
        nn.AdaptiveAvgPool2d(1)(x).detach().numpy()[..., 0, 0], x.detach().numpy().mean((2, 3))
    )
    assert nn.AvgPool2d(2)(ag.randn(1, 1, 4, 4)).shape == (1, 1, 2, 2)
    assert nn.MaxPool2d(2)(ag.randn(1, 1, 5, 5)).shape == (1, 1, 2, 2)


NUMPY_PAD_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


@pytest.mark.parametrize("mode", sorted(NUMPY_PAD_MODES))
def test_conv2d_padding_modes_pad_then_convolve(mode):
    conv = nn.Conv2d(3, 4, 3, stride=2, padding=(2, 1), padding_mode=mode, dtype=ag.float64)
    x = ag.randn(2, 3, 5, 6, dtype=ag.float64)
    padded = np.pad(x.numpy(), ((0, 0), (0, 0), (2, 2), (1, 1)), mode=NUMPY_PAD_MODES[mode])
    want = conv_reference(padded, conv.weight.detach().numpy(), conv.bias.detach().numpy(), 2, 0)
    np.testing.assert_allclose(conv(x).detach().numpy(), want, atol=1e-12)
    assert f"padding_mode={mode}" in repr(conv)


@pytest.mark.parametrize("mode", sorted(NUMPY_PAD_MODES))
def test_conv2d_padding_modes_same_and_gradcheck(mode):
    # kernel 4 pads 1 above and 2 below, as PyTorch puts the odd pixel last
    conv = nn.Conv2d(2, 3, (4, 3), padding="same", padding_mode=mode, dtype=ag.float64)
    x = x64(1, 2, 5, 6)
    assert conv(x).shape == (1, 3, 5, 6)
    padded = np.pad(x.detach().numpy(), ((0, 0), (0, 0), (1, 2), (1, 1)), NUMPY_PAD_MODES[mode])
    want = conv_reference(padded, conv.weight.detach().numpy(), conv.bias.detach().numpy(), 1, 0)
    np.testing.assert_allclose(conv(x).detach().numpy(), want, atol=1e-12)
    ag.gradcheck(lambda t, w: conv(t), (x, conv.weight))


def test_conv2d_padding_mode_errors():
    with pytest.raises(
        ValueError,
        match="Conv2d: padding_mode must be one of 'zeros', 'reflect', 'replicate', 'circular', "
        "got 'mirror'",
    ):
        nn.Conv2d(1, 1, 3, padding_mode="mirror")
    with pytest.raises(ValueError, match="Conv2d: padding='same' needs stride 1"):
        nn.Conv2d(1, 1, 3, stride=2, padding="same", padding_mode="reflect")
    with pytest.raises(ValueError, match="reflect padding"):
        nn.Conv2d(1, 1, 3, padding=2, padding_mode="reflect")(ag.randn(1, 1, 2, 2))


@pytest.mark.parametrize(
    "module",
    [
        nn.Conv2d(3, 2, 3, padding=1),
        nn.Conv2d(3, 2, 3, padding=1, padding_mode="reflect"),
        nn.MaxPool2d(2),
        nn.AvgPool2d(3, 2, 1, count_include_pad=False),
        nn.AdaptiveAvgPool2d((2, 3)),
    ],
)
def test_unbatched_chw_input_is_a_batch_of_one(module):
    x = ag.randn(3, 7, 6, dtype=ag.float64, requires_grad=True)
    out = module.double()(x)
    batched = module(x.detach().unsqueeze(0))
    assert out.shape == batched.shape[1:]
    np.testing.assert_allclose(out.detach().numpy(), batched.detach().numpy()[0], rtol=1e-12)
    out.sum().backward()
    assert x.grad.shape == x.shape
