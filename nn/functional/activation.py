"""Activation functions, pointwise and gated (`F.relu`, `F.gelu`, `F.hardtanh`, `F.prelu`,
`F.glu`, ...), built from autograd_core ops. Gradients at the kinks follow PyTorch (noted where
it matters). The softmax family is in softmax.py."""

import math

import autograd_core as ag

# SELU's fixed point constants (Klambauer et al., 2017), as PyTorch spells them
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _written_back(input, out):
    """`inplace=True` of an activation: `out`, computed from a copy of `input`, written into
    `input`, which is returned with its history rebased (its gradient is PyTorch's)."""
    return input.copy_(out)


# Rectifiers and their smooth forms.
def relu(input, inplace=False):
    """max(x, 0); `inplace=True` writes the result into `input` and returns it (its history
    is rebased, as PyTorch's relu_)."""
    if inplace:
        return input.relu_()
    return ag.relu(input)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    if inplace:
        return _written_back(input, leaky_relu(input.clone(), negative_slope))
    return ag.where(input > 0, input, input * negative_slope)


def prelu(input, weight):
    """max(0, x) + weight * min(0, x), one learnt slope per channel (dim 1 of the input), or a
    single slope shared by all. Inputs with fewer than 2 dims have one channel."""
    n = weight.numel()
    if weight.ndim > 1:
        raise ValueError(f"prelu: weight must be 0- or 1-D, got shape {tuple(weight.shape)}")
    if n != 1:
        channels = input.shape[1] if input.ndim >= 2 else 1
        if n != channels:
            raise ValueError(
                f"prelu: weight has {n} parameters but the input {tuple(input.shape)} "
                f"has {channels} channels (dim 1)"
            )
        weight = weight.reshape((n,) + (1,) * (input.ndim - 2))
    # the slope applies at x = 0 (PyTorch's gradient there is the weight)
    return ag.where(input > 0, input, input * weight)


def elu(input, alpha=1.0, inplace=False):
    if inplace:
        return _written_back(input, elu(input.clone(), alpha))
    # exp of the clamped input: the unused branch of where must not overflow
    # NaN takes the identity branch (value NaN, gradient 1), as PyTorch's elu
    return ag.where(input <= 0, (ag.exp(ag.clamp(input, max=0.0)) - 1.0) * alpha, input)


def celu(input, alpha=1.0, inplace=False):
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1))."""
    if alpha == 0:
        raise ValueError("celu: alpha must not be 0")
    if inplace:
        return _written_back(input, celu(input.clone(), alpha))
    negative = (ag.exp(ag.clamp(input, max=0.0) / alpha) - 1.0) * alpha
    return ag.where(input > 0, input, negative)


def selu(input, inplace=False):
    """scale * elu(x, alpha) with SELU's fixed constants (alpha ~ 1.6733, scale ~ 1.0507),
    which keep activations near zero mean and unit variance."""
    if inplace:
        return _written_back(input, selu(input.clone()))
    return elu(input, SELU_ALPHA) * SELU_SCALE


def gelu(input, approximate="none"):
    """x * Phi(x) (exact, with erf), or the tanh approximation with approximate='tanh'."""
    if approximate == "tanh":
        inner = (input + input * input * input * 0.044715) * math.sqrt(2.0 / math.pi)
        return input * 0.5 * (ag.tanh(inner) + 1.0)
    if approximate != "none":
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return input * 0.5 * (ag.erf(input * (1.0 / math.sqrt(2.0))) + 1.0)


def silu(input, inplace=False):
    """x * sigmoid(x) (also called swish)."""
    if inplace:
        return _written_back(input, silu(input.clone()))
    return input * ag.sigmoid(input)


def mish(input, inplace=False):
    """x * tanh(softplus(x))."""
    if inplace:
        return _written_back(input, mish(input.clone()))
    return input * ag.tanh(softplus(input))


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta x)) / beta, computed as relu(z) + log1p(exp(-|z|)) so it never overflows;
    x itself where beta * x > threshold, as PyTorch."""
    z = input * beta if beta != 1 else input
    # maximum (not relu) splits its gradient at z = 0: the derivative there is sigmoid(0) = 1/2
    out = ag.maximum(z, 0.0) + ag.log1p(ag.exp(-ag.abs(z)))
    out = out / beta if beta != 1 else out
    return ag.where(z > threshold, input, out)


