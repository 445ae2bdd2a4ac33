"""The autograd parts of PyTorch's 60-minute blitz (tensors, autograd, neural networks), with
`import autograd_core as torch` as the only change; printed shapes and the graph walk as the
tutorial shows them (under this library's names)."""

import numpy as np

import autograd_core as torch

nn = torch.nn
F = torch.nn.functional
optim = torch.optim


def test_tensors_section():
    data = [[1, 2], [3, 4]]
    x_data = torch.tensor(data)
    x_np = torch.from_numpy(np.array(data))
    x_ones = torch.ones_like(x_data)
    x_rand = torch.rand_like(x_data, dtype=torch.float)
    assert x_np.tolist() == data and x_ones.dtype == x_data.dtype == torch.int64
    assert x_rand.dtype == torch.float32
    shape = (2, 3)
    assert torch.rand(shape).shape == torch.ones(shape).shape == torch.zeros(shape).shape
    tensor = torch.rand(3, 4)
    assert f"Shape of tensor: {tensor.shape}" == "Shape of tensor: autograd_core.Size([3, 4])"
    assert f"Datatype of tensor: {tensor.dtype}" == "Datatype of tensor: float32"
    assert f"Device tensor is stored on: {tensor.device}" == "Device tensor is stored on: cpu"
    if torch.accelerator.is_available():
        tensor = tensor.to(torch.accelerator.current_accelerator())
    tensor = torch.ones(4, 4)
    tensor[:, 1] = 0
    assert tensor[0].tolist() == [1.0, 0.0, 1.0, 1.0] and tensor[..., -1].tolist() == [1.0] * 4
    assert torch.cat([tensor, tensor, tensor], dim=1).shape == (4, 12)
    y1 = tensor @ tensor.T
    y2 = tensor.matmul(tensor.T)
    z1 = tensor * tensor
    z2 = tensor.mul(tensor)
    assert (y1 == y2).all() and (z1 == z2).all()
    agg_item = tensor.sum().item()
    assert agg_item == 12.0 and isinstance(agg_item, float)
    tensor.add_(5)
    assert tensor[0, 0].item() == 6.0
    t = torch.ones(5)
    n = t.numpy()
    t.add_(1)
    assert n.tolist() == [2.0] * 5  # the NumPy array shares the tensor's memory
    n = np.ones(5)
    t = torch.from_numpy(n)
    np.add(n, 1, out=n)
    assert t.tolist() == [2.0] * 5


def test_autograd_section():
    a = torch.tensor([2.0, 3.0], requires_grad=True)
    b = torch.tensor([6.0, 4.0], requires_grad=True)
    Q = 3 * a**3 - b**2
    external_grad = torch.tensor([1.0, 1.0])
    Q.backward(gradient=external_grad)
    assert (9 * a**2 == a.grad).all() and (-2 * b == b.grad).all()
    x = torch.rand(5, 5)
    y = torch.rand(5, 5)
    z = torch.rand((5, 5), requires_grad=True)
    assert not (x + y).requires_grad and (x + z).requires_grad


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()  # noqa: UP008  (as the tutorial writes it)
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, input):
        c1 = F.relu(self.conv1(input))
        s2 = F.max_pool2d(c1, (2, 2))
        c3 = F.relu(self.conv2(s2))
        s4 = F.max_pool2d(c3, 2)
        s4 = torch.flatten(s4, 1)
        f5 = F.relu(self.fc1(s4))
        f6 = F.relu(self.fc2(f5))
        output = self.fc3(f6)
        return output


def test_neural_networks_section():
    net = Net()
    assert repr(net).splitlines()[1] == "  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))"
    params = list(net.parameters())
    assert len(params) == 10 and params[0].size() == (6, 1, 5, 5)
    input = torch.randn(1, 1, 32, 32)
    out = net(input)
    assert out.shape == (1, 10)
    net.zero_grad()
    out.backward(torch.randn(1, 10))
    output = net(input)
    target = torch.randn(10)
    target = target.view(1, -1)
    criterion = nn.MSELoss()
    loss = criterion(output, target)
    # the tutorial walks back from the loss: the loss, then the last Linear's output
    node = loss.grad_fn
    seen = [node]
    while node.next_functions and node.next_functions[0][0] is not None and len(seen) < 6:
        node = node.next_functions[0][0]
        seen.append(node)
    assert len(seen) >= 3 and all(hasattr(n, "next_functions") for n in seen)
    net.zero_grad()
    assert net.conv1.bias.grad is None
    loss.backward()
    assert net.conv1.bias.grad.shape == (6,)
    learning_rate = 0.01
    before = net.fc3.bias.detach().clone()
    for f in net.parameters():
        f.data.sub_(f.grad.data * learning_rate)
    np.testing.assert_allclose(
        net.fc3.bias.detach().numpy(),
        (before - learning_rate * net.fc3.bias.grad).numpy(),
        rtol=1e-6,
    )
    optimizer = optim.SGD(net.parameters(), lr=0.01)
    optimizer.zero_grad()
    output = net(input)
    loss = criterion(output, target)
    loss.backward()
    optimizer.step()
