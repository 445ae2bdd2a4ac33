"""In-place ops on views: the base's gradient is right (PyTorch's CopySlices), the view reads
the new base, earlier uses keep what they saw, and what PyTorch refuses is refused.

The known values were computed with PyTorch 2.13 on the same inputs."""

import functools

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F


def _x():
    return ag.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=ag.float64, requires_grad=True)


def _v():
    return ag.tensor([10.0, 20.0, 30.0], dtype=ag.float64, requires_grad=True)


def _setitem_row(x, v):
    y = x * 1
    y[0] = v
    return (y * y).sum()


def _setitem_chained(x, v):
    y = x * 1
    y[0][1] = v[0]
    return (y * y).sum()


def _mul_column(x, v):
    y = x * 1
    y[:, 1].mul_(2)
    return (y * y).sum()


def _add_through_t(x, v):
    y = (x * 1)[:, :2]
    z = ag.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=ag.float64)
    y.t().add_(z * v[0])
    return (y * y).sum()


def _zero(x, v):
    y = x * 1
    y.zero_()
    return (y * y + y).sum()


def _fill(x, v):
    y = x * 1
    y.fill_(v[1])
    return (y * y).sum()


def _setitem_through_view(x, v):
    y = x * 1
    y.view(3, 2)[1] = v[:2]
    return (y * y).sum()


def _earlier_use_keeps_its_edge(x, v):
    y = x * 1
    w = y + 1
    y.mul_(3)
    return (w * w).sum() + y.sum()


def _older_view_reads_the_new_base(x, v):
    y = x * 1
    column = y[:, 0]
    y[0] = v
    return (column * column).sum()


PYTORCH_GRADS = {
    # name: (x.grad, v.grad) from PyTorch 2.13
    "setitem_row": (_setitem_row, [[0, 0, 0], [8, 10, 12]], [20, 40, 60]),
    "setitem_chained": (_setitem_chained, [[2, 0, 6], [8, 10, 12]], [20, 0, 0]),
    "mul_column": (_mul_column, [[2, 16, 6], [8, 40, 12]], None),
    "add_through_t": (_add_through_t, [[22, 64, 0], [48, 90, 0]], [670, 0, 0]),
    "zero": (_zero, [[0, 0, 0], [0, 0, 0]], None),
    "fill": (_fill, [[0, 0, 0], [0, 0, 0]], [0, 240, 0]),
    "setitem_through_view": (_setitem_through_view, [[2, 4, 0], [0, 10, 12]], [20, 40, 0]),
    "earlier_use_keeps_its_edge": (_earlier_use_keeps_its_edge, [[7, 9, 11], [13, 15, 17]], None),
    "older_view_reads_the_new_base": (
        _older_view_reads_the_new_base,
        [[0, 0, 0], [8, 0, 0]],
        [20, 0, 0],
    ),
}


@pytest.mark.parametrize("name", list(PYTORCH_GRADS))
def test_gradients_through_writes_into_views_equal_pytorchs(name):
    fn, x_grad, v_grad = PYTORCH_GRADS[name]
    x, v = _x(), _v()
    fn(x, v).backward()
    np.testing.assert_allclose(x.grad.numpy(), x_grad, rtol=1e-12)
    if v_grad is None:
        assert v.grad is None
    else:
        np.testing.assert_allclose(v.grad.numpy(), v_grad, rtol=1e-12)


def test_views_beside_and_over_a_written_view_read_the_new_values():
    x, v = _x(), _v()
    y = x * 1
    top, bottom, column = y[0], y[1], y[:, 2]
    y[0].copy_(v)  # a view write: top and column share elements with it, bottom none
    assert top.tolist() == [10.0, 20.0, 30.0] and column.tolist() == [30.0, 6.0]
    (top * top + bottom * bottom).sum().backward(retain_graph=True)
    np.testing.assert_allclose(x.grad.numpy(), [[0, 0, 0], [8, 10, 12]])
    np.testing.assert_allclose(v.grad.numpy(), [20, 40, 60])
    x.grad = v.grad = None
    (column * column).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[0, 0, 0], [0, 0, 12]])
    np.testing.assert_allclose(v.grad.numpy(), [0, 0, 60])


