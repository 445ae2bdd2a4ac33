"""Integer and bool dtypes and empty tensors as PyTorch: the dtypes of reductions, Python ints
that wrap around in small dtypes, masked_fill keeping its dtype, reductions over empty dims.

The known values were computed with PyTorch 2.13."""

import math

import numpy as np
import pytest

import autograd_core as ag

SMALL_INTEGERS = [ag.uint8, ag.int8, ag.int16, ag.int32, ag.bool]


@pytest.mark.parametrize("dtype", SMALL_INTEGERS + [ag.int64], ids=str)
def test_sums_products_and_running_sums_of_integers_are_int64(dtype):
    t = ag.tensor([1, 0, 1]).to(dtype)
    for result in (t.sum(), t.sum(0), t.prod(), ag.cumsum(t, 0), t.cumprod(0)):
        assert result.dtype == ag.int64


def test_uint8_sums_do_not_wrap():
    u = ag.tensor([200, 100], dtype=ag.uint8)
    assert u.sum().item() == 300 and u.prod().item() == 20000
    assert ag.cumsum(u, 0).tolist() == [200, 300]
    assert (u + 100).tolist() == [44, 200] and (u + 100).dtype == ag.uint8  # tensor arithmetic


@pytest.mark.parametrize("dtype", SMALL_INTEGERS + [ag.int64, ag.float32], ids=str)
def test_all_and_any_give_bool_except_uint8_for_uint8(dtype):
    t = ag.tensor([1, 0, 1]).to(dtype)
    expected = ag.uint8 if dtype == ag.uint8 else ag.bool
    for result in (t.all(), t.any(), t.all(0), t.any(dim=0, keepdim=True)):
        assert result.dtype == expected
    assert t.any().item() and not t.all().item()


@pytest.mark.parametrize(
    "dtype, big, added, multiplied, subtracted",
    [
        (ag.uint8, 300, [45, 46], [44, 88], [213, 214]),
        (ag.int8, 300, [45, 46], [44, 88], [-43, -42]),
        (ag.int16, 300, [301, 302], [300, 600], [-299, -298]),
        (
            ag.int32,
            2**31 + 5,
            [-2147483642, -2147483641],
            [-2147483643, 10],
            [2147483644, 2147483645],
        ),
    ],
    ids=["uint8", "int8", "int16", "int32"],
)
def test_python_ints_that_do_not_fit_wrap_around_in_arithmetic(
    dtype, big, added, multiplied, subtracted
):
    t = ag.tensor([1, 2], dtype=dtype)
    assert (t + big).tolist() == added and (t + big).dtype == dtype
    assert (t * big).tolist() == multiplied
    assert (t - big).tolist() == subtracted
    assert t.clone().add_(big).tolist() == added
    assert not (t == big).any().item()


@pytest.mark.parametrize("dtype", [ag.uint8, ag.int8], ids=str)
def test_storing_a_python_int_that_does_not_fit_is_refused_as_pytorch(dtype):
    t = ag.tensor([1, 2], dtype=dtype)
    with pytest.raises(RuntimeError, match="fill_: value 300 cannot be converted"):
        t.fill_(300)
    with pytest.raises(RuntimeError, match="masked_fill: value 300 cannot be converted"):
        t.masked_fill(ag.tensor([True, False]), 300)
    assert t.masked_fill(ag.tensor([True, False]), 100).tolist() == [100, 2]


def test_masked_fill_keeps_the_integer_dtype():
    i = ag.tensor([1, 2, 3])
    filled = i.masked_fill(i > 1, 2.7)
    assert filled.dtype == ag.int64 and filled.tolist() == [1, 2, 2]  # PyTorch's values
    u = ag.tensor([1, 2], dtype=ag.uint8)
    assert u.masked_fill(ag.tensor([False, True]), 9).dtype == ag.uint8
    assert u.clone().masked_fill_(ag.tensor([False, True]), 9).tolist() == [1, 9]


def test_masked_fill_with_a_tensor_value_keeps_its_gradient():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    v = ag.tensor(5.0, dtype=ag.float64, requires_grad=True)
    out = x.masked_fill(ag.tensor([True, False]), v)
    assert out.dtype == ag.float32
    (out * ag.tensor([3.0, 4.0])).sum().backward()
    assert v.grad.item() == pytest.approx(3.0) and x.grad.tolist() == [0.0, 4.0]


# ---- empty tensors ---------------------------------------------------------------------------
EMPTY = np.zeros((0, 3), dtype=np.float32)


def test_amax_over_a_dim_that_is_not_empty_of_an_empty_tensor():
    e = ag.tensor(EMPTY)
    assert e.amax(1).shape == (0,) and e.amin(dim=1, keepdim=True).shape == (0, 1)
    with pytest.raises(ValueError, match="expected reduction dim 0 to have non-zero size"):
        e.amax(0)
    with pytest.raises(ValueError, match="amax: expected reduction dim 0"):
        e.amax()


def test_logsumexp_of_nothing_is_minus_inf():
    assert ag.logsumexp(ag.zeros(0), 0).item() == -math.inf
    np.testing.assert_array_equal(ag.logsumexp(ag.tensor(EMPTY), 0).numpy(), [-math.inf] * 3)
    assert ag.logsumexp(ag.tensor(EMPTY), 1).shape == (0,)
    assert ag.logsumexp(ag.tensor(EMPTY), 0, keepdim=True).shape == (1, 3)


def test_softmax_of_an_empty_tensor_is_empty():
    assert ag.softmax(ag.zeros(0), 0).shape == (0,)
    assert ag.softmax(ag.tensor(EMPTY), 1).shape == (0, 3)
    assert ag.log_softmax(ag.tensor(EMPTY), 0).shape == (0, 3)


def test_cat_skips_an_empty_one_dim_tensor_as_pytorch():
    joined = ag.cat([ag.tensor([1.0, 2.0]), ag.tensor([])])
    assert joined.tolist() == [1.0, 2.0]
    x = ag.zeros(2, 3, requires_grad=True)
    joined = ag.cat([x, ag.tensor([])])
    assert joined.shape == (2, 3)
    joined.sum().backward()
    assert x.grad.shape == (2, 3)
    with pytest.raises(ValueError, match="cat: shapes must match"):
        ag.cat([ag.zeros(2, 3), ag.zeros(0, 2)])


def test_sums_over_empty_dims_as_pytorch():
    e = ag.tensor(EMPTY)
    assert e.sum(0).tolist() == [0.0, 0.0, 0.0] and e.sum(1).shape == (0,)
    assert e.prod(0).tolist() == [1.0, 1.0, 1.0]
