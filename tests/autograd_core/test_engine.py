"""The engine's behaviour: accumulation, freed graphs, higher-order gradients, grad modes,
hooks, anomaly detection, in-place checks, scale, memory and the tape."""

import gc
import math
import sys
import threading
import tracemalloc

import numpy as np
import pytest

import autograd_core as ag

# ---- accumulation and the backward call ------------------------------------------------------


def test_gradients_accumulate_into_leaf_grad_across_backward_calls():
    x = ag.tensor([1.0, -2.0, 3.0], requires_grad=True)
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, -4.0, 6.0])
    (3 * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [5.0, -1.0, 9.0])
    x.grad = None
    (3 * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 3.0, 3.0])


def test_backward_on_non_scalar_without_gradient_is_an_error():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    with pytest.raises(
        RuntimeError, match="grad can be implicitly created only for scalar outputs"
    ):
        y.backward()


def test_backward_on_non_scalar_with_gradient_is_a_vector_jacobian_product():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * x).backward(ag.tensor([1.0, 0.5, -1.0]))
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 2.0, -6.0])


def test_backward_gradient_of_wrong_shape_is_an_error():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"gradient has shape \(3,\).*output has shape \(2,\)"):
        (x * 2).backward(ag.ones(3))


def test_backward_on_tensor_that_does_not_require_grad_is_an_error():
    with pytest.raises(RuntimeError, match="does not require grad"):
        (ag.tensor([1.0, 2.0]) * 2).sum().backward()


def test_second_backward_through_a_freed_graph_is_an_error():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (ag.exp(x) * x).sum()
    y.backward()
    with pytest.raises(
        RuntimeError, match="backward through the graph a second time.*retain_graph"
    ):
        y.backward()


def test_retain_graph_allows_a_second_backward():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (ag.exp(x) * x).sum()
    y.backward(retain_graph=True)
    first = x.grad.numpy().copy()
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * first, rtol=1e-6)
    expected = np.exp([1.0, 2.0]) * (1 + np.array([1.0, 2.0]))
    np.testing.assert_allclose(first, expected, rtol=1e-6)


# ---- higher-order gradients and ag.grad ---------------------------------------------------------


def test_second_derivative_of_tanh_with_create_graph():
    values = np.array([-1.5, -0.3, 0.0, 0.4, 2.0])
    x = ag.tensor(values, dtype=ag.float64, requires_grad=True)
    y = ag.tanh(x).sum()
    y.backward(create_graph=True)
    first = x.grad
    assert first.requires_grad
    np.testing.assert_allclose(first.detach().numpy(), 1 - np.tanh(values) ** 2, rtol=1e-12)
    (d2,) = ag.grad(first.sum(), x)
    t = np.tanh(values)
    np.testing.assert_allclose(d2.numpy(), -2 * t * (1 - t**2), rtol=1e-12, atol=1e-15)


def test_hessian_vector_product_of_a_quadratic_form():
    a = np.array([[2.0, 1.0, 0.0], [0.5, 3.0, -1.0], [0.0, 4.0, 1.0]])
    v = np.array([1.0, -2.0, 0.5])
    x = ag.tensor([0.3, -0.7, 1.1], dtype=ag.float64, requires_grad=True)
    matrix = ag.tensor(a, dtype=ag.float64)
    f = x @ (matrix @ x)  # x^T A x: gradient (A + A^T) x, Hessian A + A^T
    (g,) = ag.grad(f, x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), (a + a.T) @ x.detach().numpy(), rtol=1e-12)
    (hv,) = ag.grad(g, x, grad_outputs=ag.tensor(v, dtype=ag.float64))
    np.testing.assert_allclose(hv.numpy(), (a + a.T) @ v, rtol=1e-12)


def test_grad_returns_gradients_without_touching_dot_grad():
    x = ag.tensor(2.0, requires_grad=True)
    w = ag.tensor(3.0, requires_grad=True)
    gx, gw = ag.grad(x * x * w, (x, w))
    assert gx.item() == pytest.approx(12.0)
    assert gw.item() == pytest.approx(4.0)
    assert x.grad is None and w.grad is None
    assert not gx.requires_grad  # create_graph=False records nothing


