"""Weight initialisers (`nn.init`), in place under no_grad, returning the tensor."""

import math

import autograd_core as ag

_LINEAR_FNS = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
    "identity",
)


def calculate_gain(nonlinearity: str, param=None) -> float:
    """The recommended gain for a nonlinearity (PyTorch's table); param is leaky_relu's slope."""
    if nonlinearity in _LINEAR_FNS:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"calculate_gain: negative_slope {param!r} is not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}")


def _calculate_fan_in_and_fan_out(tensor):
    if tensor.ndim < 2:
        raise ValueError(
            f"init: fan in/out needs a tensor with at least 2 dims, got shape {tuple(tensor.shape)}"
        )
    receptive = 1
    for s in tensor.shape[2:]:
        receptive *= s
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _fan(tensor, mode):
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"init: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    return fan_in if mode == "fan_in" else fan_out


def zeros_(tensor):
    with ag.no_grad():
        return tensor.zero_()


def ones_(tensor):
    with ag.no_grad():
        return tensor.fill_(1.0)


def constant_(tensor, val):
    with ag.no_grad():
        return tensor.fill_(val)


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    with ag.no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    with ag.no_grad():
        return tensor.normal_(mean, std, generator=generator)


def xavier_uniform_(tensor, gain=1.0, generator=None):
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    if tensor.numel() == 0:  # nothing to fill, and a zero fan would divide by zero
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    if tensor.numel() == 0:
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    return normal_(tensor, 0.0, std, generator)


def eye_(tensor):
    """Fill a 2-D tensor with the identity (ones on the main diagonal, zeros elsewhere)."""
    if tensor.ndim != 2:
        raise ValueError(
            f"eye_: only tensors with 2 dimensions are supported, got shape {tuple(tensor.shape)}"
        )
    with ag.no_grad():
        eye = ag.eye(*tensor.shape, dtype=tensor.dtype, device=tensor.device)
        return tensor.copy_(eye)


def dirac_(tensor, groups=1):
    """Fill a 3-, 4- or 5-D conv weight with the Dirac delta: each of the first
    min(out_channels / groups, in_channels) outputs of every group copies one input channel
    at the kernel's centre, so the convolution is the identity on those channels."""
    if tensor.ndim not in (3, 4, 5):
        raise ValueError(
            f"dirac_: only tensors with 3, 4, or 5 dimensions are supported, got "
            f"shape {tuple(tensor.shape)}"
        )
    out_channels = tensor.shape[0]
    if groups < 1 or out_channels % groups != 0:
        raise ValueError(f"dirac_: dim 0 ({out_channels}) must be divisible by groups={groups}")
    per_group = out_channels // groups
    centre = tuple(s // 2 for s in tensor.shape[2:])
    with ag.no_grad():
        tensor.zero_()
        for g in range(groups):  # loops over channels only, never over pixels
            for d in range(min(per_group, tensor.shape[1])):
                tensor[(g * per_group + d, d) + centre] = 1.0
    return tensor


def orthogonal_(tensor, gain=1.0, generator=None):
    """Fill with a (semi-)orthogonal matrix: the Q of the QR factorisation of a standard
    normal (rows, cols) matrix, rows = size(0) and cols the product of the other dims; the
    rows (or, when rows > cols, the columns) are orthonormal, then scaled by gain.

    Q's columns are multiplied by the signs of R's diagonal, as PyTorch does, so that Q is
    uniformly distributed (Haar) rather than biased by the factorisation's sign choice.
    """
    if tensor.ndim < 2:
        raise ValueError(
            f"orthogonal_: only tensors with 2 or more dimensions are supported, "
            f"got shape {tuple(tensor.shape)}"
        )
    if tensor.numel() == 0:
        return tensor
    import numpy as np  # the factorisation runs once, on the host, in float64

    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    with ag.no_grad():
        flat = ag.empty(rows, cols, dtype=ag.float64).normal_(0.0, 1.0, generator=generator)
        a = flat.numpy()
        if rows < cols:
            a = a.T
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        q = ag.tensor(q * gain, dtype=tensor.dtype, device=tensor.device)
        return tensor.copy_(q.reshape(tensor.shape))


def _erfinv(u):
    """Inverse error function on (-1, 1): Winitzki's closed-form guess (relative error about
    2e-3), then Newton steps on erf(x) = u, which converge quadratically to float64 precision."""
    a = 0.147
    log_term = ag.log((1.0 - u) * (1.0 + u))
    t = 2.0 / (math.pi * a) + log_term / 2.0
    x = ag.sign(u) * ag.sqrt(ag.sqrt(t * t - log_term / a) - t)
    for _ in range(3):
        x = x - (ag.erf(x) - u) / (2.0 / math.sqrt(math.pi) * ag.exp(-x * x))
    return x


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    """Fill with N(mean, std^2) truncated to [a, b] (a and b are absolute values, not in units
    of std), by inverse-CDF sampling as PyTorch: u ~ U(cdf(a), cdf(b)), x = mean + std * sqrt(2)
    * erfinv(2u - 1), clamped to [a, b] against rounding."""
    if not a <= b:
        raise ValueError(f"trunc_normal_: a must not exceed b, got a={a}, b={b}")

    def norm_cdf(x):
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0

    lo, hi = norm_cdf((a - mean) / std), norm_cdf((b - mean) / std)
    if tensor.numel() == 0:
        return tensor
    with ag.no_grad():
        u = ag.empty(*tensor.shape, dtype=ag.float64, device=tensor.device)
        u.uniform_(2.0 * lo - 1.0, 2.0 * hi - 1.0, generator=generator)
        # erfinv(+-1) is infinite: keep u inside the open interval; the clamp restores a, b
        eps = 1e-15
        u = u.clamp(-1.0 + eps, 1.0 - eps)
        x = (_erfinv(u) * (std * math.sqrt(2.0)) + mean).clamp(a, b)
        return tensor.copy_(x.to(dtype=tensor.dtype))


def sparse_(tensor, sparsity, std=0.01, generator=None):
    """Fill a 2-D tensor from N(0, std^2), then zero ceil(sparsity * rows) randomly chosen
    entries in every column (as in Martens, 2010)."""
    if tensor.ndim != 2:
        raise ValueError(
            f"sparse_: only tensors with 2 dimensions are supported, got shape "
            f"{tuple(tensor.shape)}"
        )
    if not 0.0 <= sparsity <= 1.0:
        raise ValueError(f"sparse_: sparsity must be in [0, 1], got {sparsity}")
    rows, cols = tensor.shape
    num_zeros = int(math.ceil(sparsity * rows))
    with ag.no_grad():
        tensor.normal_(0.0, std, generator=generator)
        # a random permutation of the rows in every column: rank of a uniform key
        keys = ag.rand(rows, cols, device=tensor.device, generator=generator)
        rank = keys.argsort(dim=0).argsort(dim=0)
        return tensor.masked_fill_(rank < num_zeros, 0.0)
