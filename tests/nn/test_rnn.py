"""RNN/LSTM: shapes, agreement with the cells, gradcheck over 3 time steps."""

import numpy as np
import pytest

import autograd_core as ag
import nn


def test_lstm_matches_cell_loop():
    lstm = nn.LSTM(3, 4)
    cell = nn.LSTMCell(3, 4)
    cell.load_state_dict({k[:-3]: v for k, v in lstm.state_dict().items()})
    x = ag.randn(5, 2, 3)
    out, (h, c) = lstm(x)
    hc = None
    for t in range(5):
        hc = cell(x[t], hc)
        np.testing.assert_allclose(
            out[t].detach().numpy(), hc[0].detach().numpy(), rtol=1e-5, atol=1e-6
        )
    np.testing.assert_allclose(c[0].detach().numpy(), hc[1].detach().numpy(), rtol=1e-5, atol=1e-6)


def test_shapes_batch_first_layers_unbatched():
    lstm = nn.LSTM(3, 4, num_layers=2, batch_first=True)
    out, (h, c) = lstm(ag.randn(2, 5, 3))
    assert out.shape == (2, 5, 4) and h.shape == (2, 2, 4) and c.shape == (2, 2, 4)
    assert nn.count_parameters(lstm) == 4 * 4 * (3 + 4 + 2) + 4 * 4 * (4 + 4 + 2)
    out, h = nn.RNN(3, 4, nonlinearity="relu")(ag.randn(5, 3))
    assert out.shape == (5, 4) and h.shape == (1, 4)
    assert nn.RNNCell(3, 4)(ag.randn(2, 3)).shape == (2, 4)
    with pytest.raises(ValueError, match="LSTM: expected input"):
        lstm(ag.randn(2, 5, 7))


def test_lstm_gradcheck_three_steps():
    lstm = nn.LSTM(2, 3, dtype=ag.float64)
    x = ag.randn(3, 2, 2, dtype=ag.float64, requires_grad=True)
    h0 = ag.randn(1, 2, 3, dtype=ag.float64, requires_grad=True)
    c0 = ag.randn(1, 2, 3, dtype=ag.float64, requires_grad=True)
    ag.gradcheck(lambda x, h, c, w: lstm(x, (h, c))[0], (x, h0, c0, lstm.weight_hh_l0))


def test_rnn_gradcheck():
    rnn = nn.RNN(2, 3, num_layers=2, dtype=ag.float64)
    x = ag.randn(3, 2, 2, dtype=ag.float64, requires_grad=True)
    ag.gradcheck(lambda x: rnn(x)[1], (x,))