def test_grad_with_grad_outputs_and_a_non_scalar_output():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (g,) = ag.grad(x**3, x, grad_outputs=ag.tensor([1.0, -1.0]))
    np.testing.assert_allclose(g.numpy(), [3.0, -12.0])


def test_grad_frees_the_graph_unless_retain_graph():
    x = ag.tensor(1.5, requires_grad=True)
    y = ag.exp(x) * x
    ag.grad(y, x, retain_graph=True)
    (again,) = ag.grad(y, x)
    assert again.item() == pytest.approx(math.exp(1.5) * 2.5, rel=1e-6)
    with pytest.raises(RuntimeError, match="second time"):
        ag.grad(y, x)


def test_grad_unused_input_is_an_error_unless_allow_unused():
    x = ag.tensor(1.0, requires_grad=True)
    unused = ag.tensor(2.0, requires_grad=True)
    with pytest.raises(RuntimeError, match="input 1 .* not used.*allow_unused=True"):
        ag.grad(x * 2, (x, unused), retain_graph=True)
    gx, gu = ag.grad(x * 2, (x, unused), allow_unused=True)
    assert gx.item() == 2.0
    assert gu is None


def test_backward_with_inputs_fills_only_those_leaves():
    a = ag.tensor(2.0, requires_grad=True)
    b = ag.tensor(3.0, requires_grad=True)
    (a * b).backward(inputs=[a])
    assert a.grad.item() == 3.0 and b.grad is None


def test_grad_of_an_intermediate_tensor():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    (gh,) = ag.grad((h * h).sum(), h)
    np.testing.assert_allclose(gh.numpy(), [6.0, 12.0])


# ---- grad modes -------------------------------------------------------------------------------


def test_no_grad_as_context_manager():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with ag.no_grad():
        assert not ag.is_grad_enabled()
        y = x * 2
    assert ag.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None


def test_no_grad_as_decorator():
    @ag.no_grad()
    def double(t):
        return t * 2

    x = ag.tensor([1.0], requires_grad=True)
    assert not double(x).requires_grad
    assert (x * 2).requires_grad  # the mode comes back after the call


def test_enable_grad_inside_no_grad_as_context_and_decorator():
    x = ag.tensor([1.0], requires_grad=True)

    @ag.enable_grad()
    def recorded(t):
        return t * 2

    with ag.no_grad():
        with ag.enable_grad():
            assert (x * 2).requires_grad
        assert not (x * 2).requires_grad
        assert recorded(x).requires_grad
        assert not ag.is_grad_enabled()


def test_set_grad_enabled_as_context_and_decorator():
    x = ag.tensor([1.0], requires_grad=True)
    with ag.set_grad_enabled(False):
        assert not (x * 2).requires_grad
        with ag.set_grad_enabled(True):
            assert (x * 2).requires_grad

    @ag.set_grad_enabled(False)
    def off(t):
        return t * 2

    assert not off(x).requires_grad
    assert ag.is_grad_enabled()


def test_set_grad_enabled_called_alone_switches_the_mode_as_in_pytorch():
    x = ag.tensor([1.0], requires_grad=True)
    try:
        ag.set_grad_enabled(False)
        assert not ag.is_grad_enabled() and not (x * 2).requires_grad
        ag.set_grad_enabled(True)
        assert (x * 2).requires_grad
    finally:
        ag.set_grad_enabled(True)


def test_grad_mode_is_per_thread_and_new_threads_record():
    seen = []
    with ag.no_grad():
        worker = threading.Thread(target=lambda: seen.append(ag.is_grad_enabled()))
        worker.start()
        worker.join()
    assert seen == [True]


def test_grad_mode_is_restored_when_the_block_raises():
    with pytest.raises(ValueError), ag.no_grad():
        raise ValueError("inside")
    assert ag.is_grad_enabled()


# ---- hooks and retain_grad ---------------------------------------------------------------------


