"""`autograd_core.autograd`: the gradient API under PyTorch's `torch.autograd` names, so that
`torch.autograd.Function` and `torch.autograd.grad` port unchanged."""

from __future__ import annotations

from .anomaly import detect_anomaly
from .engine import grad, run_backward
from .function import Function
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import gradcheck, gradgradcheck
from .tensor import Tensor

__all__ = [
    "Function",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
]


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate into the leaves' `.grad` the gradients of several outputs at once, as
    `torch.autograd.backward`: `grad_tensors` gives one upstream gradient per output (None
    for a one-element output).

    >>> import autograd_core as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> ag.autograd.backward([x.sum(), (x * x).sum()])
    >>> x.grad
    tensor([3., 5.])
    """
    tensors = (tensors,) if isinstance(tensors, Tensor) else tuple(tensors)
    if grad_tensors is None:
        grad_tensors = (None,) * len(tensors)
    elif isinstance(grad_tensors, Tensor):
        grad_tensors = (grad_tensors,)
    else:
        grad_tensors = tuple(grad_tensors)
    if len(grad_tensors) != len(tensors):
        raise ValueError(
            f"backward: got {len(tensors)} tensors but {len(grad_tensors)} grad_tensors"
        )
    run_backward(tensors, grad_tensors, retain_graph, create_graph, inputs)
