"""Normalisation layers, pad modules, Unflatten, ParameterList/Dict and channel dropout:
forward against NumPy references, gradcheck in float64, parameters, running buffers, errors."""

from collections import OrderedDict

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F

RNG = np.random.default_rng(0)


def t64(a, device="cpu", requires_grad=False):
    return ag.tensor(np.asarray(a, dtype=np.float64), device=device, requires_grad=requires_grad)


def np_norm(a, axes, eps=1e-5):
    mean = a.mean(axes, keepdims=True)
    var = a.var(axes, keepdims=True)
    return (a - mean) / np.sqrt(var + eps)


# ---- forward against NumPy -------------------------------------------------------------
X4 = RNG.standard_normal((2, 6, 3, 4)) * 2.0 + 0.5
W6, B6 = RNG.standard_normal(6), RNG.standard_normal(6)
C = (1, 6, 1, 1)

FORWARD_CASES = {
    "layer_norm": (
        lambda x, w, b: F.layer_norm(x, (3, 4)),
        lambda a: np_norm(a, (2, 3)),
    ),
    "layer_norm_int": (
        lambda x, w, b: F.layer_norm(x, 4, eps=1e-3),
        lambda a: np_norm(a, (3,), 1e-3),
    ),
    "group_norm": (
        lambda x, w, b: F.group_norm(x, 3, w, b),
        lambda a: (
            np_norm(a.reshape(2, 3, -1), (2,)).reshape(a.shape) * W6.reshape(C) + B6.reshape(C)
        ),
    ),
    "instance_norm": (
        lambda x, w, b: F.instance_norm(x, weight=w, bias=b),
        lambda a: np_norm(a, (2, 3)) * W6.reshape(C) + B6.reshape(C),
    ),
    "batch_norm_train": (
        lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
        lambda a: np_norm(a, (0, 2, 3)) * W6.reshape(C) + B6.reshape(C),
    ),
    "normalize": (
        lambda x, w, b: F.normalize(x),
        lambda a: a / np.sqrt((a**2).sum(1, keepdims=True)),
    ),
    "normalize_p1": (
        lambda x, w, b: F.normalize(x, p=1, dim=-1),
        lambda a: a / np.abs(a).sum(-1, keepdims=True),
    ),
}


@pytest.mark.parametrize("name", FORWARD_CASES)
def test_forward_matches_numpy(name, device):
    fn, ref = FORWARD_CASES[name]
    out = fn(t64(X4, device), t64(W6, device), t64(B6, device))
    np.testing.assert_allclose(out.cpu().numpy(), ref(X4), rtol=1e-7, atol=1e-9)


def test_layer_norm_known_values():
    out = F.layer_norm(ag.tensor([[1.0, 2.0, 3.0]]), 3, eps=0.0)
    np.testing.assert_allclose(out.numpy(), [[-1.2247449, 0.0, 1.2247449]], rtol=1e-6)


def test_normalize_zero_vector_stays_zero():
    np.testing.assert_array_equal(F.normalize(ag.zeros(2, 3), dim=-1).numpy(), 0.0)


# ---- gradients -------------------------------------------------------------------------
GRAD_CASES = {
    "layer_norm": (lambda x, w, b: F.layer_norm(x, (6, 4), w, b), (2, 6, 4), (6, 4)),
    "group_norm": (lambda x, w, b: F.group_norm(x, 2, w, b), (2, 6, 5), (6,)),
    "instance_norm": (lambda x, w, b: F.instance_norm(x, weight=w, bias=b), (2, 6, 5), (6,)),
    "batch_norm": (lambda x, w, b: F.batch_norm(x, None, None, w, b, True), (3, 6, 2), (6,)),
    "normalize": (lambda x, w, b: F.normalize(x * w + b, p=3, dim=-1), (2, 6), (6,)),
}