def test_hook_on_a_leaf_can_replace_the_gradient_and_be_removed():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    seen = []

    def double(grad):
        seen.append(grad.numpy().copy())
        return grad * 2

    handle = x.register_hook(double)
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 6.0])
    np.testing.assert_allclose(seen[0], [3.0, 3.0])
    handle.remove()
    x.grad = None
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 3.0])
    assert len(seen) == 1


def test_hook_on_a_leaf_reached_by_two_paths_sees_the_summed_gradient_once():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    calls = []

    def clip(grad):
        calls.append(grad.tolist())
        return grad.clamp(max=2.5)

    x.register_hook(clip)
    (x * 2 + x * 3).sum().backward()
    assert calls == [[5.0, 5.0]]
    np.testing.assert_allclose(x.grad.numpy(), [2.5, 2.5])


def test_hook_on_a_non_leaf_changes_what_flows_upstream():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h.register_hook(lambda grad: grad * 0 + 1)
    (h * h).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 2.0])


def test_hook_on_a_tensor_without_grad_is_an_error():
    with pytest.raises(RuntimeError, match="doesn't require grad"):
        ag.tensor([1.0]).register_hook(lambda g: g)


def test_retain_grad_keeps_the_gradient_of_a_non_leaf():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    other = x * 3
    h.retain_grad()
    (h * h + other).sum().backward()
    np.testing.assert_allclose(h.grad.numpy(), [4.0, 8.0])
    assert h.retains_grad and not other.retains_grad
    assert other.grad is None


# ---- anomaly detection -------------------------------------------------------------------------

_DIVIDES_BY_ZERO = pytest.mark.filterwarnings("ignore:divide by zero", "ignore:invalid value")


@_DIVIDES_BY_ZERO
def test_detect_anomaly_names_the_op_and_forward_line_of_sqrt_at_zero():
    x = ag.tensor([0.0, 4.0], requires_grad=True)
    with pytest.raises(RuntimeError) as info, ag.detect_anomaly():
        y = ag.sqrt(x)  # d/dx sqrt(x) at 0 is inf
        (y * 2).sum().backward()
    message = str(info.value)
    assert "'sqrt'" in message and "inf" in message
    assert "test_engine.py" in message and "y = ag.sqrt(x)" in message


@_DIVIDES_BY_ZERO
def test_detect_anomaly_stops_at_the_first_bad_gradient_in_backward_order():
    x = ag.tensor([0.0, 1.0], requires_grad=True)
    with pytest.raises(RuntimeError) as info, ag.detect_anomaly():
        root = ag.sqrt(x)
        logged = ag.log(root)  # log's backward (1 / 0) comes first, before sqrt's
        logged.sum().backward()
    message = str(info.value)
    assert "'log'" in message and "'sqrt'" not in message
    assert "logged = ag.log(root)" in message
    assert x.grad is None  # stopped before reaching the leaf


@_DIVIDES_BY_ZERO
def test_detect_anomaly_reports_nan_from_log_of_zero():
    x = ag.tensor([0.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="'log' returned nan") as info, ag.detect_anomaly():
        y = ag.log(x) * 0  # 0 * (-inf) is nan upstream already; log's grad is 0/0
        y.sum().backward()
    assert "y = ag.log(x) * 0" in str(info.value)


@_DIVIDES_BY_ZERO
def test_detect_anomaly_names_a_custom_function():
    class NanBackward(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad_out):
            return grad_out * float("nan")

    x = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="'NanBackward' returned nan") as info:
        with ag.detect_anomaly():
            y = NanBackward.apply(x)
            y.sum().backward()
    assert "y = NanBackward.apply(x)" in str(info.value)


def test_without_detect_anomaly_backward_lets_inf_through():
    x = ag.tensor([0.0, 4.0], requires_grad=True)
    with np.errstate(divide="ignore"):
        ag.sqrt(x).sum().backward()
    assert np.isinf(x.grad.numpy()[0]) and x.grad.numpy()[1] == pytest.approx(0.25)


# ---- in-place changes --------------------------------------------------------------------------

_IN_PLACE_CHANGES = {
    "+=": lambda t: t.__iadd__(1.0),
    "add_": lambda t: t.add_(1.0),
    "zero_": lambda t: t.zero_(),
    "mul_": lambda t: t.mul_(2.0),
}


