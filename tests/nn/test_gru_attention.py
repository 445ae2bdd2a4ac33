"""GRU/GRUCell, Bilinear, scaled_dot_product_attention, MultiheadAttention: forward against
NumPy references, gradcheck in float64, PyTorch's parameter names and shapes, errors."""

import numpy as np
import pytest

import autograd_core as ag
import nn


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
