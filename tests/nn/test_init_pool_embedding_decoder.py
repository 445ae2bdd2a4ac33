"""Tests for orthogonal_/trunc_normal_/eye_/dirac_/sparse_, pooling with ceil_mode and
return_indices, max_unpool2d, Embedding's max_norm and from_pretrained, and the Transformer
decoder."""

import math

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn import init


def arr(t):
    return t.detach().numpy()


# ---------------------------------------------------------------- init


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4), (6, 2, 2), (2, 3, 2, 2)])
def test_orthogonal_rows_or_columns_are_orthonormal(shape):
    w = init.orthogonal_(ag.empty(*shape), gain=1.5)
    assert w.shape == shape
    a = arr(w).reshape(shape[0], -1).astype(np.float64)
    rows, cols = a.shape
    gram = a @ a.T if rows <= cols else a.T @ a
    np.testing.assert_allclose(gram, 1.5**2 * np.eye(min(rows, cols)), atol=1e-5)


def test_orthogonal_seeded_and_errors():
    a = init.orthogonal_(ag.empty(4, 4), generator=ag.Generator().manual_seed(0))
    b = init.orthogonal_(ag.empty(4, 4), generator=ag.Generator().manual_seed(0))
    np.testing.assert_array_equal(arr(a), arr(b))
    with pytest.raises(ValueError, match=r"orthogonal_: .*2 or more dimensions.*\(5,\)"):
        init.orthogonal_(ag.empty(5))