def test_a_write_into_a_buffer_that_needs_no_grad_makes_it_and_its_views_require_grad():
    v = _v()
    buffer = ag.zeros(2, 3, dtype=ag.float64)
    row = buffer[0]
    buffer[0, 1] = v[0]
    assert row.requires_grad and buffer.requires_grad
    (row * row).sum().backward()
    np.testing.assert_allclose(v.grad.numpy(), [20, 0, 0])  # PyTorch's value


def test_relu_inplace_on_a_non_leaf_changes_it_and_gives_pytorchs_gradient():
    x = _x()
    y = x * 1 - 3
    z = F.relu(y, inplace=True)
    assert z is y
    np.testing.assert_array_equal(y.detach().numpy(), [[0, 0, 0], [1, 2, 3]])
    (z * y * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[0, 0, 0], [9, 24, 45]], rtol=1e-12)


def test_an_inplace_relu_cnn_has_the_gradients_of_the_out_of_place_one():
    def net(inplace):
        ag.manual_seed(3)
        return nn.Sequential(
            nn.Conv2d(2, 4, 3, padding=1),
            nn.BatchNorm2d(4),
            nn.ReLU(inplace=inplace),
            nn.MaxPool2d(2),
            nn.Conv2d(4, 3, 3),
            nn.ReLU(inplace=inplace),
            nn.Flatten(),
            nn.Linear(3, 2),
        ).double()

    x = ag.randn(5, 2, 6, 6, dtype=ag.float64)
    target = ag.tensor([0, 1, 1, 0, 1])
    grads = []
    for inplace in (False, True):
        model = net(inplace)
        loss = F.cross_entropy(model(x), target)
        loss.backward()
        grads.append([p.grad.numpy() for p in model.parameters()])
    assert "inplace=True" in repr(net(True))
    for plain, in_place in zip(*grads):
        np.testing.assert_allclose(in_place, plain, rtol=1e-10, atol=1e-12)


# ---- every in-place op on every kind of view: values and finite differences -----------------
VIEWS = {
    "slice": (lambda t: t[1:, ::2], lambda a: a[1:, ::2]),
    "select": (lambda t: t.select(1, 2), lambda a: a[:, 2]),
    "t": (lambda t: t.t(), lambda a: a.T),
    "transpose": (lambda t: t.transpose(0, 1), lambda a: a.swapaxes(0, 1)),
    "view": (lambda t: t.view(2, 6), lambda a: a.reshape(2, 6)),
    "reshape": (lambda t: t.reshape(4, 3), lambda a: a.reshape(4, 3)),
    "unsqueeze": (lambda t: t.unsqueeze(0), lambda a: a[None]),
    "narrow": (lambda t: t.narrow(1, 1, 2), lambda a: a[:, 1:3]),
    "diagonal": (lambda t: t.diagonal(), lambda a: np.diagonal(a)),
    "chained": (lambda t: t[1][1:3], lambda a: a[1][1:3]),
}

