"""Functional normalisation: batch_norm, instance_norm, layer_norm, group_norm, normalize."""

import autograd_core as ag


def _affine(out, weight, bias, shape):
    if weight is not None:
        out = out * weight.reshape(shape)
    if bias is not None:
        out = out + bias.reshape(shape)
    return out


def _stats(input, dims):
    """Biased mean and variance over dims, kept for broadcasting."""
    return input.mean(dims, keepdim=True), input.var(dims, keepdim=True, correction=0)


def _normalize(input, mean, var, eps, weight, bias, shape):
    """(input - mean) / sqrt(var + eps), then weight and bias reshaped to shape."""
    return _affine((input - mean) * ag.rsqrt(var + eps), weight, bias, shape)


def _check_vector(name, what, t, n):
    if t is not None and tuple(t.shape) != (n,):
        raise ValueError(f"{name}: expected {what} of shape ({n},), got {tuple(t.shape)}")


def _update_running(running_mean, running_var, mean, var, n, momentum):
    """running = (1 - momentum) * running + momentum * batch statistic, outside the graph.

    PyTorch keeps the unbiased variance (n / (n - 1)) in the running buffer, though it
    normalises with the biased one.
    """
    with ag.no_grad():
        if running_mean is not None:
            running_mean.mul_(1.0 - momentum).add_(mean.detach() * momentum)
        if running_var is not None:
            unbiased = var.detach() * (n / max(n - 1, 1))
            running_var.mul_(1.0 - momentum).add_(unbiased * momentum)


def batch_norm(
    input,
    running_mean,
    running_var,
    weight=None,
    bias=None,
    training=False,
    momentum=0.1,
    eps=1e-5,
):
    """(x - mean) / sqrt(var + eps) * weight + bias per channel (dim 1).

    In training the statistics come from the batch (biased variance) and the running
    buffers, when given, are updated in place with the unbiased variance; otherwise the
    running buffers are used.
    """
    if input.ndim < 2:
        raise ValueError(
            f"batch_norm: expected input of at least 2-D, got shape {tuple(input.shape)}"
        )
    c = input.shape[1]
    for what, t in (("running_mean", running_mean), ("running_var", running_var)):
        _check_vector("batch_norm", what, t, c)
    _check_vector("batch_norm", "weight", weight, c)
    _check_vector("batch_norm", "bias", bias, c)
    dims = (0,) + tuple(range(2, input.ndim))
    shape = (1, c) + (1,) * (input.ndim - 2)
    if training:
        n = input.numel() // c
        if n <= 1:
            raise ValueError(
                f"batch_norm: Expected more than 1 value per channel when training, got input "
                f"size {tuple(input.shape)}"
            )
        mean, var = _stats(input, dims)
        _update_running(running_mean, running_var, mean.reshape(-1), var.reshape(-1), n, momentum)
    else:
        if running_mean is None or running_var is None:
            raise ValueError(
                "batch_norm: running_mean and running_var are needed when not training"
            )
        mean, var = running_mean.reshape(shape), running_var.reshape(shape)
    return _normalize(input, mean, var, eps, weight, bias, shape)


def instance_norm(
    input,
    running_mean=None,
    running_var=None,
    weight=None,
    bias=None,
    use_input_stats=True,
    momentum=0.1,
    eps=1e-5,
):
    """(x - mean) / sqrt(var + eps) * weight + bias, statistics over the spatial dims of
    each sample and channel separately.

    With use_input_stats the running buffers, when given, are updated with the batch
    average of the per-instance statistics; without it they are used instead.
    """
    if input.ndim < 3:
        raise ValueError(
            f"instance_norm: expected input of at least 3-D (N, C, ...), got shape "
            f"{tuple(input.shape)}"
        )
    c = input.shape[1]
    for what, t in (
        ("running_mean", running_mean),
        ("running_var", running_var),
        ("weight", weight),
        ("bias", bias),
    ):
        _check_vector("instance_norm", what, t, c)
    dims = tuple(range(2, input.ndim))
    shape = (1, c) + (1,) * (input.ndim - 2)
    if use_input_stats:
        n = input.numel() // (input.shape[0] * c)
        if n <= 1:
            raise ValueError(
                f"instance_norm: expected more than 1 spatial element when training, got input "
                f"of shape {tuple(input.shape)}"
            )
        mean, var = _stats(input, dims)
        _update_running(
            running_mean,
            running_var,
            mean.detach().mean(0).reshape(-1),
            var.detach().mean(0).reshape(-1),
            n,
            momentum,
        )
    else:
        if running_mean is None or running_var is None:
            raise ValueError(
                "instance_norm: running_mean and running_var are needed when use_input_stats=False"
            )
        mean, var = running_mean.reshape(shape), running_var.reshape(shape)
    return _normalize(input, mean, var, eps, weight, bias, shape)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """(x - mean) / sqrt(var + eps) * weight + bias over the last len(normalized_shape)
    dims (biased variance); weight and bias have shape normalized_shape."""
    if isinstance(normalized_shape, int):
        normalized_shape = (normalized_shape,)
    normalized_shape = tuple(normalized_shape)
    k = len(normalized_shape)
    if k == 0 or input.ndim < k or tuple(input.shape[input.ndim - k :]) != normalized_shape:
        raise ValueError(
            f"layer_norm: normalized_shape {normalized_shape} does not match the last dims of "
            f"input of shape {tuple(input.shape)}"
        )
    for what, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != normalized_shape:
            raise ValueError(
                f"layer_norm: expected {what} of shape {normalized_shape}, got {tuple(t.shape)}"
            )
    dims = tuple(range(input.ndim - k, input.ndim))
    mean, var = _stats(input, dims)
    return _normalize(input, mean, var, eps, weight, bias, normalized_shape)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Split the C channels into num_groups groups and normalise each group of each sample
    over its channels and spatial dims; then weight and bias per channel."""
    if input.ndim < 2:
        raise ValueError(
            f"group_norm: expected input of at least 2-D, got shape {tuple(input.shape)}"
        )
    n, c = input.shape[0], input.shape[1]
    if c % num_groups != 0:
        raise ValueError(
            f"group_norm: num_channels {c} must be divisible by num_groups {num_groups}"
        )
    _check_vector("group_norm", "weight", weight, c)
    _check_vector("group_norm", "bias", bias, c)
    grouped = input.reshape(n, num_groups, -1)
    mean = grouped.mean(2, keepdim=True)
    var = grouped.var(2, keepdim=True, correction=0)
    out = ((grouped - mean) * ag.rsqrt(var + eps)).reshape(tuple(input.shape))
    return _affine(out, weight, bias, (1, c) + (1,) * (input.ndim - 2))


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """input / max(||input||_p over dim, eps): unit p-norm vectors along dim.

    eps keeps an all-zero vector at zero instead of dividing by zero.
    """
    if out is not None:
        raise ValueError("normalize: the out argument is not supported")
    denom = ag.clamp(ag.norm(input, p, dim, keepdim=True), min=eps)
    return input / denom
