"""Activation functions (`F.relu`, `F.gelu`, ...), built from autograd_core ops."""

import math

import autograd_core as ag


def relu(input, inplace=False):
    """max(x, 0); `inplace=True` writes the result into `input` and returns it (its history
    is rebased, as PyTorch's relu_)."""
    if inplace:
        return input.relu_()
    return ag.relu(input)


def _written_back(input, out):
    """`inplace=True` of an activation: `out`, computed from a copy of `input`, written into
    `input`, which is returned with its history rebased (its gradient is PyTorch's)."""
    return input.copy_(out)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    if inplace:
        return _written_back(input, leaky_relu(input.clone(), negative_slope))
    return ag.where(input > 0, input, input * negative_slope)


def elu(input, alpha=1.0, inplace=False):
    if inplace:
        return _written_back(input, elu(input.clone(), alpha))
    # exp of the clamped input: the unused branch of where must not overflow
    # NaN takes the identity branch (value NaN, gradient 1), as PyTorch's elu
    return ag.where(input <= 0, (ag.exp(ag.clamp(input, max=0.0)) - 1.0) * alpha, input)


def sigmoid(input):
    return ag.sigmoid(input)


def tanh(input):
    return ag.tanh(input)


def softmax(input, dim=-1, dtype=None):
    return ag.softmax(input, dim=dim, dtype=dtype)


def log_softmax(input, dim=-1, dtype=None):
    return ag.log_softmax(input, dim=dim, dtype=dtype)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta x)) / beta, computed as relu(z) + log1p(exp(-|z|)) so it never overflows;
    x itself where beta * x > threshold, as PyTorch."""
    z = input * beta if beta != 1 else input
    # maximum (not relu) splits its gradient at z = 0: the derivative there is sigmoid(0) = 1/2
    out = ag.maximum(z, 0.0) + ag.log1p(ag.exp(-ag.abs(z)))
    out = out / beta if beta != 1 else out
    return ag.where(z > threshold, input, out)


def gelu(input, approximate="none"):
    """x * Phi(x) (exact, with erf), or the tanh approximation with approximate='tanh'."""
    if approximate == "tanh":
        inner = (input + input * input * input * 0.044715) * math.sqrt(2.0 / math.pi)
        return input * 0.5 * (ag.tanh(inner) + 1.0)
    if approximate != "none":
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return input * 0.5 * (ag.erf(input * (1.0 / math.sqrt(2.0))) + 1.0)
