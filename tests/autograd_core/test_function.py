"""Custom ops through `ag.Function` (PyTorch's API), and `gradcheck` / `gradgradcheck`."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Function

# ---- PyTorch's LinearFunction ("Extending PyTorch"), only the import changed --------------------


# Inherit from Function
class LinearFunction(Function):
    # Note that both forward and backward are @staticmethods
    @staticmethod
    # bias is an optional argument
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input, weight, bias)
        output = input.mm(weight.t())
        if bias is not None:
            output += bias.unsqueeze(0).expand_as(output)
        return output

    # This function has only a single output, so it gets only one gradient
    @staticmethod
    def backward(ctx, grad_output):
        # This is a pattern that is very convenient - at the top of backward
        # unpack saved_tensors and initialize all gradients w.r.t. inputs to
        # None. Thanks to the fact that additional trailing Nones are
        # ignored, the return statement is simple even when the function has
        # optional inputs.
        input, weight, bias = ctx.saved_tensors
        grad_input = grad_weight = grad_bias = None

        # These needs_input_grad checks are optional and there only to
        # improve efficiency. If you want to make your code simpler, you can
        # skip them. Returning gradients for inputs that don't require it is
        # not an error.
        if ctx.needs_input_grad[0]:
            grad_input = grad_output.mm(weight)
        if ctx.needs_input_grad[1]:
            grad_weight = grad_output.t().mm(input)
        if bias is not None and ctx.needs_input_grad[2]:
            grad_bias = grad_output.sum(0)

        return grad_input, grad_weight, grad_bias


def _linear_inputs():
    x = ag.randn(5, 3, dtype=ag.float64, requires_grad=True)
    w = ag.randn(4, 3, dtype=ag.float64, requires_grad=True)
    b = ag.randn(4, dtype=ag.float64, requires_grad=True)
    return x, w, b


def test_pytorch_linear_function_passes_gradcheck():
    assert ag.gradcheck(LinearFunction.apply, _linear_inputs())


def test_linear_function_passes_gradcheck_and_matches_the_closed_form():
    x, w, b = _linear_inputs()
    assert ag.gradcheck(LinearFunction.apply, (x, w, b))
    out = LinearFunction.apply(x, w, b)
    assert out.grad_fn is not None and out.grad_fn.name == "LinearFunction"
    upstream = np.random.default_rng(3).standard_normal((5, 4))
    out.backward(ag.tensor(upstream, dtype=ag.float64))
    xv, wv = x.detach().numpy(), w.detach().numpy()
    np.testing.assert_allclose(out.detach().numpy(), xv @ wv.T + b.detach().numpy())
    np.testing.assert_allclose(x.grad.numpy(), upstream @ wv)
    np.testing.assert_allclose(w.grad.numpy(), upstream.T @ xv)
    np.testing.assert_allclose(b.grad.numpy(), upstream.sum(0))


def test_linear_function_without_bias_ignores_the_trailing_none():
    x, w, _ = _linear_inputs()  # backward returns (grad_input, grad_weight, None)
    assert ag.gradcheck(LinearFunction.apply, (x, w))


def test_needs_input_grad_says_which_inputs_want_a_gradient():
    seen = []

    class Spy(Function):
        @staticmethod
        def forward(ctx, a, scale, b):
            return a * scale + b

        @staticmethod
        def backward(ctx, grad_out):
            seen.append(ctx.needs_input_grad)
            return grad_out * 2.0, None, grad_out

    a = ag.tensor([1.0, 2.0], requires_grad=True)
    b = ag.tensor([0.5, 0.5])
    Spy.apply(a, 2.0, b).sum().backward()
    assert seen == [(True, False, False)]
    np.testing.assert_allclose(a.grad.numpy(), [2.0, 2.0])
    assert b.grad is None


def test_apply_records_nothing_under_no_grad_or_without_inputs_needing_grad():
    x = ag.tensor([1.0], requires_grad=True)
    with ag.no_grad():
        assert LinearFunction.apply(x.reshape(1, 1), x.reshape(1, 1)).grad_fn is None
    plain = ag.tensor([[1.0]])
    assert not LinearFunction.apply(plain, plain).requires_grad


def test_forward_does_not_record_its_own_ops():
    class Square(Function):
        @staticmethod
        def forward(ctx, x):
            inner = x * x
            assert not inner.requires_grad  # forward runs under no_grad, as in PyTorch
            ctx.save_for_backward(x)
            return inner

        @staticmethod
        def backward(ctx, grad_out):
            (x,) = ctx.saved_tensors
            return 2 * x * grad_out

    x = ag.tensor([3.0], requires_grad=True)
    Square.apply(x).backward(ag.ones(1))
    assert x.grad.item() == 6.0


def test_in_place_change_of_a_saved_tensor_is_reported_by_saved_tensors():
    class Square(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad_out):
            (x,) = ctx.saved_tensors
            return 2 * x * grad_out

    x = ag.tensor([3.0], requires_grad=True)
    h = x * 1
    y = Square.apply(h)
    with ag.no_grad():
        h.add_(1)
    with pytest.raises(RuntimeError, match="Square has been modified by an in-place operation"):
        y.backward(ag.ones(1))


def test_backward_returning_too_few_gradients_is_an_error():
    class Forgetful(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, grad_out):
            return grad_out

    a = ag.tensor([1.0], requires_grad=True)
    b = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="Forgetful.backward returned 1 gradients.*took 2"):
        Forgetful.apply(a, b).sum().backward()


def test_backward_returning_a_wrong_shape_is_an_error():
    class Misshapen(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, grad_out):
            return ag.ones(5)

    a = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(
        RuntimeError, match=r"Misshapen.backward returned a gradient of shape \(5,\)"
    ):
        Misshapen.apply(a).sum().backward()


# ---- several outputs, non-differentiable outputs, non-tensor results ----------------------------


class SinCos(Function):
    """Two outputs: sin(x) and cos(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return ag.sin(x), ag.cos(x)

    @staticmethod
    def backward(ctx, grad_sin, grad_cos):
        (x,) = ctx.saved_tensors
        return grad_sin * ag.cos(x) - grad_cos * ag.sin(x)


def test_function_with_two_outputs_passes_gradcheck():
    x = ag.randn(4, dtype=ag.float64, requires_grad=True)
    s, c = SinCos.apply(x)
    assert s.grad_fn is c.grad_fn and s.grad_fn is not None
    assert ag.gradcheck(SinCos.apply, (x,))


def test_an_unused_output_reaches_backward_as_zeros():
    x = ag.tensor([0.3, 1.2], dtype=ag.float64, requires_grad=True)
    s, _ = SinCos.apply(x)
    s.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.cos([0.3, 1.2]))


