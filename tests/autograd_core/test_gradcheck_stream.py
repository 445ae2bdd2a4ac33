"""gradcheck's random upstream gradient comes from a generator of its own: after
`ag.manual_seed`, it never equals the inputs a test drew with `ag.randn` (which would hide a
wrongly transposed backward), and checking leaves the library's random state untouched."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Function


class TransposedWeightGrad(Function):
    """input @ weight.t() whose weight gradient is input.t() @ g instead of g.t() @ input:
    right only when the upstream gradient g equals the input (for square shapes)."""

    @staticmethod
    def forward(ctx, input, weight):
        ctx.save_for_backward(input, weight)
        return input.mm(weight.t())

    @staticmethod
    def backward(ctx, grad_output):
        input, weight = ctx.saved_tensors
        return grad_output.mm(weight), input.t().mm(grad_output)  # the planted bug


def _seeded_square_inputs(seed):
    ag.manual_seed(seed)
    x = ag.randn(3, 3, dtype=ag.float64, requires_grad=True)
    w = ag.randn(3, 3, dtype=ag.float64, requires_grad=True)
    return x, w


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_gradcheck_catches_a_transposed_weight_gradient_after_manual_seed(seed):
    x, w = _seeded_square_inputs(seed)
    # were the upstream gradient equal to x, x.t() @ g would equal g.t() @ x and pass
    with pytest.raises(AssertionError, match="disagree for input 1"):
        ag.gradcheck(TransposedWeightGrad.apply, (x, w), seed=seed)
    assert not ag.gradcheck(TransposedWeightGrad.apply, (x, w), seed=seed, raise_exception=False)


def test_the_planted_bug_hides_when_the_upstream_gradient_equals_the_input():
    # the condition the private generator avoids, shown with an explicit upstream gradient
    x, w = _seeded_square_inputs(0)
    out = TransposedWeightGrad.apply(x, w)
    _, grad_w = ag.grad(out, (x, w), x.detach())
    np.testing.assert_allclose(grad_w.numpy(), (x.t().mm(x)).detach().numpy(), rtol=1e-12)


@pytest.mark.parametrize("check", [ag.gradcheck, ag.gradgradcheck])
def test_checking_leaves_the_global_random_state_untouched(check):
    ag.manual_seed(3)
    x = ag.randn(2, 3, dtype=ag.float64, requires_grad=True)
    state = ag.get_rng_state()
    expected_next = ag.randn(4).numpy()
    ag.set_rng_state(state)
    assert check(lambda t: (t * t.sin()).sum(), (x,))
    np.testing.assert_array_equal(ag.get_rng_state().numpy(), state.numpy())
    np.testing.assert_array_equal(ag.randn(4).numpy(), expected_next)


@pytest.mark.parametrize("seed", [0, 1, 5])
def test_the_upstream_gradient_is_not_the_randn_stream(seed):
    # record the upstream gradient gradcheck hands to backward
    seen = []

    class Identity(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 1

        @staticmethod
        def backward(ctx, grad_output):
            seen.append(grad_output.numpy().copy())
            return grad_output

    ag.manual_seed(seed)
    x = ag.randn(4, 5, dtype=ag.float64, requires_grad=True)
    assert ag.gradcheck(Identity.apply, (x,), seed=seed)
    assert not np.allclose(seen[0], x.detach().numpy())
    assert not np.allclose(seen[0], np.random.default_rng(seed).standard_normal((4, 5)))
    # still seeded: the same call sees the same upstream gradient
    assert ag.gradcheck(Identity.apply, (x,), seed=seed)
    np.testing.assert_array_equal(seen[1], seen[0])
