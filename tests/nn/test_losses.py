"""Losses (smooth L1, Huber, KL, Gaussian and Poisson NLL, margin and embedding losses) and
distances: NumPy references, hand-computed values, gradcheck in float64, reductions, module
arguments and error messages."""

import math

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F

RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 5)) * 2
Y = RNG.standard_normal((4, 5)) * 2
Z = RNG.standard_normal((4, 5))
SIGNS = np.sign(RNG.standard_normal((4, 5)))
SIGN_ROWS = np.array([1.0, -1.0, -1.0, 1.0])
P = RNG.random((4, 5)) + 0.05
P /= P.sum(1, keepdims=True)
COUNTS = RNG.integers(0, 5, (4, 5)).astype(float)
LABELS = np.array([0, 3, 4, 1])
CLASS_W = RNG.random(5) + 0.5


def _log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


def _np_pdist(a, b, p=2.0, eps=1e-6):
    d = np.abs(a - b + eps)
    if p == np.inf:
        return d.max(-1)
    return (d**p).sum(-1) ** (1.0 / p)


def _np_triplet(a, pos, neg, margin=1.0, p=2.0, swap=False):
    d_neg = _np_pdist(a, neg, p)
    if swap:
        d_neg = np.minimum(d_neg, _np_pdist(pos, neg, p))
    return np.maximum(margin + _np_pdist(a, pos, p) - d_neg, 0.0)


def _np_multi_margin(x, y, p=1, margin=1.0, w=None):
    z = np.maximum(margin - x[np.arange(len(y)), y][:, None] + x, 0.0) ** p
    if w is not None:
        z = z * w[y][:, None]
    z[np.arange(len(y)), y] = 0.0
    return z.sum(1) / x.shape[1]


def _np_cos_emb(a, b, t, margin=0.0):
    cos = (a * b).sum(1) / np.sqrt(((a * a).sum(1) + 1e-12) * ((b * b).sum(1) + 1e-12))
    return np.where(t == 1, 1 - cos, np.maximum(cos - margin, 0.0))


def _np_huber(a, b, delta=1.0):
    d = np.abs(a - b)
    return np.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta))