def test_mark_non_differentiable_output_needs_no_grad_and_gets_zeros():
    received = []

    class ReluWithMask(Function):
        @staticmethod
        def forward(ctx, x):
            mask = (x > 0).to(x.dtype)  # float, yet not differentiable
            ctx.mark_non_differentiable(mask)
            ctx.save_for_backward(mask)
            return x * mask, mask

        @staticmethod
        def backward(ctx, grad_out, grad_mask):
            received.append(grad_mask.numpy().copy())
            (mask,) = ctx.saved_tensors
            return grad_out * mask

    x = ag.tensor([-1.0, 2.0, 3.0], requires_grad=True)
    y, mask = ReluWithMask.apply(x)
    assert y.requires_grad and not mask.requires_grad and mask.grad_fn is None
    np.testing.assert_array_equal(mask.numpy(), [0.0, 1.0, 1.0])
    (y * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 2.0, 2.0])
    np.testing.assert_array_equal(received[0], np.zeros(3))


def test_integer_outputs_are_never_differentiable():
    class ValuesAndIndices(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1, ag.argmax(x)

        @staticmethod
        def backward(ctx, grad_values, grad_index):
            return grad_values

    x = ag.tensor([1.0, 5.0, 2.0], requires_grad=True)
    values, index = ValuesAndIndices.apply(x)
    assert values.requires_grad and not index.requires_grad
    assert index.item() == 1


def test_forward_returning_an_array_instead_of_a_tensor_is_an_error():
    class ReturnsArray(Function):
        @staticmethod
        def forward(ctx, x):
            return np.asarray(x.numpy()) * 2

        @staticmethod
        def backward(ctx, grad_out):
            return grad_out * 2

    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="ReturnsArray.*Tensor"):
        ReturnsArray.apply(x)


