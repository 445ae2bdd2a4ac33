"""Every op of the table in op_cases.py: forward against NumPy in float32 and float64,
gradients against finite differences in float64 (contiguous and strided inputs), double
backward, gradient dtypes and shapes, and no gradient where none can exist."""

import numpy as np
import pytest
from op_cases import CASES, EDGE_CASE_WARNINGS

import autograd_core as ag

pytestmark = EDGE_CASE_WARNINGS

FLOAT_DTYPES = [np.float32, np.float64]
TOLERANCES = {
    np.dtype(np.float32): {"rtol": 2e-5, "atol": 2e-5},
    np.dtype(np.float64): {"rtol": 1e-10, "atol": 1e-12},
}

DIFFERENTIABLE = [c for c in CASES if c.differentiable]
DOUBLE_BACKWARD = [c for c in DIFFERENTIABLE if c.gradgrad]
WITH_GRAD_REF = [c for c in CASES if c.grad_ref is not None]


def with_known_bugs(case, *values, id=None):
    """A test parameter; a case whose gradient a known library bug breaks is a strict xfail."""
    marks = [pytest.mark.xfail(strict=True, reason=case.known_grad_bug)]
    return pytest.param(
        case, *values, id=id or case.name, marks=marks if case.known_grad_bug else ()
    )


def cases(selection, gradient=True):
    params = [with_known_bugs(c) if gradient else pytest.param(c, id=c.name) for c in selection]
    return pytest.mark.parametrize("case", params)


# ---- helpers ---------------------------------------------------------------------------------
def as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def expected_dtype(kind, float_dtype):
    if kind == "float":
        return np.dtype(float_dtype)
    if kind == "default":
        return ag.get_default_dtype()
    return np.dtype(kind)


def to_numpy(t):
    return t.detach().cpu().numpy()


def assert_outputs_match(case, outputs, expected, float_dtype):
    outputs, expected = as_tuple(outputs), as_tuple(expected)
    assert len(outputs) == len(expected), f"{len(outputs)} outputs, reference has {len(expected)}"
    kinds = case.out_dtypes or ("float",) * len(outputs)
    for out, want, kind in zip(outputs, expected, kinds):
        want = np.asarray(want)
        got = to_numpy(out)
        assert out.dtype == expected_dtype(kind, float_dtype), (out.dtype, kind)
        assert got.shape == want.shape, (got.shape, want.shape)
        if got.dtype.kind == "f":
            np.testing.assert_allclose(got, want, **TOLERANCES[got.dtype])
        else:
            np.testing.assert_array_equal(got, want)


def float_inputs(case, tensors):
    return [tensors[i] for i in case.float_positions()]


def float_outputs(outputs):
    return [o for o in as_tuple(outputs) if o.dtype.kind == "f"]


def random_like(t, rng):
    """A fixed random upstream gradient: every element of the Jacobian counts."""
    return ag.tensor(rng.standard_normal(t.shape).astype(t.dtype), device=t.device)


def with_random_upstream(fn, tensors, seed=5):
    """fn's float outputs contracted with fixed random tensors into one number: its gradient
    is the vector-Jacobian product for that upstream gradient, so every element counts."""
    rng = np.random.default_rng(seed)
    weights = [random_like(o, rng) for o in float_outputs(fn(*tensors))]

    def weighted(*inputs):
        return sum((o * w).sum() for o, w in zip(float_outputs(fn(*inputs)), weights))

    return weighted


# ---- forward ---------------------------------------------------------------------------------
@cases(CASES, gradient=False)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=["float32", "float64"])
def test_forward_matches_numpy(case, dtype, device):
    arrays = case.make_inputs()
    outputs = case.fn(*case.tensors(arrays, dtype, device))
    expected = case.ref(*case.reference_inputs(arrays, dtype))
    assert_outputs_match(case, outputs, expected, dtype)


