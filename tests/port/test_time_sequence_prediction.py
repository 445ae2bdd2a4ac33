"""PyTorch's examples/time_sequence_prediction ported by one import (`import autograd_core as
torch`): two LSTMCells and a Linear in float64 (`seq.double()`), `input.split(1, dim=1)`,
predicting `future` steps past the input, trained with LBFGS and its closure. Smaller than the
example (10 waves of 60 samples, one LBFGS step) so that it runs in seconds."""

import numpy as np

import autograd_core as torch

nn = torch.nn
optim = torch.optim


class Sequence(nn.Module):
    def __init__(self):
        super(Sequence, self).__init__()  # noqa: UP008  (as the example writes it)
        self.lstm1 = nn.LSTMCell(1, 51)
        self.lstm2 = nn.LSTMCell(51, 51)
        self.linear = nn.Linear(51, 1)

    def forward(self, input, future=0):
        outputs = []
        h_t = torch.zeros(input.size(0), 51, dtype=torch.double)
        c_t = torch.zeros(input.size(0), 51, dtype=torch.double)
        h_t2 = torch.zeros(input.size(0), 51, dtype=torch.double)
        c_t2 = torch.zeros(input.size(0), 51, dtype=torch.double)

        for input_t in input.split(1, dim=1):
            h_t, c_t = self.lstm1(input_t, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        for _i in range(future):  # if we should predict the future
            h_t, c_t = self.lstm1(output, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        outputs = torch.cat(outputs, dim=1)
        return outputs


def _sine_waves(n, length, period=20):
    # the example's generate_sine_wave.py, smaller
    np.random.seed(2)
    x = np.empty((n, length), "int64")
    x[:] = np.array(range(length)) + np.random.randint(-4 * period, 4 * period, n).reshape(n, 1)
    return np.sin(x / 1.0 / period).astype("float64")


def test_the_example_trains_with_lbfgs_and_predicts_the_future():
    np.random.seed(0)
    torch.manual_seed(0)
    data = _sine_waves(10, 60)
    input = torch.from_numpy(data[3:, :-1])
    target = torch.from_numpy(data[3:, 1:])
    test_input = torch.from_numpy(data[:3, :-1])
    test_target = torch.from_numpy(data[:3, 1:])
    seq = Sequence()
    seq.double()
    criterion = nn.MSELoss()
    optimizer = optim.LBFGS(seq.parameters(), lr=0.8)

    losses = []

    def closure():
        optimizer.zero_grad()
        out = seq(input)
        loss = criterion(out, target)
        losses.append(loss.item())
        loss.backward()
        return loss

    optimizer.step(closure)
    with torch.no_grad():
        future = 20
        pred = seq(test_input, future=future)
        loss = criterion(pred[:, :-future], test_target)
        y = pred.detach().numpy()

    assert seq.linear.weight.dtype == torch.float64 and pred.dtype == torch.float64
    assert y.shape == (3, 59 + future)
    # LBFGS's line of evaluations ends well below where it started (sin has variance 1/2)
    assert min(losses) < 0.5 * losses[0]
    assert loss.item() < losses[0]
