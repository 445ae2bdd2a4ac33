"""GRU/GRUCell, Bilinear, scaled_dot_product_attention, MultiheadAttention: forward against
NumPy references, gradcheck in float64, PyTorch's parameter names and shapes, errors."""

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F


def _np(t):
    return t.detach().numpy()


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _np_gru_step(x, h, w_ih, w_hh, b_ih, b_hh):
    gi = x @ w_ih.T + b_ih
    gh = h @ w_hh.T + b_hh
    H = h.shape[-1]
    r = _sigmoid(gi[..., :H] + gh[..., :H])
    z = _sigmoid(gi[..., H : 2 * H] + gh[..., H : 2 * H])
    n = np.tanh(gi[..., 2 * H :] + r * gh[..., 2 * H :])
    return (1 - z) * n + z * h


def _np_gru(gru, x, h0):
    """Layer by layer, both directions, (L, N, input) -> (output, h_n), as PyTorch."""
    D = 2 if gru.bidirectional else 1
    finals = []
    for k in range(gru.num_layers):
        outs = []
        for d, suffix in enumerate(("", "_reverse")[:D]):
            w = [getattr(gru, f"{n}_l{k}{suffix}") for n in ("weight_ih", "weight_hh")]
            b = [getattr(gru, f"{n}_l{k}{suffix}") for n in ("bias_ih", "bias_hh")]
            w = [_np(p) for p in w]
            b = [_np(p) if p is not None else 0.0 for p in b]
            h = h0[k * D + d]
            seq = [None] * x.shape[0]
            order = range(x.shape[0])
            for t in reversed(order) if d == 1 else order:
                h = _np_gru_step(x[t], h, w[0], w[1], b[0], b[1])
                seq[t] = h
            outs.append(np.stack(seq))
            finals.append(h)
        x = np.concatenate(outs, axis=-1)
    return x, np.stack(finals)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"num_layers": 2, "bidirectional": True}, {"bias": False}, {"batch_first": True}],
)
def test_gru_matches_numpy(kwargs):
    gru = nn.GRU(3, 4, dtype=ag.float64, **kwargs)
    D = 2 if gru.bidirectional else 1
    x = np.random.randn(5, 2, 3)
    h0 = np.random.randn(gru.num_layers * D, 2, 4)
    ref_out, ref_h = _np_gru(gru, x, h0)
    xin = x.transpose(1, 0, 2) if gru.batch_first else x
    out, h = gru(ag.tensor(xin), ag.tensor(h0))
    if gru.batch_first:
        ref_out = ref_out.transpose(1, 0, 2)
    np.testing.assert_allclose(_np(out), ref_out, atol=1e-12)
    np.testing.assert_allclose(_np(h), ref_h, atol=1e-12)
    # unbatched: (L, H_in) -> (L, D*H), h_n (num_layers*D, H)
    out, h = gru(ag.tensor(x[:, 0]))
    ref_out, ref_h = _np_gru(gru, x[:, :1], np.zeros((gru.num_layers * D, 1, 4)))
    np.testing.assert_allclose(_np(out), ref_out[:, 0], atol=1e-12)
    np.testing.assert_allclose(_np(h), ref_h[:, 0], atol=1e-12)


