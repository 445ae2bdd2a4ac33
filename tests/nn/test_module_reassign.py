"""Re-assigning a submodule or parameter keeps its place (PyTorch's dict update), and the
recurrent layers accept flatten_parameters()."""

import autograd_core as ag
import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(2, 3)
        self.b = nn.Linear(3, 1)
        self.scale = nn.Parameter(ag.ones(1))
        self.shift = nn.Parameter(ag.zeros(1))


def test_reassigned_submodule_keeps_its_place():
    net = Net()
    net.a = nn.Linear(2, 3, bias=False)
    assert [name for name, _ in net.named_children()] == ["a", "b"]
    # PyTorch's order: the module's own parameters, then each child's
    assert list(net.state_dict()) == ["scale", "shift", "a.weight", "b.weight", "b.bias"]
    assert list(net.children())[:-1][0] is net.a  # children()[:-1] drops the head, as intended


def test_reassigned_parameter_keeps_its_place():
    net = Net()
    net.scale = nn.Parameter(ag.full((1,), 2.0))
    names = [name for name, _ in net.named_parameters()]
    assert names == ["scale", "shift", "a.weight", "a.bias", "b.weight", "b.bias"]
    assert net.scale.item() == 2.0


def test_a_plain_value_replacing_a_submodule_removes_it():
    net = Net()
    net.b = 3
    assert [name for name, _ in net.named_children()] == ["a"] and net.b == 3
    net.b = nn.Linear(3, 1)
    assert [name for name, _ in net.named_children()] == ["a", "b"]


def test_flatten_parameters_is_accepted_and_changes_nothing():
    for layer in (nn.LSTM(3, 4), nn.GRU(3, 4, num_layers=2), nn.RNN(3, 4, bidirectional=True)):
        before = [p.detach().numpy().copy() for p in layer.parameters()]
        assert layer.flatten_parameters() is None
        after = [p.detach().numpy() for p in layer.parameters()]
        assert all((b == a).all() for b, a in zip(before, after))