# (in-place op on a view w with the 0-d operand s, the same on a NumPy array)
OPS = {
    "add_": (lambda w, s: w.add_(s), lambda a, s: a + s),
    "sub_": (lambda w, s: w.sub_(s, alpha=2), lambda a, s: a - 2 * s),
    "mul_": (lambda w, s: w.mul_(s), lambda a, s: a * s),
    "div_": (lambda w, s: w.div_(s), lambda a, s: a / s),
    "pow_": (lambda w, s: w.pow_(3), lambda a, s: a**3),
    "sqrt_": (lambda w, s: w.sqrt_(), lambda a, s: np.sqrt(a)),
    "exp_": (lambda w, s: w.exp_(), lambda a, s: np.exp(a)),
    "log_": (lambda w, s: w.log_(), lambda a, s: np.log(a)),
    "tanh_": (lambda w, s: w.tanh_(), lambda a, s: np.tanh(a)),
    "sigmoid_": (lambda w, s: w.sigmoid_(), lambda a, s: 1 / (1 + np.exp(-a))),
    "relu_": (lambda w, s: w.sub_(0.5).relu_(), lambda a, s: np.maximum(a - 0.5, 0)),
    "abs_": (lambda w, s: w.sub_(0.5).abs_(), lambda a, s: np.abs(a - 0.5)),
    "neg_": (lambda w, s: w.neg_(), lambda a, s: -a),
    "sin_": (lambda w, s: w.sin_(), lambda a, s: np.sin(a)),
    "square_": (lambda w, s: w.square_(), lambda a, s: a * a),
    "reciprocal_": (lambda w, s: w.reciprocal_(), lambda a, s: 1 / a),
    "clamp_": (lambda w, s: w.clamp_(0.3, 0.8), lambda a, s: np.clip(a, 0.3, 0.8)),
    "clamp_min_": (lambda w, s: w.clamp_min_(0.5), lambda a, s: np.maximum(a, 0.5)),
    "clamp_max_": (lambda w, s: w.clamp_max_(0.5), lambda a, s: np.minimum(a, 0.5)),
    "fill_": (lambda w, s: w.fill_(s), lambda a, s: np.full_like(a, s)),
    "zero_": (lambda w, s: w.zero_(), lambda a, s: np.zeros_like(a)),
    "copy_": (lambda w, s: w.copy_(s * 2), lambda a, s: np.full_like(a, 2 * s)),
    "masked_fill_": (
        lambda w, s: w.masked_fill_(w > 0.5, s),
        lambda a, s: np.where(a > 0.5, s, a),
    ),
    "setitem": (lambda w, s: w.__setitem__(0, s), lambda a, s: _first_set(a, s)),
    "addcmul_": (lambda w, s: w.addcmul_(s * 0 + 2, s, value=0.5), lambda a, s: a + s),
    "lerp_": (lambda w, s: w.lerp_(s, 0.3), lambda a, s: a + 0.3 * (s - a)),
}


def _first_set(a, s):
    a = a.copy()
    a[0] = s
    return a


# distinct values in (0.2, 1.35), none within 0.02 of the clamp bounds or 0.5
BASE = np.array([[0.23, 0.41, 0.62, 0.77], [0.94, 0.35, 0.56, 0.71], [1.13, 0.27, 0.88, 1.31]])
SCALAR = 0.7


@pytest.mark.parametrize("view_name", list(VIEWS))
@pytest.mark.parametrize("op_name", list(OPS))
def test_every_inplace_op_on_every_view(view_name, op_name):
    make, make_np = VIEWS[view_name]
    op, op_np = OPS[op_name]

    def fn(x, s):
        y = x * 1
        w = make(y)
        op(w, s)
        return y * y, w * 3  # the base and the view, both read after the write

    x = ag.tensor(BASE, requires_grad=True)
    s = ag.tensor(SCALAR, dtype=ag.float64, requires_grad=True)
    base, view = fn(x, s)
    expected = BASE.copy()
    where = make_np(np.arange(BASE.size).reshape(BASE.shape))
    expected.flat[where] = op_np(BASE.flat[where], SCALAR)
    np.testing.assert_allclose(base.detach().numpy(), expected**2, rtol=1e-12)
    np.testing.assert_allclose(view.detach().numpy(), 3 * expected.flat[where], rtol=1e-12)
    assert ag.gradcheck(fn, (x, s))


@pytest.mark.parametrize("view_name", list(VIEWS))
def test_changing_a_saved_input_through_a_view_raises_at_backward(view_name):
    make = VIEWS[view_name][0]
    y = ag.tensor(BASE, requires_grad=True) * 1
    out = ag.sin(y)  # saves y
    make(y).mul_(2)
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        out.sum().backward()


@pytest.mark.parametrize("view_name", list(VIEWS))
def test_changing_a_saved_output_through_a_view_raises_at_backward(view_name):
    make = VIEWS[view_name][0]
    out = ag.exp(ag.tensor(BASE, requires_grad=True) * 1)  # exp's backward reads its output
    make(out).mul_(2)
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        out.sum().backward()


@pytest.mark.parametrize("view_name", list(VIEWS))
def test_an_inplace_op_on_a_view_of_a_leaf_that_requires_grad_raises(view_name):
    x = ag.tensor(BASE, requires_grad=True)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        VIEWS[view_name][0](x).mul_(2)
    with ag.no_grad():  # as optimisers do: allowed, and written into the leaf
        VIEWS[view_name][0](x).mul_(2)
    assert not np.array_equal(x.detach().numpy(), BASE)


def test_a_view_made_in_no_grad_mode_cant_be_changed_in_grad_mode():
    y = ag.tensor(BASE, requires_grad=True) * 1
    with ag.no_grad():
        row = y[0]
    with pytest.raises(RuntimeError, match="A view was created in no_grad mode"):
        row.mul_(2)


