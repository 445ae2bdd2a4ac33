"""Gradient clipping and flattening parameters to/from one vector."""

import math

import autograd_core as ag
from autograd_core import Tensor


def _params(parameters):
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """Scale all gradients together so their joint norm is at most max_norm; returns the norm."""
    grads = [p.grad for p in _params(parameters) if p.grad is not None]
    if not grads:
        return ag.tensor(0.0)
    norm_type = float(norm_type)
    with ag.no_grad():
        if norm_type == math.inf:
            total = ag.stack([g.abs().max() for g in grads]).max()
        else:
            total = ag.stack([g.norm(norm_type) for g in grads]).norm(norm_type)
        value = total.item()
        if error_if_nonfinite and not math.isfinite(value):
            raise RuntimeError(f"clip_grad_norm_: the total gradient norm is {value}")
        coef = max_norm / (value + 1e-6)
        if coef < 1.0:
            for g in grads:
                g.mul_(coef)  # a Python float: keeps float32 gradients float32
    return total


def clip_grad_value_(parameters, clip_value):
    """Clamp every gradient into [-clip_value, clip_value] in place."""
    with ag.no_grad():
        for p in _params(parameters):
            if p.grad is not None:
                p.grad.clamp_(-clip_value, clip_value)


def parameters_to_vector(parameters):
    """All parameters flattened and joined into one 1-D tensor."""
    return ag.cat([p.reshape(-1) for p in _params(parameters)])


def vector_to_parameters(vec, parameters):
    """Copy consecutive slices of `vec` into the parameters (in place)."""
    if not isinstance(vec, Tensor) or vec.ndim != 1:
        raise TypeError("vector_to_parameters: expected a 1-D Tensor")
    params = _params(parameters)
    total = sum(p.numel() for p in params)
    if vec.numel() != total:
        raise ValueError(
            f"vector_to_parameters: vector has {vec.numel()} values, parameters need {total}"
        )
    offset = 0
    with ag.no_grad():
        for p in params:
            n = p.numel()
            p.copy_(vec[offset : offset + n].reshape(p.shape))
            offset += n
