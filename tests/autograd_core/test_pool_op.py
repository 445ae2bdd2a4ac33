"""autograd_core.max_pool2d: values against a loop reference, PyTorch's tie rule, first and
second derivatives, tiles and overlapping windows alike."""

import numpy as np
import pytest

import autograd_core as ag


def reference(x, k, s, p, d):
    x = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])), constant_values=-np.inf)
    n, c, h, w = x.shape
    ho = (h - d[0] * (k[0] - 1) - 1) // s[0] + 1
    wo = (w - d[1] * (k[1] - 1) - 1) // s[1] + 1
    out = np.empty((n, c, ho, wo))
    for i in range(ho):
        for j in range(wo):
            window = x[
                :, :, i * s[0] : i * s[0] + d[0] * (k[0] - 1) + 1 : d[0],
                j * s[1] : j * s[1] + d[1] * (k[1] - 1) + 1 : d[1],
            ]  # fmt: skip
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out


CASES = [
    dict(kernel_size=(2, 2), stride=None, padding=(0, 0), dilation=(1, 1)),
    dict(kernel_size=(2, 3), stride=None, padding=(0, 0), dilation=(1, 1)),
    dict(kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), dilation=(1, 1)),
    dict(kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2)),
]


@pytest.mark.parametrize("kw", CASES, ids=str)
def test_values_match_the_loop_reference(kw):
    x = ag.randn(2, 3, 7, 8, dtype=ag.float64)
    stride = kw["stride"] or kw["kernel_size"]
    out = ag.max_pool2d(x, **kw)
    expected = reference(x.numpy(), kw["kernel_size"], stride, kw["padding"], kw["dilation"])
    np.testing.assert_array_equal(out.numpy(), expected)


@pytest.mark.parametrize("kw", CASES, ids=str)
def test_first_and_second_derivatives(kw):
    x = ag.randn(2, 2, 6, 7, dtype=ag.float64, requires_grad=True)
    ag.gradcheck(lambda t: ag.max_pool2d(t, **kw), (x,))
    ag.gradgradcheck(lambda t: ag.max_pool2d(t, **kw), (x,))


def test_a_tie_sends_the_gradient_to_the_first_maximum_as_pytorch():
    x = ag.tensor([[[[1.0, 3.0], [3.0, 3.0]]]], requires_grad=True)
    ag.max_pool2d(x, 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[[[0.0, 1.0], [0.0, 0.0]]]])


@pytest.mark.parametrize(
    "window, expected_grad",
    [
        ([1.0, np.nan, 3.0, 2.0], [0, 1, 0, 0]),  # a NaN wins over larger values after it
        ([np.nan, 5.0, 3.0, 2.0], [1, 0, 0, 0]),
        ([1.0, np.nan, np.nan, 7.0], [0, 0, 1, 0]),  # each later NaN takes over, as PyTorch
    ],
)
def test_a_nan_in_a_window_is_its_maximum_and_gets_the_gradient_as_pytorch(window, expected_grad):
    x = ag.tensor(np.array(window).reshape(1, 1, 2, 2), requires_grad=True)
    out = ag.max_pool2d(x, 2)
    out.sum().backward()
    assert np.isnan(out.item())
    np.testing.assert_array_equal(x.grad.numpy().ravel(), expected_grad)


def test_a_nan_gradient_reaches_only_the_winner():
    x = ag.tensor([[[[1.0, 4.0], [2.0, 3.0]]]], requires_grad=True)
    ag.max_pool2d(x, 2).backward(ag.tensor([[[[np.nan]]]]))
    grad = x.grad.numpy().ravel()
    assert np.isnan(grad[1]) and (grad[[0, 2, 3]] == 0).all()


def test_rows_and_columns_beyond_the_last_tile_get_no_gradient():
    x = ag.randn(1, 1, 5, 5, requires_grad=True)
    ag.max_pool2d(x, 2).sum().backward()
    grad = x.grad.numpy()[0, 0]
    assert grad[4].sum() == 0 and grad[:, 4].sum() == 0 and grad.sum() == 4


def test_pooling_a_convolution_keeps_the_batch_innermost_and_gradients_right():
    x = ag.randn(4, 2, 8, 8, dtype=ag.float64, requires_grad=True)
    w = ag.randn(3, 2, 3, 3, dtype=ag.float64, requires_grad=True)
    out = ag.max_pool2d(ag.conv2d(x, w, padding=1), 2)
    assert out.detach().numpy().strides[0] == 8  # float64, batch innermost
    ag.gradcheck(lambda x, w: ag.max_pool2d(ag.conv2d(x, w, padding=1), 2), (x, w))


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match=r"4-D input.*\(3, 4\)"):
        ag.max_pool2d(ag.randn(3, 4), 2)
    with pytest.raises(ValueError, match="at most half the kernel"):
        ag.max_pool2d(ag.randn(1, 1, 4, 4), 2, padding=2)
    with pytest.raises(ValueError, match="larger than the input"):
        ag.max_pool2d(ag.randn(1, 1, 2, 2), 3)
