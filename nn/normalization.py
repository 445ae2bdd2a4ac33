"""Normalisation layers: `LayerNorm`, `GroupNorm`, `InstanceNorm1d`, `InstanceNorm2d`."""

import autograd_core as ag

from . import functional as F
from .batchnorm import _running_stats
from .module import Module
from .parameter import Parameter


def _affine_params(module, shape, affine, bias, device, dtype):
    if affine:
        module.weight = Parameter(ag.ones(*shape, device=device, dtype=dtype))
    else:
        module.register_parameter("weight", None)
    if affine and bias:
        module.bias = Parameter(ag.zeros(*shape, device=device, dtype=dtype))
    else:
        module.register_parameter("bias", None)


class LayerNorm(Module):
    """(x - mean) / sqrt(var + eps) * weight + bias over the last dims (normalized_shape).

    Statistics are per sample (unlike BatchNorm), so train and eval behave the same.
    """

    def __init__(
        self,
        normalized_shape,
        eps=1e-5,
        elementwise_affine=True,
        bias=True,
        device=None,
        dtype=None,
    ):
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        _affine_params(self, self.normalized_shape, elementwise_affine, bias, device, dtype)

    def reset_parameters(self):
        with ag.no_grad():
            if self.weight is not None:
                self.weight.fill_(1.0)
            if self.bias is not None:
                self.bias.zero_()

    def forward(self, input):
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )


class GroupNorm(Module):
    """Normalise each of num_groups groups of channels per sample, then weight and bias per
    channel. num_groups=1 is LayerNorm over (C, H, W); num_groups=C is InstanceNorm."""

    def __init__(
        self, num_groups, num_channels, eps=1e-5, affine=True, device=None, dtype=None, *, bias=True
    ):
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError(
                f"GroupNorm: num_channels {num_channels} must be divisible by "
                f"num_groups {num_groups}"
            )
        self.num_groups, self.num_channels = num_groups, num_channels
        self.eps, self.affine = eps, affine
        _affine_params(self, (num_channels,), affine, bias, device, dtype)

    def forward(self, input):
        if input.ndim < 2 or input.shape[1] != self.num_channels:
            raise ValueError(
                f"GroupNorm: expected input of shape (N, {self.num_channels}, ...), got "
                f"{tuple(input.shape)}"
            )
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (
            f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
            f"bias={self.bias is not None}"
        )


class _InstanceNorm(Module):
    _batched_ndim = 0

    def __init__(
        self,
        num_features,
        eps=1e-5,
        momentum=0.1,
        affine=False,
        track_running_stats=False,
        device=None,
        dtype=None,
        *,
        bias=True,
    ):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        _affine_params(self, (num_features,), affine, bias, device, dtype)
        _running_stats(self, num_features, track_running_stats, device, dtype)

    def forward(self, input):
        name, nd = type(self).__name__, self._batched_ndim
        if input.ndim not in (nd - 1, nd):
            raise ValueError(
                f"{name}: expected {nd - 1}-D or {nd}-D input, got shape {tuple(input.shape)}"
            )
        unbatched = input.ndim == nd - 1
        if unbatched:
            input = input.unsqueeze(0)
        if input.shape[1] != self.num_features and self.affine:
            raise ValueError(
                f"{name}: expected {self.num_features} channels, got shape {tuple(input.shape)}"
            )
        # As PyTorch: num_batches_tracked is kept for state dicts but not counted here.
        use_input_stats = self.training or not self.track_running_stats
        out = F.instance_norm(
            input,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            use_input_stats,
            self.momentum if self.momentum is not None else 0.0,
            self.eps,
        )
        return out.squeeze(0) if unbatched else out

    def extra_repr(self):
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


class InstanceNorm1d(_InstanceNorm):
    """Normalise (N, C, L) or (C, L) over L, for each sample and channel separately.

    Defaults differ from BatchNorm: affine=False, track_running_stats=False.
    """

    _batched_ndim = 3


class InstanceNorm2d(_InstanceNorm):
    """Normalise (N, C, H, W) or (C, H, W) over H and W, for each sample and channel.

    Defaults differ from BatchNorm: affine=False, track_running_stats=False.
    """

    _batched_ndim = 4
