"""PyTorch's namespaces on autograd_core (`import autograd_core as torch` ports a program):
loaded lazily, listed by dir(), and a star import that leaves Python's builtins alone."""

import pathlib
import subprocess
import sys

import pytest

import autograd_core as torch
import nn
import optim

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _run(code):
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_importing_the_engine_loads_neither_nn_nor_optim():
    code = (
        "import sys, autograd_core\n"
        "print(sorted(m for m in ('nn', 'optim', 'autograd_core.data', 'autograd_core.autograd')"
        " if m in sys.modules))\n"
        "autograd_core.nn.Linear\n"
        "print('nn' in sys.modules, 'optim' in sys.modules)\n"
    )
    assert _run(code).splitlines() == ["[]", "True False"]


def test_nn_optim_autograd_and_utils_data_are_the_packages_themselves():
    assert torch.nn is nn and torch.optim is optim
    assert torch.nn.functional is nn.functional
    assert torch.utils.data.DataLoader is torch.data.DataLoader
    for name in ("Dataset", "TensorDataset", "random_split", "Subset", "ConcatDataset"):
        assert getattr(torch.utils.data, name) is getattr(torch.data, name)
    assert torch.autograd.Function is torch.Function
    for name in ("grad", "gradcheck", "gradgradcheck", "no_grad", "enable_grad"):
        assert getattr(torch.autograd, name) is getattr(torch, name)
    assert torch.autograd.set_grad_enabled is torch.set_grad_enabled
    assert callable(torch.onnx.export) and torch.distributed.__name__ == "autograd_core.distributed"


@pytest.mark.parametrize(
    "path, cls",
    [
        ("rnn.LSTM", nn.LSTM),
        ("rnn.GRU", nn.GRU),
        ("linear.Linear", nn.Linear),
        ("linear.Identity", nn.Identity),
        ("conv.Conv2d", nn.Conv2d),
        ("pooling.MaxPool2d", nn.MaxPool2d),
        ("activation.ReLU", nn.ReLU),
        ("activation.MultiheadAttention", nn.MultiheadAttention),
        ("loss.CrossEntropyLoss", nn.CrossEntropyLoss),
        ("normalization.LayerNorm", nn.LayerNorm),
        ("batchnorm.BatchNorm2d", nn.BatchNorm2d),
        ("instancenorm.InstanceNorm2d", nn.InstanceNorm2d),
        ("container.Sequential", nn.Sequential),
        ("container.ParameterList", nn.ParameterList),
        ("dropout.Dropout", nn.Dropout),
        ("sparse.Embedding", nn.Embedding),
        ("module.Module", nn.Module),
        ("flatten.Flatten", nn.Flatten),
        ("transformer.TransformerEncoderLayer", nn.TransformerEncoderLayer),
    ],
)
def test_nn_modules_families_at_pytorchs_paths(path, cls):
    family, name = path.split(".")
    assert getattr(getattr(torch.nn.modules, family), name) is cls
    assert getattr(torch.nn.modules, name) is cls


def test_every_nn_layer_is_in_one_family_of_nn_modules():
    layers = {
        name
        for name, value in vars(nn).items()
        if isinstance(value, type) and issubclass(value, nn.Module)
    }
    assert layers <= set(nn.modules.__all__)


def test_accelerator_matches_cuda():
    assert torch.accelerator.is_available() == torch.cuda.is_available()
    current = torch.accelerator.current_accelerator()
    if torch.cuda.is_available():
        assert current == torch.device("cuda")
    else:
        assert current is None
    assert torch.accelerator.device_count() == torch.cuda.device_count()


def test_backends_mps_is_absent_and_cudnn_switches_are_accepted():
    assert torch.backends.mps.is_available() is False
    cudnn = torch.backends.cudnn
    saved = cudnn.benchmark, cudnn.deterministic
    try:
        cudnn.benchmark = True
        cudnn.deterministic = True
        assert cudnn.benchmark is True and cudnn.deterministic is True
    finally:
        cudnn.benchmark, cudnn.deterministic = saved


def test_size_is_a_tuple_with_pytorchs_repr():
    x = torch.zeros(2, 3)
    assert isinstance(x.shape, torch.Size) and isinstance(x.size(), torch.Size)
    assert x.shape == (2, 3) and x.size(1) == 3
    assert repr(x.shape) == "autograd_core.Size([2, 3])"
    assert str(torch.Size([])) == "autograd_core.Size([])"
    assert x.shape.numel() == 6 and torch.Size([]).numel() == 1
    assert isinstance(x.shape[1:], torch.Size) and x.shape[1:] == (3,)
    assert isinstance(x.shape + (4,), torch.Size) and x.shape + (4,) == (2, 3, 4)
    assert isinstance((4,) + x.shape, torch.Size)
    assert torch.zeros(x.shape[0], *x.shape[1:]).shape == (2, 3)


def test_manual_seed_and_device():
    torch.manual_seed(3)
    a = torch.randn(3)
    torch.manual_seed(3)
    assert bool((a == torch.randn(3)).all())
    assert torch.device("cpu").type == "cpu"


def test_star_import_leaves_the_builtins_alone():
    code = (
        "from autograd_core import *\n"
        "import builtins\n"
        "print(sum is builtins.sum, max is builtins.max, abs is builtins.abs, "
        "float is builtins.float, round is builtins.round)\n"
        "print(tensor([1.0, 2.0]).sum().item(), Size([2]).numel(), zeros(2).shape)\n"
    )
    assert _run(code).splitlines() == [
        "True True True True True",
        "3.0 2 autograd_core.Size([2])",
    ]


def test_dir_lists_the_lazy_namespaces():
    names = dir(torch)
    lazy = ("nn", "optim", "utils", "autograd", "accelerator", "backends", "data", "onnx")
    for name in (*lazy, "distributed", "Size"):
        assert name in names


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        torch.nope  # noqa: B018
