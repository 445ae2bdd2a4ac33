"""The Transformer decoder against a NumPy reference (post- and pre-norm), its state_dict names,
the causal mask, memory padding and the Transformer's defaults."""

import math

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn import init


def arr(t):
    return t.detach().numpy()


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


def test_transformer_on_device(device):
    model = nn.Transformer(8, 2, 1, 1, 12, dropout=0.0).to(device)
    y = model(ag.randn(5, 2, 8, device=device), ag.randn(3, 2, 8, device=device))
    assert y.shape == (3, 2, 8) and y.device == model.decoder.norm.weight.device