@pytest.mark.parametrize("change", sorted(_IN_PLACE_CHANGES))
def test_in_place_change_of_a_saved_tensor_is_detected_at_backward(change):
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x + 1
    y = (h * h).sum()  # mul saves h
    _IN_PLACE_CHANGES[change](h)
    with pytest.raises(RuntimeError, match="modified by an in-place operation.*version 1"):
        y.backward()


def test_in_place_change_of_a_saved_output_is_detected():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = ag.exp(x)  # exp's backward reads its output
    with ag.no_grad():
        y.mul_(2)
    with pytest.raises(RuntimeError, match="output of exp.*modified by an in-place operation"):
        y.sum().backward()


def test_in_place_on_a_leaf_that_requires_grad_is_an_error():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf tensor that requires grad.*in-place"):
        x += 1
    with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
        x.mul_(2)
    with ag.no_grad():
        x.add_(1)  # what an optimiser does
    np.testing.assert_allclose(x.detach().numpy(), [2.0, 3.0])


def test_in_place_add_on_a_non_leaf_backpropagates():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    h += 1
    (h * h).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * (3 * np.array([1.0, 2.0]) + 1) * 3)


def test_in_place_mul_by_a_number_on_a_non_leaf_backpropagates():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    h.mul_(2)  # PyTorch: fine, x.grad = 6
    h.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 6.0])


def test_in_place_subtract_of_a_number_on_a_non_leaf():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    h -= 1
    (h * h).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * (3 * np.array([1.0, 2.0]) - 1) * 3)


# ---- scale: deep chains, wide fans, time and memory ---------------------------------------------


def test_a_chain_of_100000_ops_backpropagates_without_recursion():
    x = ag.tensor(1.0, dtype=ag.float64, requires_grad=True)
    factor = ag.tensor(1.00001, dtype=ag.float64)
    y = x
    for _ in range(100_000):
        y = y * factor
    y.backward()
    assert x.grad.item() == pytest.approx(1.00001**100_000, rel=1e-9)


def _calls_made(fn):
    """Python and C function calls made while `fn` runs: a measure of work that, unlike a
    timer, does not depend on the machine or on what else it is doing."""
    calls = [0]

    def count(frame, event, arg):
        if event in ("call", "c_call"):
            calls[0] += 1

    sys.setprofile(count)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return calls[0]


def _one_tensor_feeding_n_ops(n):
    x = ag.tensor(2.0, dtype=ag.float64, requires_grad=True)
    outputs = [x * float(i) for i in range(n)]
    calls = _calls_made(lambda: ag.stack(outputs).sum().backward())
    assert x.grad.item() == pytest.approx(n * (n - 1) / 2)
    return calls


