"""`SyncBatchNorm`: batch normalisation whose statistics cover the batches of every rank."""

from __future__ import annotations

import autograd_core as ag
import autograd_core.distributed as dist

from .batchnorm import _BatchNorm


class _SumOverRanks(ag.Function):
    """y = sum over ranks of x; its gradient is the sum over ranks of the gradients of y,
    since every rank's loss depends on the same y."""

    @staticmethod
    def forward(ctx, x):
        total = x.clone()
        dist.all_reduce(total)
        return total

    @staticmethod
    def backward(ctx, grad_out):
        total = grad_out.clone()
        dist.all_reduce(total)
        return total


class SyncBatchNorm(_BatchNorm):
    """BatchNorm over (N, C, ...) whose mean and variance are those of the whole global batch:
    the union of the batches of all ranks, as one process on the whole batch would compute.

    Outside training, or without an initialised process group of more than one rank, it is
    plain BatchNorm. Convert a model's BatchNorm layers with `convert_sync_batchnorm`.
    """

    _dims_ok = (2, 3, 4, 5)

    def __init__(
        self,
        num_features,
        eps=1e-5,
        momentum=0.1,
        affine=True,
        track_running_stats=True,
        process_group=None,
        device=None,
        dtype=None,
    ):
        if process_group is not None:
            raise ValueError("SyncBatchNorm: only the default process group is supported")
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype)

    def forward(self, input):
        synced = self.training and dist.is_initialized() and dist.get_world_size() > 1
        if not synced:
            return super().forward(input)
        self._check_input(input)
        dims = (0,) + tuple(range(2, input.ndim))
        shape = (1, self.num_features) + (1,) * (input.ndim - 2)
        local_count = input.numel() // self.num_features
        # two passes, as BatchNorm's mean then variance of the centred values: the same
        # rounding as one process on the whole batch
        count = ag.tensor(float(local_count), dtype=input.dtype, device=input.device)
        sums = _SumOverRanks.apply(ag.cat([input.sum(dims), count.reshape(1)]))
        total = int(round(sums[-1].item()))
        if total <= 1:
            raise ValueError(
                f"SyncBatchNorm: expected more than 1 value per channel when training, got "
                f"{total} over all ranks"
            )
        mean = (sums[:-1] / total).reshape(shape)
        centred = input - mean
        var = (_SumOverRanks.apply((centred * centred).sum(dims)) / total).reshape(shape)
        if self.track_running_stats:
            self._update(mean, var, total)
        out = centred * ag.rsqrt(var + self.eps)
        if self.affine:
            out = out * self.weight.reshape(shape) + self.bias.reshape(shape)
        return out

    def _check_input(self, input):
        if input.ndim not in self._dims_ok:
            raise ValueError(
                f"SyncBatchNorm: expected 2-D to 5-D input, got shape {tuple(input.shape)}"
            )
        if input.shape[1] != self.num_features:
            raise ValueError(
                f"SyncBatchNorm: expected {self.num_features} channels in dim 1, got shape "
                f"{tuple(input.shape)}"
            )

    @classmethod
    def convert_sync_batchnorm(cls, module, process_group=None):
        """`module` with every BatchNorm layer replaced by a SyncBatchNorm holding the same
        parameters, buffers and training mode (the module itself when it is a BatchNorm)."""
        converted = module
        if isinstance(module, _BatchNorm) and not isinstance(module, SyncBatchNorm):
            converted = cls(
                module.num_features,
                module.eps,
                module.momentum,
                module.affine,
                module.track_running_stats,
                process_group,
            )
            with ag.no_grad():
                if module.affine:
                    converted.weight = module.weight
                    converted.bias = module.bias
                if module.track_running_stats:
                    converted.running_mean = module.running_mean
                    converted.running_var = module.running_var
                    converted.num_batches_tracked = module.num_batches_tracked
            converted.training = module.training
        for name, child in module.named_children():
            converted.add_module(name, cls.convert_sync_batchnorm(child, process_group))
        return converted
