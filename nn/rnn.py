"""Recurrent layers: `RNNCell`, `LSTMCell`, `GRUCell`, `RNN`, `LSTM`, `GRU` (PyTorch's names and
gate order)."""

import math

import autograd_core as ag

from . import init
from .module import Module
from .parameter import Parameter


def _uniform_all(module, hidden_size):
    bound = 1.0 / math.sqrt(hidden_size)
    for p in module.parameters():
        init.uniform_(p, -bound, bound)


def _add_weights(module, suffix, input_size, hidden_size, gates, bias, device, dtype):
    rows = gates * hidden_size
    module.register_parameter(
        f"weight_ih{suffix}", Parameter(ag.empty((rows, input_size), device=device, dtype=dtype))
    )
    module.register_parameter(
        f"weight_hh{suffix}", Parameter(ag.empty((rows, hidden_size), device=device, dtype=dtype))
    )
    if bias:
        module.register_parameter(
            f"bias_ih{suffix}", Parameter(ag.empty((rows,), device=device, dtype=dtype))
        )
        module.register_parameter(
            f"bias_hh{suffix}", Parameter(ag.empty((rows,), device=device, dtype=dtype))
        )
    else:
        module.register_parameter(f"bias_ih{suffix}", None)
        module.register_parameter(f"bias_hh{suffix}", None)


def _proj(x, w, b):
    out = ag.matmul(x, w.t())
    return out + b if b is not None else out


def _rnn_step(xw, h, w_hh, b_hh, act):
    """One tanh/relu step, given the input projection xw = x W_ih^T + b_ih."""
    return act(xw + _proj(h, w_hh, b_hh))


def _lstm_step(xw, h, c, w_hh, b_hh):
    """One LSTM step; gates i, f, g, o in PyTorch's order."""
    gates = xw + _proj(h, w_hh, b_hh)
    i, f, g, o = gates.chunk(4, dim=-1)
    c = ag.sigmoid(f) * c + ag.sigmoid(i) * ag.tanh(g)
    return ag.sigmoid(o) * ag.tanh(c), c


def _gru_step(xw, h, w_hh, b_hh):
    """One GRU step; gates r, z, n in PyTorch's order. The reset gate multiplies the whole
    hidden projection (W_hn h + b_hn), bias included, as PyTorch (not the paper's r * h)."""
    x_r, x_z, x_n = xw.chunk(3, dim=-1)
    h_r, h_z, h_n = _proj(h, w_hh, b_hh).chunk(3, dim=-1)
    r = ag.sigmoid(x_r + h_r)
    z = ag.sigmoid(x_z + h_z)
    n = ag.tanh(x_n + r * h_n)
    return (1 - z) * n + z * h


def _activation(nonlinearity, op):
    if nonlinearity == "tanh":
        return ag.tanh
    if nonlinearity == "relu":
        return ag.relu
    raise ValueError(f"{op}: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")


class RNNCell(Module):
    """h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh)."""

    def __init__(
        self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None
    ):
        super().__init__()
        self.input_size, self.hidden_size, self.nonlinearity = input_size, hidden_size, nonlinearity
        self._act = _activation(nonlinearity, "RNNCell")
        _add_weights(self, "", input_size, hidden_size, 1, bias, device, dtype)
        _uniform_all(self, hidden_size)

    def forward(self, input, hx=None):
        if hx is None:
            hx = ag.zeros(
                input.shape[:-1] + (self.hidden_size,), dtype=input.dtype, device=input.device
            )
        return _rnn_step(
            _proj(input, self.weight_ih, self.bias_ih), hx, self.weight_hh, self.bias_hh, self._act
        )

    def extra_repr(self):
        return f"{self.input_size}, {self.hidden_size}"


