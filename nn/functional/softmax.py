"""Softmax functions: `F.softmax`, `F.log_softmax` and `F.softmin`."""

import autograd_core as ag


def _softmax_dim(ndim):
    """PyTorch's legacy choice when dim is not given: 0 for 0-, 1- and 3-D inputs, else 1."""
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=-1, dtype=None):
    return ag.softmax(input, dim=dim, dtype=dtype)


def log_softmax(input, dim=-1, dtype=None):
    return ag.log_softmax(input, dim=dim, dtype=dtype)


def softmin(input, dim=None, dtype=None):
    """softmax(-x) along dim: exp(-x_i) / sum_j exp(-x_j)."""
    if dim is None:
        dim = _softmax_dim(input.ndim)
    return softmax(-input, dim=dim, dtype=dtype)
