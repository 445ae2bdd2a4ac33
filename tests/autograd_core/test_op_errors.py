"""Op errors name the op and the shapes involved, with PyTorch's exception types."""

import re

import pytest

import autograd_core as ag

A = (2, 3)
B = (4,)


def shapes(*items):
    return re.escape(", ".join(str(s) for s in items[:-1]) + f" and {items[-1]}")


@pytest.mark.parametrize(
    "op, call",
    [
        ("add", lambda a, b: a + b),
        ("sub", lambda a, b: a - b),
        ("mul", lambda a, b: a * b),
        ("div", lambda a, b: a / b),
        ("pow", lambda a, b: a**b),
        ("maximum", ag.maximum),
        ("minimum", ag.minimum),
        ("eq", lambda a, b: a == b),
        ("lt", lambda a, b: a < b),
        ("logical_and", ag.logical_and),
        ("floor_divide", lambda a, b: a // b),
        ("remainder", lambda a, b: a % b),
    ],
)
def test_binary_op_shape_mismatch_names_op_and_both_shapes(op, call, device):
    a, b = ag.ones(*A, device=device), ag.ones(*B, device=device)
    with pytest.raises(ValueError, match=f"^{op}: shapes {shapes(A, B)} can't be broadcast"):
        call(a, b)


def test_where_shape_mismatch_names_all_three_shapes(device):
    condition = ag.ones(5, device=device) > 0
    a = ag.ones(*A, device=device)
    with pytest.raises(ValueError, match=f"^where: shapes {shapes((5,), A, A)}"):
        ag.where(condition, a, a)


def test_matmul_inner_dimensions_named(device):
    with pytest.raises(
        ValueError, match=re.escape("matmul: inner dimensions differ: (2, 3) @ (4, 2)")
    ):
        ag.ones(2, 3, device=device) @ ag.ones(4, 2, device=device)


def test_matmul_vector_inner_dimensions_named(device):
    with pytest.raises(ValueError, match=re.escape("matmul: inner dimensions differ: (3,) @ (4,)")):
        ag.matmul(ag.ones(3, device=device), ag.ones(4, device=device))


def test_matmul_batch_dimensions_named(device):
    message = re.escape("matmul: batch dimensions don't broadcast: (2, 2, 3) @ (3, 3, 2)")
    with pytest.raises(ValueError, match=message):
        ag.ones(2, 2, 3, device=device) @ ag.ones(3, 3, 2, device=device)


def test_matmul_of_a_0d_tensor_names_both_shapes(device):
    with pytest.raises(ValueError, match=re.escape("matmul: both arguments need at least 1 dim")):
        ag.matmul(ag.tensor(2.0, device=device), ag.ones(2, device=device))


def test_cat_mismatch_names_dim_and_both_shapes(device):
    message = re.escape("cat: shapes must match except in dim 0, got (2, 3) and (2, 4)")
    with pytest.raises(ValueError, match=message):
        ag.cat([ag.ones(2, 3, device=device), ag.ones(2, 4, device=device)])


def test_cat_rank_mismatch_names_both_shapes(device):
    with pytest.raises(ValueError, match=re.escape("cat: shapes must match except in dim 1")):
        ag.cat([ag.ones(2, 3, device=device), ag.ones(3, device=device)], dim=1)


def test_cat_of_a_0d_tensor_says_so(device):
    with pytest.raises(ValueError, match=r"cat: a 0-d tensor \(at position 1\) can't be"):
        ag.cat([ag.ones(1, device=device), ag.tensor(2.0, device=device)])


def test_stack_of_unequal_shapes(device):
    message = re.escape("stack: expects tensors of equal shape, got (2, 3) and (4,)")
    with pytest.raises(ValueError, match=message):
        ag.stack([ag.ones(*A, device=device), ag.ones(*B, device=device)])


@pytest.mark.parametrize(
    "make",
    [
        lambda: ag.tensor([1, 2], requires_grad=True),
        lambda: ag.zeros(2, dtype=ag.int64, requires_grad=True),
        lambda: ag.tensor([1, 2]).requires_grad_(),
        lambda: ag.tensor([True, False]).requires_grad_(),
    ],
    ids=["tensor", "zeros", "requires_grad_", "bool"],
)
def test_requires_grad_on_an_integer_tensor_is_a_clear_error(make):
    with pytest.raises(RuntimeError, match="only tensors of floating point dtype can require"):
        make()


OTHER_ERRORS = [
    pytest.param(
        IndexError,
        "sum: dim 2 is out of range for a tensor with 2 dims",
        lambda a: a.sum(2),
        id="sum-dim-out-of-range",
    ),
    pytest.param(
        IndexError,
        "softmax: dim -3 is out of range",
        lambda a: ag.softmax(a, -3),
        id="softmax-dim-out-of-range",
    ),
    pytest.param(
        TypeError,
        "softmax: pass dim= explicitly",
        lambda a: ag.softmax(a),
        id="softmax-without-dim",
    ),
    pytest.param(
        ValueError,
        r"reshape: shape \(4, 2\) is invalid for input of shape \(2, 3\)",
        lambda a: a.reshape(4, 2),
        id="reshape-size",
    ),
    pytest.param(
        RuntimeError,
        r"view: shape \(6,\) is not compatible with the input's size and stride \(input of "
        r"shape \(3, 2\).*Use \.reshape\(\.\.\.\) instead",
        lambda a: a.t().view(6),
        id="view-transposed",
    ),
    pytest.param(
        ValueError,
        r"expand: can't broadcast shape \(2, 3\) to \(3, 3\)",
        lambda a: a.expand(3, 3),
        id="expand-shape",
    ),
    pytest.param(
        ValueError,
        r"expand: -1 is not allowed in a new leading dim, got \(-1, 2, 3\)",
        lambda a: a.expand(-1, 2, 3),
        id="expand-minus-1-leading",
    ),
    pytest.param(
        ValueError,
        r"pad: circular padding \(4, 0\) can't exceed dim 1's size 3",
        lambda a: ag.pad(a, (4, 0), mode="circular"),
        id="pad-circular-too-wide",
    ),
    pytest.param(
        ValueError,
        r"pad: reflect padding \(0, 3\) must be smaller than dim 1's size 3",
        lambda a: ag.pad(a, (0, 3), mode="reflect"),
        id="pad-reflect-too-wide",
    ),
    pytest.param(
        ValueError,
        r"permute: dims \(0, 0\) are not a permutation",
        lambda a: a.permute(0, 0),
        id="permute-repeated-dim",
    ),
    pytest.param(
        ValueError,
        r"mm: expects 2-D tensors, got \(2, 3\) and \(3,\)",
        lambda a: ag.mm(a, a[0]),
        id="mm-not-2d",
    ),
    pytest.param(
        IndexError,
        r"index \[5\] into a tensor of shape \(2, 3\)",
        lambda a: a[5],
        id="index-out-of-range",
    ),
    pytest.param(
        TypeError, "mean: needs a floating point tensor", lambda a: a.long().mean(), id="mean-int"
    ),
    pytest.param(
        TypeError,
        "var: needs a floating point tensor, got int64",
        lambda a: a.long().var(),
        id="var-int",
    ),
    pytest.param(
        TypeError,
        "std: needs a floating point tensor, got int64",
        lambda a: a.long().std(),
        id="std-int",
    ),
    pytest.param(
        TypeError,
        "softmax: needs a floating point tensor",
        lambda a: a.long().softmax(-1),
        id="softmax-int",
    ),
    pytest.param(
        TypeError,
        "log_softmax: needs a floating point",
        lambda a: a.long().log_softmax(0),
        id="log_softmax-int",
    ),
    pytest.param(
        TypeError, "add: expected a Tensor or a number, got str", lambda a: a + "1", id="add-string"
    ),
    pytest.param(
        ValueError,
        r"gather: index of shape \(3, 1\) is larger than the tensor of shape \(2, 3\) in dim 0",
        lambda a: a.gather(1, [[0], [0], [0]]),
        id="gather-index-too-large",
    ),
    pytest.param(
        ValueError,
        r"index_select: index must be 0-d or 1-D, got shape \(1, 2\)",
        lambda a: a.index_select(1, [[0, 1]]),
        id="index_select-2d-index",
    ),
]


@pytest.mark.parametrize("error, message, call", OTHER_ERRORS)
def test_other_op_errors_name_the_op(error, message, call, device):
    with pytest.raises(error, match=message):
        call(ag.ones(*A, device=device))


def test_an_integer_tensor_to_a_negative_integer_power_is_an_error():
    with pytest.raises(RuntimeError, match=r"negative integer powers.*int64.*\*\* -1"):
        ag.tensor([2, 3]) ** -1
    assert (ag.tensor([4]) ** 0.5).dtype == ag.float32