# ---- gradients -------------------------------------------------------------------------------
@cases(DIFFERENTIABLE)
def test_gradcheck(case, device):
    tensors = case.tensors(case.make_inputs(), np.float64, device, requires_grad=True)
    assert ag.gradcheck(with_random_upstream(case.fn, tensors), tensors)


def squared_outputs(fn):
    """fn with its float outputs squared: the upstream gradient reaching the op then depends
    on the inputs, so double backward runs through the op's backward even where the op is
    linear (and its own second derivative is zero)."""

    def squared(*tensors):
        return tuple(o * o for o in float_outputs(fn(*tensors)))

    return squared


@cases(DOUBLE_BACKWARD)
def test_gradgradcheck(case, device):
    tensors = case.tensors(case.make_inputs(), np.float64, device, requires_grad=True)
    assert ag.gradgradcheck(squared_outputs(case.fn), tensors)


def test_gradgradcheck_accepts_a_linear_function():
    x = ag.randn(3, dtype=ag.float64, requires_grad=True)
    assert ag.gradgradcheck(lambda x: x * 2, (x,))


@cases(DIFFERENTIABLE)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=["float32", "float64"])
def test_gradient_has_the_inputs_dtype_and_shape(case, dtype, device):
    rng = np.random.default_rng(1)
    tensors = case.tensors(case.make_inputs(), dtype, device, requires_grad=True)
    outputs = float_outputs(case.fn(*tensors))
    wanted = float_inputs(case, tensors)
    upstream = [random_like(o, rng) for o in outputs]
    grads = ag.grad(outputs, wanted, upstream, allow_unused=True)
    for x, g in zip(wanted, grads):
        assert g is not None, f"no gradient for an input of shape {tuple(x.shape)}"
        assert (g.shape, g.dtype, g.device) == (x.shape, x.dtype, x.device)


@cases(WITH_GRAD_REF)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=["float32", "float64"])
def test_gradient_at_ties_and_kinks_matches_pytorch(case, dtype, device):
    rng = np.random.default_rng(2)
    arrays = case.make_inputs()
    tensors = case.tensors(arrays, dtype, device, requires_grad=True)
    out = float_outputs(case.fn(*tensors))[0]
    upstream = random_like(out, rng)
    grads = ag.grad(out, float_inputs(case, tensors), upstream)
    expected = case.grad_ref(
        to_numpy(upstream).astype(np.float64), *case.reference_inputs(arrays, dtype)
    )
    for g, want in zip(grads, expected):
        np.testing.assert_allclose(to_numpy(g), want, **TOLERANCES[np.dtype(dtype)])


# ---- strided and transposed inputs -----------------------------------------------------------
def _strided_dim(shape):
    """The last dim longer than 1: slicing it with step 2 gives a non-contiguous view."""
    return next((d for d in reversed(range(len(shape))) if shape[d] > 1), None)


def _can_transpose(shape):
    return len(shape) >= 2 and shape[-1] > 1 and shape[-2] > 1


def non_contiguous_leaves(case, arrays, layout, device):
    """float64 leaves and a function of them that hands the case views equal to `arrays`."""
    leaves, makers = [], []
    for i, array in enumerate(arrays):
        if i in case.int_inputs:
            leaves.append(ag.tensor(array, device=device))
            makers.append(lambda t: t)
            continue
        dim = _strided_dim(array.shape)
        if layout == "strided" and dim is not None:
            big = np.repeat(array, 2, axis=dim)  # the even positions hold the values
            index = (slice(None),) * dim + (slice(None, None, 2),)
            makers.append(lambda t, index=index: t[index])
        elif layout == "transposed" and _can_transpose(array.shape):
            big = np.swapaxes(array, -1, -2).copy()
            makers.append(lambda t: t.transpose(-1, -2))
        else:
            big = array
            makers.append(lambda t: t)
        leaves.append(ag.tensor(big, device=device, requires_grad=True))

    def views(*tensors):
        return [make(t) for make, t in zip(makers, tensors)]

    return leaves, views


