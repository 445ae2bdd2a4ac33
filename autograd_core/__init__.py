"""autograd_core: tensors that record their ops on a tape, and `backward()` that replays it.

>>> import autograd_core as ag
>>> w = ag.tensor([0.55, -0.35], requires_grad=True)
>>> x = ag.tensor([0.5, 0.45])
>>> y = ag.sigmoid(w @ x + 0.15)      # the course's sigmoid neuron
>>> round(y.item(), 6)
0.566479
>>> y.backward()
>>> w.grad
tensor([0.1228, 0.1105])
"""

import builtins as _builtins
from types import ModuleType as _ModuleType

from . import cuda, dtypes
from .anomaly import detect_anomaly
from .backend import Device
from .backend import Device as device
from .creation import (
    arange,
    as_tensor,
    bernoulli,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from .device_checks import assert_async
from .dlpack import from_dlpack
from .dtypes import (
    bool_,
    double,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    int8,
    int16,
    int32,
    int64,
    long,
    set_default_dtype,
    short,
    uint8,
)
from .engine import grad
from .function import Function
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import gradcheck, gradgradcheck
from .ops import *  # noqa: F403  (every op as a function: ag.exp, ag.matmul, ag.cat, ...)
from .random import Generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from .scope import name_scope
from .serialization import load, save
from .size import Size
from .tape import Tape
from .tensor import Tensor


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)


# Loaded on first use: subpackages with heavier dependencies, and PyTorch's namespaces
# (`torch.nn`, `torch.optim`, ...) so that `import autograd_core as torch` ports a program.
# `nn` and `optim` stay top-level packages that import neither each other nor this module's
# attributes, and importing autograd_core still imports neither.
_LAZY_MODULES = {
    "data": "autograd_core.data",
    "graph": "autograd_core.graph",
    "training": "autograd_core.training",
    "autograd": "autograd_core.autograd",
    "accelerator": "autograd_core.accelerator",
    "backends": "autograd_core.backends",
    "utils": "autograd_core.utils",
    "distributed": "autograd_core.distributed",
    "onnx": "autograd_core.onnx",
    "nn": "nn",
    "optim": "optim",
}


def __getattr__(name):
    import importlib

    if name in _LAZY_MODULES:
        module = importlib.import_module(_LAZY_MODULES[name])
        globals()[name] = module  # found directly from now on
        return module
    if name in ("draw_graph", "backward_frames"):  # graphviz loads only when drawing
        return getattr(importlib.import_module("autograd_core.graph"), name)
    raise AttributeError(f"module 'autograd_core' has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *_LAZY_MODULES, "draw_graph", "backward_frames"})


__version__ = "0.1.0"

# PyTorch's short dtype names; they shadow builtins only inside this namespace
float = float32  # noqa: A001
int = int32  # noqa: A001
bool = bool_  # noqa: A001

# `from autograd_core import *` brings the tensor API but none of the names that would
# shadow Python's builtins (sum, max, min, abs, all, any, round, pow, float, int, bool):
# unlike PyTorch's, whose star import replaces them
__all__ = sorted(
    name
    for name, value in globals().items()
    if not name.startswith("_")
    and not isinstance(value, _ModuleType)
    and not hasattr(_builtins, name)
)