@pytest.mark.parametrize("name", GRAD_CASES)
def test_gradcheck(name):
    fn, xshape, pshape = GRAD_CASES[name]
    x = t64(RNG.standard_normal(xshape), requires_grad=True)
    w = t64(RNG.standard_normal(pshape), requires_grad=True)
    b = t64(RNG.standard_normal(pshape), requires_grad=True)
    assert ag.gradcheck(fn, (x, w, b))


def test_batch_norm_eval_gradcheck():
    rm, rv = t64([0.5, -1.0, 2.0]), t64([1.0, 4.0, 0.25])
    x = t64(RNG.standard_normal((4, 3, 2)), requires_grad=True)
    w = t64(RNG.standard_normal(3), requires_grad=True)
    assert ag.gradcheck(lambda x, w: F.batch_norm(x, rm, rv, w, training=False), (x, w))


# ---- running buffers -------------------------------------------------------------------
def test_batch_norm_updates_running_buffers_in_place():
    x = RNG.standard_normal((5, 3, 4))
    rm, rv = t64([1.0, 2.0, 3.0]), t64([1.0, 1.0, 2.0])
    inp = t64(x, requires_grad=True)
    out = F.batch_norm(inp, rm, rv, training=True, momentum=0.3)
    n = 5 * 4
    np.testing.assert_allclose(rm.numpy(), 0.7 * np.array([1, 2, 3]) + 0.3 * x.mean((0, 2)))
    unbiased = x.var((0, 2)) * n / (n - 1)
    np.testing.assert_allclose(rv.numpy(), 0.7 * np.array([1, 1, 2]) + 0.3 * unbiased)
    assert not rm.requires_grad and out.requires_grad
    before = rm.numpy().copy()
    out_eval = F.batch_norm(t64(x), rm, rv)  # training=False by default
    np.testing.assert_array_equal(rm.numpy(), before)
    np.testing.assert_allclose(
        out_eval.numpy(), (x - before[None, :, None]) / np.sqrt(rv.numpy()[None, :, None] + 1e-5)
    )


@pytest.mark.parametrize(
    "cls, shape", [(nn.InstanceNorm1d, (2, 3, 5)), (nn.InstanceNorm2d, (2, 3, 4, 5))]
)
def test_instance_norm_running_stats(cls, shape):
    m = cls(3, affine=True, track_running_stats=True, dtype=ag.float64)
    assert [(k, tuple(v.shape)) for k, v in m.state_dict().items()] == [
        ("weight", (3,)),
        ("bias", (3,)),
        ("running_mean", (3,)),
        ("running_var", (3,)),
        ("num_batches_tracked", ()),
    ]
    x = RNG.standard_normal(shape) + 1.0
    axes = tuple(range(2, len(shape)))
    m(t64(x))
    n = int(np.prod(shape[2:]))
    np.testing.assert_allclose(m.running_mean.numpy(), 0.1 * x.mean(axes).mean(0))
    unbiased = (x.var(axes) * n / (n - 1)).mean(0)
    np.testing.assert_allclose(m.running_var.numpy(), 0.9 + 0.1 * unbiased)
    m.eval()
    rm, rv = m.running_mean.numpy(), m.running_var.numpy()
    c = (1, 3) + (1,) * len(axes)
    np.testing.assert_allclose(
        m(t64(x)).detach().numpy(), (x - rm.reshape(c)) / np.sqrt(rv.reshape(c) + 1e-5)
    )


def test_instance_norm_defaults_and_unbatched():
    m = nn.InstanceNorm2d(3)
    assert m.weight is None and m.bias is None and m.running_mean is None
    assert list(m.state_dict()) == []
    assert repr(m) == (
        "InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=False, bias=False, "
        "track_running_stats=False)"
    )
    x = RNG.standard_normal((3, 4, 5))
    out = m.eval()(t64(x))  # no running stats: eval still uses the input's statistics
    np.testing.assert_allclose(out.numpy(), np_norm(x, (1, 2)), atol=1e-12)


