"""Indexing as PyTorch: where mixed advanced and basic indices put their dims, nested lists,
uint8 and bool masks; the gradients through them, and writes through them.

The known values were computed with PyTorch 2.13: for x = arange(24).reshape(2, 3, 4) each
result is listed by its values, which are the flat positions it reads from x."""

import warnings

import numpy as np
import pytest

import autograd_core as ag

# name: (index, PyTorch's result shape, PyTorch's result values)
INDEXING = {
    "adv_then_int": (lambda t: t[:, [0, 1], 2], (2, 2), [2, 6, 14, 18]),
    "adv_slice_int": (lambda t: t[[0, 1], :, 2], (2, 3), [2, 6, 10, 14, 18, 22]),
    "two_adv_split_by_slice": (lambda t: t[[0, 1], :, [1, 3]], (2, 3), [1, 5, 9, 15, 19, 23]),
    "two_adv_adjacent": (lambda t: t[:, [0, 2], [1, 3]], (2, 2), [1, 11, 13, 23]),
    "nested_list_is_a_tuple": (lambda t: t[[[0, 1], [1, 0]]], (2, 4), [4, 5, 6, 7, 12, 13, 14, 15]),
    "nested_list_on_a_matrix": (lambda t: t[0][[[0, 1], [1, 2]]], (2,), [1, 6]),
    "list_of_ints": (
        lambda t: t[[1, 0, 1]],
        (3, 3, 4),
        [
            12,
            13,
            14,
            15,
            16,
            17,
            18,
            19,
            20,
            21,
            22,
            23,
            0,
            1,
            2,
            3,
            4,
            5,
            6,
            7,
            8,
            9,
            10,
            11,
            12,
            13,
            14,
            15,
            16,
            17,
            18,
            19,
            20,
            21,
            22,
            23,
        ],
    ),
    "tuple_of_lists": (lambda t: t[([0, 1], [1, 2])], (2, 4), [4, 5, 6, 7, 20, 21, 22, 23]),
    "list_array_index_2d": (
        lambda t: t[0, [[0, 1], [2, 2]]],
        (2, 2, 4),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 8, 9, 10, 11],
    ),
    "uint8_mask": (
        lambda t: t[ag.tensor([1, 0], dtype=ag.uint8)],
        (1, 3, 4),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    ),
    "bool_mask": (
        lambda t: t[ag.tensor([True, False])],
        (1, 3, 4),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    ),
    "bool_mask_2d": (
        lambda t: t[ag.tensor([[True, False, True], [False, False, True]])],
        (3, 4),
        [0, 1, 2, 3, 8, 9, 10, 11, 20, 21, 22, 23],
    ),
    "mask_between_slices": (
        lambda t: t[:, ag.tensor([True, False, True]), 1:3],
        (2, 2, 2),
        [1, 2, 9, 10, 13, 14, 21, 22],
    ),
    "uint8_mask_between_slices": (
        lambda t: t[:, ag.tensor([1, 0, 1], dtype=ag.uint8), 1:3],
        (2, 2, 2),
        [1, 2, 9, 10, 13, 14, 21, 22],
    ),
    "ellipsis_then_list": (
        lambda t: t[..., [0, 3]],
        (2, 3, 2),
        [0, 3, 4, 7, 8, 11, 12, 15, 16, 19, 20, 23],
    ),
    "none_then_list": (lambda t: t[None, [0, 1], 1], (1, 2, 4), [4, 5, 6, 7, 16, 17, 18, 19]),
    "tensor_index": (lambda t: t[ag.tensor([[0, 1]]), 1], (1, 2, 4), [4, 5, 6, 7, 16, 17, 18, 19]),
    "negative_indices": (lambda t: t[[-1, 0], -1], (2, 4), [20, 21, 22, 23, 8, 9, 10, 11]),
    "zero_dim_tensor": (
        lambda t: t[ag.tensor(1)],
        (3, 4),
        [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
    ),
    "repeated_indices": (lambda t: t[[1, 1, 0], 2, [3, 3, 3]], (3,), [23, 23, 11]),
}


