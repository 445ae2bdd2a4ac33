"""Batch normalisation: `BatchNorm1d` and `BatchNorm2d` with running statistics."""

import autograd_core as ag

from .module import Module
from .parameter import Parameter


def _running_stats(module, num_features, track_running_stats, device, dtype):
    """Register running_mean (zeros), running_var (ones) and num_batches_tracked, or set them
    to None without track_running_stats; shared with the InstanceNorm layers."""
    if track_running_stats:
        module.register_buffer("running_mean", ag.zeros(num_features, device=device, dtype=dtype))
        module.register_buffer("running_var", ag.ones(num_features, device=device, dtype=dtype))
        module.register_buffer("num_batches_tracked", ag.tensor(0, device=device))
    else:
        module.running_mean = module.running_var = module.num_batches_tracked = None


class _BatchNorm(Module):
    _dims_ok = ()

    def __init__(
        self,
        num_features,
        eps=1e-5,
        momentum=0.1,
        affine=True,
        track_running_stats=True,
        device=None,
        dtype=None,
    ):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        if affine:
            self.weight = Parameter(ag.ones(num_features, device=device, dtype=dtype))
            self.bias = Parameter(ag.zeros(num_features, device=device, dtype=dtype))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        _running_stats(self, num_features, track_running_stats, device, dtype)

    def reset_running_stats(self):
        if self.track_running_stats:
            with ag.no_grad():
                self.running_mean.zero_()
                self.running_var.fill_(1.0)
                self.num_batches_tracked.zero_()

    def forward(self, input):
        name = type(self).__name__
        if input.ndim not in self._dims_ok:
            raise ValueError(
                f"{name}: expected {' or '.join(f'{d}-D' for d in self._dims_ok)} input, "
                f"got shape {tuple(input.shape)}"
            )
        if input.shape[1] != self.num_features:
            raise ValueError(
                f"{name}: expected {self.num_features} channels in dim 1, got shape "
                f"{tuple(input.shape)}"
            )
        dims = (0,) + tuple(range(2, input.ndim))
        shape = (1, self.num_features) + (1,) * (input.ndim - 2)
        use_batch = self.training or not self.track_running_stats
        if use_batch and input.numel() == self.num_features:
            # one value per channel: its variance is 0 and the output all zeros (PyTorch's
            # check; an empty batch passes, as there)
            raise ValueError(
                f"{name}: Expected more than 1 value per channel when training, got input size "
                f"{tuple(input.shape)}"
            )
        if use_batch:
            mean = input.mean(dims, keepdim=True)
            var = input.var(dims, keepdim=True, correction=0)
            if self.training and self.track_running_stats:
                self._update(mean, var, input.numel() // self.num_features)
        else:
            mean = self.running_mean.reshape(shape)
            var = self.running_var.reshape(shape)
        out = (input - mean) * ag.rsqrt(var + self.eps)
        if self.affine:
            out = out * self.weight.reshape(shape) + self.bias.reshape(shape)
        return out

    def _update(self, mean, var, n):
        with ag.no_grad():
            self.num_batches_tracked.add_(1)
            m = self.momentum
            if m is None:  # cumulative moving average
                m = 1.0 / self.num_batches_tracked.item()
            unbiased = var.reshape(-1) * (n / max(n - 1, 1))  # PyTorch keeps the unbiased var
            self.running_mean.mul_(1.0 - m).add_(mean.reshape(-1) * m)
            self.running_var.mul_(1.0 - m).add_(unbiased * m)

    def extra_repr(self):
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Normalise (N, C) or (N, C, L) over the batch (and length) per channel."""

    _dims_ok = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Normalise (N, C, H, W) over batch and pixels per channel."""

    _dims_ok = (4,)