# ---- modules: parameters, repr ---------------------------------------------------------
def test_layer_norm_module():
    m = nn.LayerNorm((3, 4))
    assert {k: tuple(p.shape) for k, p in m.named_parameters()} == {
        "weight": (3, 4),
        "bias": (3, 4),
    }
    np.testing.assert_array_equal(m.weight.detach().numpy(), 1.0)
    np.testing.assert_array_equal(m.bias.detach().numpy(), 0.0)
    assert repr(m) == "LayerNorm((3, 4), eps=1e-05, elementwise_affine=True, bias=True)"
    assert list(nn.LayerNorm(4, bias=False).state_dict()) == ["weight"]
    assert list(nn.LayerNorm(4, elementwise_affine=False).parameters()) == []
    x = RNG.standard_normal((2, 3, 4))
    np.testing.assert_allclose(
        m(ag.tensor(x, dtype=ag.float32)).detach().numpy(), np_norm(x, (1, 2)), atol=1e-5
    )


def test_group_norm_module():
    m = nn.GroupNorm(2, 4)
    assert {k: tuple(p.shape) for k, p in m.named_parameters()} == {"weight": (4,), "bias": (4,)}
    assert repr(m) == "GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)"
    assert list(nn.GroupNorm(2, 4, affine=False).parameters()) == []
    x = RNG.standard_normal((3, 4, 5))
    ref = np_norm(x.reshape(3, 2, -1), (2,)).reshape(x.shape)
    np.testing.assert_allclose(m.double()(t64(x)).detach().numpy(), ref, atol=1e-12)


def test_normalization_errors():
    with pytest.raises(ValueError, match="num_channels 5 must be divisible by num_groups 2"):
        nn.GroupNorm(2, 5)
    with pytest.raises(ValueError, match="num_channels 6 must be divisible by num_groups 4"):
        F.group_norm(ag.randn(2, 6, 3), 4)
    with pytest.raises(ValueError, match=r"GroupNorm: expected input of shape \(N, 4, ...\)"):
        nn.GroupNorm(2, 4)(ag.randn(2, 6))
    with pytest.raises(ValueError, match=r"normalized_shape \(3,\) does not match .* \(2, 4\)"):
        F.layer_norm(ag.randn(2, 4), 3)
    with pytest.raises(ValueError, match=r"layer_norm: expected weight of shape \(4,\)"):
        F.layer_norm(ag.randn(2, 4), 4, weight=ag.ones(3))
    with pytest.raises(ValueError, match="InstanceNorm2d: expected 3-D or 4-D input"):
        nn.InstanceNorm2d(3)(ag.randn(2, 3))
    with pytest.raises(ValueError, match="InstanceNorm1d: expected 3 channels"):
        nn.InstanceNorm1d(3, affine=True)(ag.randn(2, 4, 5))
    with pytest.raises(ValueError, match=r"batch_norm: expected running_mean of shape \(3,\)"):
        F.batch_norm(ag.randn(2, 3), ag.zeros(4), ag.ones(3))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        F.batch_norm(ag.randn(1, 3), None, None, training=True)
    with pytest.raises(ValueError, match="running_mean and running_var are needed"):
        F.batch_norm(ag.randn(2, 3), None, None)


# ---- padding ---------------------------------------------------------------------------
PAD_CASES = [
    (nn.ZeroPad2d(1), lambda a: np.pad(a, [(0, 0), (0, 0), (1, 1), (1, 1)])),
    (
        nn.ConstantPad2d((1, 2, 0, 3), 0.5),
        lambda a: np.pad(a, [(0, 0), (0, 0), (0, 3), (1, 2)], constant_values=0.5),
    ),
    (
        nn.ReflectionPad2d((1, 3, 2, 0)),
        lambda a: np.pad(a, [(0, 0), (0, 0), (2, 0), (1, 3)], "reflect"),
    ),
    (
        nn.ReplicationPad2d((2, 1, 3, 1)),
        lambda a: np.pad(a, [(0, 0), (0, 0), (3, 1), (2, 1)], "edge"),
    ),
]