# name: (functional call on tensors, NumPy reference ('none' reduction), inputs, grad-inputs)
CASES = {
    "smooth_l1": (
        lambda a, b, r: F.smooth_l1_loss(a, b, r, beta=0.5),
        lambda a, b: _np_huber(a, b, 0.5) / 0.5,
        (X, Y),
        2,
    ),
    "smooth_l1_beta0": (
        lambda a, b, r: F.smooth_l1_loss(a, b, r, beta=0.0),
        lambda a, b: np.abs(a - b),
        (X, Y),
        2,
    ),
    "huber": (
        lambda a, b, r: F.huber_loss(a, b, r, delta=0.7),
        lambda a, b: _np_huber(a, b, 0.7),
        (X, Y),
        2,
    ),
    "huber_weight": (
        lambda a, b, w, r: F.huber_loss(a, b, r, 0.7, w),
        lambda a, b, w: _np_huber(a, b, 0.7) * w,
        (X, Y, np.abs(Z)),
        3,
    ),
    "kl_div": (
        lambda a, b, r: F.kl_div(a, b, r),
        lambda a, b: b * (np.log(b) - a),
        (np.log(P[::-1].copy()), P),
        2,
    ),
    "kl_div_log_target": (
        lambda a, b, r: F.kl_div(a, b, r, log_target=True),
        lambda a, b: np.exp(b) * (b - a),
        (np.log(P[::-1].copy()), np.log(P)),
        2,
    ),
    "gaussian_nll": (
        lambda a, b, v, r: F.gaussian_nll_loss(a, b, v, full=True, reduction=r),
        lambda a, b, v: 0.5 * (np.log(v) + (a - b) ** 2 / v) + 0.5 * math.log(2 * math.pi),
        (X, Y, np.abs(Z) + 0.1),
        3,
    ),
    "gaussian_nll_var_short": (
        lambda a, b, v, r: F.gaussian_nll_loss(a, b, v, reduction=r),
        lambda a, b, v: 0.5 * (np.log(v[:, None]) + (a - b) ** 2 / v[:, None]),
        (X, Y, np.abs(Z[:, 0]) + 0.1),
        3,
    ),
    "poisson_nll": (
        lambda a, b, r: F.poisson_nll_loss(a, b, reduction=r),
        lambda a, b: np.exp(a) - b * a,
        (X, COUNTS),
        1,
    ),
    "poisson_nll_full_rate": (
        lambda a, b, r: F.poisson_nll_loss(a, b, log_input=False, full=True, reduction=r),
        lambda a, b: (
            a
            - b * np.log(a + 1e-8)
            + np.where(
                b > 1,
                b * np.log(np.maximum(b, 1)) - b + 0.5 * np.log(2 * np.pi * np.maximum(b, 1)),
                0,
            )
        ),
        (np.abs(X) + 0.1, COUNTS),
        1,
    ),
    "margin_ranking": (
        lambda a, b, t, r: F.margin_ranking_loss(a, b, t, 0.3, r),
        lambda a, b, t: np.maximum(-t * (a - b) + 0.3, 0.0),
        (X[:, 0], Y[:, 0], SIGN_ROWS),
        2,
    ),
    "hinge_embedding": (
        lambda a, t, r: F.hinge_embedding_loss(a, t, 0.5, r),
        lambda a, t: np.where(t == 1, a, np.maximum(0.5 - a, 0.0)),
        (X, SIGNS),
        1,
    ),
    "soft_margin": (
        lambda a, t, r: F.soft_margin_loss(a, t, r),
        lambda a, t: np.log1p(np.exp(-t * a)),
        (X, SIGNS),
        1,
    ),
    "multilabel_soft_margin": (
        lambda a, t, w, r: F.multilabel_soft_margin_loss(a, t, w, r),
        lambda a, t, w: -(w * (t * _log_sigmoid(a) + (1 - t) * _log_sigmoid(-a))).mean(1),
        (X, (SIGNS > 0).astype(float), CLASS_W),
        1,
    ),
    "cosine_embedding": (
        lambda a, b, t, r: F.cosine_embedding_loss(a, b, t, 0.2, r),
        lambda a, b, t: _np_cos_emb(a, b, t, 0.2),
        (X, Y, SIGN_ROWS),
        2,
    ),
    "triplet": (
        lambda a, b, c, r: F.triplet_margin_loss(a, b, c, margin=2.5, reduction=r),
        lambda a, b, c: _np_triplet(a, b, c, 2.5),
        (X, Y, Z),
        3,
    ),
    "triplet_p1_swap": (
        lambda a, b, c, r: F.triplet_margin_loss(a, b, c, 4.0, p=1, swap=True, reduction=r),
        lambda a, b, c: _np_triplet(a, b, c, 4.0, 1, swap=True),
        (X, Y, Z),
        3,
    ),
    "multi_margin": (
        lambda a, y, r: F.multi_margin_loss(a, y, reduction=r),
        lambda a, y: _np_multi_margin(a, y),
        (X, LABELS),
        1,
    ),
    "multi_margin_p2_weight": (
        lambda a, y, w, r: F.multi_margin_loss(a, y, 2, 0.8, w, r),
        lambda a, y, w: _np_multi_margin(a, y, 2, 0.8, w),
        (X, LABELS, CLASS_W),
        1,
    ),
}


def _tensors(arrays, n_grad):
    return [
        ag.tensor(a, dtype=ag.float64, requires_grad=i < n_grad)
        if a.dtype.kind == "f"
        else ag.tensor(a)
        for i, a in enumerate(arrays)
    ]


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_loss_forward_matches_numpy(name, reduction):
    fn, ref, arrays, _ = CASES[name]
    out = fn(*_tensors(arrays, 0), reduction).numpy()
    expected = ref(*arrays)
    expected = {"none": expected, "mean": expected.mean(), "sum": expected.sum()}[reduction]
    np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("reduction", ["none", "mean"])
def test_loss_gradcheck(name, reduction):
    fn, _, arrays, n_grad = CASES[name]
    inputs = _tensors(arrays, n_grad)
    ag.gradcheck(lambda *ts: fn(*ts, *inputs[n_grad:], reduction), tuple(inputs[:n_grad]))


