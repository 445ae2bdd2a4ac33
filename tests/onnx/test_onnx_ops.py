"""Every mapped op, and every layer a CNN, MLP, RNN or Transformer uses, exported to ONNX and
run by ONNX Runtime on new inputs of another batch size."""

import pytest
from onnx_check import BATCH, assert_runtime_matches

import autograd_core as ag
import nn
from autograd_core.onnx.capture import capturing
from autograd_core.onnx.export import _load_emitters
from autograd_core.onnx.lower import EMITTERS


class EveryOp(nn.Module):
    """Calls each op that export maps; three outputs of (N, ...) shapes."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.up = nn.ConvTranspose2d(4, 2, 2, stride=2)
        self.fc = nn.Linear(8, 5)
        self.w3 = nn.Parameter(ag.randn(8, 5) * 0.3)

    def forward(self, x):  # x: (N, 3, 4, 8)
        n = x.shape[0]
        s = ag.sigmoid(x)  # (0, 1)
        t = ag.tanh(x) * 0.9  # (-0.9, 0.9)
        pos = s + 0.5
        unary = (
            -ag.exp(t) + ag.log(pos) + ag.sqrt(pos) + ag.sin(x) + ag.cos(x) + ag.abs(x)
            + ag.erf(x) + ag.relu(x) + ag.reciprocal(pos) + ag.tan(t) + ag.asin(t)
            + ag.acos(t) + ag.atan(x) + ag.sinh(t) + ag.cosh(t) + ag.asinh(x)
            + ag.acosh(pos + 1) + ag.atanh(t) + ag.sign(x) + ag.floor(x * 4) + ag.ceil(x * 4)
            + ag.round(x * 4) + ag.round(x * 4, decimals=1) + ag.log1p(s) + ag.expm1(t)
            + ag.rsqrt(pos) + ag.log2(pos) + ag.log10(pos) + ag.exp2(t) + x**2 + pos**1.5
            + pos ** (s + 1) + ag.maximum(x, t) + ag.minimum(x, t) + x / pos - s
            + ag.hypot(x, t) + ag.logaddexp(x, t) + ag.lerp(x, t, s) + ag.clamp(x, -0.5, 0.5)
            + ag.clamp(x, min=0.1) + x.to(ag.float64).to(ag.float32) + ag.to_device(x, "cpu")
        )  # fmt: skip
        masks = (
            (x > 0) & (x < 1) | (x >= 1.5) ^ (x <= -1.5),
            (x == x) & (x != 0.25) & ~(x > 2),
            ag.logical_and(x > 0, ag.logical_not(x > 1)),
            ag.logical_or(x > 1, x < -1) ^ ag.logical_xor(x > 0, x > 0.5),
        )
        picked = sum(ag.where(m, x, t) for m in masks) + (x > 0).to(x.dtype)
        r = unary + picked  # (N, 3, 4, 8)
        reductions = (
            r.sum(dim=1)
            + r.mean(dim=1)
            + pos.prod(dim=1)
            + ag.logsumexp(r, dim=1)
            + r.amax(dim=1)
            + r.amin(dim=1)
            + r.var(dim=1)
            + r.std(dim=1, correction=0)
            + r.max(dim=1)[0]
            + r.min(dim=1)[0]
            + r.max(dim=1)[1].to(r.dtype)
            + ag.softmax(r, dim=1).sum(1)
            + ag.log_softmax(r, dim=-1).sum(1)
            + ag.cumsum(r, dim=2).sum(1)
        )  # fmt: skip  (N, 4, 8)
        shaped = (
            r.reshape(n, 3, 32).permute(0, 2, 1).reshape(n, 4, 8, 3).sum(-1)
            + r[:, 0].expand(n, 4, 8)
            + r[:, :1, :, :].clone()[:, 0]
            + ag.flip(r, dims=(2,))[:, 1, ::2].repeat_interleave(1, dim=1).repeat(1, 2, 1)
            + ag.cat([r[:, 0, :2], r[:, 1, 2:]], dim=1)
            + ag.stack([r[:, 0], r[:, 2]], dim=1).sum(1)
            + ag.pad(r, (1, 1, 0, 0))[:, 0, :, 1:-1]
            + r[..., None][:, -1, :, :, 0]
            + r[:, :, :, ag.tensor([7, 0, 1, 2, 3, 4, 5, 6])][:, 0]
        )  # fmt: skip  (N, 4, 8)
        h = self.conv(x)  # (N, 4, 4, 8)
        pooled = nn.functional.max_pool2d(h, 2) + nn.functional.max_pool2d(h, 3, 2, 1)[:, :, :2]
        up = self.up(pooled)  # (N, 2, 4, 8)
        lin = (
            self.fc(shaped) + ag.matmul(shaped, self.w3) + ag.einsum("nij,jk->nik", shaped, self.w3)
        )
        windows = nn.functional.unfold(h, 2).reshape(n, 4, 4, 21)[..., :8].mean(1)  # (N, 4, 8)
        return reductions + shaped, lin, up.sum(1) + windows


def _ops_of(model, x):
    with ag.no_grad(), capturing() as capture:
        model(x)
    return {op.key for op in capture.ops}


def test_every_mapped_op_matches_onnx_runtime_at_other_batch_sizes():
    ag.manual_seed(0)
    model = EveryOp()
    x = ag.randn(2, 3, 4, 8)
    _load_emitters()
    # the model calls every op that has a mapping, so that each mapping is checked below
    missing = set(EMITTERS) - _ops_of(model, x)
    assert not missing, sorted(getattr(k, "__name__", k) for k in missing)
    dynamic = {"input": {0: "n"}, "output_0": {0: "n"}, "output_1": {0: "n"}}
    new = (ag.randn(5, 3, 4, 8), ag.randn(1, 3, 4, 8))
    assert_runtime_matches(model, x, new, rtol=1e-5, atol=2e-5, dynamic_axes=dynamic)


def _trained_batchnorm(layer, shape):
    layer.train()
    with ag.no_grad():
        layer(ag.randn(*shape) * 3 + 1)
    return layer


class SelfAttention(nn.Module):
    def __init__(self, **kwargs):
        super().__init__()
        self.attn = nn.MultiheadAttention(8, 2, **kwargs)

    def forward(self, x):
        return self.attn(x, x, x)[0]


IMAGE, SIGNAL, SEQ = (2, 3, 8, 8), (2, 3, 10), (5, 2, 8)  # (L, N, E) for sequences
SEQ_AXES = {"input": {0: "seq", 1: "batch"}, "output": {0: "seq", 1: "batch"}}
LAYERS = [
    ("conv2d dilated", lambda: nn.Conv2d(3, 4, 3, padding=2, dilation=2), IMAGE),
    ("conv2d groups stride", lambda: nn.Conv2d(3, 6, 3, stride=2, groups=3, bias=False), IMAGE),
    ("conv2d same", lambda: nn.Conv2d(3, 4, 4, padding="same"), IMAGE),
    ("conv2d reflect", lambda: nn.Conv2d(3, 4, 3, padding=1, padding_mode="reflect"), IMAGE),
    ("conv2d replicate", lambda: nn.Conv2d(3, 4, 3, padding=1, padding_mode="replicate"), IMAGE),
    ("conv2d circular", lambda: nn.Conv2d(3, 4, 3, padding=1, padding_mode="circular"), IMAGE),
    ("conv1d", lambda: nn.Conv1d(3, 4, 3, padding=1, dilation=1), SIGNAL),
    ("conv_transpose2d", lambda: nn.ConvTranspose2d(3, 4, 3, 2, 1, output_padding=1), IMAGE),
    ("max_pool2d", lambda: nn.MaxPool2d(2), IMAGE),
    ("max_pool2d padded", lambda: nn.MaxPool2d(3, 2, 1), IMAGE),
    ("max_pool2d ceil", lambda: nn.MaxPool2d(3, 2, ceil_mode=True), IMAGE),
    ("avg_pool2d", lambda: nn.AvgPool2d(2), IMAGE),
    ("avg_pool2d padded", lambda: nn.AvgPool2d(3, 2, 1, count_include_pad=False), IMAGE),
    ("adaptive_avg_pool2d", lambda: nn.AdaptiveAvgPool2d(3), IMAGE),
    ("adaptive_max_pool2d", lambda: nn.AdaptiveMaxPool2d((3, 2)), IMAGE),
    ("max_pool1d avg_pool1d", lambda: nn.Sequential(nn.MaxPool1d(2), nn.AvgPool1d(2)), SIGNAL),
    ("batch_norm2d", lambda: _trained_batchnorm(nn.BatchNorm2d(3), (8, 3, 4, 4)), IMAGE),
    ("batch_norm1d", lambda: _trained_batchnorm(nn.BatchNorm1d(3), (8, 3, 10)), SIGNAL),
    ("layer_norm", lambda: nn.LayerNorm(10), SIGNAL),
    ("group_norm", lambda: nn.GroupNorm(3, 3), IMAGE),
    (
        "dropout flatten linear",
        lambda: nn.Sequential(nn.Dropout(0.5), nn.Flatten(), nn.Linear(192, 3)),
        IMAGE,
    ),  # fmt: skip
    (
        "gelu elu leaky hardtanh",
        lambda: nn.Sequential(nn.GELU(), nn.ELU(), nn.LeakyReLU(0.2), nn.Hardtanh()),
        IMAGE,
    ),  # fmt: skip
    (
        "relu6 silu mish softplus",
        lambda: nn.Sequential(nn.ReLU6(), nn.SiLU(), nn.Mish(), nn.Softplus()),
        IMAGE,
    ),  # fmt: skip
    ("hardswish selu prelu", lambda: nn.Sequential(nn.Hardswish(), nn.SELU(), nn.PReLU()), IMAGE),
    ("softmax log_softmax", lambda: nn.Sequential(nn.Softmax(dim=1), nn.LogSoftmax(dim=-1)), IMAGE),
]


@pytest.mark.parametrize("name, layer, shape", LAYERS, ids=[case[0] for case in LAYERS])
def test_layer_matches_onnx_runtime_at_other_batch_sizes(name, layer, shape):
    ag.manual_seed(0)
    x = ag.randn(*shape) * 2
    new = (ag.randn(5, *shape[1:]) * 2,)
    assert_runtime_matches(layer(), x, new, dynamic_axes=BATCH)


def test_embedding_gathers_the_rows_of_new_indices():
    ag.manual_seed(0)
    model = nn.Sequential(nn.Embedding(10, 4), nn.Flatten(), nn.Linear(12, 2))
    x = ag.tensor([[1, 2, 3], [9, 0, 9]])
    new = (ag.tensor([[4, 4, 4], [0, 1, 2], [7, 8, 9]]),)
    assert_runtime_matches(model, x, new, dynamic_axes=BATCH)


@pytest.mark.parametrize(
    "layer",
    [
        lambda: nn.LSTM(8, 6, num_layers=2),
        lambda: nn.GRU(8, 6, bidirectional=True),
        lambda: nn.RNN(8, 6, nonlinearity="relu"),
    ],
    ids=["lstm", "gru", "rnn"],
)
def test_recurrent_layers_unrolled_with_a_dynamic_batch(layer):
    ag.manual_seed(0)
    axes = {"input": {1: "batch"}, "output_0": {1: "batch"}}
    new = (ag.randn(5, 4, 8),)
    assert_runtime_matches(layer(), ag.randn(*SEQ), new, dynamic_axes=axes)


@pytest.mark.parametrize(
    "layer",
    [
        lambda: SelfAttention(),
        lambda: nn.TransformerEncoderLayer(8, 2, 16),
        lambda: nn.TransformerEncoderLayer(8, 2, 16, activation="gelu", norm_first=True),
    ],
    ids=["multihead_attention", "encoder_layer", "encoder_layer_norm_first"],
)
def test_attention_with_dynamic_batch_and_sequence(layer):
    ag.manual_seed(0)
    new = (ag.randn(7, 3, 8), ag.randn(1, 1, 8))
    assert_runtime_matches(layer(), ag.randn(*SEQ), new, dynamic_axes=SEQ_AXES)


def test_transformer_decoder_layer_with_two_inputs():
    ag.manual_seed(0)
    model = nn.TransformerDecoderLayer(8, 2, 16, batch_first=True)
    args = (ag.randn(2, 5, 8), ag.randn(2, 4, 8))
    axes = {"tgt": {0: "batch", 1: "tgt_len"}, "memory": {0: "batch", 1: "src_len"}}
    new = ((ag.randn(3, 6, 8), ag.randn(3, 2, 8)),)
    assert_runtime_matches(
        model, args, new, input_names=["tgt", "memory"], output_names=["out"], dynamic_axes=axes
    )


def test_float64_layers():
    ag.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.ConvTranspose2d(4, 2, 2, 2)
    ).double()
    x = ag.randn(*IMAGE, dtype=ag.float64)
    new = (ag.randn(3, 3, 8, 8, dtype=ag.float64),)
    assert_runtime_matches(model, x, new, rtol=1e-10, atol=1e-12, dynamic_axes=BATCH)


class TokenClassifier(nn.Module):
    """Embedding, a two-layer TransformerEncoder with a padding mask, mean over tokens."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(20, 8)
        layer = nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)
        self.head = nn.Linear(8, 3)

    def forward(self, tokens, padding):
        h = self.encoder(self.embed(tokens), src_key_padding_mask=padding)
        return self.head(h.mean(1))