@pytest.mark.parametrize("m, ref", PAD_CASES, ids=lambda v: type(v).__name__)
def test_pad_modules(m, ref, device):
    x = RNG.standard_normal((2, 3, 4, 5))
    np.testing.assert_allclose(m(t64(x, device)).cpu().numpy(), ref(x))
    np.testing.assert_allclose(m(t64(x[0], device)).cpu().numpy(), ref(x[None, 0])[0])
    xg = t64(x, requires_grad=True)
    assert ag.gradcheck(m, (xg,))


def test_pad_repr_and_errors():
    assert repr(nn.ZeroPad2d(1)) == "ZeroPad2d((1, 1, 1, 1))"
    assert (
        repr(nn.ConstantPad2d((1, 2, 3, 4), 0.5))
        == "ConstantPad2d(padding=(1, 2, 3, 4), value=0.5)"
    )
    assert repr(nn.ReflectionPad2d(2)) == "ReflectionPad2d((2, 2, 2, 2))"
    with pytest.raises(ValueError, match="ZeroPad2d: padding must be an int or 4 ints"):
        nn.ZeroPad2d((1, 2))
    with pytest.raises(ValueError, match="ReflectionPad2d: padding .* must be smaller"):
        nn.ReflectionPad2d(3)(ag.randn(1, 1, 3, 3))
    with pytest.raises(ValueError, match=r"ReplicationPad2d: expected 3-D or 4-D input"):
        nn.ReplicationPad2d(1)(ag.randn(3, 3))


# ---- Unflatten -------------------------------------------------------------------------
def test_unflatten():
    x = ag.randn(2, 12, 5)
    assert tuple(nn.Unflatten(1, (3, 4))(x).shape) == (2, 3, 4, 5)
    assert tuple(nn.Unflatten(-2, [2, -1])(x).shape) == (2, 2, 6, 5)
    assert repr(nn.Unflatten(1, (3, 4))) == "Unflatten(dim=1, unflattened_size=(3, 4))"
    flat = nn.Flatten()(ag.randn(2, 3, 4))
    np.testing.assert_array_equal(
        nn.Unflatten(1, (3, 4))(flat).numpy(), flat.numpy().reshape(2, 3, 4)
    )
    with pytest.raises(ValueError, match=r"cannot unflatten dim 1 of size 12 into \(5, 2\)"):
        nn.Unflatten(1, (5, 2))(x)
    with pytest.raises(TypeError, match="unflattened_size must be a tuple or list"):
        nn.Unflatten(1, 12)


# ---- ParameterList / ParameterDict -----------------------------------------------------
class _Holder(nn.Module):
    def __init__(self):
        super().__init__()
        self.plist = nn.ParameterList([nn.Parameter(ag.ones(2)), ag.zeros(3, 2)])
        self.pdict = nn.ParameterDict({"b": ag.ones(4), "a": nn.Parameter(ag.zeros(1))})


def test_parameter_list_and_dict_registration():
    m = _Holder()
    assert {k: tuple(p.shape) for k, p in m.named_parameters()} == {
        "plist.0": (2,),
        "plist.1": (3, 2),
        "pdict.a": (1,),
        "pdict.b": (4,),
    }
    assert list(m.state_dict()) == ["plist.0", "plist.1", "pdict.a", "pdict.b"]
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in m.parameters())
    assert nn.count_parameters(m) == 2 + 6 + 1 + 4
    m.to(ag.float64)
    assert m.plist[1].dtype == ag.float64 and m.pdict["b"].dtype == ag.float64
    sd = {k: v + 1.0 for k, v in m.state_dict().items()}
    m.load_state_dict(sd)
    np.testing.assert_array_equal(m.pdict["a"].detach().numpy(), [1.0])