class LSTMCell(Module):
    """Returns (h', c') for input x and state (h, c)."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__()
        self.input_size, self.hidden_size = input_size, hidden_size
        _add_weights(self, "", input_size, hidden_size, 4, bias, device, dtype)
        _uniform_all(self, hidden_size)

    def forward(self, input, hx=None):
        if hx is None:
            z = ag.zeros(
                input.shape[:-1] + (self.hidden_size,), dtype=input.dtype, device=input.device
            )
            hx = (z, z)
        h, c = hx
        return _lstm_step(
            _proj(input, self.weight_ih, self.bias_ih), h, c, self.weight_hh, self.bias_hh
        )

    def extra_repr(self):
        return f"{self.input_size}, {self.hidden_size}"


class GRUCell(Module):
    """r = sigma(W_ir x + b_ir + W_hr h + b_hr), z = sigma(W_iz x + b_iz + W_hz h + b_hz),
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h' = (1 - z) * n + z * h."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__()
        self.input_size, self.hidden_size = input_size, hidden_size
        _add_weights(self, "", input_size, hidden_size, 3, bias, device, dtype)
        _uniform_all(self, hidden_size)

    def forward(self, input, hx=None):
        if input.ndim not in (1, 2) or input.shape[-1] != self.input_size:
            raise ValueError(
                f"GRUCell: expected input (N, {self.input_size}) or ({self.input_size},), "
                f"got shape {tuple(input.shape)}"
            )
        if hx is None:
            hx = ag.zeros(
                input.shape[:-1] + (self.hidden_size,), dtype=input.dtype, device=input.device
            )
        elif tuple(hx.shape) != tuple(input.shape[:-1]) + (self.hidden_size,):
            raise ValueError(
                f"GRUCell: expected hx of shape {tuple(input.shape[:-1]) + (self.hidden_size,)}, "
                f"got {tuple(hx.shape)}"
            )
        return _gru_step(
            _proj(input, self.weight_ih, self.bias_ih), hx, self.weight_hh, self.bias_hh
        )

    def extra_repr(self):
        return f"{self.input_size}, {self.hidden_size}"


class _RNNBase(Module):
    _gates = 1

    def __init__(
        self,
        input_size,
        hidden_size,
        num_layers=1,
        bias=True,
        batch_first=False,
        dropout=0.0,
        bidirectional=False,
        device=None,
        dtype=None,
    ):
        super().__init__()
        name = type(self).__name__
        if num_layers < 1:
            raise ValueError(f"{name}: num_layers must be at least 1, got {num_layers}")
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout = bias, batch_first, dropout
        self.bidirectional = bool(bidirectional)
        directions = 2 if bidirectional else 1
        # PyTorch's order: layer by layer, each layer's forward weights before its _reverse ones
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size * directions
            for suffix in ("", "_reverse")[:directions]:
                _add_weights(
                    self, f"_l{layer}{suffix}", size, hidden_size, self._gates, bias, device, dtype
                )
        _uniform_all(self, hidden_size)

    @property
    def _directions(self):
        return 2 if self.bidirectional else 1

    def flatten_parameters(self):
        """Nothing to do here, accepted so that PyTorch programs run unchanged: PyTorch packs
        the weights into one cuDNN buffer; here each layer's weights are used where they are."""
        return None

    def _weights(self, suffix):
        return tuple(
            getattr(self, f"{kind}{suffix}")
            for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        )

    def _prepare(self, input):
        name = type(self).__name__
        if input.ndim not in (2, 3) or input.shape[-1] != self.input_size:
            raise ValueError(
                f"{name}: expected input (L, N, {self.input_size}) (or batch_first / unbatched), "
                f"got shape {tuple(input.shape)}"
            )
        batched = input.ndim == 3
        if not batched:
            input = input.unsqueeze(1)
        elif self.batch_first:
            input = input.transpose(0, 1)
        return input, batched

    def _finish(self, output, states, batched):
        if not batched:
            return output.squeeze(1), tuple(s.squeeze(1) for s in states)
        if self.batch_first:
            output = output.transpose(0, 1)
        return output, states

    def _zeros(self, x):
        return ag.zeros(
            (self.num_layers * self._directions, x.shape[1], self.hidden_size),
            dtype=x.dtype,
            device=x.device,
        )

    def _check_states(self, x, states, names):
        """Each initial state must be (num_layers * directions, N, hidden_size); RuntimeError
        otherwise, as PyTorch."""
        expected = (self.num_layers * self._directions, x.shape[1], self.hidden_size)
        for name, state in zip(names, states):
            if tuple(state.shape) != expected:
                raise RuntimeError(
                    f"{type(self).__name__}: expected {name} of shape {expected} (num_layers * "
                    f"directions, batch, hidden_size), got {tuple(state.shape)}"
                )

    def _run(self, x, states):
        """Layer by layer; each direction's input projection over the whole sequence is one
        matmul. A layer's output, both directions side by side, is the next layer's input."""
        from . import functional as F

        finals = [[] for _ in states]
        for k in range(self.num_layers):
            outputs = []
            for direction, suffix in enumerate(("", "_reverse")[: self._directions]):
                w_ih, w_hh, b_ih, b_hh = self._weights(f"_l{k}{suffix}")
                state = [s[k * self._directions + direction] for s in states]
                out, state = self._scan(_proj(x, w_ih, b_ih), state, w_hh, b_hh, direction == 1)
                outputs.append(out)
                for f, s in zip(finals, state):
                    f.append(s)
            x = ag.cat(outputs, dim=-1) if len(outputs) > 1 else outputs[0]
            if self.dropout and self.training and k < self.num_layers - 1:
                x = F.dropout(x, self.dropout)
        return x, tuple(ag.stack(f) for f in finals)

    def _scan(self, xw, state, w_hh, b_hh, reverse):
        """One direction of one layer over the sequence, given its input projection xw
        (L, N, gates*H): the outputs (L, N, H) in time order, and the final state."""
        steps = range(xw.shape[0])
        outs = []
        # time steps are sequential; the reverse direction reads the sequence backwards
        for t in reversed(steps) if reverse else steps:
            state = self._step(xw[t], state, w_hh, b_hh)
            outs.append(state[0])
        if reverse:
            outs.reverse()
        return ag.stack(outs), state

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if not self.bias:
            s += ", bias=False"
        if self.batch_first:
            s += ", batch_first=True"
        return s + (", bidirectional=True" if self.bidirectional else "")

    def _forward_h(self, input, hx):
        """forward for the layers whose only state is h (RNN and GRU)."""
        x, batched = self._prepare(input)
        if hx is None:
            hx = self._zeros(x)
        elif not batched:
            hx = hx.unsqueeze(1)
        self._check_states(x, (hx,), ("h0",))
        out, (h,) = self._run(x, (hx,))
        out, (h,) = self._finish(out, (h,), batched)
        return out, h


