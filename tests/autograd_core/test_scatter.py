"""scatter, scatter_add, scatter_reduce: in-place forms, PyTorch's older reduce= spelling,
integer results and the errors (the forward and gradient checks are in the op table)."""

import numpy as np
import pytest

import autograd_core as ag

INDEX = [[2, 0, 1], [3, 1, 0], [0, 2, 3]]


def _leaves(device):
    a = ag.tensor(np.arange(12.0).reshape(3, 4), dtype=ag.float64, device=device)
    src = ag.tensor(np.linspace(-1.0, 1.0, 9).reshape(3, 3), dtype=ag.float64, device=device)
    return a.requires_grad_(), src.requires_grad_()


@pytest.mark.parametrize(
    "method, args",
    [
        ("scatter", ()),
        ("scatter_add", ()),
        ("scatter_reduce", ("prod",)),
        ("scatter_reduce", ("amax",)),
    ],
)
def test_in_place_forms_match_the_out_of_place_ones_with_gradients(method, args, device):
    weights = ag.tensor(np.linspace(0.5, 2.0, 12).reshape(3, 4), dtype=ag.float64, device=device)
    results = []
    for in_place in (False, True):
        a, src = _leaves(device)
        index = ag.tensor(INDEX, device=device)
        y = a * 1.0
        if in_place:
            out = getattr(y, method + "_")(1, index, src, *args)
            assert out is y
        else:
            y = getattr(y, method)(1, index, src, *args)
        (y * weights).sum().backward()
        results.append((y.detach().cpu().numpy(), a.grad.cpu().numpy(), src.grad.cpu().numpy()))
    for got, want in zip(results[1], results[0]):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_scatter_in_place_without_a_graph_writes_into_the_tensor():
    a = ag.zeros(2, 3)
    a.scatter_(1, ag.tensor([[2], [0]]), 5.0)
    assert a.tolist() == [[0.0, 0.0, 5.0], [5.0, 0.0, 0.0]]


def test_older_reduce_spelling_of_scatter():
    a = ag.full((3,), 2.0)
    index = ag.tensor([0, 0, 2])
    src = ag.tensor([3.0, 4.0, 5.0])
    assert a.scatter(0, index, src, reduce="add").tolist() == [9.0, 2.0, 7.0]
    assert a.scatter(0, index, src, reduce="multiply").tolist() == [24.0, 2.0, 10.0]


def test_integer_mean_floors_and_amax_without_self_as_pytorch():
    # PyTorch 2.13: tensor([3, 1, 3]) and tensor([4, 1, 0])
    a, index, src = ag.tensor([5, 1, 7]), ag.tensor([0, 0, 2]), ag.tensor([2, 4, 0])
    mean = a.scatter_reduce(0, index, src, "mean")
    assert mean.dtype == ag.int64 and mean.tolist() == [3, 1, 3]
    assert a.scatter_reduce(0, index, src, "amax", include_self=False).tolist() == [4, 1, 0]


def test_amax_propagates_nan():
    out = ag.zeros(2).scatter_reduce(0, ag.tensor([0, 0]), ag.tensor([float("nan"), 1.0]), "amax")
    assert np.isnan(out[0].item()) and out[1].item() == 0.0


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda a: a.scatter(1, ag.tensor([[4]]), 1.0), IndexError, "index 4 is out of bounds"),
        (lambda a: a.scatter(1, ag.tensor([[-1]]), 1.0), IndexError, "index -1 is out of"),
        (lambda a: a.scatter(1, ag.tensor([[0.5]]), 1.0), TypeError, "integer tensor"),
        (lambda a: a.scatter(1, ag.tensor([0]), 1.0), ValueError, "same number of dims"),
        (lambda a: a.scatter(1, ag.tensor([[0]])), TypeError, "exactly one of src"),
        (lambda a: a.scatter(1, ag.tensor([[0]]), "x"), TypeError, "Tensor or a number"),
        (lambda a: a.scatter(1, ag.tensor([[0]]), 1.0, reduce="max"), ValueError, "'add'"),
        (
            lambda a: a.scatter_add(1, ag.tensor([[0]]), ag.ones(1, 1, dtype=ag.float64)),
            TypeError,
            "src has dtype float64 but the input has dtype float32",
        ),
        (
            lambda a: a.scatter_reduce(1, ag.tensor([[0]]), ag.ones(1, 1), "max"),
            ValueError,
            "reduce must be one of sum, prod, mean, amax, amin, got 'max'",
        ),
        (lambda a: a.scatter(2, ag.tensor([[0]]), 1.0), IndexError, "dim 2 is out of range"),
        (lambda a: a.scatter(0, ag.tensor([[0] * 5]), 1.0), ValueError, "is larger than"),
        (lambda a: a.sum().scatter(0, ag.tensor(0), 1.0), ValueError, "at least one dim"),
    ],
)
def test_errors_name_the_op_and_what_is_wrong(call, error, message):
    with pytest.raises(error, match=message):
        call(ag.zeros(3, 4))
