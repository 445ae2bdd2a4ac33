"""PyTorch's examples/mnist/main.py, ported by one import (`import autograd_core as torch`),
on synthetic 28x28 digits: the same Net, train and test loops, Adadelta with StepLR. With
weights set from a formula the losses of three steps are PyTorch 2.13's."""

import math

import mnist_example as example

import autograd_core as torch

F = torch.nn.functional
optim = torch.optim
StepLR = torch.optim.lr_scheduler.StepLR
DataLoader = torch.utils.data.DataLoader
TensorDataset = torch.utils.data.TensorDataset


# ---- synthetic digits in place of the MNIST download ------------------------------------------
def _digits(n, seed):
    generator = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 10, (n,), generator=generator)
    images = 0.1 * torch.randn(n, 1, 28, 28, generator=generator)
    # each class lights its own 3-pixel-high band
    for i, label in enumerate(labels.tolist()):
        images[i, 0, 2 + 2 * label : 5 + 2 * label, 4:24] += 1.0
    return TensorDataset(images, labels)


def test_the_example_runs_end_to_end():
    torch.manual_seed(1)
    use_accel = torch.accelerator.is_available()
    device = torch.accelerator.current_accelerator() if use_accel else torch.device("cpu")
    torch.backends.cudnn.benchmark = False
    args = {"log_interval": 2}
    train_loader = DataLoader(_digits(48, 0), batch_size=16, shuffle=True)
    test_loader = DataLoader(_digits(32, 1), batch_size=16)
    model = example.Net().to(device)
    optimizer = optim.Adadelta(model.parameters(), lr=1.0)
    scheduler = StepLR(optimizer, step_size=1, gamma=0.7)
    log = []
    for epoch in range(1, 3):
        example.train(args, model, device, train_loader, optimizer, epoch, log)
        test_loss, correct = example.test(model, device, test_loader, log)
        scheduler.step()
    assert log[0].startswith("Train Epoch: 1 [0/48 (0%)]\tLoss: ")
    assert log[-1].startswith("\nTest set: Average loss: ")
    assert math.isfinite(test_loss) and 0 <= correct <= 32
    assert math.isclose(optimizer.param_groups[0]["lr"], 0.49)
    assert list(model.state_dict())[:2] == ["conv1.weight", "conv1.bias"]


def test_three_steps_match_pytorch():
    model = example.Net()
    state = {}
    for k, (name, p) in enumerate(model.state_dict().items()):
        scale = 1.0 / math.sqrt(max(p[0].numel(), 1)) if p.ndim > 1 else 0.05
        values = torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 0.37 + k) * scale
        state[name] = values.reshape(p.shape)
    model.load_state_dict(state)
    data = torch.cos(torch.arange(4 * 28 * 28, dtype=torch.float32) * 0.01).reshape(4, 1, 28, 28)
    target = torch.tensor([3, 1, 4, 1])
    model.eval()  # no dropout: every number is determined
    optimizer = optim.Adadelta(model.parameters(), lr=1.0)
    scheduler = StepLR(optimizer, step_size=1, gamma=0.7)
    losses = []
    for step in range(3):
        optimizer.zero_grad()
        loss = F.nll_loss(model(data), target)
        loss.backward()
        if step == 0:
            # PyTorch 2.13: -0.014947664923965931 and 1.4122977256774902
            assert math.isclose(model.conv1.weight.grad.sum().item(), -0.0149477, rel_tol=1e-4)
            assert math.isclose(model.fc2.bias.grad.abs().sum().item(), 1.4122977, rel_tol=1e-5)
        optimizer.step()
        scheduler.step()
        losses.append(loss.item())
    expected = [2.329401969909668, 2.259640693664551, 2.5099363327026367]  # PyTorch 2.13
    assert all(math.isclose(a, b, rel_tol=1e-4) for a, b in zip(losses, expected)), losses
