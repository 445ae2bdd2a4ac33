"""Basic functional layers: linear, dropout (and its channel-wise forms), one_hot, pad,
embedding."""

import autograd_core as ag
from autograd_core import Tensor


def linear(input, weight, bias=None):
    """input @ weight.T + bias, with weight of shape (out_features, in_features): one op
    (autograd_core.linear) with its own backward."""
    return ag.linear(input, weight, bias)


def dropout(input, p=0.5, training=True, inplace=False):
    """Inverted dropout: zero each value with probability p, scale the rest by 1/(1-p)."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: p must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    keep = (ag.rand_like(input) >= p).to(input.dtype)
    return input * keep * (1.0 / (1.0 - p))


def one_hot(tensor, num_classes=-1):
    """int64 one-hot codes along a new last dim."""
    if not isinstance(tensor, Tensor) or tensor.dtype.kind not in "iu":
        raise TypeError("one_hot: expected an integer tensor of class indices")
    if tensor.numel() == 0:
        if num_classes < 0:
            raise ValueError("one_hot: cannot infer num_classes from an empty tensor")
        lo = hi = 0
    else:
        lo, hi = int(tensor.min().item()), int(tensor.max().item())
    if lo < 0:
        raise ValueError(f"one_hot: class values must be non-negative, got {lo}")
    if num_classes < 0:
        num_classes = hi + 1
    elif hi >= num_classes:
        raise ValueError(
            f"one_hot: class values must be smaller than num_classes={num_classes}, got {hi}"
        )
    classes = ag.arange(num_classes, device=tensor.device)
    return (tensor.unsqueeze(-1) == classes).long()


def pad(input, pad, mode="constant", value=0.0):
    return ag.pad(input, pad, mode=mode, value=value)


def _feature_dropout(name, input, p, training):
    """Zero whole channels: one keep/drop draw per (sample, channel), broadcast over the rest."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{name}: p must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    mask_shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2)
    keep = (ag.rand(*mask_shape, device=input.device) >= p).to(input.dtype)
    return input * keep * (1.0 / (1.0 - p))


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, L) or (C, L) with probability p; scale the rest by
    1/(1-p)."""
    if input.ndim not in (2, 3):
        raise ValueError(f"dropout1d: expected 2-D or 3-D input, got shape {tuple(input.shape)}")
    if input.ndim == 2:
        return _feature_dropout("dropout1d", input.unsqueeze(0), p, training).squeeze(0)
    return _feature_dropout("dropout1d", input, p, training)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels (feature maps) of (N, C, H, W) with probability p; scale the rest
    by 1/(1-p). Neighbouring pixels are correlated, so dropping single values would do little.

    As PyTorch, a 3-D input is read as (N, C, L).
    """
    if input.ndim < 2:
        raise ValueError(f"dropout2d: expected 3-D or 4-D input, got shape {tuple(input.shape)}")
    return _feature_dropout("dropout2d", input, p, training)


def _check_embedding_indices(input, num_embeddings):
    """Indices must be rows of the table, [0, num_embeddings), as PyTorch checks: indexing
    would read -1 as the last row. One reduction on the device; on a GPU its answer is read
    with the next copy to the host (ag.assert_async), so a forward pass never waits for it."""
    outside = (input < 0) | (input >= num_embeddings)

    def error():  # the failing index is fetched only to name it
        value = input[outside].reshape(-1)[0].item()
        return IndexError(
            f"embedding: index {value} is out of range for num_embeddings {num_embeddings} "
            f"(indices must be in [0, {num_embeddings}))"
        )

    ag.assert_async(~outside.any(), error)


def _embedding_renorm_(weight, input, max_norm, norm_type):
    """Rescale, in place and outside the graph, the rows of weight that input looks up so
    that their norm_type-norm is at most max_norm (PyTorch's embedding_renorm_, with its
    1e-7 guard)."""
    with ag.no_grad():
        idx = input.reshape(-1)
        rows = weight[idx]
        norms = rows.norm(p=norm_type, dim=1, keepdim=True)
        scale = ag.where(norms > max_norm, max_norm / (norms + 1e-7), ag.ones_like(norms))
        # a repeated index writes the same rescaled row twice, so duplicates are harmless
        weight[idx] = rows * scale


def _scale_grad_by_freq(out, input, num_embeddings):
    """out with the same values, its gradient divided by how often each index occurs in
    input (so frequent words do not dominate the update)."""
    flat = input.reshape(-1)
    ones = ag.ones(flat.shape, dtype=out.dtype, device=out.device)
    zeros = ag.zeros((num_embeddings,), dtype=out.dtype, device=out.device)
    freq = ag.scatter_add(zeros, 0, flat, ones)[input].unsqueeze(-1)
    return out / freq + (out - out / freq).detach()


def embedding(
    input,
    weight,
    padding_idx=None,
    max_norm=None,
    norm_type=2.0,
    scale_grad_by_freq=False,
    sparse=False,
):
    """Rows of weight (num_embeddings, embedding_dim) at the integer indices input: output
    shape input.shape + (embedding_dim,). Indices of any integer dtype; one outside
    [0, num_embeddings) raises IndexError, as in PyTorch.

    padding_idx's row gets no gradient; with max_norm the looked-up rows of weight are first
    renormalised in place (as PyTorch, this modifies weight); scale_grad_by_freq divides each
    row's gradient by its index's count in input.
    """
    if not isinstance(input, Tensor) or input.dtype.kind not in "iu":
        got = input.dtype if isinstance(input, Tensor) else type(input).__name__
        raise TypeError(f"embedding: expected integer indices, got {got}")
    if not isinstance(weight, Tensor) or weight.ndim != 2:
        shape = tuple(weight.shape) if isinstance(weight, Tensor) else type(weight).__name__
        raise ValueError(f"embedding: weight must be 2-D (num_embeddings, dim), got {shape}")
    if sparse:
        raise NotImplementedError("embedding: sparse=True (sparse gradients) is not supported")
    num_embeddings = weight.shape[0]
    if padding_idx is not None:
        if not -num_embeddings <= padding_idx < num_embeddings:
            raise ValueError(
                f"embedding: padding_idx {padding_idx} must be within num_embeddings "
                f"{num_embeddings}"
            )
        padding_idx %= num_embeddings
    # int64, so comparing with num_embeddings cannot overflow a uint8 or int8 index
    input = input if input.dtype == ag.int64 else input.long()
    _check_embedding_indices(input, num_embeddings)
    if max_norm is not None:
        _embedding_renorm_(weight, input, max_norm, norm_type)
    out = weight[input]
    if scale_grad_by_freq:
        out = _scale_grad_by_freq(out, input, num_embeddings)
    if padding_idx is not None:
        # the padding row keeps its value but gets no gradient, as in PyTorch
        pad = (input == padding_idx).unsqueeze(-1)
        out = ag.where(pad, out.detach(), out)
    return out