def test_writing_into_an_expanded_tensor_raises_as_pytorch():
    y = ag.tensor([[1.0, 2.0, 3.0]], dtype=ag.float64, requires_grad=True) * 1
    message = "more than one element of the written-to tensor refers to a single memory location"
    with pytest.raises(RuntimeError, match=message):
        y.expand(3, 3).add_(1)
    with pytest.raises(RuntimeError, match=message):
        y.expand(3, 3)[:, 0] = 5.0
    plain = ag.zeros(1, 3)
    with pytest.raises(RuntimeError, match=message):
        plain.expand(2, 3).fill_(1)
    with ag.no_grad(), pytest.raises(RuntimeError, match=message):
        plain.expand(2, 3).mul_(2)


def test_a_row_of_an_expanded_tensor_is_written_into_its_base():
    y = ag.tensor([[1.0, 2.0, 3.0]], dtype=ag.float64, requires_grad=True)
    base = y * 1
    base.expand(3, 3)[0].mul_(2)  # one row: no two elements share memory, so allowed
    np.testing.assert_allclose(base.detach().numpy(), [[2, 4, 6]])
    (base * base).sum().backward()
    np.testing.assert_allclose(y.grad.numpy(), [[8, 16, 24]])


def test_inplace_shape_changes_keep_the_graph():
    x = ag.tensor([1.0, 2.0, 3.0], dtype=ag.float64, requires_grad=True)
    y = x * 2
    w = y + 1  # recorded before the shape changes: keeps its (3,) edge
    y.unsqueeze_(0)
    assert y.shape == (1, 3)
    (w.sum() + (y * y).sum()).backward()
    np.testing.assert_allclose(x.grad.numpy(), [10, 18, 26])  # PyTorch's value
    m = ag.tensor([[1.0, 2.0, 3.0]], dtype=ag.float64, requires_grad=True) * 1
    assert m.t_().shape == (3, 1) and m.squeeze_().shape == (3,)
    assert m.unsqueeze_(1).transpose_(0, 1).shape == (1, 3)


def test_inplace_shape_change_of_a_view_keeps_it_a_view():
    y = ag.tensor([1.0, 2.0, 3.0], dtype=ag.float64, requires_grad=True) * 1
    tail = y[1:]
    tail.unsqueeze_(0)
    tail.mul_(3)
    np.testing.assert_allclose(y.detach().numpy(), [1, 6, 9])  # PyTorch's value


def test_fill_takes_only_a_one_element_tensor():
    with pytest.raises(RuntimeError, match="fill_: only supports a 0-dimension value tensor"):
        ag.zeros(3).fill_(ag.ones(2))


def test_inplace_ops_on_plain_tensors_need_no_graph():
    t = ag.tensor([-1.0, 4.0])
    assert t.relu_() is t
    np.testing.assert_allclose(t.numpy(), [0, 4])
    np.testing.assert_allclose(t.sqrt_().exp_().log_().numpy(), [0, 2])
    assert t.grad_fn is None and not t.requires_grad


# ---- inplace=True of every activation that has it: written into the input, same gradients --
INPLACE_ACTIVATIONS = {
    "relu": (F.relu, nn.ReLU),
    "leaky_relu": (
        lambda t, inplace: F.leaky_relu(t, 0.1, inplace),
        lambda inplace: nn.LeakyReLU(0.1, inplace),
    ),
    "elu": (lambda t, inplace: F.elu(t, 0.5, inplace), lambda inplace: nn.ELU(0.5, inplace)),
    "silu": (F.silu, nn.SiLU),
    "mish": (F.mish, nn.Mish),
    "hardtanh": (
        lambda t, inplace: F.hardtanh(t, -0.5, 0.5, inplace),
        lambda inplace: nn.Hardtanh(-0.5, 0.5, inplace),
    ),
    "relu6": (F.relu6, nn.ReLU6),
    "hardswish": (F.hardswish, nn.Hardswish),
    "hardsigmoid": (F.hardsigmoid, nn.Hardsigmoid),
    "threshold": (
        lambda t, inplace: F.threshold(t, 0.2, -1.0, inplace),
        lambda inplace: nn.Threshold(0.2, -1.0, inplace),
    ),
    "celu": (lambda t, inplace: F.celu(t, 0.7, inplace), lambda inplace: nn.CELU(0.7, inplace)),
    "selu": (F.selu, nn.SELU),
}


