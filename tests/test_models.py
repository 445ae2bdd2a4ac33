"""The model zoo: output shapes for digits-, MNIST- and CIFAR-sized inputs; clear errors."""

import pytest

import autograd_core as ag
from autograd_core.models import build_model, lenet, mlp, resnet_small


@pytest.mark.parametrize("name", ["mlp", "lenet", "resnet"])
@pytest.mark.parametrize("shape", [(1, 8, 8), (1, 28, 28), (3, 32, 32)])
def test_build_model_shapes(name, shape):
    model = build_model(name, shape, 10)
    assert model(ag.randn(2, *shape)).shape == (2, 10)


def test_builders():
    assert mlp(2, hidden=(4,), num_classes=3)(ag.randn(5, 2)).shape == (5, 3)
    assert lenet(1, 4, image_size=8)(ag.randn(1, 1, 8, 8)).shape == (1, 4)
    net = resnet_small(1, 2)
    names = {type(m).__name__ for m in net.modules()}
    assert {"ResidualBlock", "BatchNorm2d", "Conv2d"} <= names
    out = net(ag.randn(3, 1, 8, 8))
    out.sum().backward()
    assert all(p.grad is not None for p in net.parameters())


def test_build_model_errors():
    with pytest.raises(ValueError, match="unknown model 'vgg'"):
        build_model("vgg", (1, 8, 8), 10)
    with pytest.raises(
        ValueError, match="needs image inputs \\(C, H, W\\), got input shape \\(2,\\)"
    ):
        build_model("lenet", (2,), 2)
    with pytest.raises(ValueError, match="lenet: image_size should be at least 4"):
        lenet(1, 10, image_size=2)
