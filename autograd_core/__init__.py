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
from .random import Generator, initial_seed, manual_seed, seed
from .scope import name_scope
from .serialization import load, save
from .tape import Tape
from .tensor import Tensor


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)


def __getattr__(name):
    # subpackages with heavier dependencies load on first use
    if name in ("data", "graph", "training"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    if name in ("draw_graph", "backward_frames"):  # graphviz loads only when drawing
        from . import graph

        return getattr(graph, name)
    raise AttributeError(f"module 'autograd_core' has no attribute {name!r}")


__version__ = "0.1.0"

# PyTorch's short dtype names; they shadow builtins only inside this namespace
float = float32  # noqa: A001
int = int32  # noqa: A001
bool = bool_  # noqa: A001