def _has_layout(case, layout):
    shapes = [s for i, s in enumerate(case.shapes) if i not in case.int_inputs]
    if layout == "strided":
        return any(_strided_dim(s) is not None for s in shapes)
    return case.transposable and any(_can_transpose(s) for s in shapes)


NON_CONTIGUOUS = [
    with_known_bugs(c, layout, id=f"{c.name}-{layout}")
    for layout in ("strided", "transposed")
    for c in DIFFERENTIABLE
    if _has_layout(c, layout)
]


@pytest.mark.parametrize("case, layout", NON_CONTIGUOUS)
def test_non_contiguous_inputs(case, layout, device):
    arrays = case.make_inputs()
    leaves, views = non_contiguous_leaves(case, arrays, layout, device)
    inputs = views(*leaves)
    assert any(v.contiguous() is not v for v in inputs), "no input is a non-contiguous view"
    assert_outputs_match(case, case.fn(*inputs), case.ref(*arrays), np.float64)
    on_views = with_random_upstream(lambda *ts: case.fn(*views(*ts)), leaves)
    assert ag.gradcheck(on_views, leaves)


# ---- no gradient where none can exist --------------------------------------------------------
@cases(CASES)
def test_integer_and_bool_results_and_inputs_get_no_gradient(case, device):
    tensors = case.tensors(case.make_inputs(), np.float64, device, requires_grad=True)
    outputs = as_tuple(case.fn(*tensors))
    for out in outputs:
        if out.dtype.kind != "f":
            assert not out.requires_grad and out.grad_fn is None
    for i in case.int_inputs:
        assert not tensors[i].requires_grad
    floats = float_outputs(outputs)
    if case.differentiable and floats:
        rng = np.random.default_rng(3)
        total = sum((o * random_like(o, rng)).sum() for o in floats)
        total.backward()
        for i, t in enumerate(tensors):
            assert (t.grad is None) == (i in case.int_inputs)


# ---- dtype promotion as PyTorch does it ------------------------------------------------------
PROMOTIONS = [
    ("float32 + float64", lambda: ag.ones(2) + ag.ones(2, dtype=ag.float64), ag.float64),
    ("int64 + float32", lambda: ag.tensor([1, 2]) + ag.ones(2), ag.float32),
    ("int64 + python float", lambda: ag.tensor([1, 2]) + 1.5, ag.float32),
    ("int64 * python int", lambda: ag.tensor([1, 2]) * 3, ag.int64),
    ("int32 + int64", lambda: ag.tensor([1], dtype=ag.int32) + ag.tensor([2]), ag.int64),
    ("float64 * python float", lambda: ag.ones(2, dtype=ag.float64) * 0.1, ag.float64),
    ("float32 ** python int", lambda: ag.ones(2) ** 2, ag.float32),
    ("python int - float64", lambda: 2 - ag.ones(2, dtype=ag.float64), ag.float64),
    ("int64 / int64", lambda: ag.tensor([1, 2]) / ag.tensor([2, 2]), ag.float32),
    ("sum of bools", lambda: (ag.ones(2) > 0).sum(), ag.int64),
    ("int64 ** python float", lambda: ag.tensor([1, 4]) ** 0.5, ag.float32),
    ("float32 @ float64", lambda: ag.ones(2, 3) @ ag.ones(3, 2, dtype=ag.float64), ag.float64),
    ("cat float32 float64", lambda: ag.cat([ag.ones(1), ag.ones(1, dtype=ag.float64)]), ag.float64),
]
ZERO_DIM_PROMOTION = pytest.param(
    "float32 + 0-d float64",
    lambda: ag.ones(2) + ag.tensor(1.0, dtype=ag.float64),
    ag.float32,
    id="float32 + 0-d float64",
)


@pytest.mark.parametrize(
    "label, make, dtype",
    [pytest.param(*p, id=p[0]) for p in PROMOTIONS] + [ZERO_DIM_PROMOTION],
)
def test_result_dtype_follows_pytorch_promotion(label, make, dtype):
    assert make().dtype == dtype, label
