"""Two more of PyTorch's examples ported by one import (`import autograd_core as torch`):
examples/vae (a variational auto-encoder: encode, reparameterize with randn_like, decode,
BCE + KL loss, train and test loops, sampling) on synthetic images in [0, 1], and
examples/regression (fitting a degree-4 polynomial with smooth_l1_loss and a hand-written
`param.data.add_` step, printed with format specs on 0-d tensors)."""

from itertools import count

import autograd_core as torch

nn = torch.nn
F = torch.nn.functional


# ---- examples/vae/main.py, its model and loss as the example writes them ---------------------
class VAE(nn.Module):
    def __init__(self):
        super(VAE, self).__init__()  # noqa: UP008  (as the example writes it)
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction="sum")  # noqa: N806
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())  # noqa: N806
    return BCE + KLD


def _images(n, seed):
    generator = torch.Generator().manual_seed(seed)
    images = torch.rand(n, 1, 28, 28, generator=generator) * 0.2
    images[:, :, 10:18, 4:24] += 0.7  # a bright band, so there is something to learn
    labels = torch.zeros(n, dtype=torch.int64)
    return torch.utils.data.TensorDataset(images.clamp(0, 1), labels)


def test_the_vae_example_trains_tests_and_samples():
    torch.manual_seed(1)
    device = torch.device("cpu")
    batch_size = 16
    train_loader = torch.utils.data.DataLoader(_images(64, 0), batch_size=batch_size, shuffle=True)
    test_loader = torch.utils.data.DataLoader(_images(32, 1), batch_size=batch_size)
    model = VAE().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    epoch_losses = []
    for _epoch in range(1, 4):
        model.train()
        train_loss = 0
        for _batch_idx, (data, _) in enumerate(train_loader):
            data = data.to(device)
            optimizer.zero_grad()
            recon_batch, mu, logvar = model(data)
            loss = loss_function(recon_batch, data, mu, logvar)
            loss.backward()
            train_loss += loss.item()
            optimizer.step()
        epoch_losses.append(train_loss / len(train_loader.dataset))

    model.eval()
    test_loss = 0
    with torch.no_grad():
        for i, (data, _) in enumerate(test_loader):
            data = data.to(device)
            recon_batch, mu, logvar = model(data)
            test_loss += loss_function(recon_batch, data, mu, logvar).item()
            if i == 0:
                n = min(data.size(0), 8)
                comparison = torch.cat([data[:n], recon_batch.view(batch_size, 1, 28, 28)[:n]])
    test_loss /= len(test_loader.dataset)
    with torch.no_grad():
        sample = torch.randn(64, 20).to(device)
        sample = model.decode(sample).cpu()

    # BCE of 784 pixels starts near 784 * ln 2 = 543 per image and falls fast from there
    assert epoch_losses[0] > epoch_losses[-1]
    assert test_loss < 543
    assert comparison.shape == (16, 1, 28, 28)
    assert sample.view(64, 1, 28, 28).shape == (64, 1, 28, 28)
    assert 0 <= sample.min().item() and sample.max().item() <= 1


# ---- examples/regression/main.py ---------------------------------------------------------------
POLY_DEGREE = 4


def test_the_regression_example_fits_its_polynomial():
    torch.manual_seed(0)
    W_target = torch.randn(POLY_DEGREE, 1) * 5  # noqa: N806
    b_target = torch.randn(1) * 5

    def make_features(x):
        """Builds features i.e. a matrix with columns [x, x^2, x^3, x^4]."""
        x = x.unsqueeze(1)
        return torch.cat([x**i for i in range(1, POLY_DEGREE + 1)], 1)

    def f(x):
        """Approximated function."""
        return x.mm(W_target) + b_target.item()

    def poly_desc(W, b):  # noqa: N803
        """Creates a string description of a polynomial."""
        result = "y = "
        for i, w in enumerate(W):
            result += "{:+.2f} x^{} ".format(w, i + 1)  # noqa: UP032
        result += "{:+.2f}".format(b[0])  # noqa: UP032
        return result

    def get_batch(batch_size=32):
        """Builds a batch i.e. (x, f(x)) pair."""
        random = torch.randn(batch_size)
        x = make_features(random)
        y = f(x)
        return x, y

    fc = torch.nn.Linear(W_target.size(0), 1)
    for batch_idx in count(1):
        batch_x, batch_y = get_batch()
        fc.zero_grad()
        output = F.smooth_l1_loss(fc(batch_x), batch_y)
        loss = output.item()
        output.backward()
        for param in fc.parameters():
            param.data.add_(-0.1 * param.grad)
        if loss < 1e-3 or batch_idx == 20_000:
            break

    learned = poly_desc(fc.weight.view(-1), fc.bias)
    actual = poly_desc(W_target.view(-1), b_target)
    assert loss < 1e-3, f"Loss: {loss:.6f} after {batch_idx} batches"
    assert learned.startswith("y = ") and learned.count("x^") == 4
    # a smooth L1 loss under 1e-3 on x ~ N(0, 1) pins every coefficient to a few hundredths
    assert (fc.weight.view(-1) - W_target.view(-1)).abs().max().item() < 0.1, (learned, actual)