SMOOTH = [
    "kl_div",
    "kl_div_log_target",
    "gaussian_nll",
    "poisson_nll",
    "soft_margin",
    "multilabel_soft_margin",
    "cosine_embedding",
]


@pytest.mark.parametrize("name", SMOOTH)
def test_loss_gradgradcheck(name):
    fn, _, arrays, n_grad = CASES[name]
    inputs = _tensors(arrays, n_grad)
    ag.gradgradcheck(lambda *ts: fn(*ts, *inputs[n_grad:], "sum"), tuple(inputs[:n_grad]))


@pytest.mark.parametrize("name", sorted(CASES))
def test_loss_on_device(name, device):
    fn, ref, arrays, _ = CASES[name]
    inputs = [
        (ag.tensor(a, dtype=ag.float32) if a.dtype.kind == "f" else ag.tensor(a)).to(device)
        for a in arrays
    ]
    out = fn(*inputs, "mean")
    assert out.dtype == ag.float32
    np.testing.assert_allclose(out.cpu().numpy(), ref(*arrays).mean(), rtol=1e-4)


def test_loss_known_values():
    a, b = ag.tensor([0.0, 3.0]), ag.tensor([0.5, 0.0])
    assert abs(F.huber_loss(a, b).item() - 1.3125) < 1e-6
    assert abs(F.smooth_l1_loss(a, b, beta=2.0).item() - 1.03125) < 1e-6
    kl = F.kl_div(ag.log(ag.tensor([[0.5, 0.5]])), ag.tensor([[0.25, 0.75]]), "batchmean")
    assert abs(kl.item() - 0.13081202) < 1e-6
    var = ag.tensor([1.0, 4.0])
    gnll = F.gaussian_nll_loss(ag.tensor([1.0, 2.0]), ag.zeros(2), var, full=True)
    assert abs(gnll.item() - 1.7655122) < 1e-6
    pnll = F.poisson_nll_loss(
        ag.tensor([0.0, 1.0]), ag.tensor([2.0, 3.0]), full=True, reduction="none"
    )
    np.testing.assert_allclose(pnll.numpy(), [1.6518065, 1.4823633], rtol=1e-6)
    mm = F.multi_margin_loss(ag.tensor([[0.1, 0.2, 0.4, 0.8]]), ag.tensor([3]))
    assert abs(mm.item() - 0.325) < 1e-6


def test_kl_div_reductions_and_zero_target():
    logq = ag.tensor(np.log(P[::-1].copy()), dtype=ag.float64, requires_grad=True)
    target = P.copy()
    target[0, 0] = 0.0
    pointwise = np.where(
        target > 0, target * (np.log(np.where(target > 0, target, 1)) - logq.detach().numpy()), 0
    )
    out = F.kl_div(logq, ag.tensor(target), "batchmean")
    np.testing.assert_allclose(out.item(), pointwise.sum() / 4)
    assert np.isfinite(F.kl_div(logq, ag.tensor(target), "none").detach().numpy()).all()
    t = ag.tensor(target, requires_grad=True)
    F.kl_div(logq, t, "sum").backward()
    assert np.isfinite(t.grad.numpy()).all()
    assert (
        abs(
            F.kl_div(ag.tensor(-0.5), ag.tensor(0.3), "batchmean").item()
            - 0.3 * (math.log(0.3) + 0.5)
        )
        < 1e-6
    )


def test_gaussian_nll_var_shapes_and_clamp():
    x, y = ag.tensor(X), ag.tensor(Y)
    full = F.gaussian_nll_loss(x, y, ag.ones(4, 5) * 2.0, reduction="none").numpy()
    for var in (ag.ones(4) * 2.0, ag.ones(4, 1) * 2.0, ag.ones(1, 5) * 2.0, 2.0):
        np.testing.assert_allclose(
            F.gaussian_nll_loss(x, y, var, reduction="none").numpy(), full, rtol=1e-6
        )
    # clamped at eps for the value, but the gradient still reaches var (PyTorch's no-grad clamp)
    v = ag.tensor([0.0, 1.0], dtype=ag.float64, requires_grad=True)
    loss = F.gaussian_nll_loss(
        ag.zeros(2, dtype=ag.float64), ag.ones(2, dtype=ag.float64), v, eps=1e-3, reduction="sum"
    )
    np.testing.assert_allclose(loss.item(), 0.5 * (math.log(1e-3) + 1e3) + 0.5)
    loss.backward()
    np.testing.assert_allclose(v.grad.numpy(), [0.5 / 1e-3 - 0.5 / 1e-6, 0.0], rtol=1e-9)