def test_trunc_normal_bounds_and_statistics():
    w = init.trunc_normal_(ag.empty(100_000), mean=1.0, std=2.0, a=-1.0, b=2.5)
    x = arr(w)
    assert x.min() >= -1.0 and x.max() <= 2.5
    # moments of N(1, 4) truncated to [-1, 2.5]: alpha = -1, beta = 0.75 in std units
    alpha, beta = -1.0, 0.75
    pdf = lambda z: math.exp(-z * z / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda z: (1 + math.erf(z / math.sqrt(2))) / 2  # noqa: E731
    z = cdf(beta) - cdf(alpha)
    mean = 1.0 + 2.0 * (pdf(alpha) - pdf(beta)) / z
    var = 4.0 * (
        1 + (alpha * pdf(alpha) - beta * pdf(beta)) / z - ((pdf(alpha) - pdf(beta)) / z) ** 2
    )
    assert abs(x.mean() - mean) < 0.02
    assert abs(x.std() - math.sqrt(var)) < 0.02
    with pytest.raises(ValueError, match="trunc_normal_: a must not exceed b"):
        init.trunc_normal_(ag.empty(3), a=1.0, b=0.0)


def test_erfinv_inverts_erf():
    u = np.linspace(-0.999999, 0.999999, 501)
    x = init._erfinv(ag.tensor(u))
    np.testing.assert_allclose(np.vectorize(math.erf)(arr(x)), u, atol=1e-12)


def test_eye_():
    np.testing.assert_array_equal(arr(init.eye_(ag.empty(3, 5))), np.eye(3, 5))
    with pytest.raises(ValueError, match=r"eye_: .*2 dimensions.*\(2, 2, 2\)"):
        init.eye_(ag.empty(2, 2, 2))


@pytest.mark.parametrize("shape,groups", [((4, 6, 3, 3), 2), ((3, 2, 5), 1), ((2, 2, 3, 3, 3), 1)])
def test_dirac_is_identity_convolution_on_channels(shape, groups):
    w = arr(init.dirac_(ag.empty(*shape), groups=groups))
    want = np.zeros(shape)
    per = shape[0] // groups
    centre = tuple(s // 2 for s in shape[2:])
    for g in range(groups):
        for d in range(min(per, shape[1])):
            want[(g * per + d, d) + centre] = 1.0
    np.testing.assert_array_equal(w, want)


def test_dirac_conv2d_copies_input():
    x = ag.randn(1, 3, 5, 5)
    conv = nn.Conv2d(3, 3, 3, padding=1, bias=False)
    init.dirac_(conv.weight)
    np.testing.assert_allclose(arr(conv(x)), arr(x), atol=1e-6)
    with pytest.raises(ValueError, match="dirac_: only tensors with 3, 4, or 5 dimensions"):
        init.dirac_(ag.empty(3, 3))
    with pytest.raises(ValueError, match=r"dirac_: dim 0 \(3\) must be divisible by groups=2"):
        init.dirac_(ag.empty(3, 3, 3), groups=2)


def test_sparse_zeros_per_column():
    w = arr(init.sparse_(ag.empty(10, 7), sparsity=0.25, std=0.5))
    np.testing.assert_array_equal((w == 0).sum(axis=0), [3] * 7)  # ceil(0.25 * 10)
    with pytest.raises(ValueError, match=r"sparse_: .*2 dimensions.*\(3,\)"):
        init.sparse_(ag.empty(3), 0.1)


# ---------------------------------------------------------------- pooling


def _out_size(size, k, s, p, d, ceil_mode):
    span = size + 2 * p - d * (k - 1) - 1
    out = (math.ceil(span / s) if ceil_mode else span // s) + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def _pool_reference(x, k, s, p, d, ceil_mode, mode, count_include_pad=True):
    """Loop reference over output cells: max with flat indices, or PyTorch's average."""
    n, c, h, w = x.shape
    ho = _out_size(h, k, s, p, d, ceil_mode)
    wo = _out_size(w, k, s, p, d, ceil_mode)
    out = np.zeros((n, c, ho, wo))
    idx = np.zeros((n, c, ho, wo), dtype=np.int64)
    for i in range(ho):
        for j in range(wo):
            if mode == "max":
                best = np.full((n, c), -np.inf)
                for a in range(k):
                    for b in range(k):
                        r, q = i * s - p + a * d, j * s - p + b * d
                        if 0 <= r < h and 0 <= q < w:
                            better = x[:, :, r, q] > best
                            best = np.where(better, x[:, :, r, q], best)
                            idx[:, :, i, j] = np.where(better, r * w + q, idx[:, :, i, j])
                out[:, :, i, j] = best
            else:
                r0, q0 = i * s - p, j * s - p
                r1, q1 = min(r0 + k, h + p), min(q0 + k, w + p)
                size = (r1 - r0) * (q1 - q0)
                r0, q0, r1, q1 = max(r0, 0), max(q0, 0), min(r1, h), min(q1, w)
                total = x[:, :, r0:r1, q0:q1].sum(axis=(2, 3))
                count = size if count_include_pad else (r1 - r0) * (q1 - q0)
                out[:, :, i, j] = total / count
    return out, idx


POOL_CASES = [  # (H, W, kernel, stride, padding, dilation)
    (5, 7, 2, 2, 0, 1),
    (5, 7, 3, 2, 1, 1),
    (6, 6, 3, 3, 1, 1),
    (4, 9, 2, 3, 1, 2),
    (7, 5, 3, 2, 0, 2),
]


@pytest.mark.parametrize("h,w,k,s,p,d", POOL_CASES)
@pytest.mark.parametrize("ceil_mode", [False, True])
def test_max_pool2d_ceil_mode_and_indices(h, w, k, s, p, d, ceil_mode):
    x = np.random.default_rng(0).standard_normal((2, 3, h, w))
    want, want_idx = _pool_reference(x, k, s, p, d, ceil_mode, "max")
    out, idx = nn.functional.max_pool2d(
        ag.tensor(x), k, s, p, d, ceil_mode=ceil_mode, return_indices=True
    )
    np.testing.assert_allclose(arr(out), want)
    np.testing.assert_array_equal(arr(idx), want_idx)
    assert idx.dtype == np.int64
    alone = nn.functional.max_pool2d(ag.tensor(x), k, s, p, d, ceil_mode=ceil_mode)
    np.testing.assert_allclose(arr(alone), want)
    ag.gradcheck(
        lambda t: nn.functional.max_pool2d(t, k, s, p, d, ceil_mode=ceil_mode),
        (ag.tensor(x[:1, :1], requires_grad=True),),
    )


@pytest.mark.parametrize("h,w,k,s,p,d", [c for c in POOL_CASES if c[5] == 1])
@pytest.mark.parametrize("ceil_mode", [False, True])
@pytest.mark.parametrize("count_include_pad", [True, False])
def test_avg_pool2d_ceil_mode_divisors(h, w, k, s, p, d, ceil_mode, count_include_pad):
    x = np.random.default_rng(1).standard_normal((2, 3, h, w))
    want, _ = _pool_reference(x, k, s, p, 1, ceil_mode, "avg", count_include_pad)
    out = nn.functional.avg_pool2d(
        ag.tensor(x), k, s, p, ceil_mode=ceil_mode, count_include_pad=count_include_pad
    )
    np.testing.assert_allclose(arr(out), want, rtol=1e-12)
    module = nn.AvgPool2d(k, s, p, ceil_mode=ceil_mode, count_include_pad=count_include_pad)
    np.testing.assert_allclose(arr(module(ag.tensor(x))), want, rtol=1e-12)
    ag.gradcheck(
        lambda t: nn.functional.avg_pool2d(t, k, s, p, ceil_mode, count_include_pad),
        (ag.tensor(x[:1, :1], requires_grad=True),),
    )


def test_avg_pool2d_known_ceil_values_and_divisor_override():
    x = ag.arange(25, dtype=ag.float64).reshape(1, 1, 5, 5)
    # 2x2 windows, stride 2 on 5x5: the last row/column of windows holds 2 or 1 cells
    out = nn.functional.avg_pool2d(x, 2, ceil_mode=True)
    assert out.tolist() == [[[[3.0, 5.0, 6.5], [13.0, 15.0, 16.5], [20.5, 22.5, 24.0]]]]
    summed = nn.functional.avg_pool2d(x, 2, ceil_mode=True, divisor_override=1)
    assert summed.tolist()[0][0][2] == [41.0, 45.0, 24.0]
    with pytest.raises(ValueError, match="avg_pool2d: divisor_override must be non-zero"):
        nn.functional.avg_pool2d(x, 2, divisor_override=0)


def test_maxpool2d_module_and_unpool_round_trip():
    x = ag.rand(2, 3, 6, 7, dtype=ag.float64) + 0.5  # positive: re-pooling sees the maxima
    pool = nn.MaxPool2d(2, return_indices=True, ceil_mode=True)
    out, idx = pool(x)
    assert out.shape == (2, 3, 3, 4)
    assert repr(pool) == (
        "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=True)"
    )
    unpool = nn.MaxUnpool2d(2)
    assert repr(unpool) == "MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))"
    back = unpool(out, idx, output_size=x.shape)
    assert back.shape == x.shape
    # every window's maximum is back in place, everything else is zero
    keep = arr(back) != 0
    np.testing.assert_array_equal(arr(back)[keep], arr(x)[keep])
    assert keep.sum() == out.numel()
    np.testing.assert_allclose(arr(nn.functional.max_pool2d(back, 2, ceil_mode=True)), arr(out))
    ag.gradcheck(
        lambda t: nn.functional.max_unpool2d(t, idx, 2, output_size=(6, 7)),
        (out.detach().requires_grad_(),),
    )
    # unbatched input, default output size
    o3, i3 = nn.functional.max_pool2d(x[0, :, :, :6], 2, return_indices=True)
    assert nn.functional.max_unpool2d(o3, i3, 2).shape == (3, 6, 6)
    with pytest.raises(ValueError, match=r"max_unpool2d: indices must lie in \[0, 25\)"):
        nn.functional.max_unpool2d(o3, i3, 2, output_size=(5, 5))
    with pytest.raises(ValueError, match=r"max_unpool2d: output_size \(9, 9\) must be within"):
        nn.functional.max_unpool2d(out, idx, 2, output_size=(9, 9))
    with pytest.raises(ValueError, match="max_unpool2d: indices of shape"):
        nn.functional.max_unpool2d(out, idx[:, :1], 2)


# ---------------------------------------------------------------- embedding


@pytest.mark.parametrize("norm_type", [2.0, 1.0, math.inf])
def test_embedding_max_norm_renormalises_looked_up_rows(norm_type):
    w = np.random.default_rng(0).standard_normal((6, 4)) * 3
    weight = ag.tensor(w.copy(), requires_grad=True)
    idx = ag.tensor([[1, 2, 2], [4, 1, 0]])
    out = nn.functional.embedding(idx, weight, max_norm=1.5, norm_type=norm_type)
    want = w.copy()
    for i in (0, 1, 2, 4):
        norm = np.linalg.norm(w[i], ord=norm_type)
        if norm > 1.5:
            want[i] = w[i] * 1.5 / (norm + 1e-7)
    np.testing.assert_allclose(arr(weight), want)  # in place, rows 3 and 5 untouched
    np.testing.assert_allclose(arr(out), want[arr(idx)])
    out.sum().backward()
    assert weight.grad[1].tolist() == [2.0] * 4 and weight.grad[3].tolist() == [0.0] * 4


def test_embedding_scale_grad_by_freq_and_padding():
    e = nn.Embedding(5, 3, padding_idx=0, scale_grad_by_freq=True)
    idx = ag.tensor([[0, 2, 2], [2, 3, 0]])
    g = np.random.default_rng(2).standard_normal((2, 3, 3))
    e(idx).backward(ag.tensor(g, dtype=e.weight.dtype))
    grad = arr(e.weight.grad)
    np.testing.assert_allclose(grad[2], (g[0, 1] + g[0, 2] + g[1, 0]) / 3, rtol=1e-6)
    np.testing.assert_allclose(grad[3], g[1, 1], rtol=1e-6)
    assert grad[0].tolist() == [0.0] * 3
    weight = ag.randn(5, 3, dtype=ag.float64, requires_grad=True)
    # without the scaling the gradient is the true one
    ag.gradcheck(lambda t: nn.functional.embedding(idx, t) ** 2, (weight,))


def test_embedding_from_pretrained_and_repr():
    w = ag.randn(7, 3)
    e = nn.Embedding.from_pretrained(w, padding_idx=2)
    assert not e.weight.requires_grad and e.weight.shape == (7, 3)
    np.testing.assert_array_equal(arr(e(ag.tensor([2, 5]))), arr(w)[[2, 5]])  # pad row kept
    assert nn.Embedding.from_pretrained(w, freeze=False).weight.requires_grad
    e = nn.Embedding(10, 4, padding_idx=-1, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True)
    assert repr(e) == (
        "Embedding(10, 4, padding_idx=9, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True)"
    )
    with pytest.raises(ValueError, match=r"from_pretrained: embeddings must be 2-D.*\(7,\)"):
        nn.Embedding.from_pretrained(ag.randn(7))
    with pytest.raises(ValueError, match="Embedding: padding_idx 10 must be within"):
        nn.Embedding(10, 4, padding_idx=10)
    with pytest.raises(TypeError, match="embedding: expected integer indices"):
        nn.functional.embedding(ag.zeros(2), w)
    with pytest.raises(ValueError, match=r"embedding: weight must be 2-D.*\(7,\)"):
        nn.functional.embedding(ag.tensor([1]), ag.randn(7))


# ---------------------------------------------------------------- transformer decoder


def _np_mha(attn, q, kv, mask=None, kpm=None):
    """NumPy multi-head attention on (L, N, E) with attn's weights; masks: float (L, S) added,
    key padding (N, S) True = left out."""
    w, b = arr(attn.in_proj_weight), arr(attn.in_proj_bias)
    e, h = q.shape[-1], attn.num_heads
    qp, kp, vp = (
        q @ w[:e].T + b[:e],
        kv @ w[e : 2 * e].T + b[e : 2 * e],
        kv @ w[2 * e :].T + b[2 * e :],
    )
    L, N, S, d = q.shape[0], q.shape[1], kv.shape[0], e // h

    def heads(x, n):
        return x.reshape(n, N, h, d).transpose(1, 2, 0, 3)  # (N, h, n, d)

    scores = heads(qp, L) @ heads(kp, S).transpose(0, 1, 3, 2) / math.sqrt(d)
    if mask is not None:
        scores = scores + mask
    if kpm is not None:
        scores = np.where(kpm[:, None, None, :], -np.inf, scores)
    p = np.exp(scores - scores.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    out = (p @ heads(vp, S)).transpose(2, 0, 1, 3).reshape(L, N, e)
    return out @ arr(attn.out_proj.weight).T + arr(attn.out_proj.bias)


def _np_ln(norm, x):
    mu, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + norm.eps) * arr(norm.weight) + arr(norm.bias)


def _np_decoder_layer(layer, tgt, mem, tgt_mask=None, mem_kpm=None):
    def ff(x):
        hidden = np.maximum(x @ arr(layer.linear1.weight).T + arr(layer.linear1.bias), 0)
        return hidden @ arr(layer.linear2.weight).T + arr(layer.linear2.bias)

    def sa(x):
        return _np_mha(layer.self_attn, x, x, mask=tgt_mask)

    def ca(x):
        return _np_mha(layer.multihead_attn, x, mem, kpm=mem_kpm)

    x = tgt
    if layer.norm_first:
        x = x + sa(_np_ln(layer.norm1, x))
        x = x + ca(_np_ln(layer.norm2, x))
        return x + ff(_np_ln(layer.norm3, x))
    x = _np_ln(layer.norm1, x + sa(x))
    x = _np_ln(layer.norm2, x + ca(x))
    return _np_ln(layer.norm3, x + ff(x))


@pytest.mark.parametrize("norm_first", [False, True])
def test_decoder_layer_matches_numpy_reference(norm_first):
    rng = np.random.default_rng(0)
    layer = nn.TransformerDecoderLayer(
        8, 2, dim_feedforward=12, dropout=0.0, norm_first=norm_first, dtype=ag.float64
    )
    for p in (layer.norm1.bias, layer.norm2.weight, layer.self_attn.in_proj_bias):
        init.normal_(p)  # non-trivial values where PyTorch starts with constants
    tgt, mem = rng.standard_normal((4, 3, 8)), rng.standard_normal((5, 3, 8))
    mask = arr(nn.Transformer.generate_square_subsequent_mask(4, dtype=ag.float64))
    kpm = np.zeros((3, 5), dtype=bool)
    kpm[1, 3:] = True
    out = layer(
        ag.tensor(tgt),
        ag.tensor(mem),
        tgt_mask=ag.tensor(mask),
        memory_key_padding_mask=ag.tensor(kpm),
    )
    want = _np_decoder_layer(layer, tgt, mem, mask, kpm)
    np.testing.assert_allclose(arr(out), want, rtol=1e-10, atol=1e-10)


def test_decoder_state_dict_names_and_stack():
    layer = nn.TransformerDecoderLayer(8, 2, dim_feedforward=12)
    names = set(layer.state_dict())
    assert names == {
        "self_attn.in_proj_weight",
        "self_attn.in_proj_bias",
        "self_attn.out_proj.weight",
        "self_attn.out_proj.bias",
        "multihead_attn.in_proj_weight",
        "multihead_attn.in_proj_bias",
        "multihead_attn.out_proj.weight",
        "multihead_attn.out_proj.bias",
        "linear1.weight",
        "linear1.bias",
        "linear2.weight",
        "linear2.bias",
        "norm1.weight",
        "norm1.bias",
        "norm2.weight",
        "norm2.bias",
        "norm3.weight",
        "norm3.bias",
    }
    decoder = nn.TransformerDecoder(layer, num_layers=3, norm=nn.LayerNorm(8))
    assert len(decoder.layers) == 3 and decoder.layers[0] is not decoder.layers[1]
    assert "layers.2.multihead_attn.in_proj_weight" in decoder.state_dict()
    assert "norm.weight" in decoder.state_dict()
    with pytest.raises(ValueError, match="TransformerDecoder: num_layers must be at least 1"):
        nn.TransformerDecoder(layer, 0)


def test_generate_square_subsequent_mask():
    m = arr(nn.Transformer.generate_square_subsequent_mask(3))
    np.testing.assert_array_equal(m, [[0, -np.inf, -np.inf], [0, 0, -np.inf], [0, 0, 0]])


def test_transformer_is_causal_and_ignores_padded_memory():
    rng = np.random.default_rng(3)
    model = nn.Transformer(
        d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=12,
        dropout=0.0, batch_first=True, dtype=ag.float64,
    )  # fmt: skip
    assert set(model.state_dict()) >= {"encoder.norm.weight", "decoder.norm.bias"}
    assert model.encoder.num_layers == 2 and model.decoder.num_layers == 2
    src, tgt = rng.standard_normal((2, 5, 8)), rng.standard_normal((2, 4, 8))
    mask = nn.Transformer.generate_square_subsequent_mask(4, dtype=ag.float64)
    kpm = np.zeros((2, 5), dtype=bool)
    kpm[:, 4] = True
    kw = {"tgt_mask": mask, "src_key_padding_mask": ag.tensor(kpm)}
    kw["memory_key_padding_mask"] = ag.tensor(kpm)
    out = arr(model(ag.tensor(src), ag.tensor(tgt), **kw))
    # a later tgt position, or a padded src position, changes nothing before / anywhere
    tgt2, src2 = tgt.copy(), src.copy()
    tgt2[:, 3] += 1.0
    src2[:, 4] += 1.0
    out2 = arr(model(ag.tensor(src2), ag.tensor(tgt2), **kw))
    np.testing.assert_allclose(out2[:, :3], out[:, :3], atol=1e-12)
    assert not np.allclose(out2[:, 3], out[:, 3])
    ag.gradcheck(
        lambda s, t: model(s, t, tgt_mask=mask[:3, :3]),
        (ag.tensor(src[:1], requires_grad=True), ag.tensor(tgt[:1, :3], requires_grad=True)),
    )
    with pytest.raises(RuntimeError, match="Transformer: the batch number of src and tgt"):
        model(ag.tensor(src), ag.tensor(tgt[:1]))
    with pytest.raises(
        RuntimeError, match="feature number of src and tgt must be equal to d_model"
    ):
        model(ag.tensor(src[..., :4]), ag.tensor(tgt[..., :4]))


def test_transformer_defaults_and_xavier_init():
    import inspect

    params = inspect.signature(nn.Transformer).parameters
    defaults = {k: params[k].default for k in ("d_model", "nhead", "dim_feedforward", "dropout")}
    assert defaults == {"d_model": 512, "nhead": 8, "dim_feedforward": 2048, "dropout": 0.1}
    assert params["num_encoder_layers"].default == params["num_decoder_layers"].default == 6
    model = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
                           dim_feedforward=12)  # fmt: skip
    w = arr(model.decoder.layers[0].linear1.weight)
    assert np.abs(w).max() <= math.sqrt(6.0 / (8 + 12)) + 1e-7


def test_new_pieces_on_device(device):
    w = ag.empty(4, 6, device=device)
    for fill in (init.orthogonal_, init.trunc_normal_, init.eye_, lambda t: init.sparse_(t, 0.5)):
        assert fill(w).device == w.device
    assert init.dirac_(ag.empty(2, 2, 3, 3, device=device)).device == w.device
    x = ag.randn(1, 2, 5, 5, device=device, requires_grad=True)
    out, idx = nn.functional.max_pool2d(x, 2, ceil_mode=True, return_indices=True)
    back = nn.functional.max_unpool2d(out, idx, 2, output_size=(5, 5))
    avg = nn.functional.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False)
    (back.sum() + avg.sum()).backward()
    assert x.grad.device == x.device and idx.device == x.device
    emb = nn.Embedding(6, 4, max_norm=1.0, scale_grad_by_freq=True).to(device)
    emb(ag.tensor([[1, 2, 2]]).to(device)).sum().backward()
    assert emb.weight.grad.device == emb.weight.device
    model = nn.Transformer(8, 2, 1, 1, 12, dropout=0.0).to(device)
    y = model(ag.randn(5, 2, 8, device=device), ag.randn(3, 2, 8, device=device))
    assert y.shape == (3, 2, 8) and y.device == model.decoder.norm.weight.device
