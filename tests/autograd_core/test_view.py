"""view: a new shape over the same memory, refused (as in PyTorch) where the strides can't
be read in that shape without a copy."""

import numpy as np
import pytest

import autograd_core as ag


def test_view_shares_memory():
    a = ag.zeros(2, 3)
    a.view(3, 2)[0].add_(1.0)
    assert a.numpy().tolist() == [[1.0, 1.0, 0.0], [0.0, 0.0, 0.0]]


@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda a: a.t(), (4, 2, 1)),  # a new size-1 dim never needs a copy
        (lambda a: a[:, ::2], (4,)),  # one stride throughout: a step of 2
        (lambda a: a.t().unsqueeze(0), (4, 2)),
    ],
    ids=["transposed-new-dim", "strided", "transposed-drop-dim"],
)
def test_view_where_the_strides_allow(make, shape):
    a = ag.randn(2, 4, dtype=ag.float64, requires_grad=True)
    np.testing.assert_array_equal(
        make(a).view(*shape).detach().numpy(), make(a).reshape(shape).detach().numpy()
    )
    assert ag.gradcheck(lambda t: make(t).view(*shape), (a,))


@pytest.mark.parametrize(
    "make, shape",
    [(lambda a: a.t(), (8,)), (lambda a: a.t(), (2, 4)), (lambda a: a[:, :3], (6,))],
    ids=["transposed-flat", "transposed-back", "sliced-rows"],
)
def test_view_refused_where_a_copy_is_needed(make, shape):
    a = ag.randn(2, 4)
    with pytest.raises(RuntimeError, match=r"view: shape .* Use \.reshape\(\.\.\.\) instead"):
        make(a).view(*shape)
    assert make(a).reshape(shape).shape == shape


def test_a_convolution_output_is_contiguous_as_in_pytorch_and_views_any_shape():
    # conv2d keeps the batch innermost in memory, where PyTorch's output is contiguous
    x = ag.randn(4, 2, 6, 6, dtype=ag.float64, requires_grad=True)
    w = ag.randn(3, 2, 3, 3, dtype=ag.float64)
    out = ag.conv2d(x, w)
    assert out.is_contiguous()
    flat = out.view(-1)
    np.testing.assert_array_equal(flat.detach().numpy(), out.detach().numpy().ravel())
    assert out.view(12, 16).shape == (12, 16)
    assert ag.gradcheck(lambda t: ag.conv2d(t, w).view(-1), (x,))


def test_is_contiguous_follows_pytorch_for_transposes_and_slices():
    a = ag.randn(3, 4)
    assert a.is_contiguous() and not a.t().is_contiguous() and not a[:, ::2].is_contiguous()
    assert a.t().contiguous().is_contiguous()