def _n_tensors_feeding_one_sum(n):
    leaves = [ag.tensor(float(i), dtype=ag.float64, requires_grad=True) for i in range(n)]

    def run():
        stacked = ag.stack(leaves)
        (stacked * stacked).sum().backward()

    calls = _calls_made(run)
    for i in (0, 1, n // 2, n - 1):
        assert leaves[i].grad.item() == 2.0 * i
    return calls


@pytest.mark.parametrize("build", [_one_tensor_feeding_n_ops, _n_tensors_feeding_one_sum])
def test_wide_graphs_backpropagate_in_roughly_linear_time(build):
    # counted in calls, not seconds (the timings are in benchmarks/bench_engine.py): linear
    # work gives 10x the calls for 10x the nodes, a rescan or re-sort per node 100x
    small, large = build(1_000), build(10_000)
    assert large / small < 15, f"1,000 nodes: {small} calls, 10,000: {large}"


def test_training_loop_of_a_small_mlp_stays_flat_in_memory():
    x = ag.randn(16, 4)
    target = ag.randn(16, 1)
    w1 = (ag.randn(4, 8) * 0.5).requires_grad_()
    b1 = ag.zeros(8, requires_grad=True)
    w2 = (ag.randn(8, 1) * 0.5).requires_grad_()
    b2 = ag.zeros(1, requires_grad=True)
    params = [w1, b1, w2, b2]
    memory = {}
    tracemalloc.start()
    try:
        for step in range(1, 3001):
            hidden = ag.tanh(x @ w1 + b1)
            loss = ((hidden @ w2 + b2 - target) ** 2).mean()
            loss.backward()
            with ag.no_grad():
                for p in params:
                    p.sub_(p.grad, alpha=0.1)
                    p.grad = None
            if step == 1:
                first_loss = loss.item()
            if step in (500, 3000):
                # a full collection also empties CPython's free lists (tuples, floats),
                # which tracemalloc counts as allocated until then
                gc.collect()
                memory[step] = tracemalloc.get_traced_memory()  # (current, peak)
                tracemalloc.reset_peak()
    finally:
        tracemalloc.stop()
    assert loss.dtype == ag.float32 and w1.dtype == ag.float32
    assert loss.item() < 0.5 * first_loss  # it did train
    current_500, peak_500 = memory[500]
    current_3000, peak_3000 = memory[3000]
    # nothing survives a step: a leak of even 30 bytes a step would show over 2,500 steps
    assert current_3000 - current_500 < 64 * 1024, memory
    # the peak of steps 500..3000 is bounded: one step's graph plus free lists that fill
    # up to a fixed size (a growing graph or cache would reach megabytes)
    assert peak_3000 < peak_500 + 1024 * 1024, memory


# ---- the tape ----------------------------------------------------------------------------------


def test_tape_records_ops_in_order_and_prints_a_wengert_list():
    a = ag.tensor(0.5, requires_grad=True)
    b = ag.tensor(1.0, requires_grad=True)
    with ag.Tape() as tape:
        c = a * b
        d = ag.exp(c)
        e = d + 1
    assert [entry.op for entry in tape] == ["mul", "exp", "add"]
    assert len(tape) == 3
    assert tape.entries[1].inputs[0] is c and tape.entries[1].outputs[0] is d
    assert str(tape).splitlines() == [
        "t3 = mul(t1, t2)  shape ()  value 0.5",
        "t4 = exp(t3)  shape ()  value 1.64872",
        "t5 = add(t4, 1)  shape ()  value 2.64872",
    ]
    e.backward()
    assert str(tape).splitlines()[0] == "t3 = mul(t1, t2)  shape ()  value 0.5  grad 1.64872"


def test_tape_uses_tensor_names_and_records_nothing_outside_the_block():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    x.name = "x"
    with ag.Tape() as tape:
        y = (x * x).sum()
    _ = y * 2  # after the block
    assert str(tape).splitlines() == [
        "t2 = mul(x, x)  shape (2,)  value [1, 4]",
        "t3 = sum(t2)  shape ()  value 5",
    ]


def test_tape_shows_op_parameters_and_skips_ops_that_are_not_recorded():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    with ag.Tape() as tape:
        s = x.sum(dim=1)
        with ag.no_grad():
            _ = x * 2  # not recorded, so not on the tape
        _ = ag.ones(3) * 2  # needs no gradient: not recorded either
    assert [entry.op for entry in tape] == ["sum"]
    assert str(tape) == "t2 = sum(t1, dim=(1,), keepdim=False)  shape (2,)  value [3, 7]"
    assert tape.entries[0].outputs[0] is s


def test_nested_tapes_each_record_the_ops_inside_them():
    x = ag.tensor(2.0, requires_grad=True)
    with ag.Tape() as outer:
        y = x * 3
        with ag.Tape() as inner:
            z = y + 1
        _ = z * z
    assert [entry.op for entry in outer] == ["mul", "add", "mul"]
    assert [entry.op for entry in inner] == ["add"]


# ---- the course's sigmoid neuron ---------------------------------------------------------------


def test_sigmoid_neuron_of_the_course_in_float64():
    w = ag.tensor([0.55, -0.35], dtype=ag.float64, requires_grad=True)
    x = ag.tensor([0.5, 0.45], dtype=ag.float64, requires_grad=True)
    b = ag.tensor(0.15, dtype=ag.float64, requires_grad=True)
    y = ag.sigmoid(w @ x + b)
    assert y.dtype == ag.float64
    # the course's value; the last bit depends on the BLAS and NumPy's exp, so a few ulps
    assert math.isclose(y.item(), 0.5664790559676278, rel_tol=1e-15)
    y.backward()
    z = 0.55 * 0.5 - 0.35 * 0.45 + 0.15
    s = 1 / (1 + math.exp(-z))
    slope = s * (1 - s)
    np.testing.assert_allclose(w.grad.numpy(), slope * np.array([0.5, 0.45]), rtol=1e-14)
    np.testing.assert_allclose(x.grad.numpy(), slope * np.array([0.55, -0.35]), rtol=1e-14)
    assert b.grad.item() == pytest.approx(slope, rel=1e-14)


# ---- shapes and dtypes of gradients ------------------------------------------------------------


def test_gradient_of_a_0d_leaf_reached_twice_is_a_0d_tensor():
    a = ag.tensor(2.0, requires_grad=True)
    (a * a).backward()
    assert a.grad.item() == 4.0
    assert isinstance(a.grad.numpy(), np.ndarray) and a.grad.shape == ()
    assert repr(a.grad) == "tensor(4.)"


@pytest.mark.parametrize(
    "shape_a, shape_b",
    [
        ((3, 1), (1, 4)),
        ((4,), (3, 4)),
        ((), (2, 3)),
        ((2, 1, 3), (5, 1)),
    ],
)
def test_gradients_of_broadcast_ops_have_the_input_shape(shape_a, shape_b):
    a = ag.randn(*shape_a, dtype=ag.float64, requires_grad=True)
    b = ag.randn(*shape_b, dtype=ag.float64, requires_grad=True)
    out = a * b + a
    out.sum().backward()
    assert a.grad.shape == a.shape and b.grad.shape == b.shape
    broadcast = np.broadcast_shapes(shape_a, shape_b)
    b_full = np.broadcast_to(b.detach().numpy(), broadcast)
    # d(a*b + a)/da = b + 1 and d/db = a, each summed back over the broadcast dims
    np.testing.assert_allclose(a.grad.numpy(), _sum_to(b_full + 1, shape_a), rtol=1e-12)
    a_full = np.broadcast_to(a.detach().numpy(), broadcast)
    np.testing.assert_allclose(b.grad.numpy(), _sum_to(a_full, shape_b), rtol=1e-12)


def _sum_to(array, shape):
    lead = array.ndim - len(shape)
    array = array.sum(axis=tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1)
    return array.sum(axis=axes, keepdims=True).reshape(shape)


@pytest.mark.parametrize("dtype", [ag.float32, ag.float64])
def test_grad_dtype_equals_the_leaf_dtype(dtype):
    other = ag.float64 if dtype == ag.float32 else ag.float32
    leaf = ag.tensor([1.0, 2.0], dtype=dtype, requires_grad=True)
    mixed = leaf * ag.tensor([3.0, 4.0], dtype=other)  # promotes to float64
    mixed.sum().backward()
    assert leaf.grad.dtype == dtype
    np.testing.assert_allclose(leaf.grad.numpy(), [3.0, 4.0])


# ---- leaves, detach and grad_fn ----------------------------------------------------------------


def test_is_leaf_grad_fn_and_requires_grad_():
    x = ag.tensor([1.0, 2.0])
    assert x.is_leaf and x.grad_fn is None and not x.requires_grad
    assert x.requires_grad_() is x and x.requires_grad
    y = x * 2
    assert not y.is_leaf and y.grad_fn is not None and y.grad_fn.name == "mul"
    with pytest.raises(RuntimeError, match="only be changed on leaf tensors"):
        y.requires_grad_(False)
    x.requires_grad_(False)
    assert not (x * 2).requires_grad


def test_detach_shares_memory_and_leaves_the_graph():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    d = y.detach()
    assert d.is_leaf and not d.requires_grad and d.grad_fn is None
    assert np.shares_memory(d.numpy(), y.detach().numpy())
    (d * y).sum().backward()  # d is a constant: dy/dx only through y
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.array([2.0, 4.0]))
