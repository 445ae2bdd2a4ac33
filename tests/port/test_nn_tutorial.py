"""PyTorch's tutorial "What is torch.nn really?" ported by one import (`import autograd_core
as torch`), on synthetic 28x28 images in place of the MNIST download: the model from scratch
(manual weights, log_softmax, the no_grad update), then nn.functional, nn.Module, nn.Linear,
optim, TensorDataset, DataLoader, fit/loss_batch with a validation set, the CNN with a Lambda
module, nn.Sequential and AdaptiveAvgPool2d."""

import math

import numpy as np

import autograd_core as torch

nn = torch.nn
F = torch.nn.functional
optim = torch.optim
TensorDataset = torch.utils.data.TensorDataset
DataLoader = torch.utils.data.DataLoader


def _mnist_like(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 10, n)
    x = rng.random((n, 784), dtype=np.float32) * 0.1
    for i, label in enumerate(y):
        x[i, 28 * (2 + 2 * label) : 28 * (5 + 2 * label)] += 0.9
    return x, y


def test_the_model_from_scratch_and_with_nn():
    x_train, y_train = _mnist_like(256, 0)
    x_valid, y_valid = _mnist_like(128, 1)
    x_train, y_train, x_valid, y_valid = map(torch.tensor, (x_train, y_train, x_valid, y_valid))
    n, c = x_train.shape
    assert (n, c) == (256, 784) and y_train.min().item() >= 0 and y_train.max().item() <= 9

    torch.manual_seed(0)
    weights = torch.randn(784, 10) / math.sqrt(784)
    weights.requires_grad_()
    bias = torch.zeros(10, requires_grad=True)

    def log_softmax(x):
        return x - x.exp().sum(-1).log().unsqueeze(-1)

    def model(xb):
        return log_softmax(xb @ weights + bias)

    def nll(input, target):
        return -input[range(target.shape[0]), target].mean()

    def accuracy(out, yb):
        preds = torch.argmax(out, dim=1)
        return (preds == yb).float().mean()

    bs, lr, epochs = 64, 0.5, 2
    loss_func = nll
    first = loss_func(model(x_train[0:bs]), y_train[0:bs]).item()
    for _epoch in range(epochs):
        for i in range((n - 1) // bs + 1):
            start_i = i * bs
            end_i = start_i + bs
            xb = x_train[start_i:end_i]
            yb = y_train[start_i:end_i]
            pred = model(xb)
            loss = loss_func(pred, yb)
            loss.backward()
            with torch.no_grad():
                weights -= weights.grad * lr
                bias -= bias.grad * lr
                weights.grad.zero_()
                bias.grad.zero_()
    assert loss_func(model(x_train[0:bs]), y_train[0:bs]).item() < first
    assert accuracy(model(x_valid), y_valid).item() > 0.9
    # nll on log_softmax is F.cross_entropy on the logits
    logits = x_valid @ weights + bias
    assert abs(F.cross_entropy(logits, y_valid).item() - nll(model(x_valid), y_valid).item()) < 1e-5

    class Mnist_Logistic(nn.Module):  # noqa: N801  (the tutorial's name)
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(784, 10)

        def forward(self, xb):
            return self.lin(xb)

    def loss_batch(model, loss_func, xb, yb, opt=None):
        loss = loss_func(model(xb), yb)
        if opt is not None:
            loss.backward()
            opt.step()
            opt.zero_grad()
        return loss.item(), len(xb)

    def get_data(train_ds, valid_ds, bs):
        return (
            DataLoader(train_ds, batch_size=bs, shuffle=True),
            DataLoader(valid_ds, batch_size=bs * 2),
        )

    def fit(epochs, model, loss_func, opt, train_dl, valid_dl):
        val_losses = []
        for _epoch in range(epochs):
            model.train()
            for xb, yb in train_dl:
                loss_batch(model, loss_func, xb, yb, opt)
            model.eval()
            with torch.no_grad():
                losses, nums = zip(*[loss_batch(model, loss_func, xb, yb) for xb, yb in valid_dl])
            val_losses.append(np.sum(np.multiply(losses, nums)) / np.sum(nums))
        return val_losses

    train_ds, valid_ds = TensorDataset(x_train, y_train), TensorDataset(x_valid, y_valid)
    train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
    model = Mnist_Logistic()
    val = fit(3, model, F.cross_entropy, optim.SGD(model.parameters(), lr=lr), train_dl, valid_dl)
    assert val[-1] < val[0] < math.log(10) + 0.5

    class Lambda(nn.Module):
        def __init__(self, func):
            super().__init__()
            self.func = func

        def forward(self, x):
            return self.func(x)

    def preprocess(x):
        return x.view(-1, 1, 28, 28)

    model = nn.Sequential(
        Lambda(preprocess),
        nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        Lambda(lambda x: x.view(x.size(0), -1)),
    )
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    val = fit(2, model, F.cross_entropy, opt, train_dl, valid_dl)
    assert all(math.isfinite(v) for v in val)
    assert model(x_valid[:5]).shape == (5, 10)
