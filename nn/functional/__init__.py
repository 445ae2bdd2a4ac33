"""`nn.functional`: stateless layers, activations and losses (import as `F`)."""

from autograd_core import fold, unfold  # noqa: F401  (F.unfold / F.fold, as in PyTorch)

from .activation import (
    celu,
    elu,
    gelu,
    glu,
    hardshrink,
    hardsigmoid,
    hardswish,
    hardtanh,
    leaky_relu,
    logsigmoid,
    mish,
    prelu,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    softplus,
    softshrink,
    softsign,
    tanh,
    tanhshrink,
    threshold,
)
from .attention import bilinear, multi_head_attention_forward, scaled_dot_product_attention
from .basic import dropout, dropout1d, dropout2d, embedding, linear, one_hot, pad
from .conv import conv1d, conv2d, conv_transpose2d
from .distance import cosine_similarity, pairwise_distance
from .loss_classification import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    kl_div,
    multi_margin_loss,
    multilabel_soft_margin_loss,
    nll_loss,
    soft_margin_loss,
)
from .loss_ranking import (
    cosine_embedding_loss,
    hinge_embedding_loss,
    margin_ranking_loss,
    triplet_margin_loss,
)
from .loss_regression import (
    gaussian_nll_loss,
    huber_loss,
    l1_loss,
    mse_loss,
    poisson_nll_loss,
    smooth_l1_loss,
)
from .normalization import batch_norm, group_norm, instance_norm, layer_norm, normalize
from .pooling import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_max_pool2d,
    avg_pool1d,
    avg_pool2d,
    max_pool1d,
    max_pool2d,
    max_unpool2d,
)
from .softmax import log_softmax, softmax, softmin
from .upsampling import interpolate, pixel_shuffle, pixel_unshuffle