def _x():
    return ag.arange(24.0, dtype=ag.float64).reshape(2, 3, 4).detach().requires_grad_()


@pytest.mark.parametrize("name", list(INDEXING))
@pytest.mark.filterwarnings("ignore:.*(non-tuple sequence|uint8).*:UserWarning")
def test_indexing_reads_what_pytorch_reads_and_sends_the_gradient_back(name):
    index, shape, positions = INDEXING[name]
    x = _x()
    out = index(x)
    assert out.shape == shape
    np.testing.assert_array_equal(out.detach().numpy().ravel(), positions)
    weights = np.arange(1.0, out.numel() + 1).reshape(shape)
    (out * ag.tensor(weights)).sum().backward()
    expected = np.zeros(24)
    np.add.at(expected, positions, weights.ravel())  # repeated positions accumulate
    np.testing.assert_array_equal(x.grad.numpy().ravel(), expected)


def test_repeated_indices_accumulate_as_pytorch():
    x = _x()
    (x[[1, 1, 0], 2, [3, 3, 3]] * ag.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert x.grad[1, 2, 3].item() == 3.0 and x.grad[0, 2, 3].item() == 3.0  # PyTorch's values


@pytest.mark.parametrize("name", list(INDEXING))
@pytest.mark.filterwarnings("ignore:.*(non-tuple sequence|uint8).*:UserWarning")
def test_gradients_through_indexing_pass_finite_differences(name):
    index = INDEXING[name][0]
    assert ag.gradcheck(lambda t: index(t * 1.5), (_x(),))


def test_a_nested_list_warns_as_pytorch_does():
    with pytest.warns(UserWarning, match="non-tuple sequence for multidimensional indexing"):
        _x()[[[0, 1], [1, 0]]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _x()[[0, 1]]  # a flat list is a tensor index: no warning


def test_a_uint8_index_is_a_mask_and_warns_as_pytorch_does():
    with pytest.warns(UserWarning, match="indexing with dtype uint8 is deprecated"):
        out = _x()[ag.tensor([0, 1], dtype=ag.uint8)]
    assert out.shape == (1, 3, 4) and out[0, 0, 0].item() == 12.0


# name: (the write, PyTorch's y after it (as flat positions of x, or 100 where written),
#        PyTorch's x.grad and v.grad for (y * y).sum())
def _write_adv_slice_int(y, v):
    y[[0, 1], :, 2] = v


def _write_slice_list_int(y, v):
    y[:, [0, 2], 1] = v


def _write_nested(y, v):
    y[[[0, 1], [1, 0]]] = v


WRITES = {
    "adv_slice_int": (_write_adv_slice_int, [2, 6, 10, 14, 18, 22], 1200.0),
    "slice_list_int": (_write_slice_list_int, [1, 9, 13, 21], 800.0),
    "nested_is_a_tuple": (_write_nested, [4, 5, 6, 7, 12, 13, 14, 15], 1600.0),
}


@pytest.mark.parametrize("name", list(WRITES))
@pytest.mark.filterwarnings("ignore:.*non-tuple sequence.*:UserWarning")
def test_writes_through_advanced_indices_as_pytorch(name):
    write, written, v_grad = WRITES[name]
    x = _x()
    v = ag.tensor(100.0, dtype=ag.float64, requires_grad=True)
    y = x * 1
    write(y, v)
    expected = np.arange(24.0)
    expected[written] = 100.0
    np.testing.assert_array_equal(y.detach().numpy().ravel(), expected)
    (y * y).sum().backward()
    grad = 2 * np.arange(24.0)
    grad[written] = 0.0
    np.testing.assert_array_equal(x.grad.numpy().ravel(), grad)
    assert v.grad.item() == v_grad


def test_a_write_through_a_uint8_mask_writes_where_it_is_one():
    y = _x() * 1
    with pytest.warns(UserWarning, match="uint8"):
        y[ag.tensor([0, 1], dtype=ag.uint8)] = 100.0
    assert (y[1] == 100).all().item() and (y[0] != 100).all().item()
