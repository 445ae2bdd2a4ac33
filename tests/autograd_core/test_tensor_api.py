"""Tensor methods PyTorch programs call: narrow (a view with a gradient), new_zeros and
friends, cumsum(dtype=), format() of a 0-d tensor, grad_fn.next_functions. Expected values
are PyTorch 2.13's."""

import numpy as np
import pytest

import autograd_core as ag


# ---- narrow ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args, shape", [((1, -3, 2), (3, 2)), ((0, 3, 0), (0, 4)), ((1, 4, 0), (3, 0))]
)
def test_narrow_shapes(args, shape):
    assert ag.arange(12.0).reshape(3, 4).narrow(*args).shape == shape


def test_narrow_is_a_view_with_a_gradient(device):
    x = ag.arange(12.0, device=device).reshape(3, 4).requires_grad_()
    y = ag.narrow(x, 1, 1, 2)
    assert y.tolist() == [[1.0, 2.0], [5.0, 6.0], [9.0, 10.0]]
    (y * ag.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], device=device)).sum().backward()
    assert x.grad.tolist() == [[0, 1, 2, 0], [0, 3, 4, 0], [0, 5, 6, 0]]
    base = ag.zeros(3, 4, device=device)
    view = base.narrow(0, 1, 1)
    base[1, 0] = 7.0
    assert view[0, 0].item() == 7.0  # memory is shared


def test_narrow_takes_a_one_element_tensor_as_start():
    assert ag.narrow(ag.zeros(3, 4), 0, ag.tensor(1), 2).shape == (2, 4)


@pytest.mark.parametrize(
    "args, error, message",
    [
        ((1, 5, 0), IndexError, r"start 5 is out of range for dim 1 of size 4 \(expected"),
        ((1, -5, 1), IndexError, "start -5 is out of range"),
        ((1, 2, 3), ValueError, r"start \(2\) \+ length \(3\) exceeds dim 1's size \(4\)"),
        ((1, 1, -1), ValueError, "length must be non-negative, got -1"),
        ((2, 0, 1), IndexError, "dim 2 is out of range"),
        ((1, 0.5, 1), TypeError, "start must be an int, got float"),
    ],
)
def test_narrow_errors(args, error, message):
    with pytest.raises(error, match="narrow: " + message):
        ag.zeros(3, 4).narrow(*args)


# ---- new_* ----------------------------------------------------------------------------------
def test_new_tensors_take_dtype_and_device_of_self(device):
    t = ag.zeros(2, dtype=ag.float64, device=device)
    made = [
        t.new_zeros(2, 3),
        t.new_ones(()),
        t.new_full([2], 3),
        t.new_tensor([1, 2]),
        t.new_empty((0,)),
    ]
    assert [m.dtype for m in made] == [ag.float64] * 5
    assert [m.device for m in made] == [t.device] * 5
    assert [tuple(m.shape) for m in made] == [(2, 3), (), (2,), (2,), (0,)]
    assert made[0].tolist() == [[0.0] * 3] * 2 and made[2].tolist() == [3.0, 3.0]
    assert t.new_zeros(2, dtype=ag.int32).dtype == ag.int32


def test_new_full_casts_to_an_integer_self_and_new_tensor_copies():
    assert ag.arange(3).new_full((2,), 7.5).tolist() == [7, 7]
    x = ag.ones(2, requires_grad=True)
    copy = ag.zeros(1).new_tensor(x)
    assert not copy.requires_grad and copy.grad_fn is None
    data = np.array([1.0, 2.0], dtype=np.float32)
    made = ag.zeros(1).new_tensor(data)
    data[0] = 9.0
    assert made.tolist() == [1.0, 2.0]
    assert ag.zeros(1).new_ones(2, requires_grad=True).requires_grad


# ---- cumsum(dtype=) and format ----------------------------------------------------------------
def test_cumsum_dtype_casts_first():
    out = ag.tensor([True, True, False]).cumsum(0, dtype=ag.float32)
    assert out.dtype == ag.float32 and out.tolist() == [1.0, 2.0, 2.0]
    half = ag.tensor([1.5, 2.5], dtype=ag.float16)
    out = ag.cumsum(half, 0, dtype=ag.float64)
    assert out.dtype == ag.float64 and out.tolist() == [1.5, 4.0]


def test_cumsum_dtype_keeps_the_gradient():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    ag.cumsum(x, 0, dtype=ag.float64).sum().backward()
    assert x.grad.dtype == ag.float32 and x.grad.tolist() == [3.0, 2.0, 1.0]


def test_format_of_a_0d_tensor_is_its_number():
    assert format(ag.tensor(1.2345), "+.2f") == "+1.23"
    assert f"{ag.tensor(3.14159):.3f}" == "3.142"
    assert f"{ag.tensor(7):>3d}" == "  7"
    loss = (ag.tensor([0.5, 1.5], requires_grad=True) ** 2).mean()
    assert f"loss: {loss:>7f}" == "loss: 1.250000"
    assert f"{ag.tensor([1.0, 2.0])}" == "tensor([1., 2.])"


def test_format_spec_on_a_non_0d_tensor_is_refused_as_pytorch():
    with pytest.raises(TypeError, match=r"needs a 0-d tensor, got shape \(1,\).*t.item\(\)"):
        format(ag.tensor([1.5]), ".1f")


# ---- grad_fn.next_functions ------------------------------------------------------------------
def test_next_functions_walk_the_graph_as_pytorch():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    loss = (x * 2).sum()
    ((mul, index),) = loss.grad_fn.next_functions
    assert index == 0 and mul.name == "mul"
    (accumulate, zero), (constant, _) = mul.next_functions
    assert type(accumulate).__name__ == "AccumulateGrad" and zero == 0
    assert accumulate.variable is x and accumulate.next_functions == ()
    assert constant is None
    # one AccumulateGrad per leaf
    assert (x + 1).grad_fn.next_functions[0][0] is accumulate


def test_next_functions_give_the_output_index_of_a_multi_output_node():
    x = ag.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, _ = x.sort()
    y = values * 1.0
    node, index = y.grad_fn.next_functions[0]
    assert node is values.grad_fn and index == values._out_index == 0


def test_next_functions_of_a_custom_function():
    class Double(ag.Function):
        @staticmethod
        def forward(ctx, x, factor):
            return x * factor

        @staticmethod
        def backward(ctx, grad_out):
            return grad_out * 2, None

    x = ag.tensor([1.0], requires_grad=True)
    ((accumulate, _), (none, _)) = Double.apply(x, 2.0).grad_fn.next_functions
    assert accumulate.variable is x and none is None


def test_next_functions_can_be_walked_after_backward_as_pytorch():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    loss = (x * x).sum()
    loss.backward()
    ((mul, _),) = loss.grad_fn.next_functions
    (first, _), (second, _) = mul.next_functions
    assert first is second and first.variable is x
