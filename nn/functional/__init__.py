"""`nn.functional`: stateless layers, activations and losses (import as `F`)."""

from autograd_core import fold, unfold  # noqa: F401  (F.unfold / F.fold, as in PyTorch)

from .activation import elu, gelu, leaky_relu, log_softmax, relu, sigmoid, softmax, softplus, tanh
from .basic import dropout, linear, one_hot, pad
from .conv import adaptive_avg_pool2d, avg_pool2d, conv2d, max_pool2d
from .loss import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    l1_loss,
    mse_loss,
    nll_loss,
)