# Clipped and squashing functions.
def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clipped to [min_val, max_val]; the gradient is 0 at and beyond the bounds."""
    if max_val < min_val:
        raise ValueError(f"hardtanh: max_val ({max_val}) must not be below min_val ({min_val})")
    if inplace:
        return _written_back(input, hardtanh(input.clone(), min_val, max_val))
    # NaN stays NaN, with the gradient passed through, as PyTorch's hardtanh
    outside = (input <= min_val) | (input >= max_val)
    return ag.where(outside, ag.where(input <= min_val, min_val, max_val), input)


def relu6(input, inplace=False):
    """min(max(x, 0), 6): hardtanh(x, 0, 6), so the gradient is 0 at x = 0 and at x = 6."""
    return hardtanh(input, 0.0, 6.0, inplace)


def sigmoid(input):
    return ag.sigmoid(input)


def tanh(input):
    return ag.tanh(input)


def softsign(input):
    """x / (1 + |x|)."""
    return input / (ag.abs(input) + 1.0)


def logsigmoid(input):
    """log(sigmoid(x)) = min(x, 0) - log(1 + exp(-|x|)): stable for large |x|."""
    # minimum splits its gradient at 0, giving sigmoid(-0) = 1/2 as the true derivative
    return ag.minimum(input, 0.0) - ag.log1p(ag.exp(-ag.abs(input)))


def hardswish(input, inplace=False):
    """x * relu6(x + 3) / 6; the gradient is 0 for x <= -3 and 1 for x >= 3."""
    if inplace:
        return _written_back(input, hardswish(input.clone()))
    middle = input * (input + 3.0) / 6.0
    return ag.where(input <= -3.0, 0.0, ag.where(input >= 3.0, input, middle))


def hardsigmoid(input, inplace=False):
    """relu6(x + 3) / 6; the gradient is 1/6 strictly inside (-3, 3), else 0."""
    if inplace:
        return _written_back(input, hardsigmoid(input.clone()))
    middle = input / 6.0 + 0.5
    return ag.where(input <= -3.0, 0.0, ag.where(input >= 3.0, 1.0, middle))


# Threshold and shrink.
def threshold(input, threshold, value, inplace=False):
    """x where x > threshold, else value (NaN stays NaN, as PyTorch)."""
    if inplace:
        source = input.clone()
        return _written_back(input, ag.where(source <= threshold, value, source))
    return ag.where(input <= threshold, value, input)


def tanhshrink(input):
    """x - tanh(x)."""
    return input - ag.tanh(input)


def softshrink(input, lambd=0.5):
    """x - lambd for x > lambd, x + lambd for x < -lambd, else 0."""
    if lambd < 0:
        raise ValueError(f"softshrink: lambd must be >= 0, got {lambd}")
    shrunk = input - ag.sign(input) * lambd
    return ag.where(ag.abs(input) <= lambd, 0.0, shrunk)  # NaN stays NaN, as PyTorch


def hardshrink(input, lambd=0.5):
    """x where |x| > lambd, else 0 (NaN stays NaN, as PyTorch)."""
    return ag.where(ag.abs(input) <= lambd, 0.0, input)


# Gated.
def glu(input, dim=-1):
    """a * sigmoid(b), where a and b are the two halves of the input along dim."""
    if input.ndim == 0:
        raise ValueError("glu: input must have at least one dimension, got a scalar")
    if not -input.ndim <= dim < input.ndim:
        raise ValueError(f"glu: dim {dim} is out of range for a {input.ndim}-D input")
    dim = dim % input.ndim
    size = input.shape[dim]
    if size % 2:
        raise ValueError(
            f"glu: dimension {dim} of the input {tuple(input.shape)} must be even, got {size}"
        )
    a, b = ag.chunk(input, 2, dim)
    return a * ag.sigmoid(b)