def test_gru_cell_matches_numpy_and_gru():
    cell = nn.GRUCell(3, 4, dtype=ag.float64)
    x, h = np.random.randn(2, 3), np.random.randn(2, 4)
    weights = [_np(getattr(cell, n)) for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    np.testing.assert_allclose(
        _np(cell(ag.tensor(x), ag.tensor(h))), _np_gru_step(x, h, *weights), atol=1e-12
    )
    np.testing.assert_allclose(
        _np(cell(ag.tensor(x[0]))), _np_gru_step(x[0], 0 * h[0], *weights), atol=1e-12
    )
    gru = nn.GRU(3, 4, dtype=ag.float64)
    gru.load_state_dict({k + "_l0": v for k, v in cell.state_dict().items()})
    out, _ = gru(ag.tensor(x[None]), ag.tensor(h[None]))
    np.testing.assert_allclose(_np(out[0]), _np(cell(ag.tensor(x), ag.tensor(h))), atol=1e-12)


def test_gru_parameter_names_shapes_and_init():
    gru = nn.GRU(3, 4, num_layers=2, bidirectional=True)
    expected = []
    for layer, size in ((0, 3), (1, 8)):
        for suffix in ("", "_reverse"):
            expected += [
                (f"weight_ih_l{layer}{suffix}", (12, size)),
                (f"weight_hh_l{layer}{suffix}", (12, 4)),
                (f"bias_ih_l{layer}{suffix}", (12,)),
                (f"bias_hh_l{layer}{suffix}", (12,)),
            ]
    assert [(n, tuple(p.shape)) for n, p in gru.named_parameters()] == expected
    assert nn.count_parameters(nn.GRUCell(3, 4)) == 12 * (3 + 4 + 2)
    bound = 1 / np.sqrt(4)
    for p in gru.parameters():
        assert np.abs(_np(p)).max() <= bound
    assert repr(gru) == "GRU(3, 4, num_layers=2, bidirectional=True)"
    assert repr(nn.GRUCell(3, 4)) == "GRUCell(3, 4)"


def test_gru_dropout_between_layers_only_in_training():
    gru = nn.GRU(3, 4, num_layers=2, dropout=0.5, dtype=ag.float64)
    x = ag.randn(5, 2, 3, dtype=ag.float64)
    gru.eval()
    a, b = gru(x)[0], gru(x)[0]
    np.testing.assert_array_equal(_np(a), _np(b))
    ref, _ = _np_gru(gru, _np(x), np.zeros((2, 2, 4)))
    np.testing.assert_allclose(_np(a), ref, atol=1e-12)
    # dropout=1.0 in training zeroes layer 0's output, so layer 1 runs on zeros; the last
    # layer's output is never dropped
    gru.dropout = 1.0
    gru.train()
    top = nn.GRU(4, 4, dtype=ag.float64)
    top.load_state_dict({k[:-1] + "0": v for k, v in gru.state_dict().items() if k.endswith("l1")})
    ref, _ = _np_gru(top, np.zeros((5, 2, 4)), np.zeros((1, 2, 4)))
    np.testing.assert_allclose(_np(gru(x)[0]), ref, atol=1e-12)


def test_gru_gradcheck():
    gru = nn.GRU(2, 3, num_layers=2, bidirectional=True, dtype=ag.float64)
    x = ag.randn(3, 2, 2, dtype=ag.float64, requires_grad=True)
    h0 = ag.randn(4, 2, 3, dtype=ag.float64, requires_grad=True)
    assert ag.gradcheck(lambda x, h, w, b: gru(x, h)[0], (x, h0, gru.weight_hh_l0, gru.bias_hh_l1))
    cell = nn.GRUCell(2, 3, dtype=ag.float64)
    hx = ag.randn(2, 3, dtype=ag.float64, requires_grad=True)
    assert ag.gradcheck(lambda x, h, w: cell(x, h), (x[0], hx, cell.weight_ih))


def test_gru_errors():
    gru = nn.GRU(3, 4)
    with pytest.raises(ValueError, match=r"GRU: expected input \(L, N, 3\)"):
        gru(ag.randn(5, 2, 7))
    with pytest.raises(RuntimeError, match=r"GRU: expected h0 of shape \(1, 2, 4\)"):
        gru(ag.randn(5, 2, 3), ag.randn(2, 2, 4))
    with pytest.raises(ValueError, match=r"GRUCell: expected input"):
        nn.GRUCell(3, 4)(ag.randn(2, 5))
    with pytest.raises(ValueError, match=r"GRUCell: expected hx of shape \(2, 4\)"):
        nn.GRUCell(3, 4)(ag.randn(2, 3), ag.randn(3, 4))


def test_bilinear_matches_numpy_parameters_and_gradcheck():
    m = nn.Bilinear(3, 4, 5, dtype=ag.float64)
    assert [(n, tuple(p.shape)) for n, p in m.named_parameters()] == [
        ("weight", (5, 3, 4)),
        ("bias", (5,)),
    ]
    assert np.abs(_np(m.weight)).max() <= 1 / np.sqrt(3)
    assert repr(m) == "Bilinear(in1_features=3, in2_features=4, out_features=5, bias=True)"
    x1, x2 = np.random.randn(2, 6, 3), np.random.randn(2, 6, 4)
    ref = np.einsum("bti,oij,btj->bto", x1, _np(m.weight), x2) + _np(m.bias)
    np.testing.assert_allclose(_np(m(ag.tensor(x1), ag.tensor(x2))), ref, atol=1e-12)
    np.testing.assert_allclose(_np(m(ag.tensor(x1[0, 0]), ag.tensor(x2[0, 0]))), ref[0, 0])
    assert nn.Bilinear(3, 4, 5, bias=False).bias is None
    a = ag.randn(2, 3, dtype=ag.float64, requires_grad=True)
    b = ag.randn(2, 4, dtype=ag.float64, requires_grad=True)
    assert ag.gradcheck(F.bilinear, (a, b, m.weight, m.bias))
    with pytest.raises(ValueError, match=r"bilinear: expected input1 \(\*, 3\)"):
        m(ag.randn(2, 4), ag.randn(2, 4))
    with pytest.raises(ValueError, match="same leading dims"):
        m(ag.randn(2, 3), ag.randn(3, 4))


def _np_softmax(s):
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _np_sdpa(q, k, v, bias=0.0, scale=None):
    scale = 1 / np.sqrt(q.shape[-1]) if scale is None else scale
    w = _np_softmax(q @ np.swapaxes(k, -1, -2) * scale + bias)
    return w @ v, w


def test_scaled_dot_product_attention_masks_and_scale():
    q, k, v = np.random.randn(2, 3, 5, 4), np.random.randn(2, 3, 6, 4), np.random.randn(2, 3, 6, 7)
    Q, K, V = ag.tensor(q), ag.tensor(k), ag.tensor(v)
    sdpa = F.scaled_dot_product_attention
    np.testing.assert_allclose(_np(sdpa(Q, K, V)), _np_sdpa(q, k, v)[0], atol=1e-12)
    np.testing.assert_allclose(
        _np(sdpa(Q, K, V, scale=0.3)), _np_sdpa(q, k, v, scale=0.3)[0], atol=1e-12
    )
    # bool mask: True takes part
    keep = np.random.rand(5, 6) > 0.3
    keep[:, 0] = True
    ref = _np_sdpa(q, k, v, np.where(keep, 0.0, -np.inf))[0]
    np.testing.assert_allclose(_np(sdpa(Q, K, V, attn_mask=ag.tensor(keep))), ref, atol=1e-12)
    bias = np.random.randn(2, 1, 5, 6)
    ref = _np_sdpa(q, k, v, bias)[0]
    np.testing.assert_allclose(_np(sdpa(Q, K, V, attn_mask=ag.tensor(bias))), ref, atol=1e-12)
    # causal, L < S: row i sees keys 0..i (the top-left triangle, as PyTorch)
    causal = np.where(np.tril(np.ones((5, 6))) > 0, 0.0, -np.inf)
    ref = _np_sdpa(q, k, v, causal)[0]
    np.testing.assert_allclose(_np(sdpa(Q, K, V, is_causal=True)), ref, atol=1e-12)
    Q.requires_grad = K.requires_grad = V.requires_grad = True
    assert ag.gradcheck(lambda q, k, v: sdpa(q, k, v, attn_mask=ag.tensor(bias)), (Q, K, V))
    with pytest.raises(ValueError, match=r"expected query \(\.\.\., L, E\)"):
        sdpa(Q, ag.randn(2, 3, 6, 3), V)
    with pytest.raises(ValueError, match="not both"):
        sdpa(Q, K, V, attn_mask=ag.tensor(keep), is_causal=True)


def test_sdpa_grouped_query_heads():
    q, k, v = np.random.randn(2, 6, 5, 4), np.random.randn(2, 2, 7, 4), np.random.randn(2, 2, 7, 3)
    out = F.scaled_dot_product_attention(ag.tensor(q), ag.tensor(k), ag.tensor(v), enable_gqa=True)
    ref = _np_sdpa(q, np.repeat(k, 3, axis=1), np.repeat(v, 3, axis=1))[0]
    np.testing.assert_allclose(_np(out), ref, atol=1e-12)
    with pytest.raises(ValueError, match="must be a multiple"):
        F.scaled_dot_product_attention(
            ag.tensor(q), ag.randn(2, 4, 7, 4), ag.randn(2, 4, 7, 3), enable_gqa=True
        )


def test_sdpa_dropout_one_drops_everything():
    q = ag.randn(2, 3, 4)
    assert np.all(_np(F.scaled_dot_product_attention(q, q, q, dropout_p=1.0)) == 0)


def _np_mha(m, q, k, v, bias=0.0):
    """(L, N, E) inputs; bias (N * heads, L, S) or broadcastable: (output, per-head weights)."""
    E, h = m.embed_dim, m.num_heads
    w = _np(m.in_proj_weight)
    b = _np(m.in_proj_bias)
    Q, K, V = (
        x @ w[i * E : (i + 1) * E].T + b[i * E : (i + 1) * E] for i, x in enumerate((q, k, v))
    )

    def heads(x):
        return x.reshape(x.shape[0], -1, E // h).transpose(1, 0, 2)  # (N * h, seq, hd)

    out, weights = _np_sdpa(heads(Q), heads(K), heads(V), bias)
    out = out.transpose(1, 0, 2).reshape(q.shape[0], q.shape[1], E)
    out = out @ _np(m.out_proj.weight).T + _np(m.out_proj.bias)
    return out, weights.reshape(q.shape[1], h, q.shape[0], k.shape[0])


def test_multihead_attention_matches_numpy():
    m = nn.MultiheadAttention(8, 2, dtype=ag.float64)
    init_b = np.random.randn(24) * 0.1
    m.in_proj_bias.data = ag.tensor(init_b)
    q, k, v = np.random.randn(5, 3, 8), np.random.randn(6, 3, 8), np.random.randn(6, 3, 8)
    out, w = m(ag.tensor(q), ag.tensor(k), ag.tensor(v))
    ref_out, ref_w = _np_mha(m, q, k, v)
    np.testing.assert_allclose(_np(out), ref_out, atol=1e-12)
    np.testing.assert_allclose(_np(w), ref_w.mean(axis=1), atol=1e-12)
    # masks mark with True what is left out; the two add up
    pad = np.zeros((3, 6), dtype=bool)
    pad[0, -2:] = True
    drop = np.random.rand(5, 6) > 0.7
    drop[:, 0] = False
    bias = np.where(drop, -np.inf, 0.0)[None] + np.repeat(
        np.where(pad, -np.inf, 0.0)[:, None, None, :], 2, axis=1
    ).reshape(6, 1, 6)
    out, w = m(
        ag.tensor(q),
        ag.tensor(k),
        ag.tensor(v),
        key_padding_mask=ag.tensor(pad),
        attn_mask=ag.tensor(drop),
        average_attn_weights=False,
    )
    ref_out, ref_w = _np_mha(m, q, k, v, bias)
    np.testing.assert_allclose(_np(out), ref_out, atol=1e-12)
    np.testing.assert_allclose(_np(w), ref_w, atol=1e-12)
    # batch_first and unbatched agree with the (L, N, E) layout
    m.batch_first = True
    out, w = m(*(ag.tensor(x.transpose(1, 0, 2)) for x in (q, k, v)))
    np.testing.assert_allclose(_np(out), _np_mha(m, q, k, v)[0].transpose(1, 0, 2), atol=1e-12)
    m.batch_first = False
    out, w = m(ag.tensor(q[:, 0]), ag.tensor(k[:, 0]), ag.tensor(v[:, 0]), need_weights=False)
    assert w is None
    np.testing.assert_allclose(_np(out), _np_mha(m, q, k, v)[0][:, 0], atol=1e-12)


def test_multihead_attention_parameters():
    m = nn.MultiheadAttention(8, 2)
    assert [(n, tuple(p.shape)) for n, p in m.named_parameters()] == [
        ("in_proj_weight", (24, 8)),
        ("in_proj_bias", (24,)),
        ("out_proj.weight", (8, 8)),
        ("out_proj.bias", (8,)),
    ]
    assert np.all(_np(m.in_proj_bias) == 0) and np.all(_np(m.out_proj.bias) == 0)
    m = nn.MultiheadAttention(8, 4, bias=False, kdim=3, vdim=5, add_bias_kv=True)
    assert [(n, tuple(p.shape)) for n, p in m.named_parameters()] == [
        ("q_proj_weight", (8, 8)),
        ("k_proj_weight", (8, 3)),
        ("v_proj_weight", (8, 5)),
        ("bias_k", (1, 1, 8)),
        ("bias_v", (1, 1, 8)),
        ("out_proj.weight", (8, 8)),
    ]
    out, w = m(ag.randn(5, 2, 8), ag.randn(6, 2, 3), ag.randn(6, 2, 5))
    assert out.shape == (5, 2, 8) and w.shape == (2, 5, 7)


def test_multihead_attention_gradcheck_and_errors():
    m = nn.MultiheadAttention(4, 2, kdim=3, add_zero_attn=True, dtype=ag.float64)
    q = ag.randn(3, 2, 4, dtype=ag.float64, requires_grad=True)
    k = ag.randn(5, 2, 3, dtype=ag.float64, requires_grad=True)
    v = ag.randn(5, 2, 4, dtype=ag.float64, requires_grad=True)
    assert ag.gradcheck(lambda q, k, v, w: m(q, k, v)[0], (q, k, v, m.k_proj_weight))
    with pytest.raises(ValueError, match="embed_dim must be divisible by num_heads"):
        nn.MultiheadAttention(6, 4)
    with pytest.raises(ValueError, match=r"key_padding_mask must be \(2, 5\)"):
        m(q, k, v, key_padding_mask=ag.zeros((2, 4)).bool())
    with pytest.raises(ValueError, match=r"attn_mask must be \(3, 5\)"):
        m(q, k, v, attn_mask=ag.zeros((3, 4)).bool())
    with pytest.raises(RuntimeError, match="give attn_mask too"):
        m(q, k, v, is_causal=True)


def _np_layer_norm(x, norm):
    mu, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + norm.eps) * _np(norm.weight) + _np(norm.bias)


@pytest.mark.parametrize("norm_first", [False, True])
def test_transformer_encoder_layer_matches_numpy(norm_first):
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, norm_first=norm_first)
    layer = layer.double().eval()
    x = np.random.randn(5, 3, 8)

    def sa(y):
        return _np_mha(layer.self_attn, y, y, y)[0]

    def ff(y):
        hidden = np.maximum(y @ _np(layer.linear1.weight).T + _np(layer.linear1.bias), 0)
        return hidden @ _np(layer.linear2.weight).T + _np(layer.linear2.bias)

    n1, n2 = (lambda y: _np_layer_norm(y, layer.norm1)), (lambda y: _np_layer_norm(y, layer.norm2))
    if norm_first:
        ref = x + sa(n1(x))
        ref = ref + ff(n2(ref))
    else:
        ref = n1(x + sa(x))
        ref = n2(ref + ff(ref))
    np.testing.assert_allclose(_np(layer(ag.tensor(x))), ref, atol=1e-12)


