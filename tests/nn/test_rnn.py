"""RNN/LSTM: shapes, agreement with the cells, bidirectional layers as PyTorch lays them out,
gradcheck over 3 time steps."""

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


def _names_and_shapes(module):
    return [(name, tuple(p.shape)) for name, p in module.named_parameters()]


def test_bidirectional_parameter_names_order_and_shapes():
    # PyTorch's order: each layer's forward weights, then its _reverse ones; layer 1 reads both
    # directions of layer 0 side by side (2 * hidden features)
    lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    expected = []
    for layer, size in ((0, 3), (1, 8)):
        for suffix in ("", "_reverse"):
            expected += [
                (f"weight_ih_l{layer}{suffix}", (16, size)),
                (f"weight_hh_l{layer}{suffix}", (16, 4)),
                (f"bias_ih_l{layer}{suffix}", (16,)),
                (f"bias_hh_l{layer}{suffix}", (16,)),
            ]
    assert _names_and_shapes(lstm) == expected
    assert nn.count_parameters(lstm) == 2 * 16 * (3 + 4 + 2) + 2 * 16 * (8 + 4 + 2)
    rnn = nn.RNN(3, 4, bias=False, bidirectional=True)
    assert _names_and_shapes(rnn) == [
        ("weight_ih_l0", (4, 3)),
        ("weight_hh_l0", (4, 4)),
        ("weight_ih_l0_reverse", (4, 3)),
        ("weight_hh_l0_reverse", (4, 4)),
    ]
    assert "bidirectional=True" in repr(rnn)


def test_bidirectional_shapes_and_state_dict_by_name():
    lstm = nn.LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True)
    out, (h, c) = lstm(ag.randn(2, 5, 3))
    assert out.shape == (2, 5, 8) and h.shape == (4, 2, 4) and c.shape == (4, 2, 4)
    out, h = nn.RNN(3, 4, num_layers=3, bidirectional=True)(ag.randn(5, 3))
    assert out.shape == (5, 8) and h.shape == (6, 4)
    # a state dict keyed by PyTorch's names loads, and the copy computes the same
    twin = nn.LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True)
    twin.load_state_dict({k: v.detach().numpy() for k, v in lstm.state_dict().items()})
    x = ag.randn(2, 5, 3)
    np.testing.assert_array_equal(twin(x)[0].detach().numpy(), lstm(x)[0].detach().numpy())


def test_bidirectional_reverse_direction_is_a_forward_lstm_on_the_flipped_sequence():
    bi = nn.LSTM(3, 4, bidirectional=True, dtype=ag.float64)
    uni = nn.LSTM(3, 4, dtype=ag.float64)
    uni.load_state_dict(
        {k.replace("_reverse", ""): v for k, v in bi.state_dict().items() if "_reverse" in k}
    )
    x = ag.randn(5, 2, 3, dtype=ag.float64)
    h0 = ag.randn(2, 2, 4, dtype=ag.float64)
    c0 = ag.randn(2, 2, 4, dtype=ag.float64)
    out, (h, c) = bi(x, (h0, c0))
    flipped_out, (h_rev, c_rev) = uni(ag.flip(x, 0), (h0[1:], c0[1:]))
    np.testing.assert_allclose(
        out[..., 4:].detach().numpy(), ag.flip(flipped_out, 0).detach().numpy(), atol=1e-12
    )
    np.testing.assert_allclose(h[1].detach().numpy(), h_rev[0].detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(c[1].detach().numpy(), c_rev[0].detach().numpy(), atol=1e-12)
    # the reverse direction ends at time step 0, so its h_n is the output there
    np.testing.assert_allclose(h[1].detach().numpy(), out[0, :, 4:].detach().numpy(), atol=0)


def test_bidirectional_gradcheck():
    lstm = nn.LSTM(2, 3, num_layers=2, bidirectional=True, dtype=ag.float64)
    x = ag.randn(3, 2, 2, dtype=ag.float64, requires_grad=True)
    h0 = ag.randn(4, 2, 3, dtype=ag.float64, requires_grad=True)
    c0 = ag.randn(4, 2, 3, dtype=ag.float64, requires_grad=True)

    def outputs_and_final_states(x, h, c, *weights):
        out, (h_n, c_n) = lstm(x, (h, c))
        return ag.cat([out.flatten(), h_n.flatten(), c_n.flatten()])

    weights = (lstm.weight_hh_l0_reverse, lstm.weight_ih_l1_reverse, lstm.bias_ih_l1)
    ag.gradcheck(outputs_and_final_states, (x, h0, c0) + weights)
    rnn = nn.RNN(2, 3, bidirectional=True, dtype=ag.float64)
    ag.gradcheck(lambda x, w: rnn(x)[0], (x, rnn.weight_ih_l0_reverse))


@pytest.mark.parametrize(
    "make_states, bad",
    [
        (lambda: (ag.zeros(1, 3, 5), ag.zeros(2, 3, 5)), "h0"),  # one layer short
        (lambda: (ag.zeros(2, 3, 5), ag.zeros(2, 4, 5)), "c0"),  # another batch size
    ],
)
def test_lstm_initial_state_of_the_wrong_shape_is_named(make_states, bad):
    lstm = nn.LSTM(4, 5, bidirectional=True)
    with pytest.raises(RuntimeError, match=rf"expected {bad} of shape \(2, 3, 5\).*got"):
        lstm(ag.randn(7, 3, 4), make_states())


def test_rnn_initial_state_of_the_wrong_shape_is_named():
    rnn = nn.RNN(4, 5, num_layers=2)
    with pytest.raises(RuntimeError, match=r"expected h0 of shape \(2, 3, 5\).*got \(1, 3, 5\)"):
        rnn(ag.randn(7, 3, 4), ag.zeros(1, 3, 5))
    out, h = rnn(ag.randn(7, 4), ag.zeros(2, 5))  # unbatched: (layers, hidden)
    assert out.shape == (7, 5) and h.shape == (2, 5)
