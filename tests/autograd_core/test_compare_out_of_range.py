"""Comparing an integer tensor with a Python int its dtype cannot hold gives the
mathematically right answer (as NumPy 2), for every comparison, both operand orders and every
integer dtype, checked against Python's own comparison of the values.

This differs from PyTorch 2.13 on purpose: PyTorch wraps the int into the dtype first
(`torch.tensor([255], dtype=torch.uint8) >= 1000` is True, as 1000 becomes 232)."""

import operator

import numpy as np
import pytest

import autograd_core as ag

DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
OPS = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def _elements(dtype):
    info = np.iinfo(dtype)
    low, high = int(info.min), int(info.max)
    return sorted({low, low + 1, 0, 1, high - 1, high})


def _values(dtype):
    """Python ints just beyond, far beyond and at the edges of the dtype's range."""
    info = np.iinfo(dtype)
    low, high = int(info.min), int(info.max)
    beyond = [low - 1, low - 100, high + 1, high + 100, 2**64, -(2**64), 10**30, -(10**30)]
    return beyond + [low, high, 0]


def _cases():
    for dtype in DTYPES:
        for value in _values(dtype):
            yield pytest.param(dtype, value, id=f"{dtype}-{value}")


def _expected(python_op, elements, value, reflected=False):
    if reflected:
        return [python_op(value, e) for e in elements]
    return [python_op(e, value) for e in elements]


@pytest.mark.parametrize("dtype, value", list(_cases()))
@pytest.mark.parametrize("name", list(OPS))
def test_comparison_with_a_python_int_is_by_value(name, dtype, value):
    elements = _elements(dtype)
    x = ag.tensor(np.array(elements, dtype=dtype))
    python_op, function = OPS[name], getattr(ag, name)
    expected = _expected(python_op, elements, value)
    reflected = _expected(python_op, elements, value, reflected=True)
    for result in (function(x, value), getattr(x, name)(value), python_op(x, value)):
        assert result.dtype == ag.bool and result.shape == x.shape
        assert result.tolist() == expected
    for result in (function(value, x), python_op(value, x)):  # value op x: reflected
        assert result.dtype == ag.bool and result.shape == x.shape
        assert result.tolist() == reflected


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda x: x != -100, [True, True, True]),
        (lambda x: x >= 1000, [False, False, False]),
        (lambda x: x == 256, [False, False, False]),
        (lambda x: -1 < x, [True, True, True]),
        (lambda x: 300 <= x, [False, False, False]),
    ],
    ids=["ne -100", "ge 1000", "eq 256", "-1 lt", "300 le"],
)
def test_the_cases_that_raised_or_wrapped_before(make, expected):
    # uint8 [0, 156, 255]: 156 is -100 wrapped into uint8, 0 is 256 wrapped
    x = ag.tensor([0, 156, 255], dtype=ag.uint8)
    assert make(x).tolist() == expected


def test_shapes_survive_and_the_result_is_on_the_tensor_device(device):
    x = ag.tensor(np.arange(6, dtype=np.int8).reshape(2, 3), device=device)
    for result in (x < 200, ag.ge(-129, x), x.eq(128)):
        assert result.shape == (2, 3) and result.device == x.device
    assert (x < 200).cpu().tolist() == [[True] * 3] * 2
    assert ag.ge(-129, x).cpu().tolist() == [[False] * 3] * 2


def test_values_in_range_and_other_operands_are_unchanged():
    x = ag.tensor([1, 2, 3], dtype=ag.uint8)
    assert (x >= 2).tolist() == [False, True, True]
    assert (x == ag.tensor([1, 0, 3], dtype=ag.uint8)).tolist() == [True, False, True]
    assert (x < 2.5).tolist() == [True, True, False]  # a float promotes: no range involved
    assert (x > True).tolist() == [False, True, True]  # a bool is not an out-of-range int
    f = ag.tensor([1.0, 300.0])
    assert (f < 300).tolist() == [True, False]  # float tensors take any int
    with pytest.raises(TypeError, match="expected at least one Tensor"):
        ag.lt(1, 1000)