def test_parameter_list_behaviour():
    pl = nn.ParameterList()
    pl.append(ag.ones(1)).extend([ag.ones(2)])
    pl += [ag.ones(3)]
    assert len(pl) == 3 and [p.shape[0] for p in pl] == [1, 2, 3]
    assert pl[-1].shape[0] == 3 and len(pl[1:]) == 2
    pl[0] = ag.zeros(5)
    assert isinstance(pl[0], nn.Parameter) and pl[0].shape[0] == 5
    with pytest.raises(IndexError, match="index 3 is out of range for length 3"):
        pl[3]
    with pytest.raises(TypeError, match="ParameterList: expected a Parameter or Tensor, got int"):
        pl.append(3)
    assert repr(nn.ParameterList([ag.ones(2)])) == (
        "ParameterList(\n    (0): Parameter containing: [float32 of size 2]\n)"
    )


def test_parameter_dict_behaviour():
    pd = nn.ParameterDict(OrderedDict([("z", ag.ones(1)), ("y", ag.ones(2))]))
    assert list(pd) == ["z", "y"]  # an OrderedDict keeps its order, a plain dict is sorted
    pd["x"] = ag.ones(3)
    assert "x" in pd and len(pd) == 3 and isinstance(pd["x"], nn.Parameter)
    del pd["z"]
    assert list(pd.keys()) == ["y", "x"] and pd.get("w") is None
    assert pd.pop("y").shape[0] == 2 and list(pd) == ["x"]
    with pytest.raises(TypeError, match="ParameterDict: keys must be strings"):
        pd[1] = ag.ones(1)


# ---- channel dropout -------------------------------------------------------------------
@pytest.mark.parametrize("fn, shape", [(F.dropout2d, (8, 16, 3, 3)), (F.dropout1d, (8, 16, 5))])
def test_channel_dropout_zeroes_whole_channels(fn, shape, device):
    x = ag.ones(*shape, device=device)
    out = fn(x, p=0.5).cpu().numpy().reshape(shape[0], shape[1], -1)
    per_channel = out[:, :, 0]
    assert set(np.unique(out)) <= {0.0, 2.0}
    np.testing.assert_array_equal(out, np.broadcast_to(per_channel[..., None], out.shape))
    assert 0.2 < (per_channel == 0).mean() < 0.8
    np.testing.assert_array_equal(fn(x, 0.5, training=False).cpu().numpy(), 1.0)


def test_dropout_modules():
    m = nn.Dropout2d(0.25)
    assert repr(m) == "Dropout2d(p=0.25, inplace=False)"
    x = ag.randn(2, 3, 4, 4)
    np.testing.assert_array_equal(m.eval()(x).numpy(), x.numpy())
    assert tuple(nn.Dropout1d()(ag.randn(3, 5)).shape) == (3, 5)  # unbatched (C, L)
    x = t64(RNG.standard_normal((2, 3, 4)), requires_grad=True)
    ag.manual_seed(1)
    out = nn.Dropout1d(0.5)(x)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), (out.detach().numpy() != 0) * 2.0)
    with pytest.raises(ValueError, match=r"Dropout2d: p must be in \[0, 1\], got 1.5"):
        nn.Dropout2d(1.5)
    with pytest.raises(ValueError, match="dropout1d: expected 2-D or 3-D input"):
        F.dropout1d(ag.randn(2, 3, 4, 5))
    np.testing.assert_array_equal(F.dropout2d(ag.ones(2, 3, 2, 2), p=1.0).numpy(), 0.0)


@pytest.mark.parametrize("name", ["layer_norm", "group_norm", "normalize"])
def test_gradgradcheck(name):
    fn, xshape, pshape = GRAD_CASES[name]
    x = t64(RNG.standard_normal(xshape), requires_grad=True)
    w = t64(RNG.standard_normal(pshape), requires_grad=True)
    b = t64(RNG.standard_normal(pshape))
    assert ag.gradgradcheck(lambda x, w: fn(x, w, b), (x, w))