def test_stable_margin_losses():
    big = ag.tensor([-1000.0, 0.0, 1000.0], requires_grad=True)
    out = F.soft_margin_loss(big, ag.tensor([1.0, -1.0, -1.0]), "none")
    np.testing.assert_allclose(out.detach().numpy(), [1000.0, math.log(2.0), 1000.0], rtol=1e-6)
    out.sum().backward()
    np.testing.assert_allclose(big.grad.numpy(), [-1.0, 0.5, 1.0], atol=1e-6)
    ml = F.multilabel_soft_margin_loss(ag.tensor([[-1000.0, 1000.0]]), ag.tensor([[1.0, 0.0]]))
    np.testing.assert_allclose(ml.item(), 1000.0, rtol=1e-6)


def test_distance_known_values():
    x = ag.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    y = ag.tensor([[1.0, 0.0, 1.0], [1.0, 1.0, 1.0]])
    np.testing.assert_allclose(
        F.cosine_similarity(x, y).numpy(), [4 / math.sqrt(28), 0.0], rtol=1e-6
    )
    # eps is added to the difference before the norm
    np.testing.assert_allclose(
        F.pairwise_distance(x, y).numpy(),
        [math.sqrt(1e-12 + 2 * (2 + 1e-6) ** 2), math.sqrt(3) * (1 - 1e-6)],
        rtol=1e-6,
    )
    same = F.pairwise_distance(x, x)
    np.testing.assert_allclose(same.numpy(), [math.sqrt(3) * 1e-6] * 2, rtol=1e-5)


@pytest.mark.parametrize("p", [1.0, 2.0, 3.0, math.inf])
def test_pairwise_distance_matches_numpy(p):
    out = F.pairwise_distance(ag.tensor(X), ag.tensor(Y), p)
    np.testing.assert_allclose(out.numpy(), _np_pdist(X, Y, p), rtol=1e-5)
    kept = nn.PairwiseDistance(p, keepdim=True)(ag.tensor(X), ag.tensor(Y[0]))
    np.testing.assert_allclose(kept.numpy(), _np_pdist(X, Y[0], p)[:, None], rtol=1e-5)
    a, b = (ag.tensor(v, dtype=ag.float64, requires_grad=True) for v in (X, Y))
    ag.gradcheck(lambda s, t: F.pairwise_distance(s, t, p), (a, b))


def test_cosine_similarity_dims_broadcast_and_zero():
    a, b = ag.tensor(X), ag.tensor(Y[:1])
    ref = (X * Y[:1]).sum(0 + 1) / (np.linalg.norm(X, axis=1) * np.linalg.norm(Y[0]))
    np.testing.assert_allclose(nn.CosineSimilarity()(a, b).numpy(), ref, rtol=1e-5)
    ref0 = (X * Z).sum(0) / (np.linalg.norm(X, axis=0) * np.linalg.norm(Z, axis=0))
    np.testing.assert_allclose(
        F.cosine_similarity(ag.tensor(X), ag.tensor(Z), dim=0).numpy(), ref0, rtol=1e-5
    )
    zero = ag.zeros(2, 3, dtype=ag.float64, requires_grad=True)
    out = F.cosine_similarity(zero, ag.ones(2, 3, dtype=ag.float64))
    out.sum().backward()
    assert np.isfinite(zero.grad.numpy()).all()
    x64 = ag.tensor(X, dtype=ag.float64, requires_grad=True)
    z64 = ag.tensor(Z, dtype=ag.float64, requires_grad=True)
    ag.gradcheck(lambda s, t: F.cosine_similarity(s, t, dim=-1), (x64, z64))