class RNN(_RNNBase):
    """Elman RNN; forward(x, h0) -> (output, h_n)."""

    def __init__(
        self,
        input_size,
        hidden_size,
        num_layers=1,
        nonlinearity="tanh",
        bias=True,
        batch_first=False,
        dropout=0.0,
        bidirectional=False,
        device=None,
        dtype=None,
    ):
        self.__dict__["nonlinearity"] = nonlinearity
        self.__dict__["_act"] = _activation(nonlinearity, "RNN")
        super().__init__(
            input_size,
            hidden_size,
            num_layers,
            bias,
            batch_first,
            dropout,
            bidirectional,
            device,
            dtype,
        )

    def _step(self, xw, state, w_hh, b_hh):
        return [_rnn_step(xw, state[0], w_hh, b_hh, self._act)]

    def forward(self, input, hx=None):
        return self._forward_h(input, hx)


class LSTM(_RNNBase):
    """LSTM; forward(x, (h0, c0)) -> (output, (h_n, c_n))."""

    _gates = 4

    def _step(self, xw, state, w_hh, b_hh):
        return list(_lstm_step(xw, state[0], state[1], w_hh, b_hh))

    def forward(self, input, hx=None):
        x, batched = self._prepare(input)
        if hx is None:
            hx = (self._zeros(x), self._zeros(x))
        elif not batched:
            hx = tuple(s.unsqueeze(1) for s in hx)
        self._check_states(x, tuple(hx), ("h0", "c0"))
        out, states = self._run(x, tuple(hx))
        out, (h, c) = self._finish(out, states, batched)
        return out, (h, c)


class GRU(_RNNBase):
    """GRU (gates as `GRUCell`); forward(x, h0) -> (output, h_n)."""

    _gates = 3

    def _step(self, xw, state, w_hh, b_hh):
        return [_gru_step(xw, state[0], w_hh, b_hh)]

    def forward(self, input, hx=None):
        return self._forward_h(input, hx)