def test_function_without_forward_says_so():
    class Empty(Function):
        pass

    with pytest.raises(NotImplementedError, match="forward"):
        Empty.apply(ag.tensor([1.0], requires_grad=True))


# ---- gradcheck and gradgradcheck ----------------------------------------------------------------


class Cube(Function):
    """x**3, with a backward written in differentiable ops (so it has a second derivative)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return grad_out * 3 * x**2


class CubeWrongAtIndex2(Cube):
    """Cube whose backward is off by one at element 2 only."""

    @staticmethod
    def backward(ctx, grad_out):
        error = ag.tensor([0.0, 0.0, 1.0, 0.0], dtype=ag.float64)
        return Cube.backward(ctx, grad_out) + error


class CubeNumpyBackward(Function):
    """Cube whose backward leaves the graph (NumPy): right first, no second derivative."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return ag.tensor(grad_out.detach().numpy() * 3 * x.detach().numpy() ** 2)


def _x4():
    return ag.tensor([0.5, -1.2, 0.8, 2.0], dtype=ag.float64, requires_grad=True)


def test_gradcheck_returns_true_for_a_correct_backward():
    assert ag.gradcheck(Cube.apply, (_x4(),)) is True


def test_gradcheck_raises_naming_the_worst_element_of_a_wrong_backward():
    with pytest.raises(AssertionError, match=r"input 0 \(shape \(4,\)\) at index \(2,\)"):
        ag.gradcheck(CubeWrongAtIndex2.apply, (_x4(),))
    assert ag.gradcheck(CubeWrongAtIndex2.apply, (_x4(),), raise_exception=False) is False


def test_gradcheck_names_the_input_with_the_wrong_gradient():
    class WrongSecond(Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, grad_out):
            a, b = ctx.saved_tensors
            return grad_out * b, grad_out * a * 1.5

    a = ag.randn(2, 3, dtype=ag.float64, requires_grad=True)
    b = ag.randn(2, 3, dtype=ag.float64, requires_grad=True)
    with pytest.raises(AssertionError, match=r"input 1 \(shape \(2, 3\)\)"):
        ag.gradcheck(WrongSecond.apply, (a, b))


def test_gradcheck_wants_float64_inputs():
    with pytest.raises(ValueError, match="float64"):
        ag.gradcheck(Cube.apply, (ag.randn(3, requires_grad=True),))


def test_gradcheck_wants_contiguous_inputs():
    x = ag.randn(3, 4, dtype=ag.float64).T.requires_grad_()
    with pytest.raises(ValueError, match="inputs must be contiguous"):
        ag.gradcheck(lambda t: (t * t).sum(), (x,))
    assert ag.gradcheck(lambda t: (t * t).sum(), (x.contiguous().detach().requires_grad_(),))


def test_gradgradcheck_passes_for_a_differentiable_backward():
    assert ag.gradgradcheck(Cube.apply, (_x4(),)) is True


def test_a_backward_that_leaves_the_graph_passes_gradcheck():
    assert ag.gradcheck(CubeNumpyBackward.apply, (_x4(),))  # the first derivative is right


def test_gradgradcheck_reports_a_backward_that_leaves_the_graph_as_a_mismatch():
    with pytest.raises(AssertionError, match="disagree for input 0"):
        ag.gradgradcheck(CubeNumpyBackward.apply, (_x4(),))