def test_transformer_encoder_with_a_padding_mask_input():
    ag.manual_seed(0)
    tokens = ag.tensor([[1, 2, 3, 0], [4, 5, 0, 0]])
    longer = ag.tensor([[1, 2, 3, 4, 5, 0], [4, 5, 0, 0, 0, 0], [7, 7, 7, 7, 7, 7]])
    axes = {"tokens": {0: "batch", 1: "seq"}, "padding": {0: "batch", 1: "seq"}}
    assert_runtime_matches(
        TokenClassifier(),
        (tokens, tokens == 0),
        ((longer, longer == 0),),
        input_names=["tokens", "padding"],
        dynamic_axes=axes,
    )


class TinyViT(nn.Module):
    """Patches by a strided conv, a class token expanded to the batch, positions sliced."""

    def __init__(self):
        super().__init__()
        self.patch = nn.Conv2d(1, 8, 4, stride=4)
        self.cls = nn.Parameter(ag.randn(1, 1, 8))
        self.pos = nn.Parameter(ag.randn(1, 17, 8))
        self.encoder = nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)
        self.head = nn.Linear(8, 10)

    def forward(self, x):
        h = self.patch(x).flatten(2).transpose(1, 2)
        cls = self.cls.expand(h.shape[0], -1, -1)
        h = ag.cat([cls, h], dim=1) + self.pos[:, : h.shape[1] + 1]
        return self.head(self.encoder(h)[:, 0])


class TinyLM(nn.Module):
    """Token and position embeddings (positions sliced to the sequence), log-probabilities."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(30, 8)
        self.pos = nn.Parameter(ag.randn(64, 8))
        self.encoder = nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)
        self.out = nn.Linear(8, 30)

    def forward(self, tokens):
        h = self.embed(tokens) + self.pos[: tokens.shape[1]]
        return ag.log_softmax(self.out(self.encoder(h)), dim=-1)


def test_vision_transformer_with_a_dynamic_batch():
    ag.manual_seed(0)
    new = (ag.randn(5, 1, 16, 16),)
    assert_runtime_matches(TinyViT(), ag.randn(2, 1, 16, 16), new, dynamic_axes=BATCH)


def test_language_model_with_dynamic_batch_and_sequence():
    ag.manual_seed(0)
    axes = {"input": {0: "batch", 1: "seq"}, "output": {0: "batch", 1: "seq"}}
    new = (ag.randint(0, 30, (3, 12)), ag.randint(0, 30, (1, 1)))
    assert_runtime_matches(TinyLM(), ag.randint(0, 30, (2, 7)), new, dynamic_axes=axes)