def test_one_sample_inputs():
    t = F.triplet_margin_loss(ag.tensor(X[0]), ag.tensor(Y[0]), ag.tensor(Z[0]), margin=2.5)
    np.testing.assert_allclose(t.item(), _np_triplet(X[:1], Y[:1], Z[:1], 2.5)[0], rtol=1e-5)
    c = F.cosine_embedding_loss(ag.tensor(X[0]), ag.tensor(Y[0]), ag.tensor(-1.0))
    np.testing.assert_allclose(c.item(), _np_cos_emb(X[:1], Y[:1], np.array([-1.0]))[0], rtol=1e-5)
    a3, p3, n3 = (ag.tensor(v.reshape(2, 2, 5)) for v in (X, Y, Z))
    t3 = F.triplet_margin_loss(a3, p3, n3, margin=2.5, reduction="none")
    np.testing.assert_allclose(t3.numpy(), _np_triplet(X, Y, Z, 2.5).reshape(2, 2), rtol=1e-5)
    m = F.multi_margin_loss(ag.tensor(X[0]), ag.tensor(2))
    np.testing.assert_allclose(m.item(), _np_multi_margin(X[:1], np.array([2]))[0], rtol=1e-5)


MODULES = [
    (nn.SmoothL1Loss(beta=0.5), lambda a, b: F.smooth_l1_loss(a, b, beta=0.5), (X, Y)),
    (nn.HuberLoss(delta=0.7, reduction="sum"), lambda a, b: F.huber_loss(a, b, "sum", 0.7), (X, Y)),
    (nn.KLDivLoss("batchmean"), lambda a, b: F.kl_div(a, b, "batchmean"), (np.log(P), P)),
    (nn.GaussianNLLLoss(full=True), lambda a, b, v: F.gaussian_nll_loss(a, b, v, True), (X, Y, P)),
    (nn.PoissonNLLLoss(), F.poisson_nll_loss, (X, COUNTS)),
    (
        nn.MarginRankingLoss(0.3),
        lambda a, b, t: F.margin_ranking_loss(a, b, t, 0.3),
        (X[:, 0], Y[:, 0], SIGN_ROWS),
    ),
    (nn.HingeEmbeddingLoss(), F.hinge_embedding_loss, (X, SIGNS)),
    (nn.SoftMarginLoss(), F.soft_margin_loss, (X, SIGNS)),
    (nn.MultiLabelSoftMarginLoss(), F.multilabel_soft_margin_loss, (X, (SIGNS > 0).astype(float))),
    (nn.CosineEmbeddingLoss(), F.cosine_embedding_loss, (X, Y, SIGN_ROWS)),
    (
        nn.TripletMarginLoss(swap=True),
        lambda a, b, c: F.triplet_margin_loss(a, b, c, swap=True),
        (X, Y, Z),
    ),
    (nn.MultiMarginLoss(p=2), lambda a, y: F.multi_margin_loss(a, y, 2), (X, LABELS)),
    (nn.PairwiseDistance(p=1.0), lambda a, b: F.pairwise_distance(a, b, 1.0), (X, Y)),
    (nn.CosineSimilarity(dim=0), lambda a, b: F.cosine_similarity(a, b, 0), (X, Y)),
]


@pytest.mark.parametrize("module, fn, arrays", MODULES, ids=lambda m: type(m).__name__)
def test_modules_match_functional(module, fn, arrays):
    inputs = [ag.tensor(a) for a in arrays]
    np.testing.assert_allclose(module(*inputs).numpy(), fn(*inputs).numpy(), rtol=1e-6)
    assert list(module.parameters()) == []


