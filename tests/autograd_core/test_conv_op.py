"""autograd_core.conv2d: values against a loop reference, first and second derivatives for
stride, padding, dilation and groups, and its batch-innermost memory layout."""

import numpy as np
import pytest

import autograd_core as ag


def x64(*shape):
    return ag.randn(*shape, dtype=ag.float64, requires_grad=True)


def reference(x, w, stride, padding, dilation, groups):
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    ho = (h - dh * (kh - 1) - 1) // sh + 1
    wo = (wd - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, o, ho, wo))
    per_group = o // groups
    for oc in range(o):
        g = oc // per_group
        channels = x[:, g * cg : (g + 1) * cg]
        for i in range(ho):
            for j in range(wo):
                patch = channels[
                    :,
                    :,
                    i * sh : i * sh + dh * (kh - 1) + 1 : dh,
                    j * sw : j * sw + dw * (kw - 1) + 1 : dw,
                ]
                out[:, oc, i, j] = np.einsum("nchw,chw->n", patch, w[oc])
    return out


CASES = [
    dict(stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1),
    dict(stride=(2, 1), padding=(1, 2), dilation=(1, 1), groups=1),
    dict(stride=(1, 2), padding=(2, 1), dilation=(2, 1), groups=1),
    dict(stride=(2, 2), padding=(1, 1), dilation=(1, 2), groups=2),
    dict(stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=4),
]


@pytest.mark.parametrize("kw", CASES, ids=lambda kw: "-".join(f"{k}{v}" for k, v in kw.items()))
def test_values_match_the_loop_reference(kw):
    x = ag.randn(2, 4, 7, 6, dtype=ag.float64)
    w = ag.randn(4, 4 // kw["groups"], 3, 2, dtype=ag.float64)
    out = ag.conv2d(x, w, **kw)
    expected = reference(
        x.numpy(), w.numpy(), kw["stride"], kw["padding"], kw["dilation"], kw["groups"]
    )
    np.testing.assert_allclose(out.numpy(), expected, atol=1e-12)


@pytest.mark.parametrize("kw", CASES, ids=lambda kw: "-".join(f"{k}{v}" for k, v in kw.items()))
def test_first_and_second_derivatives(kw):
    x = x64(2, 4, 5, 5)
    w = x64(2 * kw["groups"], 4 // kw["groups"], 3, 2)
    b = x64(2 * kw["groups"])
    ag.gradcheck(lambda x, w, b: ag.conv2d(x, w, b, **kw), (x, w, b))
    ag.gradgradcheck(lambda x, w: ag.conv2d(x, w, **kw), (x, w))


def test_two_convolutions_in_a_row_and_retain_graph():
    x, w1, w2 = x64(3, 2, 6, 6), x64(4, 2, 3, 3), x64(2, 4, 3, 3)
    ag.gradcheck(lambda x, a, b: ag.conv2d(ag.relu(ag.conv2d(x, a, padding=1)), b), (x, w1, w2))
    out = ag.conv2d(ag.conv2d(x, w1), w2).sum()
    out.backward(retain_graph=True)
    first = w1.grad.numpy().copy()
    out.backward()
    np.testing.assert_allclose(w1.grad.numpy(), 2 * first)


def test_output_is_an_n_o_h_w_view_of_batch_innermost_memory():
    x = ag.randn(5, 3, 8, 8)
    out = ag.conv2d(x, ag.randn(4, 3, 3, 3))
    assert out.shape == (5, 4, 6, 6) and out.dtype == ag.float32
    strides = np.asarray(out.numpy().strides) // 4
    assert strides[0] == 1  # the batch is innermost: the next conv reads it without a copy


def test_same_padding_with_an_even_kernel_pads_the_end_as_pytorch():
    x = ag.randn(1, 1, 5, 5, dtype=ag.float64)
    w = ag.randn(1, 1, 2, 4, dtype=ag.float64)
    out = ag.conv2d(x, w, padding="same")
    assert out.shape == (1, 1, 5, 5)
    padded = np.pad(x.numpy(), ((0, 0), (0, 0), (0, 1), (1, 2)))
    expected = reference(padded, w.numpy(), (1, 1), (0, 0), (1, 1), 1)
    np.testing.assert_allclose(out.numpy(), expected, atol=1e-12)


def test_bad_arguments_name_the_shapes():
    x, w = ag.randn(1, 3, 5, 5), ag.randn(4, 2, 3, 3)
    with pytest.raises(ValueError, match=r"\(1, 3, 5, 5\).*\(4, 2, 3, 3\).*groups=1"):
        ag.conv2d(x, w)
    with pytest.raises(ValueError, match="bias of shape"):
        ag.conv2d(x, ag.randn(4, 3, 3, 3), ag.randn(3))
    with pytest.raises(TypeError, match="float32.*float64"):
        ag.conv2d(x, ag.randn(4, 3, 3, 3, dtype=ag.float64))
    with pytest.raises(ValueError, match="larger than the input"):
        ag.conv2d(x, ag.randn(4, 3, 7, 7))
    with pytest.raises(ValueError, match="stride 1"):
        ag.conv2d(x, ag.randn(4, 3, 3, 3), stride=2, padding="same")


def test_the_graph_keeps_no_im2col_matrix_after_backward():
    x, w = x64(2, 2, 6, 6), x64(3, 2, 3, 3)
    out = ag.conv2d(x, w)
    node = out.grad_fn
    assert node.columns is not None
    out.sum().backward()
    assert node.columns is None
