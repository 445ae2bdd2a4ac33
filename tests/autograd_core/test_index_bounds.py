"""gather, scatter_add and index_select: indices of every integer dtype, and an index outside
[0, size) raises IndexError naming it, as PyTorch (NumPy would read -1 as the last entry and
CuPy wraps out-of-range indices). On a GPU the error may come at the next read of a result
(`.cpu()`), as CUDA's device-side asserts do, so each call below is read back."""

import numpy as np
import pytest

import autograd_core as ag

INT_DTYPES = [ag.uint8, ag.int8, ag.int16, ag.int32, ag.int64]
A = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]


@pytest.mark.parametrize("value", [-1, -3, 3, 100])
def test_gather_index_out_of_bounds_raises(device, value):
    a = ag.tensor(A, device=device)
    index = ag.tensor([[0], [value]], device=device)
    with pytest.raises(IndexError, match=f"gather: index {value} is out of bounds for dimension 1"):
        ag.gather(a, 1, index).cpu()
    with pytest.raises(IndexError, match=f"index {value} is out of bounds for dimension 1"):
        a.gather(1, index).cpu()


def test_gather_bounds_follow_dim():
    a = ag.tensor(A)
    with pytest.raises(IndexError, match="index 2 is out of bounds for dimension 0 with size 2"):
        ag.gather(a, 0, ag.tensor([[0, 2, 1]]))
    with pytest.raises(IndexError, match="index -1 is out of bounds for dimension 1 with size 3"):
        ag.gather(a, -1, ag.tensor([[-1], [0]]))


@pytest.mark.parametrize("value", [-1, 3])
def test_scatter_add_and_index_select_out_of_bounds_raise(device, value):
    a = ag.tensor(A, device=device)
    index = ag.tensor([[0], [value]], device=device)
    with pytest.raises(IndexError, match=f"scatter_add: index {value} is out of bounds"):
        ag.scatter_add(a, 1, index, ag.ones(2, 1, device=device)).cpu()
    with pytest.raises(IndexError, match=f"index_select: index {value} is out of bounds"):
        ag.index_select(a, 1, ag.tensor([0, value], device=device)).cpu()


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_indices_of_every_integer_dtype(device, dtype):
    a = ag.tensor(A, device=device, requires_grad=True)
    index = ag.tensor([[2], [0]], dtype=dtype, device=device)
    out = ag.gather(a, 1, index)
    np.testing.assert_array_equal(out.detach().cpu().numpy(), [[3.0], [4.0]])
    out.sum().backward()
    np.testing.assert_array_equal(a.grad.cpu().numpy(), [[0, 0, 1], [1, 0, 0]])
    summed = ag.scatter_add(a.detach(), 1, index, ag.ones(2, 1, device=device))
    np.testing.assert_array_equal(summed.cpu().numpy(), [[1, 2, 4], [5, 5, 6]])
    picked = ag.index_select(a.detach(), 1, ag.tensor([2, 0], dtype=dtype, device=device))
    np.testing.assert_array_equal(picked.cpu().numpy(), [[3, 1], [6, 4]])


def test_wide_table_with_a_narrow_index_dtype():
    # uint8 indices into 300 columns: the bound 300 does not fit uint8 and is not compared
    a = ag.arange(600, dtype=ag.float32).reshape(2, 300)
    got = ag.gather(a, 1, ag.tensor([[255], [7]], dtype=ag.uint8))
    np.testing.assert_array_equal(got.numpy(), [[255.0], [307.0]])
    with pytest.raises(IndexError, match="index -1 is out of bounds"):
        ag.gather(a, 1, ag.tensor([[-1], [7]], dtype=ag.int8))


def test_empty_index_needs_no_check():
    a = ag.tensor(A)
    assert tuple(ag.gather(a, 1, ag.zeros((2, 0), dtype=ag.int64)).shape) == (2, 0)
    assert tuple(ag.index_select(a, 0, ag.zeros(0, dtype=ag.int64)).shape) == (0, 3)
