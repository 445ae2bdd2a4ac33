"""DLPack exchange with NumPy on the CPU: zero copy in both directions, writes seen both ways."""

import numpy as np
import pytest

import autograd_core as ag


def test_from_dlpack_shares_a_numpy_array():
    array = np.arange(6, dtype=np.float32).reshape(2, 3)
    t = ag.from_dlpack(array)
    assert np.shares_memory(t.numpy(), array)
    array[0, 0] = 100.0
    assert t[0, 0].item() == 100.0
    with ag.no_grad():
        t.add_(1)  # NumPy's own capsule is writable: the write lands in the array
    assert array[0, 0] == 101.0


def test_numpy_from_dlpack_shares_a_tensor():
    t = ag.arange(4, dtype=ag.float32)
    view = np.from_dlpack(t)
    assert np.shares_memory(view, t.numpy())
    with ag.no_grad():
        t.mul_(10)
    assert view.tolist() == [0.0, 10.0, 20.0, 30.0]


def test_from_dlpack_rejects_objects_without_the_protocol():
    with pytest.raises(TypeError, match="DLPack"):
        ag.from_dlpack([1.0, 2.0])


@pytest.mark.skipif(
    tuple(int(v) for v in np.__version__.split(".")[:2]) < (2, 1),
    reason="NumPy < 2.1 imports every DLPack capsule read-only",
)
def test_numpy_view_of_a_tensor_is_writable():
    t = ag.zeros(3)
    view = np.from_dlpack(t)
    view[0] = 5.0  # PyTorch's np.from_dlpack(tensor) allows this
    assert t[0].item() == 5.0


def test_in_place_write_through_a_dlpack_alias_reaches_the_source():
    source = ag.arange(4, dtype=ag.float32)
    alias = ag.from_dlpack(source)
    with ag.no_grad():
        alias.add_(1)
    assert source.tolist() == [1.0, 2.0, 3.0, 4.0]


def test_a_tensor_that_requires_grad_is_not_exported():
    t = ag.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="requires grad.*detach"):
        np.from_dlpack(t)
    assert np.from_dlpack(t.detach()).shape == (3,)