def test_transformer_encoder_parameters_train_eval_and_gradcheck():
    layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=6, activation="gelu", dropout=0.5)
    names = [n for n, _ in layer.named_parameters()]
    assert names == [
        "self_attn.in_proj_weight",
        "self_attn.in_proj_bias",
        "self_attn.out_proj.weight",
        "self_attn.out_proj.bias",
        "linear1.weight",
        "linear1.bias",
        "linear2.weight",
        "linear2.bias",
        "norm1.weight",
        "norm1.bias",
        "norm2.weight",
        "norm2.bias",
    ]
    enc = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(4)).double()
    assert [n for n, _ in enc.named_parameters()][:2] == [
        "layers.0.self_attn.in_proj_weight",
        "layers.0.self_attn.in_proj_bias",
    ]
    assert nn.count_parameters(enc) == 2 * nn.count_parameters(layer) + 8
    x = ag.randn(3, 2, 4, dtype=ag.float64, requires_grad=True)
    enc.eval()
    np.testing.assert_array_equal(_np(enc(x)), _np(enc(x)))
    enc.train()
    assert not np.allclose(_np(enc(x)), _np(enc.eval()(x)))
    causal = ag.triu(ag.ones((3, 3)), diagonal=1).bool()
    assert ag.gradcheck(lambda x: enc(x, mask=causal, is_causal=True), (x,))
    with pytest.raises(RuntimeError, match="activation should be relu/gelu"):
        nn.TransformerEncoderLayer(4, 2, activation="tanh")