def test_module_attributes_buffers_and_repr():
    assert repr(nn.TripletMarginLoss()) == "TripletMarginLoss()"
    assert repr(nn.HuberLoss(delta=2.0)) == "HuberLoss(delta=2.0)"
    assert repr(nn.KLDivLoss("batchmean", log_target=True)) == (
        "KLDivLoss(reduction='batchmean', log_target=True)"
    )
    d = nn.PairwiseDistance()
    assert (d.norm, d.eps, d.keepdim) == (2.0, 1e-6, False)
    c = nn.CosineSimilarity()
    assert (c.dim, c.eps) == (1, 1e-8)
    t = nn.TripletMarginLoss()
    assert (t.margin, t.p, t.eps, t.swap, t.reduction) == (1.0, 2.0, 1e-6, False, "mean")
    g = nn.GaussianNLLLoss()
    assert (g.full, g.eps) == (False, 1e-6)
    p = nn.PoissonNLLLoss()
    assert (p.log_input, p.full, p.eps) == (True, False, 1e-8)
    w = ag.tensor(CLASS_W)
    assert list(nn.MultiLabelSoftMarginLoss(weight=w).state_dict()) == ["weight"]
    assert list(nn.MultiMarginLoss(weight=w).state_dict()) == ["weight"]
    assert list(nn.MultiMarginLoss().state_dict()) == []


def test_errors():
    a, b = ag.zeros(3), ag.zeros(4)
    with pytest.raises(ValueError, match="smooth_l1_loss.*beta"):
        F.smooth_l1_loss(a, a, beta=-1.0)
    with pytest.raises(ValueError, match="huber_loss: input shape"):
        F.huber_loss(a, b)
    with pytest.raises(ValueError, match="huber_loss: weight shape"):
        F.huber_loss(a, a, weight=b)
    with pytest.raises(ValueError, match="kl_div: reduction"):
        F.kl_div(a, a, "batch")
    with pytest.raises(ValueError, match="KLDivLoss: reduction"):
        nn.KLDivLoss("avg")
    with pytest.raises(ValueError, match="gaussian_nll_loss: var shape"):
        F.gaussian_nll_loss(ag.zeros(4, 5), ag.zeros(4, 5), ag.ones(3))
    with pytest.raises(ValueError, match="gaussian_nll_loss: var has negative"):
        F.gaussian_nll_loss(a, a, -ag.ones(3))
    with pytest.raises(ValueError, match="poisson_nll_loss: reduction"):
        F.poisson_nll_loss(a, a, reduction="avg")
    with pytest.raises(ValueError, match="margin_ranking_loss: inputs must have the same number"):
        F.margin_ranking_loss(a, ag.zeros(1, 3), a)
    with pytest.raises(ValueError, match="cosine_embedding_loss: target must have 1 dims"):
        F.cosine_embedding_loss(ag.zeros(2, 3), ag.zeros(2, 3), ag.zeros(2, 1))
    with pytest.raises(ValueError, match="triplet_margin_loss: margin"):
        F.triplet_margin_loss(a, a, a, margin=0.0)
    with pytest.raises(ValueError, match="TripletMarginLoss: margin"):
        nn.TripletMarginLoss(margin=-1.0)
    with pytest.raises(ValueError, match="multi_margin_loss: only p = 1 and p = 2"):
        F.multi_margin_loss(ag.zeros(2, 3), ag.tensor([0, 1]), p=3)
    with pytest.raises(TypeError, match="multi_margin_loss: target must be an integer"):
        F.multi_margin_loss(ag.zeros(2, 3), ag.zeros(2))
    with pytest.raises(ValueError, match="multi_margin_loss: input shape"):
        F.multi_margin_loss(ag.zeros(2, 3), ag.tensor([0, 1, 2]))
    with pytest.raises(ValueError, match="pairwise_distance: expected inputs with at least 1 dim"):
        F.pairwise_distance(ag.tensor(1.0), ag.tensor(2.0))
    with pytest.raises(ValueError, match="SmoothL1Loss: reduction"):
        nn.SmoothL1Loss(reduction="avg")


def test_losses_train_embeddings(device):
    x = ag.tensor(X, dtype=ag.float32).to(device)
    emb = nn.Linear(5, 3).to(device)
    loss = nn.TripletMarginLoss()(emb(x), emb(x + 0.1), emb(-x))
    loss = loss + nn.CosineEmbeddingLoss()(
        emb(x), emb(-x), ag.tensor(SIGN_ROWS, dtype=ag.float32).to(device)
    )
    loss = loss + nn.HuberLoss()(emb(x), ag.zeros(4, 3).to(device))
    loss.backward()
    assert emb.weight.grad is not None and np.isfinite(emb.weight.grad.cpu().numpy()).all()
