"""The CuPy stand-in is as strict as CuPy where it matters for bugs, offers only CuPy's names,
and counts every copy to the host; with it, a training step makes no copy the user did not ask
for."""

import numpy as np
import pytest
from cuda_standin import NAMES, cupy, cupyx, ndarray, transfers

import autograd_core as ag
import nn
import optim
from autograd_core import Function


def device_array(values):
    return cupy.asarray(np.asarray(values, dtype=np.float32))


def test_implicit_conversion_to_numpy_raises_as_cupy_does():
    x = device_array([1.0, 2.0])
    with pytest.raises(TypeError, match="Implicit conversion to a NumPy array is not allowed"):
        np.asarray(x)
    with pytest.raises(TypeError, match="Implicit conversion"):
        np.array([x[0], x[1]])
    with pytest.raises(TypeError, match="only 0-d device arrays"):
        float(x)
    with pytest.raises(TypeError, match="hidden device-to-host copy"):
        x.tolist()


def test_mixing_with_a_numpy_array_raises():
    x, host = device_array([1.0, 2.0]), np.ones(2, np.float32)
    with pytest.raises(TypeError, match="Unsupported type"):
        x + host
    with pytest.raises(TypeError, match="Unsupported type"):
        np.add(x, host)
    with pytest.raises(TypeError, match="Unsupported type"):
        cupy.concatenate([x, host])
    with pytest.raises(TypeError, match="Unsupported type"):
        cupy.add(x, [1.0, 2.0])
    with pytest.raises(TypeError, match="Unsupported type"):
        x[0:2] = host


def test_numpy_functions_dispatch_only_to_what_cupy_has():
    x = device_array([[1.0, 2.0], [3.0, 4.0]])
    assert isinstance(np.sum(x), ndarray) and np.sum(x).ndim == 0  # no host scalars
    assert isinstance(np.exp(x), ndarray)
    with pytest.raises(TypeError):
        np.nanpercentile(x, 50)  # not a CuPy function: NumPy finds no implementation


def test_scalars_and_explicit_copies_are_counted():
    x = device_array([1.5, 2.5])
    transfers.reset()
    assert isinstance(x.get(), np.ndarray) and transfers.kinds["get"] == 1
    assert float(x.sum()) == 4.0 and transfers.kinds["float"] == 1
    assert x[0].item() == 1.5 and transfers.kinds["item"] == 1
    cupy.asnumpy(x)
    assert transfers.device_to_host == 4


def test_namespace_has_only_cupys_names():
    with pytest.raises(AttributeError, match="CuPy has no such name"):
        cupy.errstate  # noqa: B018 - NumPy has it at the top level, CuPy only in cupyx
    with pytest.raises(AttributeError, match="no attribute 'normal'"):
        cupy.random.Generator(cupy.random.XORWOW(0)).normal  # noqa: B018
    with pytest.raises(AttributeError):
        cupyx.scipy.special.nonexistent  # noqa: B018
    assert not hasattr(cupy.asarray(np.zeros(2)).flags, "writeable")
    public = {n for n in vars(cupy) if not n.startswith("_")}
    assert public <= NAMES["cupy"] | {"lib"}, sorted(public - NAMES["cupy"])


def test_names_agree_with_the_installed_cupy():
    real = pytest.importorskip("cupy")
    for section, names in NAMES.items():
        if not section.startswith("cupy."):
            continue
        module = real
        for part in section.split(".")[1:]:
            module = getattr(module, part)
        missing = [n for n in names if not hasattr(module, n)]
        assert not missing, f"{section}: {missing} are not in CuPy {real.__version__}"


class HostFallback(Function):
    """A planted bug: an op whose forward leaves the device through np.asarray."""

    op_name = "host_fallback"

    @staticmethod
    def forward(ctx, x):
        return np.asarray(x) * 2

    @staticmethod
    def backward(ctx, grad_out):
        return grad_out * 2


def test_an_op_that_falls_back_to_the_host_fails_on_the_standin(cuda_standin_device):
    on_cpu = HostFallback._call(ag.ones(3))
    assert on_cpu.tolist() == [2.0, 2.0, 2.0]
    with pytest.raises(TypeError, match="Implicit conversion to a NumPy array"):
        HostFallback._call(ag.ones(3, device="cuda"))


def _train_steps(device, steps):
    ag.manual_seed(0)
    # made on the CPU and moved: each device has its own stream of random numbers
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3)).to(device)
    opt = optim.Adam(model.parameters(), lr=1e-2)
    x = ag.randn(32, 8).to(device)
    y = ag.randint(0, 3, (32,)).to(device)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@pytest.mark.parametrize("steps", [1, 3])
def test_a_training_step_copies_only_the_loss_to_the_host(cuda_standin_device, steps):
    _train_steps("cuda", 1)  # the first step creates optimiser state; count the steady state too
    cuda_standin_device.reset()
    losses = _train_steps("cuda", steps)
    assert cuda_standin_device.device_to_host == steps, cuda_standin_device.where
    assert all("(item)" in where for where in cuda_standin_device.where)
    np.testing.assert_allclose(losses, _train_steps("cpu", steps), rtol=1e-5)


def test_a_label_check_on_the_device_raises_at_the_next_copy_to_the_host(cuda_standin_device):
    logits = ag.zeros(2, 3, device="cuda")
    loss = nn.functional.cross_entropy(logits, ag.tensor([0, 3]).to("cuda"))
    assert cuda_standin_device.device_to_host == 0  # no stall while the step is queued
    with pytest.raises(IndexError, match="3 is out of bounds"):
        loss.item()
    good = nn.functional.cross_entropy(logits, ag.tensor([0, 2]).to("cuda"))
    assert abs(good.item() - np.log(3)) < 1e-6  # the failed check was reported once


def test_an_embedding_model_step_copies_only_the_loss(cuda_standin_device):
    ag.manual_seed(0)
    model = nn.Sequential(nn.Embedding(20, 8), nn.Flatten(), nn.Linear(24, 2)).to("cuda")
    opt = optim.SGD(model.parameters(), lr=0.1)
    tokens = ag.randint(0, 20, (16, 3)).to("cuda")
    labels = ag.randint(0, 2, (16,)).to("cuda")
    for _ in range(2):
        cuda_standin_device.reset()
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(tokens), labels)
        loss.backward()
        opt.step()
        loss.item()
        assert cuda_standin_device.device_to_host == 1, cuda_standin_device.where
    with pytest.raises(IndexError, match="index 20 is out of range"):
        model(ag.full((1, 3), 20, dtype=ag.int64).to("cuda")).sum().item()
