"""Algebraic facts that hold for any shape: broadcasting's gradient (elementwise and in
batched matmul) sums back to each input's shape, softmax rows sum to 1, a sum over any tuple
of dims matches NumPy."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag

FEW = settings(max_examples=40, deadline=None)


def sum_to_shape(x, shape):
    """NumPy's inverse of broadcasting: sum the leading dims and the dims `shape` has as 1."""
    lead = x.ndim - len(shape)
    x = x.sum(axis=tuple(range(lead)))
    dims = tuple(d for d, size in enumerate(shape) if size == 1 and x.shape[d] != 1)
    return x.sum(axis=dims, keepdims=True)


BINARY = {
    "add": (lambda a, b: a + b, lambda a, b, g: (g, g)),
    "sub": (lambda a, b: a - b, lambda a, b, g: (g, -g)),
    "mul": (lambda a, b: a * b, lambda a, b, g: (g * b, g * a)),
    "div": (lambda a, b: a / b, lambda a, b, g: (g / b, -g * a / b**2)),
}


@FEW
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=4),
    op=st.sampled_from(sorted(BINARY)),
    seed=st.integers(0, 2**16),
)
def test_broadcast_gradient_sums_back_to_each_input_shape(shapes, op, seed):
    (shape_a, shape_b), out_shape = shapes.input_shapes, shapes.result_shape
    rng = np.random.default_rng(seed)
    a_np = rng.standard_normal(shape_a)
    b_np = rng.choice([-1.0, 1.0], shape_b) * rng.uniform(0.5, 2.0, shape_b)  # no 0 divisor
    g_np = rng.standard_normal(out_shape)
    forward, derivatives = BINARY[op]
    a = ag.tensor(a_np, requires_grad=True)
    b = ag.tensor(b_np, requires_grad=True)
    out = forward(a, b)
    assert out.shape == out_shape
    out.backward(ag.tensor(g_np))
    expected_a, expected_b = (
        sum_to_shape(np.broadcast_to(d, out_shape), s)
        for d, s in zip(derivatives(a_np, b_np, g_np), (shape_a, shape_b))
    )
    assert a.grad.shape == shape_a and b.grad.shape == shape_b
    np.testing.assert_allclose(a.grad.numpy(), expected_a.reshape(shape_a), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(b.grad.numpy(), expected_b.reshape(shape_b), rtol=1e-10, atol=1e-12)


@FEW
@given(
    shapes=hnp.mutually_broadcastable_shapes(
        signature="(m,n),(n,p)->(m,p)", max_dims=3, max_side=3
    ),
    seed=st.integers(0, 2**16),
)
def test_batched_matmul_gradient_sums_back_over_broadcast_batch_dims(shapes, seed):
    (shape_a, shape_b), out_shape = shapes.input_shapes, shapes.result_shape
    rng = np.random.default_rng(seed)
    a_np, b_np, g_np = (rng.standard_normal(s) for s in (shape_a, shape_b, out_shape))
    a = ag.tensor(a_np, requires_grad=True)
    b = ag.tensor(b_np, requires_grad=True)
    out = a @ b
    np.testing.assert_allclose(out.detach().numpy(), a_np @ b_np, rtol=1e-12, atol=1e-12)
    out.backward(ag.tensor(g_np))
    expected_a = sum_to_shape(g_np @ np.swapaxes(b_np, -1, -2), shape_a)
    expected_b = sum_to_shape(np.swapaxes(a_np, -1, -2) @ g_np, shape_b)
    assert a.grad.shape == shape_a and b.grad.shape == shape_b
    np.testing.assert_allclose(a.grad.numpy(), expected_a.reshape(shape_a), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(b.grad.numpy(), expected_b.reshape(shape_b), rtol=1e-10, atol=1e-12)


@FEW
@given(
    x=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
        elements=st.floats(-1e3, 1e3, allow_nan=False),
    ),
    data=st.data(),
)
def test_softmax_is_a_distribution_along_its_dim(x, data):
    dim = data.draw(st.integers(-x.ndim, x.ndim - 1), label="dim")
    for dtype in (ag.float32, ag.float64):
        probabilities = ag.softmax(ag.tensor(x, dtype=dtype), dim=dim).numpy()
        assert np.isfinite(probabilities).all()
        assert (probabilities >= 0).all() and (probabilities <= 1).all()
        np.testing.assert_allclose(probabilities.sum(axis=dim), 1.0, rtol=1e-5)
        # log_softmax is its log, finite even where softmax underflows to 0
        log_probabilities = ag.log_softmax(ag.tensor(x, dtype=dtype), dim=dim).numpy()
        assert np.isfinite(log_probabilities).all()
        np.testing.assert_allclose(np.exp(log_probabilities).sum(axis=dim), 1.0, rtol=1e-5)


@FEW
@given(
    x=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=4, max_side=4),
        elements=st.floats(-10, 10, allow_nan=False),
    ),
    data=st.data(),
    keepdim=st.booleans(),
)
def test_sum_over_any_tuple_of_dims_matches_numpy(x, data, keepdim):
    dims = data.draw(st.sets(st.integers(0, x.ndim - 1), min_size=1), label="dims")
    # each dim may be given counted from the end
    negative = data.draw(st.lists(st.booleans(), min_size=len(dims), max_size=len(dims)))
    dims = tuple(d - x.ndim if neg else d for d, neg in zip(sorted(dims), negative))
    got = ag.sum(ag.tensor(x), dim=dims, keepdim=keepdim).numpy()
    expected = np.sum(x, axis=dims, keepdims=keepdim)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