@pytest.mark.parametrize("name", list(INPLACE_ACTIVATIONS))
def test_inplace_activations_write_into_their_input_with_the_out_of_place_gradient(name):
    function, module = INPLACE_ACTIVATIONS[name]
    values = np.array([[-7.3, -2.1, -0.4, 0.15], [0.35, 1.2, 4.0, 8.0]])
    results = []
    for inplace in (False, True):
        for apply in (functools.partial(function, inplace=inplace), module(inplace=inplace)):
            x = ag.tensor(values, requires_grad=True)
            y = x * 2
            out = apply(y)
            assert (out is y) == inplace
            (out * ag.tensor(values)).sum().backward()
            results.append((out.detach().numpy().copy(), x.grad.numpy()))
    for out, grad in results[1:]:
        np.testing.assert_allclose(out, results[0][0], rtol=1e-12)
        np.testing.assert_allclose(grad, results[0][1], rtol=1e-12)
    assert "inplace=True" in repr(module(inplace=True))


def test_an_inplace_activation_of_a_leaf_that_requires_grad_raises():
    x = ag.tensor([1.0, -1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf tensor that requires grad"):
        F.relu(x, inplace=True)
    with pytest.raises(RuntimeError, match="a leaf tensor that requires grad"):
        F.leaky_relu(x, inplace=True)


def test_one_element_of_a_tensor_is_a_view_that_writes_through():
    plain = ag.zeros(2, 2)
    plain[0, 1].add_(1)
    plain[1][0].fill_(2)
    assert plain.tolist() == [[0.0, 1.0], [2.0, 0.0]]
    x = _x()
    y = x * 1
    y[0, 1].mul_(3)
    (y * y).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[2, 36, 6], [8, 10, 12]])  # PyTorch's value


def test_copying_a_leaf_into_a_plain_tensor_or_its_slice_records_the_copy():
    x = ag.tensor([1.0, 2.0], dtype=ag.float64, requires_grad=True)
    whole = ag.zeros(2, dtype=ag.float64).copy_(x)
    part = ag.zeros(3, dtype=ag.float64)
    part[1:] = x
    (whole * whole).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2, 4])
    x.grad = None
    (part * part).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2, 4])


@pytest.mark.parametrize("view_name", ["slice", "t", "diagonal", "chained"])
def test_second_derivatives_through_a_write_into_a_view(view_name):
    make = VIEWS[view_name][0]

    def fn(x, s):
        y = x * x
        make(y).mul_(s * s)
        return y * x

    x = ag.tensor(BASE, requires_grad=True)
    s = ag.tensor(SCALAR, dtype=ag.float64, requires_grad=True)
    assert ag.gradgradcheck(fn, (x, s))


def test_writes_into_views_on_every_device(device):
    x = ag.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=ag.float64, device=device)
    x.requires_grad_()
    v = ag.tensor([10.0, 20.0, 30.0], dtype=ag.float64, device=device, requires_grad=True)
    y = x * 1
    y[:, 1].mul_(2)
    y.t()[2].add_(v[:2])
    y[0] = v
    (y * y).sum().backward()
    assert x.grad.device == x.device
    # PyTorch 2.13 on the same program
    np.testing.assert_allclose(x.grad.cpu().numpy(), [[0, 0, 0], [8, 40, 52]])
    np.testing.assert_allclose(v.grad.cpu().numpy(), [20, 92, 60])


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda t: t.t_(), [[1, 4], [20, 50], [3, 6]]),
        (lambda t: t.unsqueeze_(0), [[[1, 20, 3], [4, 50, 6]]]),
        (lambda t: t.transpose_(0, 1), [[1, 4], [20, 50], [3, 6]]),
    ],
    ids=["t_", "unsqueeze_", "transpose_"],
)
def test_views_still_write_into_a_base_whose_shape_changed_in_place(change, expected):
    x = _x()
    y = x * 1
    column = y[:, 1]
    change(y)
    column.mul_(10)
    np.testing.assert_allclose(y.detach().numpy(), expected)  # PyTorch's values
    (y * y).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[2, 400, 6], [8, 1000, 12]])
